/**
 * Script and HTML payloads render inert, in a real browser (issue 10, part 6). Notes, an agenda item, a
 * recommendation and a summary carry payloads that would set `window.__pwned` if any of them ran; a
 * session exported from another instance with payloads in its title and text is imported through the
 * import page. Chromium then opens every page that shows them (the live room and the notes page as a
 * participant, the staff's summary editor with its preview, the review page, the published page, the
 * imported publication) and the print HTML download without any CSP around it: nothing ran, the
 * payloads are shown as text, and the DOM holds no script without the page's nonce (the print file: no
 * script at all), no inline handler, frame or javascript: link they made.
 */
import type { Browser, Page } from "playwright-core";
import { launchBrowser, openPage, signIn, type Watched } from "../support/browser";
import { createSessionFixture, startTestServer, TestClient, type TestServer } from "../support/server";
import { hydrated } from "./helpers";

const PASSWORD = "correct horse battery";
const PAYLOADS = [
  `<img src=x onerror="window.__pwned='img'">`,
  `<script>window.__pwned='script'</script>`,
  `"><svg onload="window.__pwned='svg'">`,
  `<a href="javascript:window.__pwned='link'">click</a>`,
  `<iframe srcdoc="<script>parent.__pwned='iframe'</script>"></iframe>`,
];
const MARKDOWN_PAYLOADS = [...PAYLOADS, `[a link](javascript:window.__pwned='md-link')`, `![an image](x" onerror="window.__pwned='md-img')`, `<details open ontoggle="window.__pwned='toggle'">`];

let server: TestServer;
let source: TestServer;
let browser: Browser;
let sessionId = "";
let programmeId = "";
let importedSessionId = "";

/** Publishes an ended session's summary with this Markdown, through the domain (set-up only). */
async function hold(instance: TestServer, fixture: Awaited<ReturnType<typeof createSessionFixture>>, markdown: (base: string) => string) {
  const { domain } = instance;
  const { organiser, sessionId: id } = fixture;
  const participantId = await instance.createAccount(`participant-${id.slice(0, 8)}@xss.test`, PASSWORD, "Participant");
  domain.sessions.putMember(id, participantId, "participant");
  const participant = instance.actorFor(participantId);
  const itemId = domain.live.addItem(organiser, id, { title: `Item ${PAYLOADS[0]}`, plannedMinutes: 30 }).id;
  domain.sessions.setStatus(organiser, id, "scheduled");
  domain.live.openRoom(organiser, id);
  await domain.live.command(organiser, id, itemId, { command: "start" });
  for (const [i, p] of PAYLOADS.entries()) {
    const r = await domain.notes.submit(participant, id, { clientId: `${i}`.padStart(32, "a"), itemId, kind: "point", text: `Point ${i}: ${p}` });
    if (r.note.status === "flagged") domain.notes.curate(organiser, id, r.note.id, { action: "dismissFlag" });
    domain.notes.curate(organiser, id, r.note.id, { action: "highlight" });
  }
  domain.recommendations.create(organiser, id, { text: `Protect wells ${PAYLOADS[1]}` });
  await domain.live.endRoom(organiser, id);
  domain.summaries.generate(organiser, id, { language: "en" });
  const { summary } = domain.summaries.workspace(organiser, id);
  domain.summaries.save(organiser, id, { markdown: markdown(summary!.markdown), version: summary!.version });
  domain.summaries.circulate(organiser, id, { deadline: Date.now() + 86_400_000 });
  domain.summaries.comment(participant, id, { kind: "comment", text: `A comment ${PAYLOADS[2]}` });
  domain.sessions.setStatus(organiser, id, "finalised", { confirmed: true });
  for (const f of domain.summaries.workspace(organiser, id).findings) domain.summaries.override(organiser, id, { key: f.key, reason: "Checked: names nobody." });
  domain.summaries.approve(organiser, id, { version: domain.summaries.workspace(organiser, id).summary!.version });
  await domain.summaries.publish(organiser, id, {});
  return { participantEmail: `participant-${id.slice(0, 8)}@xss.test` };
}

let participantEmail = "";

beforeAll(async () => {
  server = await startTestServer();
  source = await startTestServer();
  browser = await launchBrowser();
  const withPayloads = (base: string) => `${base}\n\n${MARKDOWN_PAYLOADS.map((p, i) => `Paragraph ${i}: ${p}`).join("\n\n")}\n`;

  const fixture = await createSessionFixture(server, { email: "organiser@xss.test", title: `Roundtable ${PAYLOADS[0]}` });
  await server.createAccount("organiser@xss.test", PASSWORD);
  ({ sessionId, programmeId } = fixture);
  ({ participantEmail } = await hold(server, fixture, withPayloads));

  // Another instance's export, with payloads in its title and text, imported through the page.
  const other = await createSessionFixture(source, { email: "organiser@source.test", title: `Imported ${PAYLOADS[2]}` });
  await hold(source, other, withPayloads);
  const exported = JSON.stringify(source.domain.exports.session(other.organiser, other.sessionId, 1));
  const organiser = new TestClient(server.url);
  await organiser.signIn("organiser@xss.test", PASSWORD);
  const form = new FormData();
  form.append("file", new Blob([exported], { type: "application/json" }), "export.json");
  const res = await fetch(`${server.url}/programmes/${programmeId}/import?_data=${encodeURIComponent("routes/programmes.$programmeId.import")}`, { method: "POST", body: form, headers: { cookie: organiser.cookieHeader, origin: server.url } });
  const report = (await res.json()) as { ok: boolean; sessionId: string };
  expect(report.ok).toBe(true);
  importedSessionId = report.sessionId;
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await source?.stop();
});

/** Nothing ran, and nothing in the DOM came from a payload: no handler, no foreign script or frame, no javascript: link. */
async function expectInert(page: Page, watched: Watched | null, what: string) {
  await page.waitForLoadState("load");
  const state = await page.evaluate(() => ({
    pwned: (window as unknown as { __pwned?: unknown }).__pwned ?? null,
    handlers: [...document.querySelectorAll("*")].flatMap((el) => [...el.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${el.tagName} ${a.name}`)),
    // The app's own scripts carry the request's nonce (Remix's data script holds the payloads as JSON
    // strings: data, not code); a script made from a payload would have none.
    scripts: [...document.scripts].filter((s) => !s.nonce).length,
    frames: document.querySelectorAll("iframe, object, embed").length,
    links: [...document.querySelectorAll("a[href], img[src]")].map((a) => a.getAttribute("href") ?? a.getAttribute("src") ?? "").filter((h) => /^\s*javascript:/i.test(h)),
    text: document.body.innerText,
  }));
  expect(state.pwned, what).toBeNull();
  expect(state.handlers, what).toEqual([]);
  expect(state.scripts, what).toBe(0);
  expect(state.frames, what).toBe(0);
  expect(state.links, what).toEqual([]);
  // CSP never had to refuse anything: the payloads never became markup.
  if (watched) expect(watched.problems.filter((p) => /CSP|Refused/.test(p)), what).toEqual([]);
  return state.text;
}

describe("payloads render inert", () => {
  it("in the room: the live room and the notes page, as a participant", async () => {
    const watched = await openPage(browser, { name: "xss-participant" });
    await signIn(watched.page, server.url, participantEmail, PASSWORD);
    await watched.page.goto(`${server.url}/sessions/${sessionId}/live`);
    await hydrated(watched.page);
    const live = await expectInert(watched.page, watched, "live room");
    expect(live).toContain(`Point 0: ${PAYLOADS[0]}`);
    await watched.page.goto(`${server.url}/sessions/${sessionId}/notes`);
    const notes = await expectInert(watched.page, watched, "notes page");
    expect(notes).toContain(PAYLOADS[1]);
    await watched.page.goto(`${server.url}/sessions/${sessionId}/review`);
    await expectInert(watched.page, watched, "review page");
    await watched.context.close();
  });

  it("for staff: the summary editor and its live preview", async () => {
    const watched = await openPage(browser, { name: "xss-organiser" });
    await signIn(watched.page, server.url, "organiser@xss.test", PASSWORD);
    for (const path of ["/summary", "/live", "/capture", ""]) {
      await watched.page.goto(`${server.url}/sessions/${sessionId}${path}`);
      await hydrated(watched.page);
      await expectInert(watched.page, watched, `staff ${path || "session page"}`);
    }
    await watched.context.close();
  });

  it("on the published page, signed out, and on the imported publication", async () => {
    const watched = await openPage(browser, { name: "xss-reader" });
    for (const id of [sessionId, importedSessionId]) {
      await watched.page.goto(`${server.url}/summaries/${id}`);
      const text = await expectInert(watched.page, watched, `published ${id}`);
      expect(text).toContain(`Paragraph 1: ${PAYLOADS[1]}`);
    }
    await watched.page.goto(server.url);
    await expectInert(watched.page, watched, "home page with the published list");
    await watched.context.close();
  });

  it("in the print HTML download, opened on its own without any CSP", async () => {
    for (const id of [sessionId, importedSessionId]) {
      const html = await (await fetch(`${server.url}/summaries/${id}/1/export?format=html`)).text();
      const page = await browser.newPage();
      await page.setContent(html, { waitUntil: "load" });
      const text = await expectInert(page, null, `print file ${id}`);
      expect(text).toContain(`Paragraph 0: ${PAYLOADS[0]}`);
      await page.close();
    }
  });
});
