/**
 * Joining a session with its code as a guest, coming back as oneself, and several guests sharing one
 * phone (the device cookie and "switch participant").
 */
import { createSessionFixture, hasStackTrace, setCookieFor, startTestServer, userIdOf, type TestServer } from "../support/server";

let server: TestServer;
let fixture: Awaited<ReturnType<typeof createSessionFixture>>;
let code: string;

beforeAll(async () => {
  server = await startTestServer();
  fixture = await createSessionFixture(server, { title: "Commune dialogue in Bandiagara" });
  code = server.domain.sessions.rotateJoinCode(fixture.organiser, fixture.sessionId);
});

afterAll(async () => {
  await server?.stop();
});

function members(sessionId = fixture.sessionId) {
  return server.domain.sessions.listMembers(fixture.organiser, sessionId);
}

/** A valid-looking code that is not this session's. */
function otherCode(than: string) {
  const alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
  const first = alphabet[(alphabet.indexOf(than[0]) + 1) % alphabet.length];
  return first + than.slice(1);
}

describe("join by code", () => {
  it("admits a guest with a display name and sends them to the session", async () => {
    const guest = server.client();
    const res = await guest.post("/join", { code, displayName: "Oumar" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`/sessions/${fixture.sessionId}`);
    expect(setCookieFor(res, "parley_session")).toMatch(/HttpOnly/i);
    const guestId = userIdOf(server, guest)!;
    expect(members().find((m) => m.userId === guestId)).toMatchObject({ role: "participant", isGuest: true, displayName: "Oumar", email: null });

    const home = await guest.get("/");
    expect(await home.text()).toContain(fixture.title);
  });

  it("accepts the code in lower case with a dash and spaces", async () => {
    const typed = ` ${code.slice(0, 4).toLowerCase()}-${code.slice(4).toLowerCase()} `;
    const guest = server.client();
    const res = await guest.post("/join", { code: typed });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`/sessions/${fixture.sessionId}`);
    expect(userIdOf(server, guest)).not.toBeNull();
  });

  it("refuses an unknown code with a field error and keeps what was typed", async () => {
    const guest = server.client();
    const wrong = otherCode(code);
    const res = await guest.post("/join", { code: wrong, displayName: "Kadiatou" });
    expect(res.status).toBe(400);
    const body = await res.text();
    expect(body).toContain("No open session has this join code.");
    expect(body).toContain('aria-invalid="true"');
    expect(body).toContain(`value="${wrong}"`);
    expect(body).toContain('value="Kadiatou"');
    expect(hasStackTrace(body)).toBe(false);
    expect(setCookieFor(res, "parley_session")).toBeUndefined();
  });

  it.each([["12"], ["ABCD-EFG!"], [""], ["O0O0O0O0"], ["x".repeat(39)]])("refuses the malformed code %j with 400", async (bad) => {
    const res = await server.client().post("/join", { code: bad });
    expect(res.status).toBe(400);
    const body = await res.text();
    expect(hasStackTrace(body)).toBe(false);
    expect(setCookieFor(res, "parley_session")).toBeUndefined();
  });

  it("explains the code's shape for a code of the wrong length", async () => {
    const res = await server.client().post("/join", { code: "ABC" });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("A join code has 8 letters and digits.");
  });
});

describe("coming back and sharing a phone", () => {
  it("lets a guest who posts the code again continue as themselves", async () => {
    const guest = server.client();
    await guest.post("/join", { code, displayName: "Fanta" });
    const token = guest.cookies.get("parley_session");
    const userId = userIdOf(server, guest);
    const before = members().length;

    const res = await guest.post("/join", { code, displayName: "Fanta again" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`/sessions/${fixture.sessionId}`);
    expect(setCookieFor(res, "parley_session")).toBeUndefined();
    expect(guest.cookies.get("parley_session")).toBe(token);
    expect(userIdOf(server, guest)).toBe(userId);
    expect(members()).toHaveLength(before);
  });

  it("makes a second identity with `another`, keeps the first on the device, and switches between them", async () => {
    const phone = server.client();
    await phone.post("/join", { code, displayName: "First person" });
    const firstToken = phone.cookies.get("parley_session")!;
    const firstId = userIdOf(server, phone)!;
    const before = members().length;

    const res = await phone.post("/join", { code, displayName: "Second person", another: "on" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`/sessions/${fixture.sessionId}`);
    const secondToken = phone.cookies.get("parley_session")!;
    const secondId = userIdOf(server, phone)!;
    expect(secondToken).not.toBe(firstToken);
    expect(secondId).not.toBe(firstId);
    expect(phone.cookies.get("parley_device")?.split(".")).toEqual([firstToken]);
    expect(members()).toHaveLength(before + 1);
    // The first identity is still valid on the server.
    expect(server.domain.accounts.validateSessionToken(firstToken)?.actor.userId).toBe(firstId);

    const list = await phone.get("/switch");
    expect(list.status).toBe(200);
    const page = await list.text();
    expect(page).toContain("First person");
    expect(page).toContain("Second person");
    const choices = [...page.matchAll(/name="identity" value="([0-9a-f]{64})"/g)].map((m) => m[1]);
    expect(choices).toHaveLength(1);

    const switched = await phone.post("/switch", { identity: choices[0] });
    expect(switched.status).toBe(302);
    expect(phone.cookies.get("parley_session")).toBe(firstToken);
    expect(userIdOf(server, phone)).toBe(firstId);
    expect(phone.cookies.get("parley_device")?.split(".")).toEqual([secondToken]);

    const home = await phone.get("/");
    expect(await home.text()).toContain("First person");
  });

  it("ignores a switch to an identity that is not on this device", async () => {
    const phone = server.client();
    await phone.post("/join", { code, displayName: "Only me" });
    const token = phone.cookies.get("parley_session");
    const stranger = server.client();
    await stranger.post("/join", { code, displayName: "Stranger" });
    const strangerSession = server.domain.accounts.validateSessionToken(stranger.cookies.get("parley_session"))!.actor.authSessionId;

    const res = await phone.post("/switch", { identity: strangerSession });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/switch");
    expect(phone.cookies.get("parley_session")).toBe(token);
  });
});

describe("codes and session status", () => {
  it("stops the old code from working once the code is rotated", async () => {
    const rotating = await createSessionFixture(server, { title: "Rotating code session" });
    const oldCode = server.domain.sessions.rotateJoinCode(rotating.organiser, rotating.sessionId);
    const newCode = server.domain.sessions.rotateJoinCode(rotating.organiser, rotating.sessionId);
    expect(newCode).not.toBe(oldCode);

    const refused = await server.client().post("/join", { code: oldCode });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("No open session has this join code.");

    const accepted = await server.client().post("/join", { code: newCode });
    expect(accepted.status).toBe(302);
    expect(accepted.headers.get("location")).toBe(`/sessions/${rotating.sessionId}`);
  });

  it("refuses to admit anyone to a finalised session", async () => {
    const done = await createSessionFixture(server, { title: "Finalised session" });
    const doneCode = server.domain.sessions.rotateJoinCode(done.organiser, done.sessionId);
    for (const to of ["live", "ended"] as const) server.domain.sessions.setStatus(done.organiser, done.sessionId, to);
    server.domain.sessions.setStatus(done.organiser, done.sessionId, "finalised", { confirmed: true });
    const before = server.domain.sessions.listMembers(done.organiser, done.sessionId).length;

    const guest = server.client();
    const res = await guest.post("/join", { code: doneCode, displayName: "Too late" });
    expect(res.status).toBe(410);
    const body = await res.text();
    expect(body).toContain("This session is closed to new participants.");
    expect(hasStackTrace(body)).toBe(false);
    expect(setCookieFor(res, "parley_session")).toBeUndefined();
    expect(server.domain.sessions.listMembers(done.organiser, done.sessionId)).toHaveLength(before);
  });

  it("admits an account holder under their own account, without a guest identity", async () => {
    await server.createAccount("member@example.org");
    const client = server.client();
    await client.signIn("member@example.org");
    const token = client.cookies.get("parley_session");
    const userId = userIdOf(server, client);
    const res = await client.post("/join", { code });
    expect(res.status).toBe(302);
    expect(client.cookies.get("parley_session")).toBe(token);
    expect(members().find((m) => m.userId === userId)).toMatchObject({ role: "participant", isGuest: false });
  });
});
