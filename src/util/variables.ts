/**
 * `${VAR}`, `${VAR:-default}`, `${VAR-default}` and `$VAR` references, expanded the way docker-compose and
 * dotenv-expand do. A reference without a value and without a default is kept as written, so a value
 * that depends on unknown configuration never looks like a complete one.
 */
const REFERENCE = new RegExp(String.raw`\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)(${nestedBraces(4)}))?\}|\$([A-Za-z_][A-Za-z0-9_]*)`, 'g');

/** Text whose braces pair up to `depth` levels deep: a default may hold references with defaults of their own (`${A:-${B:-${C:-x}}}`). */
function nestedBraces(depth: number): string {
  return depth === 0 ? '[^{}]*' : String.raw`(?:[^{}]|\{${nestedBraces(depth - 1)}\})*`;
}

/** A value that is one reference and nothing else. */
const ONE_REFERENCE = new RegExp(`^(?:${REFERENCE.source})$`);

/**
 * An expansion longer than this is left as written: `A2=${A1}${A1}`, `A3=${A2}${A2}`, … doubles at
 * every line, a "billion laughs" of variables that would otherwise exhaust memory.
 */
export const MAX_EXPANDED_LENGTH = 64 * 1024;

export function expandVariables(value: string, lookup: (name: string) => string | undefined, depth = 0): string {
  if (depth > 8 || !value.includes('$')) return value;
  let length = value.length;
  const expanded = value.replace(REFERENCE, (whole, braced: string | undefined, operator: string | undefined, fallback: string | undefined, bare: string | undefined) => {
    if (length > MAX_EXPANDED_LENGTH) return whole;
    const name = braced ?? bare!;
    const found = lookup(name);
    const replacement = found !== undefined && !(operator === ':-' && found === '') ? found : operator !== undefined ? expandVariables(fallback ?? '', lookup, depth + 1) : whole;
    length += replacement.length;
    return replacement;
  });
  return length > MAX_EXPANDED_LENGTH ? value : expanded;
}

/**
 * The value with every written default dropped, `${VAR:-default}` reduced to `${VAR}`: what the environment alone makes
 * of it. A default that is another variable is the environment's too (`${A:-${B:-x}}` → `${A:-${B}}`).
 */
export function withoutDefaults(value: string): string {
  return value.replace(REFERENCE, (whole, braced: string | undefined, operator: string | undefined, fallback: string | undefined) => {
    if (braced === undefined || operator === undefined) return whole;
    return fallback !== undefined && ONE_REFERENCE.test(fallback) ? `\${${braced}${operator}${withoutDefaults(fallback)}}` : `\${${braced}}`;
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
