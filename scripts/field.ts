/**
 * Field instances from the command line (docs/field.md): `npm run field -- <command> [options]`.
 *
 * On the national instance:
 *   kit-export --email ORGANISER --session SESSION_ID [--out FILE]
 *       Writes the signed field kit for a session that has not been run yet.
 *   register-key --email ORGANISER --programme PROGRAMME_ID --fingerprint "3F9A-1C22-..." --label "Mopti laptop 2"
 *   revoke-key --email ORGANISER --programme PROGRAMME_ID --fingerprint "3F9A-1C22-..."
 *   keys --email ORGANISER --programme PROGRAMME_ID
 *   bundle-import --email ORGANISER --file BUNDLE.json
 *       Checks the laptop's signature and registration, then imports the session once.
 * On the field laptop:
 *   kit-import --email RAPPORTEUR --file KIT.json
 *       Checks the national signature, sets up the programme and the session, and shows this laptop's
 *       fingerprint. Creates the account if it does not exist and prints a link to set its password.
 *   fingerprint
 *       Prints this instance's key fingerprint (to read out to the programme organiser).
 *   bundle-export --email RAPPORTEUR --session SESSION_ID [--out FILE]
 *       Writes the signed bundle of the session's latest published summary.
 *
 * Messages are in French when LANG starts with "fr" or with --lang fr, in English otherwise. Uses the
 * same configuration as the server (DATABASE_PATH, FIELD_MODE, PARLEY_INSTANCE_NAME, ORIGIN/HOST/PORT).
 * Exit status: 0 done, 1 refused (nothing changed), 2 wrong usage.
 */
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { openDatabase } from "../db/database.server";
import type { SignedInActor } from "../app/models/actor";
import { createDomain, type Domain } from "../app/models/domain.server";
import { isDomainError } from "../app/models/errors";
import { FIELD_ERRORS, parseFingerprint } from "../app/models/field";
import { emailSchema } from "../app/models/validation";
import { resources } from "../app/locales";
import { readEnv } from "../app/utils/env.server";

const USAGE = `Usage: npm run field -- <command> [options]
  national instance: kit-export --email E --session ID [--out FILE]
                     register-key --email E --programme ID --fingerprint "XXXX-XXXX-XXXX-XXXX-XXXX-XXXX" --label TEXT
                     revoke-key --email E --programme ID --fingerprint "XXXX-..."
                     keys --email E --programme ID
                     bundle-import --email E --file FILE
  field laptop:      kit-import --email E --file FILE
                     fingerprint
                     bundle-export --email E --session ID [--out FILE]`;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    email: { type: "string" },
    session: { type: "string" },
    programme: { type: "string" },
    file: { type: "string" },
    out: { type: "string" },
    fingerprint: { type: "string" },
    label: { type: "string" },
    lang: { type: "string" },
  },
});
const fr = (values.lang ?? process.env.LANG ?? "").toLowerCase().startsWith("fr");
const say = (en: string, frText: string) => console.log(fr ? frText : en);

class Usage extends Error {}

function need(name: keyof typeof values): string {
  const v = values[name];
  if (!v) throw new Usage(fr ? `Il manque --${name}.` : `Give --${name}.`);
  return v;
}

function actorFor(domain: Domain, create = false): { actor: SignedInActor; created: boolean } {
  const email = emailSchema.safeParse(need("email"));
  if (!email.success) throw new Usage(fr ? "Donnez une adresse --email valide." : "Give a valid --email.");
  let userId = domain.accounts.findByEmail(email.data);
  let created = false;
  if (!userId) {
    if (!create) throw new Usage(fr ? `Aucun compte avec l'adresse ${email.data} sur cette instance.` : `No account with the email ${email.data} on this instance.`);
    userId = domain.accounts.findOrCreateAccount(email.data, null).userId;
    created = true;
  }
  return { actor: { userId, authSessionId: "cli", isGuest: false, isAdmin: false, displayName: null, email: email.data }, created };
}

function write(out: string | undefined, filename: string, body: string): string {
  if (out === "-") {
    process.stdout.write(body);
    return "-";
  }
  const file = path.resolve(out ?? filename);
  fs.writeFileSync(file, body, { flag: "wx" });
  return file;
}

/** A refusal in the person's language: the catalogue's text for the key, with the English detail. */
function explain(e: unknown): string {
  if (!isDomainError(e)) return e instanceof Error ? e.message : String(e);
  const lang = fr ? resources.fr : resources.en;
  const details = (e as unknown as { details?: { message?: string; fingerprint?: string } }).details;
  const table = ((FIELD_ERRORS as readonly string[]).includes(e.messageKey) ? lang.field.errors : lang.errors) as Record<string, string>;
  const text = (table[e.messageKey] ?? details?.message ?? e.messageKey).replace(/\{\{fingerprint\}\}/g, details?.fingerprint ?? "");
  const fields = e.fields ? ` (${Object.entries(e.fields).map(([k, v]) => `${k}: ${v.map((m) => (lang.field.errors as Record<string, string>)[m] ?? (lang.errors as Record<string, string>)[m] ?? m).join(", ")}`).join("; ")})` : "";
  return `${text}${fields}${details?.message && fr ? `\n  (${details.message})` : ""}`;
}

const env = readEnv();
const base = env.ORIGIN?.split(",")[0] ?? `http://${env.HOST}:${env.PORT}`;
const database = openDatabase(env.DATABASE_PATH, { fieldMode: env.FIELD_MODE });
const domain = createDomain(database.db, { allowSignup: env.ALLOW_SIGNUP, invitationTtlDays: env.INVITATION_TTL_DAYS, instanceName: env.PARLEY_INSTANCE_NAME });

try {
  const command = positionals[0];
  if (command === "fingerprint") {
    const fp = domain.field.fingerprint();
    if (fp) say(`This instance's fingerprint: ${fp.display}`, `Empreinte de cette instance : ${fp.display}`);
    else say("This instance has no key yet: it makes one when it imports its first kit (or exports one).", "Cette instance n'a pas encore de clé : elle en crée une en important son premier kit (ou en en exportant un).");
  } else if (command === "kit-export") {
    const { actor } = actorFor(domain);
    const sessionId = need("session");
    const row = database.sqlite.prepare("SELECT programme_id AS programmeId FROM dialogue_sessions WHERE id = ?").get(sessionId) as { programmeId: string } | undefined;
    if (!row) throw new Usage(fr ? "Aucune séance avec cet identifiant." : "No session with this id.");
    const { filename, body } = domain.field.exportKit(actor, row.programmeId, sessionId);
    const file = write(values.out, filename, body);
    const fp = domain.field.fingerprint()!.display;
    say(`Signed kit written to ${file}.\nNational fingerprint (the rapporteur may check it): ${fp}`, `Kit signé écrit dans ${file}.\nEmpreinte nationale (le rapporteur peut la vérifier) : ${fp}`);
  } else if (command === "kit-import") {
    const bytes = new Uint8Array(fs.readFileSync(need("file")));
    // The account is created with the kit, or not at all (a refused kit changes nothing).
    const { actor, created, r } = database.sqlite.transaction(() => {
      const who = actorFor(domain, true);
      return { ...who, r: domain.field.importKit(who.actor, bytes) };
    })();
    say(`Kit imported: "${r.title}" is ready to run (session ${r.sessionId}).`, `Kit importé : « ${r.title} » est prête à être tenue (séance ${r.sessionId}).`);
    say(`National key: ${r.national.fingerprint} (${r.national.name})${r.national.pinnedNow ? ", now pinned for this programme" : ""}.`, `Clé nationale : ${r.national.fingerprint} (${r.national.name})${r.national.pinnedNow ? ", désormais retenue pour ce programme" : ""}.`);
    say(`\nThis laptop's fingerprint, to read out to the programme organiser:\n\n    ${r.laptop.fingerprint}\n`, `\nEmpreinte de cet ordinateur, à lire à l'organisateur du programme :\n\n    ${r.laptop.fingerprint}\n`);
    if (created) {
      const token = domain.accounts.issueAccountToken(null, actor.userId, "onboarding");
      say(`Account ${actor.email} created; set its password with this one-time link: ${base}/onboard/${token}`, `Compte ${actor.email} créé ; choisissez son mot de passe avec ce lien à usage unique : ${base}/onboard/${token}`);
    }
  } else if (command === "bundle-export") {
    const { actor } = actorFor(domain);
    const { filename, body, bundle } = domain.field.exportBundle(actor, need("session"));
    const file = write(values.out, filename, body);
    say(`Signed bundle written to ${file} (summary version ${(bundle.payload as { publication: { number: number } }).publication.number}). Bring it to the programme organiser.`, `Paquet signé écrit dans ${file} (version ${(bundle.payload as { publication: { number: number } }).publication.number} de la synthèse). Remettez-le à l'organisateur du programme.`);
  } else if (command === "bundle-import") {
    const { actor } = actorFor(domain);
    const r = domain.field.importBundle(actor, new Uint8Array(fs.readFileSync(need("file"))));
    say(`Imported: session ${r.report.sessionId}, version ${r.report.publicationNumber}, signed by ${r.key.fingerprint} (${r.key.label}).`, `Importé : séance ${r.report.sessionId}, version ${r.report.publicationNumber}, signée par ${r.key.fingerprint} (${r.key.label}).`);
  } else if (command === "register-key") {
    const { actor } = actorFor(domain);
    const r = domain.field.registerKey(actor, need("programme"), { fingerprint: need("fingerprint"), label: need("label") });
    say(`Key ${r.fingerprint} registered.`, `Clé ${r.fingerprint} enregistrée.`);
  } else if (command === "revoke-key") {
    const { actor } = actorFor(domain);
    const programmeId = need("programme");
    const wanted = parseFingerprint(need("fingerprint"));
    const key = domain.field.listKeys(actor, programmeId).find((k) => parseFingerprint(k.fingerprint) === wanted);
    if (!key) throw new Usage(fr ? "Aucune clé enregistrée avec cette empreinte dans ce programme." : "No key with this fingerprint is registered in this programme.");
    domain.field.revokeKey(actor, programmeId, key.id);
    say(`Key ${key.fingerprint} revoked.`, `Clé ${key.fingerprint} révoquée.`);
  } else if (command === "keys") {
    const { actor } = actorFor(domain);
    const keys = domain.field.listKeys(actor, need("programme"));
    if (!keys.length) say("No key registered.", "Aucune clé enregistrée.");
    for (const k of keys) console.log(`${k.fingerprint}  ${k.revokedAt ? (fr ? "révoquée" : "revoked") : fr ? "active" : "active"}  ${k.label}`);
  } else {
    console.error(USAGE);
    process.exitCode = 2;
  }
} catch (e) {
  if (e instanceof Usage) {
    console.error(`${e.message}\n\n${USAGE}`);
    process.exitCode = 2;
  } else {
    console.error(explain(e));
    process.exitCode = isDomainError(e) ? 1 : 3;
  }
} finally {
  database.close();
}
