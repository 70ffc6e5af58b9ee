/**
 * `npm run field -- ...` as a rapporteur and an organiser would use it, on two real database files
 * (a national instance and a laptop), each command a real child process: kit export, kit import (the
 * account created with a link to set its password; an altered kit refused in French, nothing
 * created), fingerprint, bundle export after the session is held and published on the laptop, key
 * registration, bundle import, and the re-import refused as already imported.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { openDatabase } from "../../db/database.server";
import type { SignedInActor } from "../../app/models/actor";
import { createDomain } from "../../app/models/domain.server";
import { newClientId } from "../../app/models/notes";

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, "../..");
const DIR = fs.mkdtempSync(path.join(os.tmpdir(), "parley-field-cli-"));
const NATIONAL = path.join(DIR, "national.sqlite");
const LAPTOP = path.join(DIR, "laptop.sqlite");

afterAll(() => fs.rmSync(DIR, { recursive: true, force: true }));

/** Runs the command line; resolves with its exit code and output (never rejects on a refusal). */
async function field(database: string, args: string[], lang = "en_GB.UTF-8") {
  try {
    const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", "scripts/field.ts", ...args], {
      cwd: ROOT,
      env: { NODE_ENV: "test", PATH: process.env.PATH, DATABASE_PATH: database, LANG: lang, LOG_LEVEL: "silent", PARLEY_INSTANCE_NAME: database === LAPTOP ? "Portable Douentza" : "Parley national", ...(database === LAPTOP ? { FIELD_MODE: "1" } : {}) },
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

/** Opens a database with the real domain for a step a person does in the interface. */
async function withDomain<T>(file: string, fn: (d: ReturnType<typeof createDomain>, actorOf: (email: string) => SignedInActor) => T | Promise<T>): Promise<T> {
  const database = openDatabase(file);
  const domain = createDomain(database.db, { allowSignup: false, invitationTtlDays: 7 });
  const actorOf = (email: string): SignedInActor => ({ userId: domain.accounts.findByEmail(email)!, authSessionId: "test", isGuest: false, isAdmin: false, displayName: null, email });
  try {
    return await fn(domain, actorOf);
  } finally {
    database.close();
  }
}

const count = (file: string, table: string) => {
  const database = openDatabase(file);
  try {
    return (database.sqlite.prepare(`SELECT count(*) AS n FROM "${table}"`).get() as { n: number }).n;
  } finally {
    database.close();
  }
};

it("carries a session from the national instance to a laptop and back, from the command line", async () => {
  const { programmeId, sessionId } = await withDomain(NATIONAL, (d) => {
    const { userId } = d.accounts.findOrCreateAccount("organiser@national.test", "Organisatrice");
    const organiser: SignedInActor = { userId, authSessionId: "test", isGuest: false, isAdmin: false, displayName: null, email: "organiser@national.test" };
    const programmeId = d.programmes.create(organiser, { name: "Dialogue national" }).id;
    const levelId = d.programmes.taxonomy(programmeId).levels[0].id;
    const sessionId = d.sessions.create(organiser, programmeId, { title: "Concertation communale de Douentza", kind: "local_dialogue", levelId, languages: ["fr"], timeZone: "Africa/Bamako", attributionMode: "chatham_house", noteVisibility: "participants" }).id;
    d.live.addItem(organiser, sessionId, { title: "Accès à l'eau", plannedMinutes: 30 });
    return { programmeId, sessionId };
  });

  const kitFile = path.join(DIR, "kit.json");
  const exported = await field(NATIONAL, ["kit-export", "--email", "organiser@national.test", "--session", sessionId, "--out", kitFile]);
  expect(exported.code, exported.stderr).toBe(0);
  expect(exported.stdout).toMatch(/National fingerprint \(the rapporteur may check it\): [0-9A-F]{4}(-[0-9A-F]{4}){5}/);

  // An altered kit: refused in French, and not even the account is created.
  const altered = JSON.parse(fs.readFileSync(kitFile, "utf8"));
  altered.payload.session.title = "Autre séance";
  const alteredFile = path.join(DIR, "altered.json");
  fs.writeFileSync(alteredFile, JSON.stringify(altered));
  const refused = await field(LAPTOP, ["kit-import", "--email", "rapporteur@field.test", "--file", alteredFile], "fr_FR.UTF-8");
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain("La signature ne correspond pas au contenu");
  expect(count(LAPTOP, "users")).toBe(0);
  expect(count(LAPTOP, "programmes")).toBe(0);

  const imported = await field(LAPTOP, ["kit-import", "--email", "rapporteur@field.test", "--file", kitFile], "fr_FR.UTF-8");
  expect(imported.code, imported.stderr).toBe(0);
  expect(imported.stdout).toContain("Kit importé : « Concertation communale de Douentza » est prête à être tenue");
  expect(imported.stdout).toMatch(/onboard\/[a-z0-9]+/);
  const printed = /\n\s+([0-9A-F]{4}(?:-[0-9A-F]{4}){5})\n/.exec(imported.stdout)![1];
  const fingerprint = await field(LAPTOP, ["fingerprint"]);
  expect(fingerprint.stdout.trim()).toBe(`This instance's fingerprint: ${printed}`);

  // Held on the laptop (in the interface), finalised and published.
  await withDomain(LAPTOP, async (d, actorOf) => {
    const rapporteur = actorOf("rapporteur@field.test");
    const itemId = d.live.listItems(rapporteur, sessionId).items[0].id;
    d.live.openRoom(rapporteur, sessionId);
    await d.live.command(rapporteur, sessionId, itemId, { command: "start" });
    const note = (await d.notes.submit(rapporteur, sessionId, { clientId: newClientId(), itemId, kind: "proposal", themeIds: [], text: "Il faut réparer le forage du quartier nord." })).note.id;
    d.notes.curate(rapporteur, sessionId, note, { action: "highlight" });
    const rec = d.recommendations.create(rapporteur, sessionId, { text: "La mairie doit réparer le forage du quartier nord", itemId, sourceNoteIds: [note] }).id;
    d.recommendations.declare(rapporteur, sessionId, rec, { level: "consensus" });
    await d.live.endRoom(rapporteur, sessionId);
    d.sessions.setStatus(rapporteur, sessionId, "finalised", { confirmed: true });
    const { version } = d.summaries.generate(rapporteur, sessionId, { language: "fr" });
    d.summaries.approve(rapporteur, sessionId, { version });
    await d.summaries.publish(rapporteur, sessionId, {});
  });

  const bundleFile = path.join(DIR, "bundle.json");
  const bundled = await field(LAPTOP, ["bundle-export", "--email", "rapporteur@field.test", "--session", sessionId, "--out", bundleFile]);
  expect(bundled.code, bundled.stderr).toBe(0);

  const untrusted = await field(NATIONAL, ["bundle-import", "--email", "organiser@national.test", "--file", bundleFile]);
  expect(untrusted.code).toBe(1);
  expect(untrusted.stderr).toContain(`not registered for this programme (${printed})`);

  const registered = await field(NATIONAL, ["register-key", "--email", "organiser@national.test", "--programme", programmeId, "--fingerprint", printed.toLowerCase().replace(/-/g, " "), "--label", "Portable Douentza"]);
  expect(registered.stdout.trim()).toBe(`Key ${printed} registered.`);
  const keys = await field(NATIONAL, ["keys", "--email", "organiser@national.test", "--programme", programmeId]);
  expect(keys.stdout).toContain(`${printed}  active  Portable Douentza`);

  const done = await field(NATIONAL, ["bundle-import", "--email", "organiser@national.test", "--file", bundleFile]);
  expect(done.code, done.stderr).toBe(0);
  expect(done.stdout).toContain(`Imported: session ${sessionId}, version 1, signed by ${printed} (Portable Douentza).`);
  await withDomain(NATIONAL, (d) => {
    const provenance = d.field.provenance(sessionId);
    expect(provenance).toHaveLength(1);
    expect(provenance[0]).toMatchObject({ keyFingerprint: printed, keyLabel: "Portable Douentza", sourceInstanceName: "Portable Douentza" });
  });
  expect(count(NATIONAL, "recommendations")).toBe(1);

  const again = await field(NATIONAL, ["bundle-import", "--email", "organiser@national.test", "--file", bundleFile], "fr_FR.UTF-8");
  expect(again.code).toBe(1);
  expect(again.stderr).toContain("Ce paquet a déjà été importé. Rien n'a été ajouté.");
  expect(count(NATIONAL, "recommendations")).toBe(1);
}, 120_000);
