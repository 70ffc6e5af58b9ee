/**
 * Opens the SQLite database with the pragmas Parley relies on and applies committed migrations.
 * Several processes may open the same file (docs/decisions/099-scale-out.md): transactions take the
 * write lock when they begin, and a migration that another process applied first is not applied twice.
 */
import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as schema from "./schema";

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };
export type OpenDatabase = { db: Db; sqlite: Database.Database; close: () => void };

const MIGRATIONS = path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations");

export function openDatabase(file: string, options: { fieldMode?: boolean } = {}): OpenDatabase {
  if (file !== ":memory:") fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma(`synchronous = ${options.fieldMode ? "FULL" : "NORMAL"}`);
  sqlite.pragma("busy_timeout = 5000");
  // Deleted rows must not survive in free pages (SPEC section 7).
  sqlite.pragma("secure_delete = ON");
  const db = drizzle(sqlite, { schema });
  // Every transaction begins IMMEDIATE (takes the write lock at once, waiting up to busy_timeout). A
  // deferred one that reads first and then writes fails with SQLITE_BUSY, without waiting, when
  // another process wrote in between; with one process this changes nothing.
  const deferred = db.transaction.bind(db);
  db.transaction = ((fn, config) => deferred(fn, { behavior: "immediate", ...config })) as typeof db.transaction;
  // Drizzle runs each migration in a transaction, where foreign_keys=OFF is ignored: switch it off
  // around migrate() so a table rebuild cannot cascade deletes, and check integrity afterwards.
  sqlite.pragma("foreign_keys = OFF");
  migrateOnce(db);
  const problems = sqlite.pragma("foreign_key_check") as unknown[];
  if (problems.length > 0) throw new Error(`Foreign key check failed after migration: ${JSON.stringify(problems)}`);
  sqlite.pragma("foreign_keys = ON");
  return { db, sqlite, close: () => sqlite.close() };
}

/**
 * Drizzle reads which migrations were applied before it takes the write lock: a second process
 * starting at the same moment can then try to apply one again and fail ("table already exists"),
 * having rolled back. Read again and retry: by then the other process has applied it.
 */
function migrateOnce(db: Db) {
  for (let attempt = 1; ; attempt++) {
    try {
      migrate(db, { migrationsFolder: MIGRATIONS });
      return;
    } catch (e) {
      if (attempt >= 5) throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50 * attempt);
    }
  }
}
