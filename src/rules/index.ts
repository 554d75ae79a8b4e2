import { breakingContractChange } from './breaking-contract-change.js';
import { contentCoupling } from './content-coupling.js';
import { distributedMonolith } from './distributed-monolith.js';
import { hardCodedServiceUrl } from './hard-coded-service-url.js';
import { lockstepDependency } from './lockstep-dependency.js';
import { passThroughDto } from './pass-through-dto.js';
import { serviceCycle } from './service-cycle.js';
import { serviceFanOut } from './service-fan-out.js';
import { sharedDatabase } from './shared-database.js';
import { sharedDomainLibrary } from './shared-domain-library.js';
import { syncCallChain } from './sync-call-chain.js';
import type { AnyRule, RuleMeta } from './types.js';
import { undeclaredApiCall } from './undeclared-api-call.js';
import { unusedSuppression } from './unused-suppression.js';

/** Every rule arch-lint ships, in documentation order. */
export const rules: readonly AnyRule[] = [
  distributedMonolith,
  contentCoupling,
  sharedDatabase,
  serviceCycle,
  lockstepDependency,
  sharedDomainLibrary,
  syncCallChain,
  serviceFanOut,
  hardCodedServiceUrl,
  undeclaredApiCall,
  passThroughDto,
];

/** The rules of the contract stage, which runs only with a base ref, over the contract view (src/contracts/view.ts). */
export const contractRules: readonly AnyRule[] = [breakingContractChange];

/** Whether a rule id is one of the contract stage's. */
export function isContractRule(ruleId: string): boolean {
  return contractRules.some((rule) => rule.meta.id === ruleId);
}

/** Every rule id a user can configure and see in a report: the graph rules, the contract stage's, and the suppression stage's own. */
export const ruleMetas: readonly RuleMeta<unknown>[] = [...rules.map((rule) => rule.meta), ...contractRules.map((rule) => rule.meta), unusedSuppression];
