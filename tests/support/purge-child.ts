/**
 * Child entry for the retention test's "two processes purging at once": opens the database named by
 * DATABASE_PATH as the server does, builds the domain on the real clock, waits until PURGE_START_AT
 * (epoch ms, so that two children start together), runs one purge and prints its report as JSON.
 */
import { openDatabase } from "../../db/database.server";
import { createDomain } from "../../app/models/domain.server";

const file = process.env.DATABASE_PATH ?? "";
const startAt = Number(process.env.PURGE_START_AT ?? 0);
const database = openDatabase(file);
const domain = createDomain(database.db, { allowSignup: false, invitationTtlDays: 7, databaseFile: file });
const wait = startAt - Date.now();
if (wait > 0) await new Promise((r) => setTimeout(r, wait));
try {
  const report = domain.retention.purgeDue();
  console.log(JSON.stringify(report));
} finally {
  database.close();
}
