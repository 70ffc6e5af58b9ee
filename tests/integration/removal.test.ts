/**
 * Removing a person from a session, or changing their role, ends their live access at once: their
 * sockets in that session are closed, and a guest who belongs nowhere else is signed out.
 */
import type { Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "../../app/realtime/events";
import {
  connected,
  createSessionFixture,
  disconnected,
  isSignedIn,
  refused,
  startTestServer,
  userIdOf,
  type TestClient,
  type TestServer,
} from "../support/server";

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let server: TestServer;
let fixture: Awaited<ReturnType<typeof createSessionFixture>>;
let code: string;
const open: ClientSocket[] = [];

beforeAll(async () => {
  server = await startTestServer();
  fixture = await createSessionFixture(server, { title: "Roundtable on mass atrocity prevention" });
  code = server.domain.sessions.rotateJoinCode(fixture.organiser, fixture.sessionId);
});

afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

afterAll(async () => {
  await server?.stop();
});

async function joinAsGuest(joinCode = code, displayName = "Guest") {
  const client = server.client();
  const res = await client.post("/join", { code: joinCode, displayName });
  expect(res.status).toBe(302);
  return { client, userId: userIdOf(server, client)! };
}

async function enteredSocket(client: TestClient, sessionId = fixture.sessionId) {
  const socket = client.socket();
  open.push(socket);
  await connected(socket);
  const ack = await socket.emitWithAck("session:enter", { sessionId });
  expect(ack.ok).toBe(true);
  return { socket, ack };
}

describe("removal", () => {
  it("disconnects a removed guest's socket, refuses their next handshake and signs them out", async () => {
    const { client, userId } = await joinAsGuest(code, "Removed guest");
    const { socket, ack } = await enteredSocket(client);
    expect(ack).toMatchObject({ ok: true, data: { role: "participant", state: { session: { id: fixture.sessionId } } } });
    const before = await client.get(`/sessions/${fixture.sessionId}`);
    expect(before.status).toBe(200);
    expect(await before.text()).toContain(fixture.title);

    const gone = disconnected(socket);
    server.domain.sessions.removeMember(fixture.organiser, fixture.sessionId, userId);
    expect(await gone).toBe("io server disconnect");

    const again = client.socket();
    open.push(again);
    expect((await refused(again)).message).toBe("unauthenticated");

    expect(await isSignedIn(client)).toBe(false);
    const page = await client.get(`/sessions/${fixture.sessionId}`);
    expect(page.status).toBe(302);
    expect(page.headers.get("location")).toMatch(/^\/sign-in\?returnTo=/);
    expect(server.domain.sessions.listForUserId(userId)).toEqual([]);
  });

  it("keeps a removed guest who belongs to another session signed in, but out of the room they left", async () => {
    const other = await createSessionFixture(server, { title: "Another session" });
    const otherCode = server.domain.sessions.rotateJoinCode(other.organiser, other.sessionId);
    const { client, userId } = await joinAsGuest(otherCode, "Two sessions");
    // Each join by a guest makes a new identity, so put this one in the first session directly.
    server.domain.sessions.putMember(fixture.sessionId, userId, "participant");

    const { socket } = await enteredSocket(client);
    const before = await client.get(`/sessions/${fixture.sessionId}`);
    expect(before.status).toBe(200);
    await before.arrayBuffer();
    const gone = disconnected(socket);
    server.domain.sessions.removeMember(fixture.organiser, fixture.sessionId, userId);
    expect(await gone).toBe("io server disconnect");

    expect(await isSignedIn(client)).toBe(true);
    const again = client.socket();
    open.push(again);
    await connected(again);
    const refusedEntry = await again.emitWithAck("session:enter", { sessionId: fixture.sessionId });
    expect(refusedEntry.ok).toBe(false);
    const stillIn = await again.emitWithAck("session:enter", { sessionId: other.sessionId });
    expect(stillIn.ok).toBe(true);

    const page = await client.get(`/sessions/${fixture.sessionId}`);
    expect(page.status).toBe(404);
    expect(await page.text()).not.toContain(fixture.title);
    const stillThere = await client.get(`/sessions/${other.sessionId}`);
    expect(stillThere.status).toBe(200);
    await stillThere.arrayBuffer();
  });

  it("disconnects a removed account holder's socket without signing them out", async () => {
    const userId = await server.createAccount("expert@example.org");
    server.domain.sessions.putMember(fixture.sessionId, userId, "panelist");
    const client = server.client();
    await client.signIn("expert@example.org");
    const { socket } = await enteredSocket(client);
    const before = await client.get(`/sessions/${fixture.sessionId}`);
    expect(before.status).toBe(200);
    await before.arrayBuffer();

    const gone = disconnected(socket);
    server.domain.sessions.removeMember(fixture.organiser, fixture.sessionId, userId);
    expect(await gone).toBe("io server disconnect");

    expect(await isSignedIn(client)).toBe(true);
    const after = await client.get(`/sessions/${fixture.sessionId}`);
    expect(after.status).toBe(404);
    expect(await after.text()).not.toContain(fixture.title);
    const again = client.socket();
    open.push(again);
    await connected(again);
    expect((await again.emitWithAck("session:enter", { sessionId: fixture.sessionId })).ok).toBe(false);
  });
});

describe("role change", () => {
  it("disconnects the person's socket; they come back under the new role", async () => {
    const { client, userId } = await joinAsGuest(code, "Promoted");
    const { socket } = await enteredSocket(client);

    const gone = disconnected(socket);
    server.domain.sessions.changeMemberRole(fixture.organiser, fixture.sessionId, userId, "observer");
    expect(await gone).toBe("io server disconnect");

    // Still a member, still signed in: a fresh connection enters under the new role.
    expect(await isSignedIn(client)).toBe(true);
    const again = client.socket();
    open.push(again);
    await connected(again);
    const ack = await again.emitWithAck("session:enter", { sessionId: fixture.sessionId });
    expect(ack).toMatchObject({ ok: true, data: { role: "observer" } });
  });

  it("leaves other people's sockets in the room connected", async () => {
    const changed = await joinAsGuest(code, "Changed");
    const bystander = await joinAsGuest(code, "Bystander");
    const { socket: changedSocket } = await enteredSocket(changed.client);
    const { socket: bystanderSocket } = await enteredSocket(bystander.client);

    const gone = disconnected(changedSocket);
    server.domain.sessions.changeMemberRole(fixture.organiser, fixture.sessionId, changed.userId, "rapporteur");
    await gone;

    // The bystander still receives the room's events.
    const updated = new Promise<{ sessionId: string; status: string }>((resolve) => bystanderSocket.once("session:updated", resolve));
    server.domain.sessions.setStatus(fixture.organiser, fixture.sessionId, "scheduled");
    expect(await updated).toMatchObject({ sessionId: fixture.sessionId, status: "scheduled" });
    expect(bystanderSocket.connected).toBe(true);
    server.domain.sessions.setStatus(fixture.organiser, fixture.sessionId, "draft");
  });
});
