import type { ChalkInstance } from 'chalk';
import type { LintResult } from '../analyze.js';

export interface FormatContext {
  chalk: ChalkInstance;
}

/** A formatter is a plain function of the analysis result, in the style of ESLint's. */
export type Formatter = (result: LintResult, context: FormatContext) => string;

export function countBySeverity(result: LintResult): { errors: number; warnings: number } {
  let errors = 0;
  let warnings = 0;
  for (const finding of result.findings) {
    if (finding.severity === 'error') errors++;
    else warnings++;
  }
  return { errors, warnings };
}
