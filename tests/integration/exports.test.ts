/**
 * Session exports and imports on real databases (SQLite files in a temporary directory, the real
 * domain): a commune dialogue is held through the domain (notes by canary-named accounts, a canary
 * roster, recommendations adopted by show of hands, at a small count, and without a vote), finalised,
 * and published; its export is checked against the schema and for what it must never hold; then it is
 * imported into fresh databases (attached by choice, and by the ids a national instance already has),
 * re-imported, and fed bad files, which change nothing.
 *
 * The publications are inserted directly (the session finalised first, as publishing requires),
 * because the summaries module is being written alongside this one: switch `publish` below to the
 * real publish flow once it exists.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { openDatabase } from "../../db/database.server";
import { auditLog, dialogueSessions, levels, programmeMembers, programmes, publications, themes, users } from "../../db/schema";
import type { SignedInActor } from "../../app/models/actor";
import { createDomain, type Domain } from "../../app/models/domain.server";
import { isDomainError, type DomainError } from "../../app/models/errors";
import { EXPORT_FORMAT_VERSION, exportDownload, serialiseExport, type SessionExport } from "../../app/models/export-format";
import { schemaValidator, validateExport } from "../../app/models/exports.server";
import type { ImportError } from "../../app/models/imports.server";
import { newClientId } from "../../app/models/notes";
import { newId } from "../../app/models/tokens.server";

const DIR = fs.mkdtempSync(path.join(os.tmpdir(), "parley-exports-"));
const START = Date.UTC(2026, 2, 10, 9, 0, 0);

type Instance = { domain: Domain; database: ReturnType<typeof openDatabase>; clock: { t: number } };
const instances: Instance[] = [];

function instance(name: string): Instance {
  const file = path.join(DIR, `${name}.sqlite`);
  const database = openDatabase(file);
  const clock = { t: START };
  const domain = createDomain(database.db, { allowSignup: false, invitationTtlDays: 7, now: () => clock.t, databaseFile: file, instanceName: `Parley ${name}` });
  const i = { domain, database, clock };
  instances.push(i);
  return i;
}

afterAll(() => {
  for (const i of instances) i.database.close();
  fs.rmSync(DIR, { recursive: true, force: true });
});

async function account(domain: Domain, email: string, displayName: string | null = null): Promise<SignedInActor> {
  const { userId } = domain.accounts.findOrCreateAccount(email, displayName);
  const { token } = await domain.accounts.createSession(userId);
  return domain.accounts.validateSessionToken(token)!.actor;
}

async function domainError(fn: () => unknown): Promise<DomainError> {
  try {
    await fn();
  } catch (e) {
    if (isDomainError(e)) return e;
    throw e;
  }
  throw new Error("expected a DomainError, but nothing was thrown");
}

/** Every table's row count: what "changes nothing" is checked against. */
function rowCounts(i: Instance): Record<string, number> {
  const tables = i.database.sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%'").all() as { name: string }[];
  return Object.fromEntries(tables.map(({ name }) => [name, (i.database.sqlite.prepare(`SELECT count(*) AS n FROM "${name}"`).get() as { n: number }).n]));
}

/** Canary strings: none may ever appear in an export. */
const CANARY = {
  rosterName: "Zorvath Ketterby",
  rosterShort: "Ketterby",
  rosterOrg: "Quillon Trust Institute",
  rosterAcronym: "QTIX",
  rosterTitle: "Canary Envoy Plenipotentiary",
  rosterCountry: "Ruritania",
  panelist: "Marrowvane Oskelund",
  panelistOrg: "Canary Panel Foundation",
  authorName: "Zephyrine Quillfeather",
  authorEmail: "zephyrine.canary@example.org",
  secondAuthorName: "Balthazar Vintrelle",
  secondAuthorEmail: "balthazar.canary@example.org",
  hiddenNote: "canary hidden note about wells",
  unhighlightedNote: "canary ordinary note about markets",
  draftRecommendation: "canary draft recommendation never put to the room",
};

const MARKDOWN_V1 = "# Concertation communale de Bandiagara\n\n## Contexte\n\nLes habitants ont exposé les menaces.\n\n## Recommandations\n\nUn consensus s'est dégagé sur le fait que l'État doit sécuriser les routes (31 participants sur 34, aucune opposition, à main levée).\n";
const MARKDOWN_V2 = `${MARKDOWN_V1}\nCorrection : une coquille dans le contexte.\n`;

/** Inserts a published version directly (see the file's comment): immutable, numbered. */
function publish(i: Instance, sessionId: string, number: number, visibility: "public" | "programme" | "participants", markdown: string, changeNote = "") {
  i.database.db
    .insert(publications)
    .values({ id: newId(), sessionId, number, language: "fr", visibility, title: "Concertation communale de Bandiagara : synthèse", markdown, changeNote, importedFrom: null, publishedAt: i.clock.t })
    .run();
}

/** The source instance: a programme, a national parent session and a commune dialogue held and finalised. */
async function holdCommune(i: Instance) {
  const { domain } = i;
  const organiser = await account(domain, "organiser@source.example.org", "Organiser");
  const { id: programmeId } = domain.programmes.create(organiser, { name: "Dialogue national inclusif" });
  const { levels: lv } = domain.programmes.taxonomy(programmeId);
  const level = (key: string) => lv.find((l) => l.key === key)!.id;
  const place = (name: string, key: string, parentId = "") => domain.programmes.addLocality(organiser, programmeId, { name, levelId: level(key), parentId }).id;
  const mali = place("Mali", "national");
  const mopti = place("Mopti", "region", mali);
  const cercle = place("Bandiagara", "cercle", mopti);
  const commune = place("Bandiagara", "commune", cercle);
  const security = domain.programmes.addTheme(organiser, programmeId, { labelEn: "Security", labelFr: "Sécurité" }).id;
  const governance = domain.programmes.addTheme(organiser, programmeId, { labelEn: "Governance", labelFr: "Gouvernance" }).id;
  domain.programmes.addTheme(organiser, programmeId, { labelEn: "Health", labelFr: "Santé" }); // never used: not exported
  const government = domain.programmes.addAddressee(organiser, programmeId, { labelEn: "Government of Mali", labelFr: "Gouvernement du Mali" }).id;
  const civil = domain.programmes.addAddressee(organiser, programmeId, { labelEn: "Civil society", labelFr: "Société civile" }).id;

  const base = {
    description: "",
    coHosts: "Mairie de Bandiagara",
    languages: ["fr"],
    startsAt: Date.UTC(2026, 2, 10, 9, 0),
    endsAt: Date.UTC(2026, 2, 10, 13, 0),
    timeZone: "Africa/Bamako",
    attributionMode: "chatham_house",
    noteVisibility: "participants",
    rosterVisibleToRoom: false,
  };
  const { id: nationalId } = domain.sessions.create(organiser, programmeId, { ...base, title: "Phase nationale", kind: "plenary", levelId: level("national"), localityId: mali, parentSessionId: "" });
  const { id: sessionId } = domain.sessions.create(organiser, programmeId, {
    ...base,
    title: "Concertation communale de Bandiagara",
    description: "Les habitants exposent les menaces qu'ils subissent et formulent leurs recommandations.",
    kind: "local_dialogue",
    levelId: level("commune"),
    localityId: commune,
    parentSessionId: nationalId,
  });
  const { id: unpublishedId } = domain.sessions.create(organiser, programmeId, { ...base, title: "Concertation de Ménaka", kind: "local_dialogue", levelId: level("commune"), localityId: "", parentSessionId: nationalId });

  // The people in the room: a canary roster, and participants whose accounts carry canary names.
  domain.roster.add(organiser, sessionId, {
    name: CANARY.rosterName,
    shortForms: CANARY.rosterShort,
    organisation: CANARY.rosterOrg,
    acronyms: CANARY.rosterAcronym,
    title: CANARY.rosterTitle,
    country: CANARY.rosterCountry,
    role: "participant",
    category: "ngo",
  });
  const author = await account(domain, CANARY.authorEmail, CANARY.authorName);
  const second = await account(domain, CANARY.secondAuthorEmail, CANARY.secondAuthorName);
  domain.sessions.putMember(sessionId, author.userId, "participant");
  domain.sessions.putMember(sessionId, second.userId, "participant");
  domain.sessions.putMember(unpublishedId, author.userId, "participant");

  const opening = domain.live.addItem(organiser, sessionId, { title: "Ouverture", plannedMinutes: 10 }).id;
  const threats = domain.live.addItem(organiser, sessionId, { title: "Menaces qui pèsent sur les civils", plannedMinutes: 40, panelists: `${CANARY.panelist} (${CANARY.panelistOrg})` }).id;

  domain.live.openRoom(organiser, sessionId);
  await domain.live.command(organiser, sessionId, opening, { command: "start" });
  const write = async (writer: SignedInActor, itemId: string, text: string, themeIds: string[] = [], kind = "point") =>
    (await domain.notes.submit(writer, sessionId, { clientId: newClientId(), itemId, kind, themeIds, text })).note.id;
  const k1 = await write(author, opening, "les routes vers les marchés ne sont plus sûres depuis la saison des pluies", [security]);
  await write(second, opening, CANARY.unhighlightedNote);
  await domain.live.command(organiser, sessionId, opening, { command: "end" });
  await domain.live.command(organiser, sessionId, threats, { command: "start" });
  const k2 = await write(second, threats, "les services de l'État sont absents de plusieurs villages", [governance, security]);
  const k3 = await write(author, threats, "il faut sécuriser les routes avant la prochaine récolte", [security], "proposal");
  const hidden = await write(author, threats, CANARY.hiddenNote);
  for (const id of [k1, k2, k3, hidden]) domain.notes.curate(organiser, sessionId, id, { action: "highlight" });
  domain.notes.curate(organiser, sessionId, hidden, { action: "hide" });

  i.clock.t += 60_000;
  // A: adopted by show of hands, 34 counted (counts may be shown).
  const recA = domain.recommendations.create(organiser, sessionId, { text: "L'État doit sécuriser les routes vers les marchés", addresseeId: government, themeId: security, horizon: "immediate", itemId: threats, sourceNoteIds: [k3] }).id;
  await domain.recommendations.openVote(organiser, sessionId, recA);
  domain.recommendations.recordHands(organiser, sessionId, recA, { headcount: 34, counts: { agree: 31, abstain: 3, disagree: 0 } });
  domain.recommendations.closeVote(organiser, sessionId, recA);
  domain.recommendations.decide(organiser, sessionId, recA, { status: "adopted" });
  i.clock.t += 60_000;
  // B: six people counted, revised with a reason between two rounds (small-count protection).
  const recB = domain.recommendations.create(organiser, sessionId, { text: "Les services de l'État doivent revenir dans les villages", addresseeId: government, themeId: governance, horizon: "medium", itemId: threats }).id;
  await domain.recommendations.openVote(organiser, sessionId, recB);
  domain.recommendations.recordHands(organiser, sessionId, recB, { headcount: 6, counts: { agree: 5, abstain: 0, disagree: 1 } });
  await domain.recommendations.revise(organiser, sessionId, recB, { text: "Les services de l'État doivent revenir dans tous les villages de la commune", reason: "Préciser la portée" });
  domain.recommendations.recordHands(organiser, sessionId, recB, { headcount: 6, counts: { agree: 6 } });
  domain.recommendations.closeVote(organiser, sessionId, recB);
  domain.recommendations.decide(organiser, sessionId, recB, { status: "adopted" });
  i.clock.t += 60_000;
  // C: the sense of the room, without a vote.
  const recC = domain.recommendations.create(organiser, sessionId, { text: "La société civile doit suivre la mise en œuvre", addresseeId: civil, themeId: "", horizon: "long", itemId: "" }).id;
  domain.recommendations.declare(organiser, sessionId, recC, { level: "broad_support" });
  i.clock.t += 60_000;
  // D: a draft nobody saw.
  domain.recommendations.create(organiser, sessionId, { text: CANARY.draftRecommendation, addresseeId: civil });

  await domain.live.endRoom(organiser, sessionId);
  i.clock.t += 60 * 60 * 1000;
  domain.sessions.setStatus(organiser, sessionId, "finalised", { confirmed: true });
  domain.live.openRoom(organiser, unpublishedId);
  await domain.live.endRoom(organiser, unpublishedId);
  domain.sessions.setStatus(organiser, unpublishedId, "finalised", { confirmed: true });
  i.clock.t += 24 * 60 * 60 * 1000;
  publish(i, sessionId, 1, "public", MARKDOWN_V1);
  i.clock.t += 60 * 60 * 1000;
  publish(i, sessionId, 2, "programme", MARKDOWN_V2, "Une coquille corrigée");

  const staff = await account(domain, "rapporteur@source.example.org", "Regional rapporteur");
  const member = await account(domain, "member@source.example.org", "Programme member");
  domain.programmes.addMember(organiser, programmeId, { email: staff.email!, role: "staff" });
  domain.programmes.addMember(organiser, programmeId, { email: member.email!, role: "member" });
  const stranger = await account(domain, "stranger@elsewhere.example.org", "Stranger");
  return { organiser, staff, member, stranger, author, programmeId, nationalId, sessionId, unpublishedId, recA, recB, recC, keyPoints: [k1, k2, k3], hidden, security };
}

let source: Instance;
let held: Awaited<ReturnType<typeof holdCommune>>;
let doc: SessionExport;

beforeAll(async () => {
  source = instance("source");
  held = await holdCommune(source);
  doc = source.domain.exports.session(held.organiser, held.sessionId, 1);
});

describe("exporting a published session", () => {
  it("validates against the JSON Schema and carries the session's published record", () => {
    expect(schemaValidator()(JSON.parse(serialiseExport(doc)))).toBe(true);
    expect(validateExport(JSON.parse(serialiseExport(doc))).ok).toBe(true);
    expect(doc.format).toBe("parley.session-export");
    expect(doc.formatVersion).toBe(EXPORT_FORMAT_VERSION);
    expect(doc.provenance.instanceName).toBe("Parley source");
    expect(doc.provenance.importedFrom).toBeNull();
    // The instance id is stable from one export to the next.
    expect(source.domain.exports.session(held.organiser, held.sessionId, 2).provenance.instanceId).toBe(doc.provenance.instanceId);

    expect(doc.programme.id).toBe(held.programmeId);
    expect(doc.programme.levels.map((l) => l.key)).toEqual(["commune", "cercle", "region", "diaspora", "national"]);
    expect(doc.context.locality!.name).toBe("Bandiagara");
    expect(doc.context.locality!.ancestors.map((a) => a.name)).toEqual(["Mali", "Mopti", "Bandiagara"]);
    expect(doc.context.parentSession).toEqual({ id: held.nationalId, title: "Phase nationale" });
    // Only the themes and addressees the export refers to.
    expect(doc.context.themes.map((t) => t.labelFr).sort()).toEqual(["Gouvernance", "Sécurité"]);
    expect(doc.context.addressees.map((a) => a.labelEn).sort()).toEqual(["Civil society", "Government of Mali"]);
    expect(doc.session).toMatchObject({ id: held.sessionId, kind: "local_dialogue", status: "finalised", languages: ["fr"], schedule: { timeZone: "Africa/Bamako", startsAt: "2026-03-10T09:00:00.000Z" } });
    expect(doc.agenda.map((a) => [a.title, a.plannedMinutes])).toEqual([
      ["Ouverture", 10],
      ["Menaces qui pèsent sur les civils", 40],
    ]);

    // Key points: highlighted and visible only, and nothing but what they say.
    expect(doc.keyPoints.map((k) => k.id).sort()).toEqual([...held.keyPoints].sort());
    for (const k of doc.keyPoints) expect(Object.keys(k).sort()).toEqual(["id", "itemId", "kind", "text", "themeIds"]);

    // Recommendations the room saw, with their rounds; the draft is not there.
    expect(doc.recommendations.map((r) => r.id)).toEqual([held.recA, held.recB, held.recC]);
    const [a, b, c] = doc.recommendations;
    expect(a.result).toMatchObject({ level: "consensus", declared: false, handsIncluded: true, handsOnly: true, counts: { taken: 34, support: 31, neutral: 3, oppose: 0, eligible: 34 } });
    expect(a.sourceKeyPointIds).toEqual([held.keyPoints[2]]);
    expect(b.revisions).toEqual([
      { round: 1, text: "Les services de l'État doivent revenir dans les villages", reason: "" },
      { round: 2, text: "Les services de l'État doivent revenir dans tous les villages de la commune", reason: "Préciser la portée" },
    ]);
    expect(b.rounds.map((r) => [r.round, r.level])).toEqual([
      [1, "broad_support"],
      [2, "unanimous"],
    ]);
    expect(c.result).toEqual({ round: 1, scale: "agree_abstain_disagree", declared: true, level: "broad_support", handsIncluded: false, handsOnly: false, thresholds: null, counts: null });
    expect(doc.publication).toMatchObject({ number: 1, visibility: "public", markdown: MARKDOWN_V1, language: "fr" });
  });

  it("holds none of the roster, the accounts, the panelists or the authorship", () => {
    const json = serialiseExport(doc);
    for (const canary of Object.values(CANARY)) expect(json, canary).not.toContain(canary);
    for (const u of source.database.db.select({ id: users.id, email: users.email }).from(users).all()) {
      expect(json).not.toContain(u.id);
      if (u.email) expect(json).not.toContain(u.email);
    }
    for (const key of ["authorTag", "authorUserId", "clientId", "createdAt", "updatedAt", "roster", "members", "email", "panelists", "hands", "positions"]) {
      expect(json).not.toContain(`"${key}"`);
    }
  });

  it("gives no counts where fewer than 10 people were counted (small-count protection)", () => {
    const b = doc.recommendations[1];
    expect(b.rounds.every((r) => r.counts === null)).toBe(true);
    expect(b.result).toMatchObject({ level: "unanimous", counts: null, handsOnly: true });
    const json = JSON.stringify(b);
    expect(json).not.toMatch(/"(taken|support|eligible|oppose)"/);
  });

  it("leaves counts out everywhere when the organiser turned numbers off", () => {
    source.database.db.update(dialogueSessions).set({ showNumbers: false }).where(eq(dialogueSessions.id, held.sessionId)).run();
    try {
      const off = source.domain.exports.session(held.organiser, held.sessionId, 1);
      expect(off.session.showNumbers).toBe(false);
      expect(off.recommendations.flatMap((r) => r.rounds).every((r) => r.counts === null)).toBe(true);
      expect(off.recommendations[0].result!.level).toBe("consensus");
    } finally {
      source.database.db.update(dialogueSessions).set({ showNumbers: true }).where(eq(dialogueSessions.id, held.sessionId)).run();
    }
  });

  it("offers a file name and content type for the download", () => {
    const download = exportDownload(doc);
    expect(download.filename).toBe("parley-concertation-communale-de-bandiagara-v1.json");
    expect(download.contentType).toBe("application/json; charset=utf-8");
    expect(JSON.parse(download.body)).toEqual(doc);
  });
});

describe("who may export", () => {
  it("staff export any version and are audited without personal data; readers export what they may read", async () => {
    const before = source.database.db.select().from(auditLog).where(eq(auditLog.action, "summary.exported")).all().length;
    expect(source.domain.exports.session(held.staff, held.sessionId, 2).publication.number).toBe(2);
    const entries = source.database.db.select().from(auditLog).where(eq(auditLog.action, "summary.exported")).all();
    expect(entries.length).toBe(before + 1);
    const last = entries[entries.length - 1];
    expect(last).toMatchObject({ actorUserId: held.staff.userId, sessionId: held.sessionId, details: { number: 2, format: 1 } });
    expect(JSON.stringify(last.details)).not.toMatch(/@|Bandiagara/);

    // A programme member reads (and exports) the programme version; not audited.
    expect(source.domain.exports.session(held.member, held.sessionId, 2).publication.visibility).toBe("programme");
    expect(source.database.db.select().from(auditLog).where(eq(auditLog.action, "summary.exported")).all().length).toBe(before + 1);
    // A participant of the session who is not a programme member still reads their own session's
    // programme version (permissions.ts publicationReadable), and exports it.
    expect(source.domain.exports.session(held.author, held.sessionId, 2).publication.number).toBe(2);
    expect(source.domain.exports.session(held.author, held.sessionId, 1).publication.number).toBe(1);
  });

  it("a signed-out visitor exports the public version but not the programme one", async () => {
    expect(source.domain.exports.session(null, held.sessionId, 1).publication.markdown).toBe(MARKDOWN_V1);
    expect((await domainError(() => source.domain.exports.session(null, held.sessionId, 2))).code).toBe("unauthenticated");
    // The same answer whether or not the session exists: nothing to learn from it.
    expect((await domainError(() => source.domain.exports.session(null, newId(), 2))).code).toBe("unauthenticated");
    expect((await domainError(() => source.domain.exports.session(held.stranger, held.sessionId, 2))).code).toBe("not_found");
  });

  it("a participant cannot export an unpublished session; nor can staff export what was never published", async () => {
    const refused = await domainError(() => source.domain.exports.session(held.author, held.unpublishedId, 1));
    expect(["forbidden", "not_found"]).toContain(refused.code);
    expect((await domainError(() => source.domain.exports.session(held.stranger, held.unpublishedId, 1))).code).toBe("not_found");
    expect((await domainError(() => source.domain.exports.session(held.organiser, held.unpublishedId, 1))).messageKey).toBe("publication_not_found");
    expect((await domainError(() => source.domain.exports.session(held.organiser, held.sessionId, 9))).messageKey).toBe("publication_not_found");
  });
});

describe("importing into another instance", () => {
  it("asks where to attach, then gives the same published content and the same recommendations and levels", async () => {
    const fresh = instance("fresh");
    const organiser = await account(fresh.domain, "organiser@national.example.org", "National organiser");
    const { id: programmeId } = fresh.domain.programmes.create(organiser, { name: "Programme national" });
    const file = serialiseExport(doc);

    const ask = (await domainError(() => fresh.domain.imports.importSession(organiser, file))) as ImportError;
    expect(ask.messageKey).toBe("import_needs_target");
    expect(ask.details.needs).toEqual(["programme", "parentSession"]);
    expect(ask.details.programme).toEqual({ id: held.programmeId, name: "Dialogue national inclusif" });
    expect(ask.details.parentSession).toEqual({ id: held.nationalId, title: "Phase nationale" });
    const still = (await domainError(() => fresh.domain.imports.importSession(organiser, file, { programmeId }))) as ImportError;
    expect(still.details.needs).toEqual(["parentSession"]);

    const report = fresh.domain.imports.importSession(organiser, file, { programmeId, parentSessionId: null });
    expect(report).toMatchObject({ sessionId: held.sessionId, programmeId, publicationNumber: 1, mode: "session", parentSessionId: null, attachedBy: { programme: "target", parentSession: "none" } });
    expect(report.created).toEqual({ agendaItems: 2, keyPoints: 3, recommendations: 3, rounds: 4, links: 0 });
    // Levels by key (the fresh programme has the default levels), the rest created with the file's ids.
    expect(report.mapped.levels.every((m) => m.how === "same_key")).toBe(true);
    expect(report.mapped.localities.map((m) => m.how)).toEqual(["created", "created", "created", "created"]);
    expect(report.mapped.themes.map((m) => m.how)).toEqual(["created", "created"]);

    // The same published content, and the same recommendations and levels, as re-exported there.
    const published = fresh.database.db.select().from(publications).where(eq(publications.sessionId, held.sessionId)).all();
    expect(published.map((p) => [p.number, p.title, p.markdown, p.visibility])).toEqual([[1, doc.publication.title, MARKDOWN_V1, "public"]]);
    expect(JSON.parse(published[0].importedFrom!)).toEqual({ instanceId: doc.provenance.instanceId, instanceName: "Parley source", exportedAt: doc.provenance.exportedAt, formatVersion: 1 });
    const again = fresh.domain.exports.session(organiser, held.sessionId, 1);
    expect(validateExport(again).ok).toBe(true);
    expect(again.publication).toEqual(doc.publication);
    expect(again.session).toEqual(doc.session);
    expect(again.agenda).toEqual(doc.agenda);
    expect(again.keyPoints).toEqual(doc.keyPoints);
    expect(again.recommendations).toEqual(doc.recommendations);
    expect(again.context.themes).toEqual(doc.context.themes);
    expect(again.context.locality!.ancestors.map((a) => a.name)).toEqual(["Mali", "Mopti", "Bandiagara"]);
    expect(again.provenance.importedFrom).toMatchObject({ instanceId: doc.provenance.instanceId, instanceName: "Parley source", exportedAt: doc.provenance.exportedAt });
    expect(again.provenance.instanceId).not.toBe(doc.provenance.instanceId);

    // The recommendations module reads the imported rounds: staff and room alike get the level and
    // the wording, with counts where the source showed them and none where it withheld them.
    const views = fresh.domain.recommendations.list(organiser, held.sessionId, "staff").recommendations;
    expect(views.map((v) => v.vote?.result?.level)).toEqual(["consensus", "unanimous", "broad_support"]);
    expect(views[0].vote!.result!.wording.fr).toContain("31 participants sur 34");
    expect(views[1].vote!.result!.counts).toBeNull();
    expect(views[1].vote!.result!.wording.en).not.toMatch(/\d/);
    expect(views[1].vote!.result!.wording.en).toContain("by show of hands");
    expect(views[1].earlier.map((e) => e.result?.level)).toEqual(["broad_support"]);
    const audit = fresh.database.db.select().from(auditLog).where(eq(auditLog.action, "summary.imported")).all();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorUserId: organiser.userId, programmeId, sessionId: held.sessionId, details: { number: 1, mode: "session", themesCreated: 2 } });

    // Re-importing the same file does not duplicate: refused, nothing changed.
    const before = rowCounts(fresh);
    const dup = await domainError(() => fresh.domain.imports.importSession(organiser, file, { programmeId, parentSessionId: null }));
    expect(dup.messageKey).toBe("import_duplicate");
    expect(rowCounts(fresh)).toEqual(before);

    // A later version of the same session from the same instance adds that version only.
    const v2 = source.domain.exports.session(held.organiser, held.sessionId, 2);
    const added = fresh.domain.imports.importSession(organiser, serialiseExport(v2));
    expect(added).toMatchObject({ mode: "publication", publicationNumber: 2, created: { recommendations: 0 } });
    const after = rowCounts(fresh);
    expect(after.publications).toBe(before.publications + 1);
    expect(after.recommendations).toBe(before.recommendations);
    expect(after.notes).toBe(before.notes);
  });

  it("attaches to the programme and parent session a national instance already has, by their ids", async () => {
    const national = instance("national");
    const organiser = await account(national.domain, "organiser@dni.example.org", "DNI organiser");
    // The national instance that issued the programme: same programme, levels, themes and parent ids.
    const db = national.database.db;
    db.insert(programmes).values({ id: doc.programme.id, name: doc.programme.name, createdAt: START }).run();
    db.insert(programmeMembers).values({ id: newId(), programmeId: doc.programme.id, userId: organiser.userId, role: "organiser", createdAt: START }).run();
    for (const l of doc.programme.levels) db.insert(levels).values({ id: l.id, programmeId: doc.programme.id, key: l.key, labelEn: l.labelEn, labelFr: l.labelFr, rank: l.rank }).run();
    db.insert(themes).values({ id: held.security, programmeId: doc.programme.id, labelEn: "Security", labelFr: "Sécurité" }).run();
    db.insert(themes).values({ id: newId(), programmeId: doc.programme.id, labelEn: "Governance", labelFr: "Gouvernance" }).run();
    const nationalLevel = doc.programme.levels.find((l) => l.key === "national")!.id;
    db.insert(dialogueSessions)
      .values({ id: held.nationalId, programmeId: doc.programme.id, levelId: nationalLevel, title: "Phase nationale", kind: "plenary", languages: ["fr"], timeZone: "Africa/Bamako", attributionMode: "chatham_house", noteVisibility: "staff", status: "scheduled", createdAt: START })
      .run();

    // A programme staff member may not import; the organiser may, with no question asked.
    const staff = await account(national.domain, "staff@dni.example.org", "DNI staff");
    db.insert(programmeMembers).values({ id: newId(), programmeId: doc.programme.id, userId: staff.userId, role: "staff", createdAt: START }).run();
    const before = rowCounts(national);
    expect((await domainError(() => national.domain.imports.importSession(staff, serialiseExport(doc)))).code).toBe("forbidden");
    const stranger = await account(national.domain, "stranger@dni.example.org");
    expect((await domainError(() => national.domain.imports.importSession(stranger, serialiseExport(doc)))).code).toBe("not_found");
    expect(rowCounts(national)).toEqual({ ...before, users: before.users + 1, auth_sessions: before.auth_sessions + 1 });

    const report = national.domain.imports.importSession(organiser, Buffer.from(serialiseExport(doc)));
    expect(report.attachedBy).toEqual({ programme: "same_id", parentSession: "same_id" });
    expect(report.parentSessionId).toBe(held.nationalId);
    expect(report.mapped.levels.every((m) => m.how === "same_id")).toBe(true);
    const theme = (id: string) => report.mapped.themes.find((m) => m.exportedId === id)!;
    expect(theme(held.security).how).toBe("same_id");
    expect(report.mapped.themes.filter((m) => m.how === "same_label")).toHaveLength(1);
    const session = db.select().from(dialogueSessions).where(eq(dialogueSessions.id, held.sessionId)).get()!;
    expect(session).toMatchObject({ programmeId: doc.programme.id, parentSessionId: held.nationalId, status: "finalised", joinCode: null });
  });
});

describe("bad files change nothing", () => {
  let target: Instance;
  let organiser: SignedInActor;
  let programmeId: string;
  beforeAll(async () => {
    target = instance("bad-files");
    organiser = await account(target.domain, "organiser@bad.example.org");
    programmeId = target.domain.programmes.create(organiser, { name: "Target" }).id;
  });

  const refuse = async (file: unknown) => {
    const before = rowCounts(target);
    const e = (await domainError(() => target.domain.imports.importSession(organiser, file, { programmeId, parentSessionId: null }))) as ImportError;
    expect(rowCounts(target)).toEqual(before);
    return e;
  };

  it("refuses a file that is not JSON", async () => {
    const e = await refuse("# Concertation\n\nThis is the Markdown export, not the JSON one.");
    expect(e.messageKey).toBe("import_not_json");
    expect(e.code).toBe("invalid");
    expect((await refuse(Buffer.from([0xff, 0xfe, 0x00, 0x7b]))).messageKey).toBe("import_not_json");
  });

  it("refuses a file that fails the schema, saying where", async () => {
    const broken = JSON.parse(serialiseExport(doc));
    delete broken.session.title;
    broken.recommendations[0].result.counts = { ...broken.recommendations[0].result.counts, taken: 6 };
    broken.keyPoints[0].authorTag = "abc";
    const e = await refuse(JSON.stringify(broken));
    expect(e.messageKey).toBe("import_invalid");
    const paths = e.details.problems!.map((p) => p.path);
    expect(paths).toContain("/session/title");
    expect(paths).toContain("/keyPoints/0/authorTag");
    expect(paths).toContain("/recommendations/0/result/counts/taken");
    expect(e.fields!["/session/title"]).toEqual(["is missing"]);
    expect(e.details.problems!.length).toBeLessThanOrEqual(5);

    // Consistency beyond the schema: a key point on an agenda item the file does not have.
    const dangling = JSON.parse(serialiseExport(doc));
    dangling.keyPoints[0].itemId = newId();
    const d = await refuse(dangling);
    expect(d.details.problems).toEqual([{ path: "/keyPoints/0/itemId", message: "does not name an agenda item of /agenda" }]);
  });

  it("refuses a file from a newer format version, saying which", async () => {
    const newer = { ...JSON.parse(serialiseExport(doc)), formatVersion: 2, somethingNew: true };
    const e = await refuse(JSON.stringify(newer));
    expect(e.messageKey).toBe("import_newer_format");
    expect(e.details.message).toBe("This file was made by a newer version of Parley (format 2); this instance reads up to format 1.");
  });

  it("changes nothing when the transaction fails halfway (an id already used elsewhere)", async () => {
    // A note id of the file already belongs to another session here: the import fails after the
    // taxonomy and the session were written, and all of it is rolled back.
    const clash = JSON.parse(serialiseExport(doc));
    const other = target.domain.sessions.create(organiser, programmeId, {
      title: "Other",
      description: "",
      coHosts: "",
      kind: "roundtable",
      levelId: target.domain.programmes.taxonomy(programmeId).levels[0].id,
      localityId: "",
      parentSessionId: "",
      languages: ["en"],
      timeZone: "UTC",
      attributionMode: "chatham_house",
      noteVisibility: "staff",
    }).id;
    target.domain.live.addItem(organiser, other, { title: "Item", plannedMinutes: 5 });
    const item = target.domain.live.listItems(organiser, other).items[0].id;
    clash.agenda[0].id = item;
    clash.keyPoints = clash.keyPoints.map((k: { itemId: string }) => (k.itemId === doc.agenda[0].id ? { ...k, itemId: item } : k));
    const e = await refuse(clash);
    expect(e.messageKey).toBe("import_conflict");
  });
});

describe("links in exports (issue Linking)", () => {
  it("a national session's export carries what it drew on, and an instance that holds the commune rebuilds the links", async () => {
    const src = instance("links-source");
    const c = await holdCommune(src);
    const { organiser, nationalId } = c;
    // The national session merges two of the commune's adopted recommendations, adopts the result and publishes.
    const { id: national } = src.domain.linking.merge(organiser, nationalId, { sourceIds: [c.recA, c.recB], text: "L'État doit sécuriser les routes et revenir dans les villages." });
    src.domain.recommendations.declare(organiser, nationalId, national, { level: "consensus" });
    src.domain.recommendations.decide(organiser, nationalId, national, { status: "adopted" });
    src.domain.live.openRoom(organiser, nationalId);
    await src.domain.live.endRoom(organiser, nationalId);
    src.domain.sessions.setStatus(organiser, nationalId, "finalised", { confirmed: true });
    publish(src, nationalId, 1, "public", "# Phase nationale\n");
    publish(src, nationalId, 2, "public", "# Phase nationale\n\nCorrigé.\n", "Correction");
    const v1 = src.domain.exports.session(organiser, nationalId, 1);
    expect(schemaValidator()(JSON.parse(serialiseExport(v1)))).toBe(true);
    const exported = v1.recommendations.find((r) => r.id === national)!;
    expect(exported.drawsOn!.map((l) => [l.recommendationId, l.sessionId, l.relation]).sort()).toEqual([
      [c.recA, c.sessionId, "merged"],
      [c.recB, c.sessionId, "merged"],
    ].sort());
    // A commune's export draws on nothing: the field is left out.
    expect(src.domain.exports.session(organiser, c.sessionId, 1).recommendations.every((r) => r.drawsOn === undefined)).toBe(true);

    // Another instance: the national session first (its commune is not there yet: links skipped and
    // counted), then the commune (it attaches under the national session by id), then the national
    // session's next version, whose links can now be stored.
    const mirror = instance("links-mirror");
    const them = await account(mirror.domain, "organiser@mirror.example.org", "Mirror organiser");
    const { id: programmeId } = mirror.domain.programmes.create(them, { name: "Miroir" });
    const first = mirror.domain.imports.importSession(them, serialiseExport(v1), { programmeId, parentSessionId: null });
    expect(first.created.links).toBe(0);
    expect(first.skipped.links).toBe(2);
    const commune = mirror.domain.imports.importSession(them, serialiseExport(src.domain.exports.session(organiser, c.sessionId, 1)), { programmeId });
    expect(commune.attachedBy.parentSession).toBe("same_id");
    const second = mirror.domain.imports.importSession(them, serialiseExport(src.domain.exports.session(organiser, nationalId, 2)), { programmeId });
    expect(second.mode).toBe("publication");
    expect(second.created.links).toBe(2);
    const trace = mirror.domain.linking.trace(them, national, "down");
    expect(trace.links.map((l) => [l.node!.id, l.relation]).sort()).toEqual([
      [c.recA, "merged"],
      [c.recB, "merged"],
    ].sort());
  });
});
