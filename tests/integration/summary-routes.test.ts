/**
 * The summary's pages and downloads over HTTP, on the real server: a public publication reads signed
 * out (page, Markdown, print HTML, JSON export), a restricted one sends a signed-out reader to sign in,
 * staff actions refuse a participant, and the import page refuses what it must with a clear message
 * and no change (not JSON; the same version again; a non-organiser).
 */
import { publishedSessionFixture, startTestServer, TestClient, type TestServer } from "../support/server";

let server: TestServer;
let fixture: Awaited<ReturnType<typeof publishedSessionFixture>>;
const PASSWORD = "correct horse battery";

beforeAll(async () => {
  server = await startTestServer();
  fixture = await publishedSessionFixture(server, {
    email: "organiser@routes.test",
    title: "Water points in Mopti",
    participantEmail: "participant@routes.test",
    language: "en",
    itemTitle: "Threats",
    markdown: "# Water points in Mopti\n\nParticipants agreed that wells <script>alert(1)</script> must be protected.\n",
    overrideReason: "Checked: names nobody.",
  });
}, 60_000);

afterAll(async () => {
  await server?.stop();
});

describe("reading and downloading a publication", () => {
  it("serves a public publication signed out, with inert HTML, and its three downloads", async () => {
    const visitor = new TestClient(server.url);
    const page = await visitor.get(`/summaries/${fixture.sessionId}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("must be protected");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).not.toContain("<script>alert(1)</script>");

    const md = await visitor.get(`/summaries/${fixture.sessionId}/1/export?format=md`);
    expect(md.headers.get("content-type")).toContain("text/markdown");
    expect(await md.text()).toContain("Participants agreed");
    const printable = await visitor.get(`/summaries/${fixture.sessionId}/1/export?format=html`);
    const body = await printable.text();
    expect(body).toContain("@media print");
    expect(body).not.toContain("<script>alert(1)</script>");
    const data = await visitor.get(`/summaries/${fixture.sessionId}/1/export?format=json`);
    expect(data.status).toBe(200);
    const doc = (await data.json()) as { format: string; publication: { number: number; markdown: string } };
    expect(doc.format).toBe("parley.session-export");
    expect(doc.publication.number).toBe(1);
    expect((await visitor.get(`/summaries/${fixture.sessionId}/1/export?format=pdf`)).status).toBe(400);
    // A version that does not exist is not public: a signed-out reader is asked to sign in, as for a
    // restricted one, so that the answer does not tell which versions exist.
    for (const missing of ["7", "abc"]) {
      const res = await visitor.get(`/summaries/${fixture.sessionId}/${missing}`);
      expect(res.status).toBe(302);
      expect(res.headers.get("location")).toContain("/sign-in");
    }
  });

  it("asks a signed-out reader of a restricted publication to sign in, and refuses staff actions to a participant", async () => {
    const organiser = new TestClient(server.url);
    await organiser.signIn("organiser@routes.test", PASSWORD);
    const participant = new TestClient(server.url);
    await participant.signIn("participant@routes.test");
    const before = server.database.sqlite.prepare("SELECT markdown, version FROM summaries WHERE session_id = ?").get(fixture.sessionId);
    const refused = await participant.post(`/sessions/${fixture.sessionId}/summary`, { intent: "save", markdown: "hijacked", version: "2" });
    expect([403, 404]).toContain(refused.status);
    expect(server.database.sqlite.prepare("SELECT markdown, version FROM summaries WHERE session_id = ?").get(fixture.sessionId)).toEqual(before);

    server.domain.summaries.settings(fixture.organiser, fixture.sessionId, { visibility: "participants" });
    server.domain.summaries.approve(fixture.organiser, fixture.sessionId, { version: 2 });
    await server.domain.summaries.publish(fixture.organiser, fixture.sessionId, { changeNote: "For participants only." });
    const visitor = new TestClient(server.url);
    const restricted = await visitor.get(`/summaries/${fixture.sessionId}/2`);
    expect(restricted.status).toBe(302);
    expect(restricted.headers.get("location")).toContain("/sign-in");
    expect((await participant.get(`/summaries/${fixture.sessionId}/2`)).status).toBe(200);
    // The earlier public version is still public.
    expect((await visitor.get(`/summaries/${fixture.sessionId}/1`)).status).toBe(200);
  });
});

describe("the import page", () => {
  const upload = (client: TestClient, text: string, name = "export.json") => {
    const form = new FormData();
    form.append("file", new Blob([text], { type: "application/json" }), name);
    return fetch(`${server.url}/programmes/${fixture.programmeId}/import`, { method: "POST", body: form, headers: { cookie: client.cookieHeader, origin: server.url }, redirect: "manual" });
  };

  it("refuses a file that is not JSON, the same version twice, and anyone but an organiser, changing nothing", async () => {
    const organiser = new TestClient(server.url);
    await organiser.signIn("organiser@routes.test");
    const count = () => (server.database.sqlite.prepare("SELECT count(*) AS n FROM dialogue_sessions").get() as { n: number }).n;
    const sessions = count();
    expect((await organiser.get(`/programmes/${fixture.programmeId}/import`)).status).toBe(200);

    const notJson = await upload(organiser, "this is not json");
    expect(notJson.status).toBe(400);
    expect(await notJson.text()).toContain("import_not_json");

    const exported = await (await new TestClient(server.url).get(`/summaries/${fixture.sessionId}/1/export?format=json`)).text();
    const again = await upload(organiser, exported);
    expect(again.status).toBe(409);
    expect(await again.text()).toContain("import_duplicate");

    const participant = new TestClient(server.url);
    await participant.signIn("participant@routes.test");
    expect((await participant.get(`/programmes/${fixture.programmeId}/import`)).status).toBeGreaterThanOrEqual(403);
    const forbidden = await upload(participant, exported);
    expect(forbidden.status).toBeGreaterThanOrEqual(403);
    expect(count()).toBe(sessions);
  });

  it("reads a file larger than a form may be (a national session's export) from an organiser, refuses one over 8 MB, and any over a form's size from someone signed out, with a page in both languages", async () => {
    const organiser = new TestClient(server.url);
    await organiser.signIn("organiser@routes.test");
    const count = () => (server.database.sqlite.prepare("SELECT count(*) AS n FROM dialogue_sessions").get() as { n: number }).n;
    const sessions = count();
    const exported = await (await new TestClient(server.url).get(`/summaries/${fixture.sessionId}/1/export?format=json`)).text();
    // The same export with 600 KB of white space: past the forms' 256 KB, read whole and recognised.
    const padded = exported.replace(/}\s*$/, `${" ".repeat(600 * 1024)}}`);
    const big = await upload(organiser, padded);
    expect(big.status).toBe(409);
    expect(await big.text()).toContain("import_duplicate");

    const huge = await upload(organiser, exported.replace(/}\s*$/, `${" ".repeat(9 * 1024 * 1024)}}`));
    expect(huge.status).toBe(413);
    const page = await huge.text();
    expect(page).toContain("at most 8 MB");
    expect(page).toContain("8 Mo");
    expect(count()).toBe(sessions);

    // Signed out (or as a guest), nobody may send more than a form, even to the import page.
    const anonymous = await upload(new TestClient(server.url), padded);
    expect(anonymous.status).toBe(413);
    expect(count()).toBe(sessions);

    // Any other form keeps the small limit.
    const join = await fetch(`${server.url}/join`, { method: "POST", body: new URLSearchParams({ code: "A".repeat(300 * 1024) }), headers: { origin: server.url }, redirect: "manual" });
    expect(join.status).toBe(413);
  });
});
