import type { Graph, RuleFinding, Severity } from '../model.js';

export interface RuleMeta<Options> {
  id: string;
  /** One sentence: what the rule reports. */
  description: string;
  defaultSeverity: Severity | 'off';
  /** Tags shown by code scanning (SARIF `properties.tags`). */
  tags: string[];
  /** How sure a finding is (SARIF `properties.precision`). */
  precision: 'very-high' | 'high' | 'medium' | 'low';
  /** JSON schema of the options object (validated when the config is loaded). */
  optionsSchema: Record<string, unknown>;
  defaultOptions: Options;
}

/** A rule is a pure function of the graph: it never reads the disk or an AST. */
export interface Rule<Options = Record<string, unknown>> {
  meta: RuleMeta<Options>;
  check(graph: Graph, options: Options): RuleFinding[];
}

/** A rule of any options type, for the list of rules (options are validated against `optionsSchema`). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRule = Rule<any>;

export function defineRule<Options>(rule: Rule<Options>): Rule<Options> {
  return rule;
}
