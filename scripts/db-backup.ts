/**
 * Online backup of the database: `npm run db:backup -- <target file>` (docs/deployment.md, "Backups and
 * restore"). Works while the server runs, from another process.
 *
 * - `VACUUM INTO` from a read-only connection: one read transaction, so the copy is a consistent
 *   snapshot of every transaction committed before it began (an acknowledged note is committed before
 *   its acknowledgement), and writers carry on meanwhile (WAL). An online backup through the backup API
 *   would restart on every write during a busy session.
 * - It copies rows, not pages: what was deleted before the backup (a destroyed authorship secret, purged
 *   personal data, freed pages, old WAL frames) is not in it.
 * - Refuses to overwrite anything: the copy is written beside the target, checked (`quick_check`),
 *   switched to a single file (journal_mode=DELETE), flushed to disk, then linked to the target name,
 *   which fails if a file appeared there meanwhile.
 * - Prints the size and the duration.
 *
 * The source is DATABASE_PATH (as for the server), or `--database <file>`.
 */
import Database from "better-sqlite3";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";

export type BackupResult = { target: string; bytes: number; ms: number };

export class BackupRefused extends Error {}

function fsyncPath(file: string) {
  const fd = fs.openSync(file, "r");
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

export function backupDatabase(source: string, target: string): BackupResult {
  const started = process.hrtime.bigint();
  const from = path.resolve(source);
  const to = path.resolve(target);
  if (!fs.existsSync(from)) throw new BackupRefused(`No database at ${from}.`);
  if (to === from || to === `${from}-wal` || to === `${from}-shm`) throw new BackupRefused("The backup cannot be written over the database itself.");
  if (fs.existsSync(to)) throw new BackupRefused(`${to} already exists: a backup never overwrites a file. Choose a new name.`);
  const dir = path.dirname(to);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new BackupRefused(`The folder ${dir} does not exist.`);

  const partial = path.join(dir, `.${path.basename(to)}.${randomBytes(6).toString("hex")}.partial`);
  try {
    const db = new Database(from, { readonly: true, fileMustExist: true });
    try {
      db.pragma("busy_timeout = 10000");
      db.prepare("VACUUM INTO ?").run(partial);
    } finally {
      db.close();
    }
    // VACUUM INTO does not sync its output: check it, make it one self-contained file, then flush it.
    const copy = new Database(partial, { fileMustExist: true });
    try {
      const check = copy.pragma("quick_check", { simple: true });
      if (check !== "ok") throw new Error(`The backup failed its integrity check: ${String(check)}`);
      copy.pragma("journal_mode = DELETE");
    } finally {
      copy.close();
    }
    fsyncPath(partial);
    // link() fails if the target exists: nothing is ever overwritten, even by a race.
    try {
      fs.linkSync(partial, to);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "EEXIST") throw new BackupRefused(`${to} already exists: a backup never overwrites a file. Choose a new name.`);
      throw e;
    }
    fsyncPath(dir);
  } finally {
    for (const leftover of [partial, `${partial}-journal`, `${partial}-wal`, `${partial}-shm`]) fs.rmSync(leftover, { force: true });
  }
  const bytes = fs.statSync(to).size;
  return { target: to, bytes, ms: Number(process.hrtime.bigint() - started) / 1e6 };
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function main(): number {
  const usage = "Usage: npm run db:backup -- <target file> [--database <file>] (the database defaults to DATABASE_PATH, else data/parley.sqlite)";
  let positionals: string[];
  let database: string | undefined;
  try {
    const args = parseArgs({ allowPositionals: true, options: { database: { type: "string" } } });
    positionals = args.positionals;
    database = args.values.database;
  } catch (e) {
    console.error(`${e instanceof Error ? e.message : String(e)}\n${usage}`);
    return 2;
  }
  if (positionals.length !== 1) {
    console.error(usage);
    return 2;
  }
  const source = database ?? process.env.DATABASE_PATH ?? "data/parley.sqlite";
  try {
    const result = backupDatabase(source, positionals[0]);
    console.log(`Backup of ${path.resolve(source)} written to ${result.target}: ${formatBytes(result.bytes)} (${result.bytes} bytes) in ${Math.round(result.ms)} ms.`);
    return 0;
  } catch (e) {
    console.error(e instanceof BackupRefused ? `Refused: ${e.message}` : `Backup failed: ${e instanceof Error ? e.message : String(e)}`);
    return e instanceof BackupRefused ? 2 : 1;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = main();
