import type { ParameterUseFact, PassedValue, PayloadRead } from '../model.js';

/** How many calls deep a value is followed into the functions it is handed to (`handle` → `process` → `total`). */
const MAX_CALLS = 3;

/** The parameter a pass reaches: in the module making it, or in the module it imports the function from. */
export type ParameterLookup = (file: string, pass: PassedValue) => { use: ParameterUseFact; file: string } | undefined;

/**
 * The property paths a payload or body meets in the functions it is handed to, followed up to MAX_CALLS calls deep,
 * as paths of the value first handed on (a response handed on is read through its `.data` or `.body`), each where read.
 */
export function readsThroughCalls(passes: readonly PassedValue[], file: string, lookup: ParameterLookup): PayloadRead[] {
  const reads: PayloadRead[] = [];
  const follow = (passes: readonly PassedValue[], file: string, depth: number) => {
    for (const pass of passes) {
      const found = lookup(file, pass);
      if (!found) continue;
      for (const read of found.use.reads ?? []) {
        const at = within(pass, read.path);
        if (at && !at.response && at.path !== '' && !reads.some((r) => r.path === at.path)) reads.push({ path: at.path, location: read.location });
      }
      if (depth === MAX_CALLS) continue;
      const onward = (found.use.passes ?? []).flatMap((next) => {
        const at = within(pass, next.path);
        const { response: _response, ...rest } = next;
        return at ? [{ ...rest, path: at.path, ...(at.response ? { response: true as const } : {}) }] : [];
      });
      follow(onward, found.file, depth + 1);
    }
  };
  follow(passes, file, 1);
  return reads;
}

/** A response's members that are its body, as the walk reads them (response-use.ts). */
const BODY_MEMBERS = new Set(['data', 'body']);

/** Where a path of the parameter a value was handed to lies in that value: under its path, or for a response, under its body. */
function within(pass: PassedValue, path: string): { path: string; response?: true } | undefined {
  const join = (a: string, b: string) => (a === '' ? b : b === '' ? a : `${a}.${b}`);
  if (!pass.response) return { path: join(pass.path, path) };
  if (path === '') return { path: pass.path, response: true };
  const [member, ...rest] = path.split('.');
  return BODY_MEMBERS.has(member) ? { path: join(pass.path, rest.join('.')) } : undefined;
}
