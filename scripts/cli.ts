/**
 * Command line for instance administration: `npm run parley -- <command>`.
 *   create-organiser --email EMAIL [--name NAME] [--programme NAME]
 *       Creates (or finds) an account, makes it organiser of a new programme, and prints a one-time
 *       onboarding link. This is how a production instance gets its first organiser (no mail server).
 *   reset-link --email EMAIL
 *       Prints a one-time password reset link for an existing account.
 * Uses the same configuration as the server (DATABASE_PATH, ORIGIN or HOST/PORT for the printed link).
 */
import { parseArgs } from "node:util";
import { openDatabase } from "../db/database.server";
import { createDomain } from "../app/models/domain.server";
import { readEnv } from "../app/utils/env.server";
import { emailSchema } from "../app/models/validation";

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { email: { type: "string" }, name: { type: "string" }, programme: { type: "string" } },
});
const env = readEnv();
const base = env.ORIGIN?.split(",")[0] ?? `http://${env.HOST}:${env.PORT}`;
const email = emailSchema.safeParse(values.email ?? "");
if (!email.success) {
  console.error("Give a valid --email.");
  process.exit(2);
}
const database = openDatabase(env.DATABASE_PATH, { fieldMode: env.FIELD_MODE });
const domain = createDomain(database.db, { allowSignup: env.ALLOW_SIGNUP, invitationTtlDays: env.INVITATION_TTL_DAYS, instanceName: env.PARLEY_INSTANCE_NAME });
try {
  const command = positionals[0];
  if (command === "create-organiser") {
    const { userId } = domain.accounts.findOrCreateAccount(email.data, values.name ?? null);
    const actor = { userId, authSessionId: "cli", isGuest: false, isAdmin: false, displayName: values.name ?? null, email: email.data };
    const programme = domain.programmes.create(actor, { name: values.programme ?? "New programme", description: "" });
    const token = domain.accounts.issueAccountToken(null, userId, "onboarding");
    console.log(`Programme ${programme.id} created with ${email.data} as organiser.`);
    console.log(`One-time onboarding link (valid 3 days): ${base}/onboard/${token}`);
  } else if (command === "reset-link") {
    const userId = domain.accounts.findByEmail(email.data);
    if (!userId) throw new Error("No account with this email.");
    console.log(`One-time reset link (valid 3 days): ${base}/onboard/${domain.accounts.issueAccountToken(null, userId, "reset")}`);
  } else {
    console.error("Commands: create-organiser --email EMAIL [--name NAME] [--programme NAME] | reset-link --email EMAIL");
    process.exitCode = 2;
  }
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
} finally {
  database.close();
}
