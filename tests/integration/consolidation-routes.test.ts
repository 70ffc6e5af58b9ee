/**
 * The consolidation workspace over HTTP (issue "Linking"): who may open it and act, what bad input
 * gets back (a clear reason, nothing changed), "all that match the filters" as a selection, and a
 * link pointing down the hierarchy refused through the adapter like in the domain.
 */
import { randomBytes } from "node:crypto";
import { signedInMember, startTestServer, type TestClient, type TestServer } from "../support/server";

let server: TestServer;
let regionId = "";
let communeRecs: string[] = [];
let communeId = "";
let rapporteur: TestClient;

const routeId = encodeURIComponent("routes/sessions.$sessionId.consolidate");
const links = () => (server.database.sqlite.prepare("SELECT relation, reason, target_recommendation_id AS target FROM recommendation_links").all() as { relation: string; reason: string; target: string | null }[]);

beforeAll(async () => {
  server = await startTestServer();
  const organiser = server.actorFor(await server.createAccount(`organiser-${randomBytes(4).toString("hex")}@example.org`));
  const { id: programmeId } = server.domain.programmes.create(organiser, { name: "Dialogue" });
  const { levels } = server.domain.programmes.taxonomy(programmeId);
  const level = (key: string) => levels.find((l) => l.key === key)!.id;
  const session = (title: string, key: string, parentSessionId = "") =>
    server.domain.sessions.create(organiser, programmeId, { title, kind: "local_dialogue", levelId: level(key), parentSessionId, languages: ["fr"], timeZone: "Africa/Bamako", attributionMode: "chatham_house", noteVisibility: "participants" }).id;
  regionId = session("Phase régionale", "region");
  communeId = session("Concertation communale", "commune", regionId);
  communeRecs = ["Des forages dans chaque village.", "Des enseignants pour les écoles fermées.", "La route réhabilitée."].map((text) => {
    const { id } = server.domain.recommendations.create(organiser, communeId, { text });
    server.domain.recommendations.declare(organiser, communeId, id, { level: "broad_support" });
    server.domain.recommendations.decide(organiser, communeId, id, { status: "adopted" });
    return id;
  });
  rapporteur = (await signedInMember(server, regionId, "rapporteur")).client;
}, 60_000);

afterAll(async () => {
  await server?.stop();
});

describe("the consolidation workspace over HTTP", () => {
  it("is for the session's organisers, rapporteurs and programme staff only", async () => {
    expect((await rapporteur.get(`/sessions/${regionId}/consolidate?_data=${routeId}`)).status).toBe(200);
    const moderator = (await signedInMember(server, regionId, "moderator")).client;
    expect((await moderator.get(`/sessions/${regionId}/consolidate?_data=${routeId}`)).status).toBe(403);
    expect((await moderator.post(`/sessions/${regionId}/consolidate?_data=${routeId}`, { intent: "not_retained", sourceId: communeRecs[0], notRetainedReason: "x" })).status).toBe(403);
    // A participant of the commune has no standing in the region's session: not found.
    const participant = (await signedInMember(server, communeId, "participant")).client;
    expect((await participant.get(`/sessions/${regionId}/consolidate?_data=${routeId}`)).status).toBe(404);
    const signedOut = server.client();
    expect((await signedOut.get(`/sessions/${regionId}/consolidate`)).headers.get("location")).toMatch(/^\/sign-in/);
    expect(links()).toEqual([]);
  });

  it("clears a filter it does not understand and says so, instead of failing", async () => {
    const res = await rapporteur.get(`/sessions/${regionId}/consolidate?status=everything&themeId=not-an-id&_data=${routeId}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { cleared: boolean; total: number; filters: Record<string, string> };
    expect(body.cleared).toBe(true);
    expect(body.filters).toEqual({ status: "unaddressed" });
    expect(body.total).toBe(3);
  });

  it("answers bad input with a reason and changes nothing", async () => {
    const post = (fields: Record<string, string | string[]>) => rapporteur.post(`/sessions/${regionId}/consolidate?_data=${routeId}`, fields);
    const nothing = await post({ intent: "merge", mergeText: "Une recommandation." });
    expect(nothing.status).toBe(400);
    expect(await nothing.json()).toMatchObject({ formError: "selection_required", values: { mergeText: "Une recommandation." } });
    const noReason = await post({ intent: "not_retained", sourceId: communeRecs[0], notRetainedReason: "  " });
    expect(noReason.status).toBe(400);
    expect(((await noReason.json()) as { fields: Record<string, string[]> }).fields).toEqual({ notRetainedReason: ["reason_required"] });
    const bogus = await post({ intent: "merge", sourceId: "not-a-uuid", mergeText: "x" });
    expect(bogus.status).toBe(400);
    expect(await bogus.json()).toMatchObject({ formError: "recommendation_not_found" });
    // A commune recommendation as the "target": that would point down the hierarchy.
    const down = await post({ intent: "link", sourceId: communeRecs[0], targetRecommendationId: communeRecs[1], relation: "merged" });
    expect(down.status).toBe(400);
    expect(((await down.json()) as { fields: Record<string, string[]> }).fields).toEqual({ targetRecommendationId: ["link_points_down"] });
    expect((await post({ intent: "explode" })).status).toBe(400);
    expect(links()).toEqual([]);
  });

  it("marks every recommendation that matches the filters as not retained, and a link can be removed", async () => {
    const res = await rapporteur.post(`/sessions/${regionId}/consolidate?_data=${routeId}`, { intent: "not_retained", scope: "matching", f_status: "unaddressed", f_q: "forages", notRetainedReason: "Déjà financé par le programme national." });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, data: { count: 1 } });
    expect(links()).toEqual([{ relation: "not_retained", reason: "Déjà financé par le programme national.", target: null }]);
    const listed = (await (await rapporteur.get(`/sessions/${regionId}/consolidate?status=not_retained&_data=${routeId}`)).json()) as { items: { id: string; here: { id: string }[] }[] };
    expect(listed.items.map((i) => i.id)).toEqual([communeRecs[0]]);
    const removed = await rapporteur.post(`/sessions/${regionId}/consolidate?_data=${routeId}`, { intent: "unlink", linkId: listed.items[0].here[0].id });
    expect(removed.status).toBe(200);
    expect(links()).toEqual([]);
    const again = await rapporteur.post(`/sessions/${regionId}/consolidate?_data=${routeId}`, { intent: "unlink", linkId: listed.items[0].here[0].id });
    expect(again.status).toBe(404);
  });

  it("makes one draft when the same merge is sent twice (a slow network, a double tap), and says so in French", async () => {
    const form = { intent: "merge", sourceId: [communeRecs[1], communeRecs[2]], mergeText: "Que chaque commune ait un centre de santé équipé." };
    const first = await rapporteur.post(`/sessions/${regionId}/consolidate?_data=${routeId}`, form);
    expect(await first.json()).toMatchObject({ ok: true, data: { count: 2, again: false } });
    const second = await rapporteur.post(`/sessions/${regionId}/consolidate`, form, { origin: server.url, "accept-language": "fr" });
    expect(second.status).toBe(200);
    expect(await second.text()).toContain("Cette fusion avait déjà été faite");
    const drafts = server.database.sqlite.prepare("SELECT count(*) AS n FROM recommendations WHERE session_id = ? AND text = ?").get(regionId, form.mergeText) as { n: number };
    expect(drafts.n).toBe(1);
    expect(links().filter((l) => l.relation === "merged")).toHaveLength(2);
  });
});
