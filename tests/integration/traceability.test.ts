/**
 * Traceability pages over HTTP on the real server (issue 7, item 3): a commune -> region -> national
 * chain with links, and who sees what of it. Signed out, the public summaries' recommendations read
 * in full and the rest is counted, never shown; a participant of a commune whose summary is not public
 * sees their own commune's; programme staff see everything; another programme's organiser sees only
 * what is public. Also: the published summary and the session page lead to the traces.
 */
import { startTestServer, TestClient, type TestServer } from "../support/server";
import { buildNationalDialogue, PASSWORD, TEXTS } from "./traceability-fixture";

let server: TestServer;
let f: Awaited<ReturnType<typeof buildNationalDialogue>>;
let otherOrganiser: string;

beforeAll(async () => {
  server = await startTestServer();
  f = await buildNationalDialogue(server);
  const other = await buildNationalDialogue(server);
  otherOrganiser = other.emails.organiser;
}, 60_000);

afterAll(async () => {
  await server?.stop();
});

const trace = (id: string) => `/recommendations/${id}/trace`;
/** React escapes apostrophes in text; compare on the escaped form. */
const html = (text: string) => text.replace(/&/g, "&amp;").replace(/'/g, "&#x27;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

async function page(client: TestClient, path: string, lang = "en") {
  const res = await client.get(path, { headers: { cookie: [client.cookieHeader, `parley_lang=${lang}`].filter(Boolean).join("; ") } });
  return { status: res.status, location: res.headers.get("location"), cache: res.headers.get("cache-control"), body: await res.text() };
}

async function signedIn(email: string) {
  const client = new TestClient(server.url);
  await client.signIn(email, PASSWORD);
  return client;
}

describe("traceability pages, signed out", () => {
  it("follows a public commune recommendation up to the national one, in French, without a script", async () => {
    const visitor = new TestClient(server.url);
    const res = await page(visitor, trace(f.recs.waterSangha), "fr");
    expect(res.status).toBe(200);
    expect(res.cache).toContain("public");
    const body = res.body;
    expect(body).toContain(html(TEXTS.waterSangha));
    // Up: merged into the regional recommendation, itself adapted in the national one, in words.
    expect(body).toContain("Fusionnée dans une recommandation de");
    expect(body).toContain(html(TEXTS.regional));
    expect(body).toContain("elle-même adaptée dans une recommandation de");
    expect(body).toContain(html(TEXTS.national));
    expect(body).toContain(html("Motif : Étendue à tout le pays.").replace(" :", "\u00A0:"));
    // Places, levels, consensus in words, and links to each published summary.
    expect(body).toContain("Mali › Mopti › Sangha");
    expect(body).toContain("Région");
    expect(body).toContain("Niveau d&#x27;accord\u00A0: Consensus");
    for (const s of [f.sessions.sangha, f.sessions.regionMopti, f.sessions.national]) expect(body).toContain(`href="/summaries/${s}"`);
    expect(body).toContain("Suite donnée à ce jour\u00A0: Fusionnée<");
  });

  it("shows a national recommendation's public sources and only counts the others", async () => {
    const visitor = new TestClient(server.url);
    const { status, body } = await page(visitor, trace(f.recs.national));
    expect(status).toBe(200);
    expect(body).toContain("What it draws on");
    expect(body).toContain(html(TEXTS.regional));
    expect(body).toContain(html(TEXTS.waterSangha));
    expect(body).toContain("Adapted");
    expect(body).toContain("Merged");
    // Bandiagara's summary is for its participants only: its two recommendations are counted, not shown.
    expect(body).not.toContain(html(TEXTS.waterBandiagara));
    expect(body).not.toContain(html(TEXTS.schoolBandiagara));
    expect(body).not.toContain("Concertation communale de Bandiagara");
    expect(body.match(/1 more from a session whose summary is not public\./g)).toHaveLength(2);
    // Nothing above the national phase: no "what became of it" section.
    expect(body).not.toContain("What became of it");
  });

  it("asks to sign in for a recommendation whose summary is not public, and answers not found for a bad address", async () => {
    const visitor = new TestClient(server.url);
    for (const id of [f.recs.waterBandiagara, f.recs.waterMarkala]) {
      const res = await page(visitor, trace(id));
      expect(res.status).toBe(302);
      expect(res.location).toContain("/sign-in");
    }
    expect((await page(visitor, trace("not-a-recommendation"))).status).toBe(404);
  });

  it("lists the session's adopted recommendations with their outcome on the published summary, linked to their traces", async () => {
    const visitor = new TestClient(server.url);
    const { body, cache } = await page(visitor, `/summaries/${f.sessions.sangha}`, "fr");
    expect(cache).toContain("public");
    expect(body).toContain("Ce que sont devenues ces recommandations");
    expect(body).toContain(`href="${trace(f.recs.waterSangha)}"`);
    expect(body).toContain(`href="${trace(f.recs.roadsSangha)}"`);
    expect(body).toMatch(/data-outcome="merged"[^>]*>Fusionnée</);
    expect(body).toMatch(/data-outcome="not_retained"[^>]*>Non retenue</);
    const roads = await page(visitor, trace(f.recs.roadsSangha), "fr");
    expect(roads.body).toContain("Non retenue par");
    expect(roads.body).toContain("Relève du budget communal.");
  });
});

describe("traceability pages, signed in", () => {
  it("shows a commune's participant their own commune's recommendations and what became of them", async () => {
    const participant = await signedIn(f.emails.participant);
    const own = await page(participant, trace(f.recs.waterBandiagara));
    expect(own.status).toBe(200);
    expect(own.cache).toContain("no-store");
    expect(own.body).toContain(html(TEXTS.waterBandiagara));
    expect(own.body).toContain("Merged into a recommendation of");
    expect(own.body).toContain(html(TEXTS.national));
    // The national trace now shows Bandiagara's too: nothing is hidden from them.
    const national = await page(participant, trace(f.recs.national));
    expect(national.body).toContain(html(TEXTS.schoolBandiagara));
    expect(national.body).toContain(html(TEXTS.waterBandiagara));
    expect(national.body).toContain("Partly taken up");
    expect(national.body).not.toContain("more from");
    // Signed in, what the summary says of its recommendations depends on who reads: never in a shared cache.
    expect((await page(participant, `/summaries/${f.sessions.sangha}`)).cache).toContain("no-store");
    // Markala is not theirs and not published.
    expect((await page(participant, trace(f.recs.waterMarkala))).status).toBe(404);
  });

  it("shows programme staff everything, unaddressed demands included, and the traceability section on the session page", async () => {
    const staff = await signedIn(f.emails.staff);
    const markala = await page(staff, trace(f.recs.waterMarkala));
    expect(markala.status).toBe(200);
    expect(markala.body).toContain(html(TEXTS.waterMarkala));
    expect(markala.body).toContain("Not yet addressed: no session above has taken up this recommendation yet.");
    const sessionPage = await page(staff, `/sessions/${f.sessions.markala}`);
    expect(sessionPage.body).toContain("Traceability");
    expect(sessionPage.body).toContain(`href="${trace(f.recs.waterMarkala)}"`);
    expect(sessionPage.body).toMatch(/data-outcome="unaddressed"[^>]*>Not yet addressed</);
  });

  it("shows another programme's organiser only what is public, and a programme member what their programme publishes", async () => {
    const stranger = await signedIn(otherOrganiser);
    const national = await page(stranger, trace(f.recs.national));
    expect(national.status).toBe(200);
    expect(national.body).not.toContain(html(TEXTS.waterBandiagara));
    expect(national.body.match(/1 more from a session you may not see\./g)).toHaveLength(2);
    for (const id of [f.recs.waterBandiagara, f.recs.waterMarkala]) expect((await page(stranger, trace(id))).status).toBe(404);

    const member = await signedIn(f.emails.member);
    expect((await page(member, trace(f.recs.waterSangha))).status).toBe(200);
    expect((await page(member, trace(f.recs.waterBandiagara))).status).toBe(404);
  });
});
