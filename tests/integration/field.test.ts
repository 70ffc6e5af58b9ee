/**
 * Field instances end to end, on two real servers with their own databases: a national instance and
 * a field laptop started with FIELD_MODE on plain http. The national organiser downloads a signed kit
 * for a commune session; the laptop refuses it altered (and signed by another key once the national
 * key is pinned) and imports it as it is, with the same ids; the session is held on the laptop (a
 * guest joins by code, notes over socket.io, a recommendation adopted by show of hands), finalised
 * and its summary published; the laptop's bundle is refused by the national instance while its key is
 * not registered, tampered, of a newer format (the envelope's or the export's), or signed by a key of
 * no laptop; once the fingerprint read out is registered, it is imported into the planned session
 * with its provenance, only once; after revocation the laptop's next version is refused. Every
 * refusal changes nothing in the database.
 */
import { eq } from "drizzle-orm";
import { agendaItems, auditLog, dialogueSessions, fieldPins, instance, levels, localities, recommendations, sessionImports } from "../../db/schema";
import type { SignedInActor } from "../../app/models/actor";
import { BUNDLE_FORMAT, formatFingerprint, KIT_FORMAT, serialiseSigned, type FieldKit } from "../../app/models/field";
import { generateSigningKeyPair, signEnvelope } from "../../app/models/field-crypto.server";
import { newClientId } from "../../app/models/notes";
import { connected, startTestServer, type TestClient, type TestServer } from "../support/server";

const PASSWORD = "correct horse battery";
let national: TestServer;
let laptop: TestServer;
let nationalOrganiser: SignedInActor;
let programmeId = "";
let parentId = "";
let sessionId = "";
let communeId = "";
let nationalClient: TestClient;
let laptopClient: TestClient;
let kitText = "";
let bundleText = "";
let laptopFingerprint = "";

/** Every table's row count: what "changes nothing" is checked against. */
function rowCounts(server: TestServer): Record<string, number> {
  const tables = server.database.sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%'").all() as { name: string }[];
  return Object.fromEntries(tables.map(({ name }) => [name, (server.database.sqlite.prepare(`SELECT count(*) AS n FROM "${name}"`).get() as { n: number }).n]));
}

/** Posts a file as a browser's multipart form would (same origin, the client's cookies). */
async function upload(client: TestClient, pathname: string, fields: Record<string, string>, file: string, filename = "file.json") {
  const body = new FormData();
  for (const [k, v] of Object.entries(fields)) body.append(k, v);
  body.append("file", new Blob([file], { type: "application/json" }), filename);
  return fetch(client.baseUrl + pathname, { method: "POST", redirect: "manual", body, headers: { cookie: client.cookieHeader, origin: client.baseUrl } });
}

/** A refused upload: its status and page text, and no change to the database. */
async function refusedUpload(server: TestServer, client: TestClient, pathname: string, fields: Record<string, string>, file: string, status: number, message: string) {
  const before = rowCounts(server);
  const res = await upload(client, pathname, fields, file);
  const text = await res.text();
  expect(res.status, text.slice(0, 300)).toBe(status);
  expect(text).toContain(message);
  expect(rowCounts(server)).toEqual(before);
}

beforeAll(async () => {
  national = await startTestServer({ PARLEY_INSTANCE_NAME: "Parley national" });
  laptop = await startTestServer({ FIELD_MODE: "1", PARLEY_INSTANCE_NAME: "Portable Bandiagara" });

  const organiserId = await national.createAccount("organiser@national.test", PASSWORD, "Organisatrice");
  nationalOrganiser = national.actorFor(organiserId);
  const d = national.domain;
  programmeId = d.programmes.create(nationalOrganiser, { name: "Dialogue national inclusif" }).id;
  const lv = d.programmes.taxonomy(programmeId).levels;
  const level = (key: string) => lv.find((l) => l.key === key)!.id;
  const place = (name: string, key: string, parent = "") => d.programmes.addLocality(nationalOrganiser, programmeId, { name, levelId: level(key), parentId: parent }).id;
  const mali = place("Mali", "national");
  const mopti = place("Mopti", "region", mali);
  const cercle = place("Bandiagara", "cercle", mopti);
  communeId = place("Bandiagara", "commune", cercle);
  place("Ménaka", "region", mali);
  d.programmes.addTheme(nationalOrganiser, programmeId, { labelEn: "Security", labelFr: "Sécurité" });
  d.programmes.addAddressee(nationalOrganiser, programmeId, { labelEn: "Government of Mali", labelFr: "Gouvernement du Mali" });
  const base = { description: "", coHosts: "Mairie de Bandiagara", languages: ["fr"], timeZone: "Africa/Bamako", attributionMode: "chatham_house", noteVisibility: "participants", rosterVisibleToRoom: false };
  parentId = d.sessions.create(nationalOrganiser, programmeId, { ...base, title: "Phase nationale", kind: "plenary", levelId: level("national"), localityId: mali, parentSessionId: "" }).id;
  sessionId = d.sessions.create(nationalOrganiser, programmeId, { ...base, title: "Concertation communale de Bandiagara", kind: "local_dialogue", levelId: level("commune"), localityId: communeId, parentSessionId: parentId }).id;
  d.live.addItem(nationalOrganiser, sessionId, { title: "Ouverture", plannedMinutes: 10 });
  d.live.addItem(nationalOrganiser, sessionId, { title: "Sécurité des routes", plannedMinutes: 40 });
  // A roster entry on the national instance: personal data that never goes into a kit.
  d.roster.add(nationalOrganiser, sessionId, { name: "Zorvath Ketterby", organisation: "Quillon Trust", role: "participant", category: "ngo" });

  nationalClient = national.client();
  await nationalClient.signIn("organiser@national.test", PASSWORD);
  await laptop.createAccount("rapporteur@field.test", PASSWORD, "Rapporteur");
  laptopClient = laptop.client();
  await laptopClient.signIn("rapporteur@field.test", PASSWORD);
}, 60_000);

afterAll(async () => {
  await laptop?.stop();
  await national?.stop();
});

describe("the home page", () => {
  it("offers the laptop's page on a laptop in field mode, and not on the national instance", async () => {
    expect(await (await laptopClient.get("/")).text()).toContain('href="/field"');
    expect(await (await nationalClient.get("/")).text()).not.toContain('href="/field"');
  });
});

describe("field kit", () => {
  it("is downloaded signed from the programme's field page, with the context and no personal data", async () => {
    const page = await nationalClient.get(`/programmes/${programmeId}/field`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Concertation communale de Bandiagara");
    const res = await nationalClient.post(`/programmes/${programmeId}/field-kit`, { sessionId });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="parley-field-kit-concertation-communale-de-bandiagara.json"');
    kitText = await res.text();
    const kit = JSON.parse(kitText) as FieldKit;
    expect(kit.format).toBe(KIT_FORMAT);
    expect(kit.payload.programme.id).toBe(programmeId);
    expect(kit.payload.programme.localities.map((l) => l.name)).toEqual(["Mali", "Ménaka", "Mopti", "Bandiagara", "Bandiagara"]);
    expect(kit.payload.parentSession?.id).toBe(parentId);
    expect(kit.payload.session).toMatchObject({ id: sessionId, localityId: communeId, parentSessionId: parentId });
    expect(kit.payload.session.agenda.map((a) => a.title)).toEqual(["Ouverture", "Sécurité des routes"]);
    expect(kitText).not.toContain("Ketterby");
    expect(kitText).not.toContain("Quillon");
    expect(kitText).not.toContain("organiser@national.test");
    // The national key is made once and kept; the export is audited.
    const stored = national.database.db.select().from(instance).get()!;
    expect(kit.publicKey).toBe(stored.signingPublicKey);
    expect(national.database.db.select().from(auditLog).where(eq(auditLog.action, "field.kit_exported")).all()).toHaveLength(1);
  });

  it("altered after signing, is refused on the laptop with a clear message and no change", async () => {
    const kit = JSON.parse(kitText) as FieldKit;
    kit.payload.session.title = "Concertation communale de Bandiagara (modifiée)";
    await refusedUpload(laptop, laptopClient, "/field", {}, JSON.stringify(kit), 400, "this file was changed after it was signed");
    const kit2 = JSON.parse(kitText) as FieldKit;
    kit2.formatVersion = 2;
    await refusedUpload(laptop, laptopClient, "/field", {}, JSON.stringify(kit2), 400, "newer version of Parley");
    await refusedUpload(laptop, laptopClient, "/field", {}, "{ not json", 400, "This file is not JSON");
  });

  it("is imported on the laptop: the same ids, the session ready to run, the national key pinned, the laptop's key made", async () => {
    // A text editor's re-indentation does not break the signature (canonical JSON).
    const res = await upload(laptopClient, "/field", {}, JSON.stringify(JSON.parse(kitText)));
    const html = await res.text();
    expect(res.status, html.slice(0, 300)).toBe(200);
    expect(html).toContain("is ready to run");
    const db = laptop.database.db;
    const session = db.select().from(dialogueSessions).where(eq(dialogueSessions.id, sessionId)).get()!;
    expect(session).toMatchObject({ programmeId, localityId: communeId, parentSessionId: parentId, status: "scheduled", title: "Concertation communale de Bandiagara" });
    expect(db.select().from(dialogueSessions).where(eq(dialogueSessions.id, parentId)).get()?.title).toBe("Phase nationale");
    expect(db.select().from(localities).where(eq(localities.programmeId, programmeId)).all().map((l) => l.id).sort()).toEqual(
      national.database.db.select().from(localities).where(eq(localities.programmeId, programmeId)).all().map((l) => l.id).sort(),
    );
    expect(db.select().from(levels).where(eq(levels.programmeId, programmeId)).all()).toHaveLength(5);
    expect(db.select().from(agendaItems).where(eq(agendaItems.sessionId, sessionId)).all().map((a) => a.id).sort()).toEqual(
      national.database.db.select().from(agendaItems).where(eq(agendaItems.sessionId, sessionId)).all().map((a) => a.id).sort(),
    );
    expect(db.select().from(fieldPins).get()?.publicKey).toBe(JSON.parse(kitText).publicKey);
    const page = await (await laptopClient.get("/field")).text();
    laptopFingerprint = /data-testid="laptop-fingerprint">([0-9A-F-]+)</.exec(page)![1];
    expect(laptopFingerprint).toMatch(/^[0-9A-F]{4}(-[0-9A-F]{4}){5}$/);
    expect(laptopFingerprint).toBe(laptop.domain.field.fingerprint()!.display);
    expect(db.select().from(auditLog).where(eq(auditLog.action, "field.kit_imported")).all()).toHaveLength(1);
  });

  it("is imported once, and a kit for the pinned programme signed by another key is refused", async () => {
    await refusedUpload(laptop, laptopClient, "/field", {}, kitText, 409, "already on this laptop");
    const forged = JSON.parse(kitText) as FieldKit;
    forged.payload.kitId = "0b7f6a57-2f0e-4d54-9e0b-3d5c1c3b9a11";
    forged.payload.session.id = "7c0b9c1e-6a3d-4b0e-8f4e-2a1d3c5b7e90";
    forged.payload.session.agenda = [];
    const { signature: _s, ...rest } = forged;
    const resigned = signEnvelope(KIT_FORMAT, rest.payload, generateSigningKeyPair(), new Date());
    await refusedUpload(laptop, laptopClient, "/field", {}, serialiseSigned(resigned), 403, "not signed by the national key this laptop already trusts");
  });
});

describe("a session held on the laptop in field mode", () => {
  it("runs over plain http: cookies without Secure, synchronous=FULL, a guest joins by code and writes notes", async () => {
    expect(laptop.database.sqlite.pragma("synchronous", { simple: true })).toBe(2);
    const signIn = await laptop.client().post("/sign-in", { email: "rapporteur@field.test", password: PASSWORD, returnTo: "/" });
    const cookies = signIn.headers.getSetCookie();
    expect(cookies.length).toBeGreaterThan(0);
    for (const c of cookies) expect(c).not.toMatch(/;\s*secure/i);

    const d = laptop.domain;
    const rapporteur = laptop.actorFor(d.accounts.findByEmail("rapporteur@field.test")!);
    const [opening, roads] = d.live.listItems(rapporteur, sessionId).items.map((i) => i.id);
    const extra = d.live.addItem(rapporteur, sessionId, { title: "Questions diverses", plannedMinutes: 15 }).id;
    d.live.openRoom(rapporteur, sessionId);
    await d.live.command(rapporteur, sessionId, opening, { command: "start" });
    await d.live.command(rapporteur, sessionId, roads, { command: "start" });
    const code = d.sessions.rotateJoinCode(rapporteur, sessionId);

    const guest = laptop.client();
    const joined = await guest.post("/join", { code, displayName: "Aïssata" });
    expect(joined.status).toBe(302);
    const socket = guest.socket();
    await connected(socket);
    expect((await socket.emitWithAck("session:enter", { sessionId })).ok).toBe(true);
    const texts = ["Les routes vers le marché ne sont plus sûres depuis la saison des pluies.", "Il faut des patrouilles avant la récolte."];
    const noteIds: string[] = [];
    for (const text of texts) {
      const ack = await socket.emitWithAck("notes:submit", { sessionId, clientId: newClientId(), itemId: roads, kind: "proposal", themeIds: [], text });
      expect(ack.ok).toBe(true);
      if (ack.ok) noteIds.push(ack.data.note.id);
    }
    socket.disconnect();
    for (const id of noteIds) d.notes.curate(rapporteur, sessionId, id, { action: "highlight" });
    await d.live.command(rapporteur, sessionId, extra, { command: "start" });

    const addressee = d.programmes.taxonomy(programmeId).addressees[0].id;
    const rec = d.recommendations.create(rapporteur, sessionId, { text: "L'État doit sécuriser la route du marché avant la récolte", addresseeId: addressee, horizon: "immediate", itemId: roads, sourceNoteIds: [noteIds[1]] }).id;
    await d.recommendations.openVote(rapporteur, sessionId, rec);
    d.recommendations.recordHands(rapporteur, sessionId, rec, { headcount: 40, counts: { agree: 36, abstain: 4 } });
    d.recommendations.closeVote(rapporteur, sessionId, rec);
    d.recommendations.decide(rapporteur, sessionId, rec, { status: "adopted" });
    await d.live.endRoom(rapporteur, sessionId);
    d.sessions.setStatus(rapporteur, sessionId, "finalised", { confirmed: true });
    const { version } = d.summaries.generate(rapporteur, sessionId, { language: "fr" });
    d.summaries.approve(rapporteur, sessionId, { version });
    expect(await d.summaries.publish(rapporteur, sessionId, {})).toEqual({ number: 1 });
  });

  it("exports the signed bundle from the laptop page", async () => {
    const page = await (await laptopClient.get("/field")).text();
    expect(page).toContain("Download the signed bundle");
    const res = await laptopClient.post(`/field-bundle/${sessionId}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toContain("parley-field-bundle-concertation-communale-de-bandiagara-v1.json");
    bundleText = await res.text();
    const bundle = JSON.parse(bundleText);
    expect(bundle.format).toBe(BUNDLE_FORMAT);
    expect(formatFingerprint(bundle.keyFingerprint)).toBe(laptopFingerprint);
    expect(bundle.payload.session.id).toBe(sessionId);
    expect(bundle.payload.provenance.instanceName).toBe("Portable Bandiagara");
    expect(laptop.database.db.select().from(auditLog).where(eq(auditLog.action, "field.bundle_exported")).all()).toHaveLength(1);
  });
});

describe("signed bundle on the national instance", () => {
  const page = () => `/programmes/${programmeId}/field`;

  it("is refused while the laptop's key is not registered, tampered, of a newer format, or signed by a key of no laptop", async () => {
    await refusedUpload(national, nationalClient, page(), { intent: "bundle" }, bundleText, 403, "not registered for this programme");

    // Registration, as read out over the phone: lower case, spaces between groups.
    const res = await nationalClient.post(page(), { intent: "register", fingerprint: laptopFingerprint.toLowerCase().replace(/-/g, " "), label: "Portable Mopti 2" });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(`Key ${laptopFingerprint} registered.`);
    const bad = await nationalClient.post(page(), { intent: "register", fingerprint: "not a fingerprint", label: "x" });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("This is not a fingerprint");

    const tampered = JSON.parse(bundleText);
    tampered.payload.recommendations[0].text = "L'État doit fermer la route du marché";
    tampered.payload.recommendations[0].revisions[0].text = "L'État doit fermer la route du marché";
    await refusedUpload(national, nationalClient, page(), { intent: "bundle" }, JSON.stringify(tampered), 400, "this file was changed after it was signed");

    const newer = JSON.parse(bundleText);
    newer.formatVersion = 2;
    await refusedUpload(national, nationalClient, page(), { intent: "bundle" }, JSON.stringify(newer), 400, "newer version of Parley");

    // The export inside from a newer Parley, signed by the registered laptop itself.
    const keys = laptop.database.db.select().from(instance).get()!;
    const inner = JSON.parse(bundleText).payload;
    inner.formatVersion = 2;
    const newerInside = signEnvelope(BUNDLE_FORMAT, inner, { publicKey: keys.signingPublicKey!, privateKey: keys.signingPrivateKey! }, new Date());
    await refusedUpload(national, nationalClient, page(), { intent: "bundle" }, serialiseSigned(newerInside), 400, "newer version of Parley");

    const stranger = signEnvelope(BUNDLE_FORMAT, JSON.parse(bundleText).payload, generateSigningKeyPair(), new Date());
    await refusedUpload(national, nationalClient, page(), { intent: "bundle" }, serialiseSigned(stranger), 403, "not registered for this programme");
    await refusedUpload(national, nationalClient, page(), { intent: "bundle" }, kitText, 400, "This file is not a field bundle");
  });

  it("is imported into the planned session with its provenance, as if held here", async () => {
    const res = await upload(nationalClient, page(), { intent: "bundle" }, bundleText);
    const html = await res.text();
    expect(res.status, html.slice(0, 300)).toBe(200);
    expect(html).toContain("signed by the laptop key");
    const db = national.database.db;
    const session = db.select().from(dialogueSessions).where(eq(dialogueSessions.id, sessionId)).get()!;
    expect(session).toMatchObject({ programmeId, parentSessionId: parentId, localityId: communeId, status: "published" });
    expect(db.select().from(agendaItems).where(eq(agendaItems.sessionId, sessionId)).all().map((a) => a.title).sort()).toEqual(["Ouverture", "Questions diverses", "Sécurité des routes"].sort());
    const recs = db.select().from(recommendations).where(eq(recommendations.sessionId, sessionId)).all();
    expect(recs.map((r) => [r.text, r.status])).toEqual([["L'État doit sécuriser la route du marché avant la récolte", "adopted"]]);
    expect(recs[0].id).toBe(laptop.database.db.select().from(recommendations).where(eq(recommendations.sessionId, sessionId)).get()!.id);
    const imported = db.select().from(sessionImports).where(eq(sessionImports.sessionId, sessionId)).all();
    expect(imported).toHaveLength(1);
    expect(formatFingerprint(imported[0].keyFingerprint!)).toBe(laptopFingerprint);
    expect(imported[0].signedAt).toBe(Date.parse(JSON.parse(bundleText).signedAt));
    expect(imported[0].sourceInstanceName).toBe("Portable Bandiagara");
    expect(db.select().from(auditLog).where(eq(auditLog.action, "field.bundle_imported")).all()).toHaveLength(1);

    // Provenance on the session page (with its recommendations) and on the published summary.
    const sessionPage = await (await nationalClient.get(`/sessions/${sessionId}`)).text();
    expect(sessionPage).toContain("Brought back from a field laptop");
    expect(sessionPage).toContain(laptopFingerprint);
    expect(sessionPage).toContain("Portable Mopti 2");
    expect(sessionPage).toContain("L&#x27;État doit sécuriser la route du marché avant la récolte");
    const summary = await (await nationalClient.get(`/summaries/${sessionId}`)).text();
    expect(summary).toContain(`From a field laptop, key ${laptopFingerprint}`);
    expect(national.domain.field.recommendationProvenance([recs[0].id]).get(recs[0].id)?.keyFingerprint).toBe(laptopFingerprint);

    // It joins linking and coverage as if held here: in the national session's consolidation workspace
    // (with its provenance), in the programme's coverage as a demand not yet addressed, then merged.
    const workspace = await (await nationalClient.get(`/sessions/${parentId}/consolidate`)).text();
    expect(workspace).toContain("L&#x27;État doit sécuriser la route du marché avant la récolte");
    expect(workspace).toContain(`From a field laptop, key ${laptopFingerprint}`);
    const coverage = () => national.domain.linking.coverageItems(nationalOrganiser, programmeId).items.find((i) => i.id === recs[0].id);
    expect(coverage()?.outcome).toBe("unaddressed");
    const merged = national.domain.linking.merge(nationalOrganiser, parentId, { sourceIds: [recs[0].id], text: "Sécuriser les routes des marchés." });
    expect(coverage()?.outcome).toBe("merged");
    expect(national.domain.linking.trace(nationalOrganiser, recs[0].id, "up").links[0].node?.id).toBe(merged.id);
  });

  it("is imported only once", async () => {
    await refusedUpload(national, nationalClient, page(), { intent: "bundle" }, bundleText, 409, "This bundle was already imported");
  });

  it("from a revoked key, is refused", async () => {
    const keyId = national.domain.field.listKeys(nationalOrganiser, programmeId)[0].id;
    const unconfirmed = await nationalClient.post(page(), { intent: "revoke", keyId });
    expect(unconfirmed.status).toBe(400);
    const res = await nationalClient.post(page(), { intent: "revoke", keyId, confirm: "on" });
    expect(res.status).toBe(200);
    expect(national.database.db.select().from(auditLog).where(eq(auditLog.action, "field.key_revoked")).all()).toHaveLength(1);

    // The laptop publishes a correction and brings it back: refused, the first version stays.
    const d = laptop.domain;
    const rapporteur = laptop.actorFor(d.accounts.findByEmail("rapporteur@field.test")!);
    const { version } = d.summaries.generate(rapporteur, sessionId, { language: "fr", version: d.summaries.workspace(rapporteur, sessionId).summary!.version });
    d.summaries.approve(rapporteur, sessionId, { version });
    await d.summaries.publish(rapporteur, sessionId, { changeNote: "Une coquille corrigée" });
    const second = await (await laptopClient.post(`/field-bundle/${sessionId}`)).text();
    expect(JSON.parse(second).payload.publication.number).toBe(2);
    await refusedUpload(national, nationalClient, page(), { intent: "bundle" }, second, 403, "was revoked");
  });
});

describe("who may use the field pages", () => {
  it("refuses staff, members, strangers, guests and the signed out, as the role table says", async () => {
    const d = national.domain;
    await national.createAccount("staff@national.test", PASSWORD);
    await national.createAccount("member@national.test", PASSWORD);
    await national.createAccount("stranger@national.test", PASSWORD);
    d.programmes.addMember(nationalOrganiser, programmeId, { email: "staff@national.test", role: "staff" });
    d.programmes.addMember(nationalOrganiser, programmeId, { email: "member@national.test", role: "member" });
    const planned = d.sessions.create(nationalOrganiser, programmeId, {
      title: "Concertation de Ménaka",
      kind: "local_dialogue",
      levelId: d.programmes.taxonomy(programmeId).levels[0].id,
      languages: ["fr"],
      timeZone: "Africa/Bamako",
      attributionMode: "chatham_house",
      noteVisibility: "participants",
    }).id;
    const before = rowCounts(national);
    const expectations: [string, number][] = [
      ["staff@national.test", 403],
      ["member@national.test", 403],
      ["stranger@national.test", 404],
    ];
    for (const [email, status] of expectations) {
      const c = national.client();
      await c.signIn(email, PASSWORD);
      expect((await c.get(`/programmes/${programmeId}/field`)).status, email).toBe(status);
      expect((await c.post(`/programmes/${programmeId}/field-kit`, { sessionId: planned })).status, email).toBe(status);
      expect((await c.post(`/programmes/${programmeId}/field`, { intent: "register", fingerprint: "3F9A-1C22-7B0E-44D1-A9C3-05FE", label: "x" })).status, email).toBe(status);
      expect((await upload(c, `/programmes/${programmeId}/field`, { intent: "bundle" }, bundleText)).status, email).toBe(status);
    }
    const out = national.client();
    expect((await out.get(`/programmes/${programmeId}/field`)).status).toBe(302);
    expect((await out.get("/field")).status).toBe(302);
    expect((await out.post(`/programmes/${programmeId}/field-kit`, { sessionId: planned })).status).toBe(302);
    // A guest (a participant who joined by code, on a shared phone) may not import a kit on the laptop.
    const guestId = laptop.domain.accounts.createGuest("Invitée");
    const { token } = await laptop.domain.accounts.createSession(guestId);
    const guest = laptop.domain.accounts.validateSessionToken(token)!.actor;
    const laptopBefore = rowCounts(laptop);
    expect(() => laptop.domain.field.importKit(guest, kitText)).toThrow(expect.objectContaining({ code: "forbidden", messageKey: "account_required" }));
    expect(() => laptop.domain.field.laptop(guest)).toThrow(expect.objectContaining({ code: "forbidden" }));
    expect(rowCounts(laptop)).toEqual(laptopBefore);
    // Only the sign-ins above were recorded.
    expect({ ...rowCounts(national), auth_sessions: 0 }).toEqual({ ...before, auth_sessions: 0 });
  });
});
