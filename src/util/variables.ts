/**
 * `${VAR}`, `${VAR:-default}`, `${VAR-default}` and `$VAR` references, expanded the way docker-compose and
 * dotenv-expand do. A reference without a value and without a default is kept as written, so a value
 * that depends on unknown configuration never looks like a complete one.
 */
const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)((?:[^{}]|\{[^{}]*\})*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

export function expandVariables(value: string, lookup: (name: string) => string | undefined, depth = 0): string {
  if (depth > 8 || !value.includes('$')) return value;
  return value.replace(REFERENCE, (whole, braced: string | undefined, operator: string | undefined, fallback: string | undefined, bare: string | undefined) => {
    const name = braced ?? bare!;
    const found = lookup(name);
    if (found !== undefined && !(operator === ':-' && found === '')) return found;
    if (operator !== undefined) return expandVariables(fallback ?? '', lookup, depth + 1);
    return whole;
  });
}

/** The variables a value refers to, in order. */
export function referencedVariables(value: string): string[] {
  return [...value.matchAll(REFERENCE)].map((m) => m[1] ?? m[4]);
}

/** True when the value still holds a reference nothing resolved. */
export function hasUnresolvedReference(value: string): boolean {
  return referencedVariables(value).length > 0;
}
