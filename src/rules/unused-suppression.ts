import type { RuleMeta } from './types.js';

/**
 * Reported by the suppression stage (src/suppress.ts), not by a graph check: only that stage knows
 * which `arch-lint-disable…` comments matched a finding. Configured like any rule.
 */
export const unusedSuppression: RuleMeta<Record<string, never>> = {
  id: 'unused-suppression',
  description: 'An arch-lint-disable comment suppresses nothing: the coupling it excused is gone, or it names a rule that reports nothing there.',
  defaultSeverity: 'warning',
  tags: ['maintainability', 'suppression'],
  precision: 'very-high',
  optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
  defaultOptions: {},
};
