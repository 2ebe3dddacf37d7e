/**
 * Quoting for the connection-string dialects we generate, so that a password with `;`, a space or
 * a quote still yields a string the driver parses back to the same password.
 */

/** ADO.NET (`Key=Value;`): quote values containing separators or quotes. */
export function adoNetValue(value: string): string {
  if (!/[;'"=]|^\s|\s$/.test(value)) return value;
  return value.includes('"') ? `'${value.replace(/'/g, "''")}'` : `"${value}"`;
}

/** Microsoft JDBC driver for SQL Server: braces protect `;`, `=` and braces. */
export function jdbcSqlServerValue(value: string): string {
  return /[;{}=]/.test(value) ? `{${value.replace(/}/g, '}}')}}` : value;
}

/** libpq keyword/value strings (psycopg2, Go pq, PHP, Ruby pg): single quotes and backslash escapes. */
export function libpqValue(value: string): string {
  return value === '' || /[\s'\\]/.test(value)
    ? `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`
    : value;
}

/** URL components (JDBC query parameters, redis:// and mysql DSN user info). */
export const urlValue = encodeURIComponent;
