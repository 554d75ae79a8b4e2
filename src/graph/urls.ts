/** URL helpers shared by the interactions enricher and the rules that read its results. */

/** Stands for a part of a URL that is not known statically (a variable, a call result, an unset env var). */
export const DYNAMIC = '{…}';

/** Splits `http://host:port/path?query` into host and path; undefined for relative URLs and unknown hosts. */
export function splitUrl(url: string): { host: string; path: string } | undefined {
  const match = /^(?:[a-z][a-z0-9+.-]*:)?\/\/([^/:?#]+)(?::[^/?#]*)?([^?#]*)/i.exec(url);
  if (!match || match[1].includes('{') || match[1].includes('$')) return undefined;
  return { host: match[1].toLowerCase(), path: match[2] || '/' };
}

/** The path of a URL or path, without query or fragment. */
export function pathOf(url: string): string {
  return (splitUrl(url)?.path ?? url).replace(/[?#].*$/, '') || '/';
}

/** Joins a base URL and a relative path with exactly one slash. */
export function joinUrl(base: string, path: string): string {
  if (path === '') return base;
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

function segments(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}

/**
 * Whether a called path fits a route or OpenAPI path template: `/products/{…}/variants` fits
 * `/products/{id}/variants` but not `/products/{id}`. A dynamic segment of the call fits any template
 * segment; a template parameter fits any called segment.
 */
export function pathMatches(called: string, template: string): boolean {
  const a = segments(called);
  const b = segments(template);
  if (a.length !== b.length) return false;
  return a.every((segment, i) => segment === b[i] || segment.includes('{') || /^\{[^}]+\}$/.test(b[i]) || (b[i].includes('{') && templateSegment(b[i]).test(segment)));
}

/** A segment with a parameter inside (`v{version}`, `{id}.json`) as a pattern. */
function templateSegment(segment: string): RegExp {
  return wildcardPattern(segment.split(/\{[^}]+\}/), '[^/]+');
}

/** A whole-text pattern of literal pieces with a wildcard between each two. */
export function wildcardPattern(literals: string[], wildcard: string): RegExp {
  return new RegExp(`^${literals.map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join(wildcard)}$`);
}

/** Removes a base path (`/api` of `http://catalog/api`) from the front of a called path, when it is there. */
export function stripBasePath(path: string, basePath: string): string | undefined {
  const base = segments(basePath);
  const called = segments(path);
  if (base.length > called.length || !base.every((s, i) => s === called[i])) return undefined;
  return `/${called.slice(base.length).join('/')}`;
}
