import { contentCoupling } from './content-coupling.js';
import { sharedDatabase } from './shared-database.js';
import type { AnyRule } from './types.js';

/** Every rule arch-lint ships, in documentation order. */
export const rules: readonly AnyRule[] = [contentCoupling, sharedDatabase];
