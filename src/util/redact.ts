/**
 * Credentials never reach a report: a connection string is shown with its user and password replaced,
 * and password-like query parameters blanked (`postgres://***:***@db:5432/orders?sslmode=require`).
 */
/** `user:password@`, the password as typed (`/`, `?`, `#` or `@` in it included) up to the last `@` of the word; or `user@`. */
const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)([^:/?#@\s]*:\S*|[^/?#\s]*)@/gi;
const SECRET_PARAMETER = /([?&;](?:password|passwd|pwd|pass|secret|token|access_?key|api_?key|auth)=)[^&;#\s]*/gi;

export const REDACTED = '***';

export function redactCredentials(text: string): string {
  return text
    .replace(USERINFO, (_, scheme: string, userinfo: string) => `${scheme}${userinfo.includes(':') ? `${REDACTED}:${REDACTED}` : REDACTED}@`)
    .replace(SECRET_PARAMETER, `$1${REDACTED}`);
}
