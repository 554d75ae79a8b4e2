import { contentCoupling } from './content-coupling.js';
import { distributedMonolith } from './distributed-monolith.js';
import { lockstepDependency } from './lockstep-dependency.js';
import { serviceCycle } from './service-cycle.js';
import { serviceFanOut } from './service-fan-out.js';
import { sharedDomainLibrary } from './shared-domain-library.js';
import { syncCallChain } from './sync-call-chain.js';
import type { AnyRule } from './types.js';

/** Every rule arch-lint ships, in documentation order. */
export const rules: readonly AnyRule[] = [
  contentCoupling,
  distributedMonolith,
  serviceCycle,
  lockstepDependency,
  sharedDomainLibrary,
  syncCallChain,
  serviceFanOut,
];
