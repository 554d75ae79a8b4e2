import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import { countBySeverity, type Formatter } from './types.js';

/** Version of the JSON report shape (docs/json-format.md); bump on any incompatible change. */
export const JSON_SCHEMA_VERSION = 1;

export const json: Formatter = (result) => {
  const { errors, warnings } = countBySeverity(result);
  const report = {
    schemaVersion: JSON_SCHEMA_VERSION,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    summary: {
      errors,
      warnings,
      diagnostics: result.diagnostics.length,
      files: result.fileCount,
      components: result.componentCount,
    },
    findings: result.findings.map((f) => ({
      ruleId: f.ruleId,
      severity: f.severity,
      message: f.message,
      location: f.location,
      related: f.related,
      services: f.services,
      ...(f.kinds ? { kinds: f.kinds } : {}),
      fingerprint: f.fingerprint,
      ...(f.flow ? { flow: f.flow } : {}),
    })),
    diagnostics: result.diagnostics,
  };
  return `${JSON.stringify(report, null, 2)}\n`;
};
