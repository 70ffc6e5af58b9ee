/**
 * Statements on the hot paths (a note's submit, a fan-out tick, every socket command's access check)
 * are built and prepared once, on first use, rather than on every call: Drizzle building a query and
 * SQLite preparing it cost far more than running it (docs/performance.md, "CPU per note"). Values go
 * in through named placeholders: `sql.placeholder("id")`, then `.get({ id })`.
 */
export function prepared<T>(build: () => T): () => T {
  let statement: T | undefined;
  return () => (statement ??= build());
}
