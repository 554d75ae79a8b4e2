import { contentCoupling } from './content-coupling.js';
import { hardCodedServiceUrl } from './hard-coded-service-url.js';
import { passThroughDto } from './pass-through-dto.js';
import { undeclaredApiCall } from './undeclared-api-call.js';
import type { AnyRule } from './types.js';

/** Every rule arch-lint ships, in documentation order. */
export const rules: readonly AnyRule[] = [contentCoupling, hardCodedServiceUrl, undeclaredApiCall, passThroughDto];
