/**
 * Personal invitation links over HTTP: a GET (link preview, mail scanner) never consumes; the POST
 * from the "Join" button does, once; used, revoked, expired and unknown links get clear pages.
 */
import { createSessionFixture, hasStackTrace, isSignedIn, setCookieFor, startTestServer, userIdOf, type TestServer } from "../support/server";

let server: TestServer;
let fixture: Awaited<ReturnType<typeof createSessionFixture>>;

beforeAll(async () => {
  server = await startTestServer();
  fixture = await createSessionFixture(server, { title: "Protection of civilians roundtable" });
});

afterAll(async () => {
  await server?.stop();
});

function invite(role = "participant") {
  const [created] = server.domain.invitations.create(fixture.organiser, fixture.sessionId, { role });
  return created;
}

function stateOf(invitationId: string) {
  return server.domain.invitations.list(fixture.organiser, fixture.sessionId).find((i) => i.id === invitationId)?.state;
}

describe("invitation links", () => {
  it("GET describes the invitation without consuming it, however often it is opened", async () => {
    const { id, token } = invite();
    const preview = server.client();
    for (let i = 0; i < 2; i++) {
      const res = await preview.get(`/invite/${token}`);
      expect(res.status).toBe(200);
      expect(res.headers.get("cache-control")).toContain("no-store");
      const body = await res.text();
      expect(body).toContain(fixture.title);
      expect(body).toContain('name="displayName"');
      expect(setCookieFor(res, "parley_session")).toBeUndefined();
    }
    expect(stateOf(id)).toBe("pending");
  });

  it("POST consumes the link once, signs the guest in and sends them to the session", async () => {
    const { id, token } = invite();
    const guest = server.client();
    const res = await guest.post(`/invite/${token}`, { displayName: "Aminata" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`/sessions/${fixture.sessionId}`);
    const cookie = setCookieFor(res, "parley_session");
    expect(cookie).toMatch(/HttpOnly/i);
    expect(stateOf(id)).toBe("used");

    const guestId = userIdOf(server, guest);
    expect(guestId).not.toBeNull();
    const member = server.domain.sessions.listMembers(fixture.organiser, fixture.sessionId).find((m) => m.userId === guestId);
    expect(member).toMatchObject({ role: "participant", isGuest: true, displayName: "Aminata", email: null });

    // Coming back on the same device: the home page lists the session.
    const home = await guest.get("/");
    expect(home.status).toBe(200);
    const body = await home.text();
    expect(body).toContain(fixture.title);
    expect(body).toContain(`/sessions/${fixture.sessionId}`);

    // A second POST (a forwarded link, another device) is refused and admits nobody.
    const members = server.domain.sessions.listMembers(fixture.organiser, fixture.sessionId).length;
    const other = server.client();
    const second = await other.post(`/invite/${token}`, { displayName: "Someone else" });
    expect(second.status).toBe(410);
    const page = await second.text();
    expect(page).toContain("This invitation has already been used.");
    expect(hasStackTrace(page)).toBe(false);
    expect(setCookieFor(second, "parley_session")).toBeUndefined();
    expect(await isSignedIn(other)).toBe(false);
    expect(server.domain.sessions.listMembers(fixture.organiser, fixture.sessionId)).toHaveLength(members);

    const used = await server.client().get(`/invite/${token}`);
    expect(used.status).toBe(410);
    expect(await used.text()).toContain("This invitation has already been used.");
  });

  it("admits with the role the invitation carries", async () => {
    const { token } = invite("observer");
    const guest = server.client();
    const res = await guest.post(`/invite/${token}`, {});
    expect(res.status).toBe(302);
    const guestId = userIdOf(server, guest)!;
    expect(server.domain.access.sessionRole(guestId, fixture.sessionId)).toBe("observer");
  });

  it("answers a revoked link with 410 and says it was withdrawn", async () => {
    const { id, token } = invite();
    server.domain.invitations.revoke(fixture.organiser, fixture.sessionId, id);
    const res = await server.client().get(`/invite/${token}`);
    expect(res.status).toBe(410);
    const body = await res.text();
    expect(body).toContain("This invitation was withdrawn by the organiser.");
    expect(body).not.toContain('name="displayName"');
    expect(hasStackTrace(body)).toBe(false);

    const client = server.client();
    const post = await client.post(`/invite/${token}`, { displayName: "Late" });
    expect(post.status).toBe(410);
    expect(await post.text()).toContain("This invitation was withdrawn by the organiser.");
    expect(await isSignedIn(client)).toBe(false);
    expect(stateOf(id)).toBe("revoked");
  });

  it("answers an expired link with 410", async () => {
    const { id, token } = invite();
    server.database.sqlite.prepare("UPDATE invitations SET expires_at = ? WHERE id = ?").run(Date.now() - 1000, id);
    const res = await server.client().get(`/invite/${token}`);
    expect(res.status).toBe(410);
    const body = await res.text();
    expect(body).toContain("This invitation has expired.");
    expect(hasStackTrace(body)).toBe(false);

    const client = server.client();
    const post = await client.post(`/invite/${token}`, {});
    expect(post.status).toBe(410);
    expect(await post.text()).toContain("This invitation has expired.");
    expect(await isSignedIn(client)).toBe(false);
    expect(stateOf(id)).toBe("expired");
  });

  it("answers an unknown link with 404, on GET and on POST", async () => {
    const unknown = "b".repeat(32);
    const res = await server.client().get(`/invite/${unknown}`);
    expect(res.status).toBe(404);
    const body = await res.text();
    expect(body).toContain("This invitation link is not valid.");
    expect(hasStackTrace(body)).toBe(false);

    const post = await server.client().post(`/invite/${unknown}`, {});
    expect(post.status).toBe(404);
    expect(hasStackTrace(await post.text())).toBe(false);
  });

  it("refuses a link to a session that is closed to new participants", async () => {
    const closed = await createSessionFixture(server, { title: "A finalised roundtable" });
    const [{ id, token }] = server.domain.invitations.create(closed.organiser, closed.sessionId, { role: "participant" });
    server.domain.sessions.setStatus(closed.organiser, closed.sessionId, "live");
    server.domain.sessions.setStatus(closed.organiser, closed.sessionId, "ended");
    server.domain.sessions.setStatus(closed.organiser, closed.sessionId, "finalised", { confirmed: true });
    const client = server.client();
    const res = await client.post(`/invite/${token}`, {});
    expect(res.status).toBe(410);
    const body = await res.text();
    expect(body).toContain("This session is closed to new participants.");
    expect(hasStackTrace(body)).toBe(false);
    expect(await isSignedIn(client)).toBe(false);
    // The refused join does not burn the link.
    expect(server.domain.invitations.list(closed.organiser, closed.sessionId).find((i) => i.id === id)?.state).toBe("pending");
  });
});
