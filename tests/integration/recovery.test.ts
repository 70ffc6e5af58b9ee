/**
 * Connection-state recovery: a socket whose transport drops gets its rooms and missed events back,
 * unless the person's role changed (or they were removed) while it was away. Then nothing is
 * replayed and the client starts afresh (SPEC section 7).
 */
import { io as ioClient, type Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "../../app/realtime/events";
import { connected, createSessionFixture, refused, startTestServer, userIdOf, type TestClient, type TestServer } from "../support/server";

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
type Updated = Parameters<ServerToClientEvents["session:updated"]>[0];

let server: TestServer;
let fixture: Awaited<ReturnType<typeof createSessionFixture>>;
let code: string;
const open: ClientSocket[] = [];

beforeAll(async () => {
  server = await startTestServer();
  fixture = await createSessionFixture(server, { title: "Recovery session" });
  code = server.domain.sessions.rotateJoinCode(fixture.organiser, fixture.sessionId);
});

afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

afterAll(async () => {
  await server?.stop();
});

/** A reconnecting client (recovery only happens on a reconnection of the same client socket). */
function recoveringSocket(client: TestClient): ClientSocket {
  const socket: ClientSocket = ioClient(server.url, {
    transports: ["websocket"],
    reconnection: true,
    reconnectionDelay: 20,
    reconnectionDelayMax: 50,
    extraHeaders: { cookie: client.cookieHeader, origin: server.url },
  });
  open.push(socket);
  return socket;
}

function nextUpdate(socket: ClientSocket): Promise<Updated> {
  return new Promise((resolve) => socket.once("session:updated", resolve));
}

let titleCounter = 0;
/** Changes the session's title through the domain: a room event ("session:updated") to everyone in it. */
function retitle(): string {
  const title = `Recovery session, take ${++titleCounter}`;
  const view = server.domain.sessions.get(fixture.organiser, fixture.sessionId).session;
  server.domain.sessions.update(fixture.organiser, fixture.sessionId, {
    title,
    kind: view.kind,
    levelId: view.levelId,
    languages: view.languages,
    timeZone: view.timeZone,
    attributionMode: view.attributionMode,
    noteVisibility: view.noteVisibility,
  });
  return title;
}

/**
 * A guest in the room whose socket has received one room event (so it holds a recovery offset), then
 * loses its transport. Resolves once both ends have seen the disconnection; automatic reconnection
 * is held back until `reconnect()` so that what happens "while away" happens while away.
 */
async function guestWhoDropsOut() {
  const client = server.client();
  const res = await client.post("/join", { code, displayName: "Flaky network" });
  expect(res.status).toBe(302);
  const userId = userIdOf(server, client)!;

  const socket = recoveringSocket(client);
  await connected(socket);
  expect((await socket.emitWithAck("session:enter", { sessionId: fixture.sessionId })).ok).toBe(true);
  const first = nextUpdate(socket);
  const firstTitle = retitle();
  expect((await first).title).toBe(firstTitle);

  const serverSocket = server.io.of("/").sockets.get(socket.id!);
  expect(serverSocket).toBeDefined();
  const serverSaw = new Promise<string>((resolve) => serverSocket!.once("disconnect", (reason) => resolve(reason)));
  const clientSaw = new Promise<string>((resolve) => socket.once("disconnect", (reason) => resolve(reason)));
  socket.io.reconnection(false);
  socket.io.engine.close();
  expect(await clientSaw).toMatch(/^(forced|transport) close$/);
  // The server sees the socket closed or, when the close races a write, a transport error: both are a
  // lost transport, which socket.io recovers (an explicit disconnect would not be).
  expect(await serverSaw).toMatch(/^transport (close|error)$/);

  return {
    client,
    userId,
    socket,
    /** Lets the client reconnect as it would on its own, and resolves on the next connect. */
    async reconnect() {
      const back = connected(socket);
      socket.io.reconnection(true);
      socket.connect();
      await back;
    },
  };
}

describe("connection-state recovery", () => {
  it("recovers a socket that only lost its transport, with the events it missed", async () => {
    const { socket, reconnect } = await guestWhoDropsOut();
    const missed: Updated[] = [];
    socket.on("session:updated", (p) => missed.push(p));
    const whileAway = retitle();

    await reconnect();
    expect(socket.recovered).toBe(true);
    // The missed event is replayed on recovery; the room membership came back with it.
    expect(missed.map((p) => p.title)).toContain(whileAway);
    const after = nextUpdate(socket);
    const later = retitle();
    expect((await after).title).toBe(later);
  });

  it("does not recover a socket whose role changed while it was away, nor replay what it missed", async () => {
    const { socket, userId, reconnect } = await guestWhoDropsOut();
    const replayed: Updated[] = [];
    socket.on("session:updated", (p) => replayed.push(p));
    server.domain.sessions.changeMemberRole(fixture.organiser, fixture.sessionId, userId, "observer");
    const whileAway = retitle();

    await reconnect();
    expect(socket.recovered).toBe(false);
    // A fresh connection: not in the room until it enters again, under the new role.
    const ack = await socket.emitWithAck("session:enter", { sessionId: fixture.sessionId });
    expect(ack).toMatchObject({ ok: true, data: { role: "observer" } });
    expect(replayed.map((p) => p.title)).not.toContain(whileAway);
  });

  it("does not recover a removed guest: the reconnection is refused outright", async () => {
    const { socket, userId } = await guestWhoDropsOut();
    const replayed: Updated[] = [];
    socket.on("session:updated", (p) => replayed.push(p));
    server.domain.sessions.removeMember(fixture.organiser, fixture.sessionId, userId);
    retitle();

    const refusal = refused(socket);
    socket.connect();
    expect((await refusal).message).toBe("unauthenticated");
    expect(socket.connected).toBe(false);
    expect(replayed).toEqual([]);
  });

  it("does not recover a removed account holder who is still signed in", async () => {
    const userId = await server.createAccount(`panelist-${Date.now()}@example.org`);
    const email = server.domain.accounts.getUser(userId)!.email!;
    server.domain.sessions.putMember(fixture.sessionId, userId, "panelist");
    const client = server.client();
    await client.signIn(email);

    const socket = recoveringSocket(client);
    await connected(socket);
    expect((await socket.emitWithAck("session:enter", { sessionId: fixture.sessionId })).ok).toBe(true);
    const first = nextUpdate(socket);
    retitle();
    await first;

    const serverSocket = server.io.of("/").sockets.get(socket.id!)!;
    const serverSaw = new Promise<string>((resolve) => serverSocket.once("disconnect", (reason) => resolve(reason)));
    socket.io.reconnection(false);
    socket.io.engine.close();
    // The server sees the socket closed or, when the close races a write, a transport error: both are a
  // lost transport, which socket.io recovers (an explicit disconnect would not be).
  expect(await serverSaw).toMatch(/^transport (close|error)$/);

    server.domain.sessions.removeMember(fixture.organiser, fixture.sessionId, userId);
    const replayed: Updated[] = [];
    socket.on("session:updated", (p) => replayed.push(p));
    const whileAway = retitle();

    const back = connected(socket);
    socket.io.reconnection(true);
    socket.connect();
    await back;
    expect(socket.recovered).toBe(false);
    expect(replayed.map((p) => p.title)).not.toContain(whileAway);
    expect((await socket.emitWithAck("session:enter", { sessionId: fixture.sessionId })).ok).toBe(false);
  });

  it("does not recover a socket whose sign-in session ended while it was away", async () => {
    const { socket, client, reconnect } = await guestWhoDropsOut();
    const other = server.client();
    other.cookies.set("parley_session", client.cookies.get("parley_session")!);
    await (await other.post("/sign-out", { intent: "device" })).arrayBuffer();
    const refusal = refused(socket);
    void reconnect().catch(() => undefined);
    expect((await refusal).message).toBe("unauthenticated");
  });
});
