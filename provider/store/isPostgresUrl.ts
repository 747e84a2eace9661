/**
 * Whether a provider store location is a PostgreSQL URL (else it is a SQLite file path).
 *
 * @param store A path or a URL.
 * @returns `true` for `postgres://…` and `postgresql://…`.
 * @example isPostgresUrl('postgres://db/provider') // true
 */
export function isPostgresUrl(store: string): boolean {
  return /^postgres(ql)?:\/\//i.test(store);
}
