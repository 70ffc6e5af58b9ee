/**
 * Long lists on the pages people land on: a programme with hundreds of sessions (a national dialogue)
 * is shown a page at a time with a search, a level and a status filter, over plain GET (no
 * JavaScript); a hand-edited address is answered with a notice, not an error; and the home page lists
 * a bounded number of a programme's sessions, counting the rest.
 */
import { createSessionFixture, startTestServer, type TestServer } from "../support/server";

let server: TestServer;
let fx: Awaited<ReturnType<typeof createSessionFixture>>;
let regionLevel: string;

beforeAll(async () => {
  server = await startTestServer();
  fx = await createSessionFixture(server, { title: "Roundtable in the capital" });
  const levels = server.domain.programmes.taxonomy(fx.programmeId).levels;
  regionLevel = levels[1].id;
  for (let i = 1; i <= 60; i++) {
    server.domain.sessions.create(fx.organiser, fx.programmeId, {
      title: i === 7 ? "Concertation régionale de Ségou" : `Commune consultation ${String(i).padStart(2, "0")}`,
      kind: "local_dialogue",
      levelId: i % 2 ? regionLevel : fx.levelId,
      languages: ["fr"],
      timeZone: "Africa/Bamako",
      attributionMode: "chatham_house",
      noteVisibility: "participants",
    });
  }
});
afterAll(async () => {
  await server?.stop();
});

function sessionLinks(body: string): number {
  return (body.match(/href="\/sessions\/[0-9a-f-]{36}"/g) ?? []).length;
}

describe("a programme's sessions", () => {
  it("are shown 25 at a time with previous and next links, and a search that ignores case and accents", async () => {
    const organiser = server.client();
    await organiser.signIn(fx.email);
    const base = `/programmes/${fx.programmeId}`;

    const first = await organiser.get(base);
    expect(first.status).toBe(200);
    const body = await first.text();
    expect(sessionLinks(body)).toBe(25);
    expect(body).toContain("61 sessions");
    expect(body).toContain("Page 1 of 3");
    expect(body).toContain('rel="next"');
    expect(body).not.toContain('rel="prev"');

    const last = await (await organiser.get(`${base}?page=3`)).text();
    expect(sessionLinks(last)).toBe(11);
    expect(last).toContain('rel="prev"');

    const found = await (await organiser.get(`${base}?q=SEGOU`)).text();
    expect(sessionLinks(found)).toBe(1);
    expect(found).toContain("Concertation régionale de Ségou");
    expect(found).toContain("1 session of 61 matches");

    const byLevel = await (await organiser.get(`${base}?level=${regionLevel}&status=draft`)).text();
    expect(byLevel).toContain("30 sessions of 61 match");

    const none = await (await organiser.get(`${base}?q=nowhere`)).text();
    expect(none).toContain("No session matches these filters.");
  });

  it("answer a hand-edited address with a notice in the person's language, and the list unfiltered", async () => {
    const organiser = server.client();
    await organiser.signIn(fx.email);
    const res = await organiser.get(`/programmes/${fx.programmeId}?level=not-a-level&status=vanished&page=-2`, { headers: { "Accept-Language": "fr" } });
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body).toContain("adresse n&#x27;a pas été comprise");
    expect(sessionLinks(body)).toBe(25);
    expect(body).toContain("Page 1 sur 3");
    // Past the end: the last page.
    const far = await (await organiser.get(`/programmes/${fx.programmeId}?page=999`)).text();
    expect(far).toContain("Page 3 of 3");
  });

  it("are not listed to a programme member, whatever the address asks", async () => {
    await server.createAccount("member-lists@example.org");
    server.domain.programmes.addMember(fx.organiser, fx.programmeId, { email: "member-lists@example.org", role: "member" });
    const member = server.client();
    await member.signIn("member-lists@example.org");
    const body = await (await member.get(`/programmes/${fx.programmeId}?q=Commune&page=2`)).text();
    expect(sessionLinks(body)).toBe(0);
  });
});

describe("the home page", () => {
  it("lists twelve of a programme's sessions to its organiser and counts the rest", async () => {
    const organiser = server.client();
    await organiser.signIn(fx.email);
    const body = await (await organiser.get("/")).text();
    // A programme organiser organises every session of the programme without being listed in them.
    expect(sessionLinks(body)).toBe(12);
    expect(body).toContain("And 49 other sessions in your programmes");
  });

  it("bounds the list for programme staff listed in none of the sessions", async () => {
    await server.createAccount("staff-lists@example.org");
    server.domain.programmes.addMember(fx.organiser, fx.programmeId, { email: "staff-lists@example.org", role: "staff" });
    const staff = server.client();
    await staff.signIn("staff-lists@example.org");
    const body = await (await staff.get("/")).text();
    expect(sessionLinks(body)).toBe(12);
    expect(body).toContain("And 49 other sessions in your programmes");
  });
});
