/**
 * Credentials never reach a report: a connection string is shown with its user and password replaced,
 * and password-like query parameters blanked (`postgres://***:***@db:5432/orders?sslmode=require`).
 */
/** `user:password@`, the password as typed (`/`, `?`, `#` or `@` in it included) up to the last `@` of the word; or `user@`. */
const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)([^:/?#@\s]*:\S*|[^/?#\s]*)@/gi;
/** The same in a Go MySQL DSN, which has no scheme: `user:password@tcp(host:3306)/db`. */
const DSN_USERINFO = /(?<=^|[\s"'=])([^\s"'=:@]*(?::[^\s"']*)?)@(?=(?:tcp6?|unix)\()/gi;
const SECRET_PARAMETER = /([?&;](?:password|passwd|pwd|pass|secret|token|access_?key|api_?key|auth)=)[^&;#\s]*/gi;

export const REDACTED = '***';

export function redactCredentials(text: string): string {
  return text
    .replace(USERINFO, (_, scheme: string, userinfo: string) => `${scheme}${hiddenUserinfo(userinfo)}@`)
    .replace(DSN_USERINFO, (_, userinfo: string) => `${hiddenUserinfo(userinfo)}@`)
    .replace(SECRET_PARAMETER, `$1${REDACTED}`);
}

function hiddenUserinfo(userinfo: string): string {
  return userinfo.includes(':') ? `${REDACTED}:${REDACTED}` : REDACTED;
}
