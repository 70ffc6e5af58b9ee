/**
 * The organisers' audit page over HTTP (programmes/:id/audit), rendered by the real server without
 * JavaScript: paging, filtering by a group of actions or one action, a malformed filter answered with
 * a clear message in English and in French (and the whole log shown instead), no canary text, and the
 * page closed to programme staff.
 */
import { createSessionFixture, startTestServer, type TestServer } from "../support/server";

const CANARY = "Ottoline Frobisher-Kade";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

async function page(client: ReturnType<TestServer["client"]>, url: string) {
  const res = await client.get(url);
  return { status: res.status, body: await res.text() };
}

describe("the audit page", () => {
  it("pages and filters the log, in English and French, and refuses a malformed filter clearly", async () => {
    const fx = await createSessionFixture(server);
    for (let i = 0; i < 55; i++) server.domain.roster.add(fx.organiser, fx.sessionId, { name: `${CANARY} ${i}`, organisation: "Frobisher Trust", role: "participant", category: "ngo" });
    server.domain.sessions.rotateJoinCode(fx.organiser, fx.sessionId);
    const organiser = server.client();
    await organiser.signIn(fx.email);
    const base = `/programmes/${fx.programmeId}/audit`;

    // 2 + 55 + 1 entries: two pages, newest first.
    const first = await page(organiser, base);
    expect(first.status).toBe(200);
    expect(first.body).toContain("58 entries");
    expect(first.body).toContain("Page 1 of 2");
    expect(first.body).toContain(`href="${base}?page=2"`);
    expect(first.body).toContain('<span class="font-medium">Join code changed</span>');
    const second = await page(organiser, `${base}?page=2`);
    expect(second.body).toContain("Page 2 of 2");
    expect(second.body).toContain('<span class="font-medium">Programme created</span>');

    // Filtered by group and by one action; the filter stays selected.
    const roster = await page(organiser, `${base}?action=roster`);
    expect(roster.body).toContain("55 entries for “Rosters”");
    expect(roster.body).toMatch(/<option value="roster" selected="">/);
    const one = await page(organiser, `${base}?action=session.join_code_rotated`);
    expect(one.body).toContain("1 entry for “Join code changed”");
    expect(one.body).not.toContain('<span class="font-medium">Roster entry added</span>');
    expect(one.body).toContain('<span class="font-medium">Join code changed</span>');

    // A malformed filter: said next to the field, the whole log shown.
    const bad = await page(organiser, `${base}?action=${encodeURIComponent("<script>x</script>")}`);
    expect(bad.status).toBe(200);
    expect(bad.body).toContain("Choose one of the options offered.");
    expect(bad.body).toContain('aria-invalid="true"');
    expect(bad.body).toContain("58 entries");
    expect(bad.body).not.toContain("<script>x</script>");
    const badPage = await page(organiser, `${base}?page=zero`);
    expect(badPage.body).toContain("Enter a whole number.");

    // In French.
    organiser.cookies.set("parley_lang", "fr");
    const fr = await page(organiser, `${base}?action=roster&page=2`);
    expect(fr.body).toContain('lang="fr"');
    expect(fr.body).toContain("55 entrées pour « Listes des participants »");
    expect(fr.body).toContain("Page 2 sur 2");
    expect(fr.body).toContain('<span class="font-medium">Entrée ajoutée à la liste des participants</span>');
    const frBad = await page(organiser, `${base}?action=n%27importe+quoi`);
    expect(frBad.body).toMatch(/Choisissez l(?:'|&#x27;|&#39;)une des options proposées\./);

    // No names anywhere on the page.
    for (const body of [first.body, second.body, roster.body, fr.body]) {
      expect(body).not.toContain("Ottoline");
      expect(body).not.toContain("Frobisher");
    }

    // Programme staff may not read it.
    const staffEmail = `staff-${Math.random().toString(36).slice(2, 8)}@example.org`;
    await server.createAccount(staffEmail);
    server.domain.programmes.addMember(fx.organiser, fx.programmeId, { email: staffEmail, role: "staff" });
    const staff = server.client();
    await staff.signIn(staffEmail);
    expect((await page(staff, base)).status).toBe(403);
  });
});
