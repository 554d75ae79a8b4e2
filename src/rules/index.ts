import { contentCoupling } from './content-coupling.js';
import { hardCodedServiceUrl } from './hard-coded-service-url.js';
import { passThroughDto } from './pass-through-dto.js';
import { sharedDatabase } from './shared-database.js';
import type { AnyRule, RuleMeta } from './types.js';
import { undeclaredApiCall } from './undeclared-api-call.js';
import { unusedSuppression } from './unused-suppression.js';

/** Every rule arch-lint ships, in documentation order. */
export const rules: readonly AnyRule[] = [contentCoupling, sharedDatabase, hardCodedServiceUrl, undeclaredApiCall, passThroughDto];

/** Every rule id a user can configure and see in a report: the graph rules and the suppression stage's own. */
export const ruleMetas: readonly RuleMeta<unknown>[] = [...rules.map((rule) => rule.meta), unusedSuppression];
