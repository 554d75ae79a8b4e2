import type { ConfiguredSeverity, Diagnostic } from '../model.js';

export type RuleSetting = ConfiguredSeverity | [ConfiguredSeverity] | [ConfiguredSeverity, Record<string, unknown>];

/** The configuration as the user writes it. */
export interface UserConfig {
  services?: string[];
  jobs?: string[];
  frontends?: string[];
  libraries?: string[];
  contracts?: string[];
  groups?: Record<string, string[]>;
  hosts?: Record<string, string[]>;
  public?: Record<string, string[]>;
  ignore?: string[];
  testFiles?: string[];
  maxFileSize?: number;
  rules?: Record<string, RuleSetting>;
}

export interface ResolvedRuleSetting {
  severity: ConfiguredSeverity;
  options: Record<string, unknown>;
}

/** The configuration after defaults: what the pipeline reads. */
export interface ResolvedConfig {
  /** The file it came from, repo-relative; undefined when arch-lint runs with defaults. */
  file?: string;
  services: string[];
  jobs: string[];
  frontends: string[];
  libraries: string[];
  contracts: string[];
  groups: Record<string, string[]>;
  /** Component id or folder → host names that reach it, besides those deployment files give it. */
  hosts: Record<string, string[]>;
  public: Record<string, string[]>;
  ignore: string[];
  testFiles: string[];
  maxFileSize: number;
  rules: Record<string, ResolvedRuleSetting>;
  /** Problems with the configuration that do not stop the run (e.g. a code config refused by --no-config-code). */
  diagnostics?: Diagnostic[];
}

/** A problem with the configuration or the command line: exit code 2. */
export class UsageError extends Error {}
