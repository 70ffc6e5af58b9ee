/**
 * Security plumbing over real HTTP: CSP with per-request nonces on every HTML page (a live session's
 * pages included), strict headers, CSRF by origin check with the form-token fallback, cookies
 * (HttpOnly, SameSite, Secure outside field mode), rate limits keyed so that a room behind one address
 * is not locked out, and malformed requests that never crash. The socket handshake's origin check is in
 * handshake.test.ts; scripts in notes, summaries and imports are run in Chromium in
 * tests/browser/xss.test.ts.
 */
import { NOTE_RATE } from "../../app/models/notes.server";
import { connected, createSessionFixture, hasStackTrace, joinedGuest, setCookieFor, startTestServer, type TestClient, type TestServer } from "../support/server";

let server: TestServer;
let invitationToken: string;
let onboardingToken: string;

beforeAll(async () => {
  server = await startTestServer();
  const fixture = await createSessionFixture(server);
  [{ token: invitationToken }] = server.domain.invitations.create(fixture.organiser, fixture.sessionId, { role: "participant" });
  onboardingToken = server.domain.programmes.addMember(fixture.organiser, fixture.programmeId, { email: "staff@example.org", role: "staff" }).onboardingToken!;
  await server.createAccount("reader@example.org");
});

afterAll(async () => {
  await server?.stop();
});

function nonceOf(csp: string): string {
  const match = /script-src[^;]*'nonce-([A-Za-z0-9+/=]+)'/.exec(csp);
  expect(match, `no nonce in ${csp}`).not.toBeNull();
  return match![1];
}

describe("Content-Security-Policy and headers", () => {
  const pages = () => ["/", "/sign-in", "/sign-up", "/join", `/invite/${invitationToken}`, `/onboard/${onboardingToken}`, "/no-such-page"];

  it("sends a nonce-based CSP without 'unsafe-inline' on every HTML page, and every script carries the nonce", async () => {
    const client = server.client();
    for (const path of pages()) {
      const res = await client.get(path);
      expect(res.headers.get("content-type"), path).toContain("text/html");
      const csp = res.headers.get("content-security-policy") ?? "";
      expect(csp, path).not.toBe("");
      expect(csp, path).not.toContain("unsafe-inline");
      expect(csp, path).not.toContain("unsafe-eval");
      expect(csp, path).toMatch(/frame-ancestors 'none'/);
      expect(csp, path).toMatch(/object-src 'none'/);
      expect(csp, path).toMatch(/base-uri 'none'/);
      const nonce = nonceOf(csp);

      const html = await res.text();
      const scripts = [...html.matchAll(/<script\b[^>]*>/gi)].map((m) => m[0]);
      expect(scripts.length, path).toBeGreaterThan(0);
      for (const tag of scripts) expect(tag, path).toContain(`nonce="${nonce}"`);
      expect(html, path).not.toMatch(/\son[a-z]+="/i); // no inline event handlers either
    }
  });

  it("also covers signed-in pages", async () => {
    const client = server.client();
    await client.signIn("reader@example.org");
    for (const path of ["/", "/sign-out", "/switch"]) {
      const res = await client.get(path);
      expect(res.status, path).toBe(200);
      const nonce = nonceOf(res.headers.get("content-security-policy") ?? "");
      const scripts = [...(await res.text()).matchAll(/<script\b[^>]*>/gi)].map((m) => m[0]);
      expect(scripts.length, path).toBeGreaterThan(0);
      for (const tag of scripts) expect(tag, path).toContain(`nonce="${nonce}"`);
    }
  });

  it("uses a fresh nonce for every request", async () => {
    const client = server.client();
    const nonces = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const res = await client.get("/");
      nonces.add(nonceOf(res.headers.get("content-security-policy") ?? ""));
      await res.arrayBuffer();
    }
    expect(nonces.size).toBe(3);
    for (const n of nonces) expect(Buffer.from(n, "base64").length).toBeGreaterThanOrEqual(16);
  });

  it("sends the strict headers", async () => {
    const res = await server.client().get("/");
    await res.arrayBuffer();
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("referrer-policy")).toBe("same-origin");
    expect(res.headers.get("x-frame-options")).toBe("SAMEORIGIN");
    expect(res.headers.get("permissions-policy")).toContain("camera=()");
    expect(res.headers.get("x-powered-by")).toBeNull();
    expect(res.headers.get("cache-control")).toContain("no-store");
  });
});

describe("CSRF", () => {
  it("refuses a form posted from another origin", async () => {
    const client = server.client();
    await (await client.get("/")).arrayBuffer();
    const res = await client.post("/language", { lang: "fr", returnTo: "/" }, { origin: "http://evil.example" });
    expect(res.status).toBe(403);
    expect(res.headers.getSetCookie().some((c) => c.startsWith("parley_lang="))).toBe(false);
    await res.arrayBuffer();
  });

  it("refuses a cross-origin sign-in (login CSRF) and a cross-origin Referer", async () => {
    const client = server.client();
    const res = await client.post("/sign-in", { email: "reader@example.org", password: "correct horse battery" }, { origin: "http://evil.example" });
    expect(res.status).toBe(403);
    await res.arrayBuffer();
    const byReferer = await client.post("/sign-in", { email: "reader@example.org", password: "correct horse battery" }, { referer: "http://evil.example/page" });
    expect(byReferer.status).toBe(403);
    await byReferer.arrayBuffer();
    expect(client.cookies.has("parley_session")).toBe(false);
  });

  it("refuses a post with neither Origin nor Referer and no form token", async () => {
    const client = server.client();
    await (await client.get("/")).arrayBuffer();
    expect(client.cookies.get("parley_csrf")).toBeDefined();
    const res = await client.post("/language", { lang: "fr", returnTo: "/" }, {});
    expect(res.status).toBe(403);
    await res.arrayBuffer();
  });

  it("refuses a wrong form token, and a token without its cookie", async () => {
    const client = server.client();
    await (await client.get("/")).arrayBuffer();
    const wrong = await client.post("/language", { lang: "fr", returnTo: "/", _csrf: "x".repeat(24) }, {});
    expect(wrong.status).toBe(403);
    await wrong.arrayBuffer();

    const token = client.cookies.get("parley_csrf")!;
    const cookieless = server.client();
    const res = await cookieless.post("/language", { lang: "fr", returnTo: "/", _csrf: token }, {});
    expect(res.status).toBe(403);
    await res.arrayBuffer();
  });

  it("accepts a post with neither Origin nor Referer when it carries the form token", async () => {
    const client = server.client();
    const page = await client.get("/join");
    const html = await page.text();
    const token = client.cookies.get("parley_csrf")!;
    // The token the page puts in its forms is the cookie's.
    expect(html).toContain(`name="_csrf" value="${token}"`);
    const res = await client.post("/language", { lang: "fr", returnTo: "/join", _csrf: token }, {});
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/join");
    expect(client.cookies.get("parley_lang")).toBe("fr");
  });

  it("lets the form token carry the whole body through to the action (sign-in without Origin)", async () => {
    const client = server.client();
    await (await client.get("/sign-in")).arrayBuffer();
    const res = await client.post("/sign-in", { email: "reader@example.org", password: "correct horse battery", returnTo: "/", _csrf: client.cookies.get("parley_csrf")! }, {});
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/");
    expect(client.cookies.has("parley_session")).toBe(true);
  });

  it("accepts a post with our Referer and no Origin", async () => {
    const client = server.client();
    const res = await client.post("/language", { lang: "fr", returnTo: "/" }, { referer: `${server.url}/sign-in` });
    expect(res.status).toBe(302);
    expect(client.cookies.get("parley_lang")).toBe("fr");
  });

  it("accepts a same-origin post", async () => {
    const client = server.client();
    const res = await client.post("/language", { lang: "en", returnTo: "/" });
    expect(res.status).toBe(302);
    expect(client.cookies.get("parley_lang")).toBe("en");
  });
});

describe("malformed requests never crash", () => {
  async function expectHandled(res: Response, label: string) {
    const body = await res.text();
    // A 4xx, a redirect (to sign in), or a page that renders: never a server error.
    expect(res.status, label).toBeLessThan(500);
    expect(hasStackTrace(body), `${label}: ${body.slice(0, 500)}`).toBe(false);
    expect(body, label).not.toMatch(/Internal error|SqliteError|ZodError|TypeError|ReferenceError/);
  }

  it.each([
    ["/sessions/not-a-uuid"],
    ["/sessions/00000000-0000-4000-8000-000000000000"],
    ["/programmes/zzz"],
    ["/programmes/zzz/members"],
    [`/invite/${"a".repeat(300)}`],
    [`/onboard/${"z".repeat(300)}`],
    ["/sign-in?returnTo=%00%ff"],
    ["/join?code=" + "%".repeat(50)],
  ])("GET %s", async (path) => {
    const client = server.client();
    await expectHandled(await client.get(path), path);
  });

  it.each([["/invite/%E0%A4%A"], ["/%E0%A4%A"]])("GET %s (a malformed percent-encoding) is a 400", async (path) => {
    const res = await server.client().get(path);
    await expectHandled(res, path);
    expect(res.status).toBe(400);
  });

  it("GET /invite with a 300-character token is a 404 page", async () => {
    const res = await server.client().get(`/invite/${"a".repeat(300)}`);
    expect(res.status).toBe(404);
    expect(await res.text()).toContain("This invitation link is not valid.");
  });

  it("GET of a guarded page by a signed-in person who has no access", async () => {
    const client = server.client();
    await client.signIn("reader@example.org");
    await expectHandled(await client.get("/sessions/not-a-uuid"), "signed-in /sessions/not-a-uuid");
    await expectHandled(await client.get("/programmes/zzz"), "signed-in /programmes/zzz");
  });

  it("POST /sign-in with an empty body", async () => {
    const res = await server.client().post("/sign-in", {});
    await expectHandled(res, "empty sign-in");
    expect(res.status).toBe(400);
  });

  it("POST /sign-in with a huge email and password", async () => {
    const res = await server.client().post("/sign-in", { email: `${"a".repeat(5000)}@example.org`, password: "p".repeat(100_000) });
    await expectHandled(res, "huge sign-in");
  });

  it("POST /join with 100 KB of junk", async () => {
    const junk = Array.from({ length: 100 * 1024 }, (_, i) => String.fromCharCode(33 + ((i * 7919) % 94))).join("");
    const client = server.client();
    const raw = await fetch(`${server.url}/join`, {
      method: "POST",
      redirect: "manual",
      body: junk,
      headers: { "content-type": "application/x-www-form-urlencoded", origin: server.url },
    });
    await expectHandled(raw, "raw junk");
    expect(raw.status).toBe(400);
    await expectHandled(await client.post("/join", { code: junk, displayName: junk }), "junk fields");
  });

  it.each([
    ["application/json", '{"code": ['],
    ["multipart/form-data; boundary=nope", "--nope\r\nbroken"],
    ["text/plain", "\u0000\u0001\u0002"],
  ])("POST /join with a body of type %s that is not a valid form", async (type, body) => {
    const res = await fetch(`${server.url}/join`, { method: "POST", redirect: "manual", body, headers: { "content-type": type, origin: server.url } });
    await expectHandled(res, type);
    expect(res.status).toBeGreaterThanOrEqual(400);
  });

  it("POST with a body over 256 KB is refused with 413 before anything reads it; one without a length with 411", async () => {
    const big = await fetch(`${server.url}/join`, {
      method: "POST",
      redirect: "manual",
      body: `code=${"A".repeat(256 * 1024)}`,
      headers: { "content-type": "application/x-www-form-urlencoded", origin: server.url },
    });
    expect(big.status).toBe(413);
    await expectHandled(big, "413");
    const chunked = await fetch(`${server.url}/join`, {
      method: "POST",
      redirect: "manual",
      body: new Blob(["code=ABCDEFGH"]).stream(),
      duplex: "half",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: server.url },
    } as RequestInit & { duplex: "half" });
    expect(chunked.status).toBe(411);
    await expectHandled(chunked, "411");
    // Just under the limit is read and answered as a form.
    const under = await fetch(`${server.url}/join`, {
      method: "POST",
      redirect: "manual",
      body: `code=${"A".repeat(200 * 1024)}`,
      headers: { "content-type": "application/x-www-form-urlencoded", origin: server.url },
    });
    expect(under.status).toBe(400);
    await expectHandled(under, "under the limit");
  });

  it("POST with repeated fields and odd characters", async () => {
    const res = await server.client().post("/join", { code: ["ABCDEFGH", "JKMNPQRS"], displayName: ["\u202e evil", "\u0000"] });
    await expectHandled(res, "repeated fields");
  });
});

describe("cookies", () => {
  /** The attributes of one Set-Cookie line, lower-cased. */
  const attrs = (line: string | undefined) => (line ?? "").split(";").slice(1).map((a) => a.trim().toLowerCase());
  const cookiesOf = async (instance: TestServer) => {
    await instance.createAccount("cookies@example.org");
    const client = instance.client();
    const page = await client.get("/sign-in");
    await page.arrayBuffer();
    const signIn = await client.post("/sign-in", { email: "cookies@example.org", password: "correct horse battery", returnTo: "/" });
    expect(signIn.status).toBe(302);
    return { csrf: setCookieFor(page, "parley_csrf"), session: setCookieFor(signIn, "parley_session") };
  };

  it("are HttpOnly and SameSite=Lax, and Secure in production", async () => {
    const production = await startTestServer({ NODE_ENV: "production" });
    try {
      const { csrf, session } = await cookiesOf(production);
      for (const line of [csrf, session]) {
        expect(line).toBeDefined();
        expect(attrs(line)).toEqual(expect.arrayContaining(["httponly", "samesite=lax", "secure", "path=/"]));
      }
    } finally {
      await production.stop();
    }
  });

  it("drop Secure in field mode (a laptop serving plain http on a local network), and keep HttpOnly and SameSite", async () => {
    const field = await startTestServer({ NODE_ENV: "production", FIELD_MODE: "1" });
    try {
      const { csrf, session } = await cookiesOf(field);
      for (const line of [csrf, session]) {
        expect(attrs(line)).toEqual(expect.arrayContaining(["httponly", "samesite=lax"]));
        expect(attrs(line)).not.toContain("secure");
      }
    } finally {
      await field.stop();
    }
  });
});

describe("rate limits that do not lock a room out", () => {
  it("a whole room joins with one code from one venue address, typos included; code guessing from that address is stopped", async () => {
    const venue = await startTestServer({}, { rateLimits: { joinFailuresPerAddress: { points: 10, duration: 600 } } });
    try {
      const fixture = await createSessionFixture(venue);
      const code = venue.domain.sessions.rotateJoinCode(fixture.organiser, fixture.sessionId);
      // Eighty phones behind one address: a few typos first, then everyone with the right code.
      for (let i = 0; i < 5; i++) expect((await venue.client().post("/join", { code: "ZZZZZZZZ", displayName: "" })).status).toBe(400);
      const answers = await Promise.all(Array.from({ length: 80 }, (_, i) => venue.client().post("/join", { code, displayName: `Phone ${i}` })));
      expect(answers.map((r) => r.status)).toEqual(Array(80).fill(302));
      expect((venue.database.sqlite.prepare("SELECT count(*) AS n FROM session_members WHERE session_id = ?").get(fixture.sessionId) as { n: number }).n).toBe(80);
      // Guessing: once the address has failed too often, it is told to wait.
      const guesses: number[] = [];
      for (let i = 0; i < 8; i++) guesses.push((await venue.client().post("/join", { code: `ZZZZZZZ${"ABCDEFGH"[i]}`, displayName: "" })).status);
      expect(guesses.slice(0, 5)).toEqual(Array(5).fill(400));
      expect(guesses.slice(-2)).toEqual([429, 429]);
    } finally {
      await venue.stop();
    }
  });

  it("notes are limited per person: one person's flood does not stop the next person in the room", async () => {
    const room = await startTestServer();
    try {
      const fixture = await createSessionFixture(room);
      const item = room.domain.live.addItem(fixture.organiser, fixture.sessionId, { title: "Opening", plannedMinutes: 30 }).id;
      room.domain.live.openRoom(fixture.organiser, fixture.sessionId);
      await room.domain.live.command(fixture.organiser, fixture.sessionId, item, { command: "start" });
      const code = room.domain.sessions.rotateJoinCode(fixture.organiser, fixture.sessionId);
      const [flooder, neighbour] = await Promise.all([joinedGuest(room, code, "A"), joinedGuest(room, code, "B")]);
      const socketOf = async (c: TestClient) => {
        const s = c.socket();
        await connected(s);
        return s;
      };
      const a = await socketOf(flooder.client);
      const b = await socketOf(neighbour.client);
      try {
        const send = (s: typeof a, i: number) => s.emitWithAck("notes:submit", { sessionId: fixture.sessionId, clientId: i.toString(16).padStart(32, "0"), itemId: item, kind: "point", text: `Point ${i}.` });
        const acks = [];
        for (let i = 0; i < NOTE_RATE.points; i++) acks.push(await send(a, i));
        expect(acks.every((x) => x.ok)).toBe(true);
        expect(await send(a, 10_000)).toEqual({ ok: false, error: "notes_rate_limited" });
        expect((await send(b, 20_000)).ok).toBe(true);
      } finally {
        a.disconnect();
        b.disconnect();
      }
    } finally {
      await room.stop();
    }
  });
});

describe("CSP on the pages of a live session", () => {
  it("sends a nonce-based CSP without 'unsafe-inline' on the live room, the notes page, the summary and the review", async () => {
    const fixture = await createSessionFixture(server, { email: "csp-organiser@example.org" });
    const client = server.client();
    await client.signIn("csp-organiser@example.org");
    for (const path of ["", "/live", "/notes", "/capture", "/projector", "/summary", "/review", "/roster", "/people", "/agenda"].map((p) => `/sessions/${fixture.sessionId}${p}`)) {
      const res = await client.get(path);
      expect(res.status, path).toBe(200);
      const csp = res.headers.get("content-security-policy") ?? "";
      expect(csp, path).not.toContain("unsafe-inline");
      expect(csp, path).toMatch(/style-src 'self'(;|$)/);
      const nonce = nonceOf(csp);
      const html = await res.text();
      for (const tag of [...html.matchAll(/<script\b[^>]*>/gi)].map((m) => m[0])) expect(tag, path).toContain(`nonce="${nonce}"`);
      expect(html, path).not.toMatch(/\sstyle="/i);
      expect(html, path).not.toMatch(/\son[a-z]+="/i);
    }
  });
});
