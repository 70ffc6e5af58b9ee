/**
 * The socket handshake authenticates from the session cookie and refuses foreign origins; every
 * command payload is validated; oversized payloads close the connection.
 */
import { io as ioClient, type Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "../../app/realtime/events";
import { connected, createSessionFixture, disconnected, refused, startTestServer, type TestServer } from "../support/server";

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let server: TestServer;
let fixture: Awaited<ReturnType<typeof createSessionFixture>>;
const open: ClientSocket[] = [];

beforeAll(async () => {
  server = await startTestServer();
  fixture = await createSessionFixture(server, { title: "Handshake session" });
  await server.createAccount("someone@example.org");
});

afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

afterAll(async () => {
  await server?.stop();
});

function track<T extends ClientSocket>(socket: T): T {
  open.push(socket);
  return socket;
}

async function signedInClient(email = "someone@example.org") {
  const client = server.client();
  await client.signIn(email);
  return client;
}

describe("handshake", () => {
  it("refuses a connection without a session cookie", async () => {
    const socket = track(server.client().socket());
    expect((await refused(socket)).message).toBe("unauthenticated");
  });

  it("refuses a forged or unknown session cookie", async () => {
    const client = server.client();
    client.cookies.set("parley_session", "a".repeat(32));
    const socket = track(client.socket());
    expect((await refused(socket)).message).toBe("unauthenticated");
  });

  it("accepts a signed-in client from our origin", async () => {
    const client = await signedInClient();
    const socket = track(client.socket());
    await connected(socket);
    expect(socket.connected).toBe(true);
  });

  it("refuses the session cookie after sign-out", async () => {
    const client = await signedInClient();
    const cookie = client.cookieHeader;
    await (await client.post("/sign-out", { intent: "device" })).arrayBuffer();
    // Replay the old cookie deliberately: the token itself must be dead on the server.
    const socket = track(ioClient(server.url, { transports: ["websocket"], reconnection: false, extraHeaders: { cookie, origin: server.url } }));
    expect((await refused(socket)).message).toBe("unauthenticated");
  });

  it("refuses a valid cookie sent from a foreign origin", async () => {
    const client = await signedInClient();
    const socket = track(client.socket({ origin: "http://evil.example" }));
    const error = await refused(socket);
    expect(error).toBeInstanceOf(Error);
    expect(socket.connected).toBe(false);
  });

  it("refuses a foreign origin over long-polling too", async () => {
    const client = await signedInClient();
    const socket = track(ioClient(server.url, { transports: ["polling"], reconnection: false, extraHeaders: { cookie: client.cookieHeader, origin: "http://evil.example" } }));
    await refused(socket);
    expect(socket.connected).toBe(false);
  });

  it("refuses the literal origin null (sandboxed frames)", async () => {
    const client = await signedInClient();
    const socket = track(client.socket({ origin: "null" }));
    await refused(socket);
  });
});

describe("session:enter", () => {
  it.each([
    ["a non-uuid session id", { sessionId: "not-a-uuid" }],
    ["a missing session id", {}],
    ["a number", 42],
    ["a string", "session"],
    ["null", null],
    ["a nested object", { sessionId: { $ne: null } }],
  ])("answers %s with invalid_input", async (_label, payload) => {
    const client = await signedInClient();
    const socket = track(client.socket());
    await connected(socket);
    const ack = await socket.emitWithAck("session:enter", payload as never);
    expect(ack).toEqual({ ok: false, error: "invalid_input" });
    expect(socket.connected).toBe(true);
  });

  it("refuses a session the person does not belong to, without saying whether it exists", async () => {
    const client = await signedInClient();
    const socket = track(client.socket());
    await connected(socket);
    const existing = await socket.emitWithAck("session:enter", { sessionId: fixture.sessionId });
    const unknown = await socket.emitWithAck("session:enter", { sessionId: "00000000-0000-4000-8000-000000000000" });
    expect(existing.ok).toBe(false);
    expect(unknown.ok).toBe(false);
    expect(existing).toEqual(unknown);

    // Not in the room either: the session's events do not reach this socket.
    const leaked: unknown[] = [];
    socket.on("session:updated", (p) => leaked.push(p));
    const organiserClient = server.client();
    await organiserClient.signIn(fixture.email);
    const organiserSocket = track(organiserClient.socket());
    await connected(organiserSocket);
    expect((await organiserSocket.emitWithAck("session:enter", { sessionId: fixture.sessionId })).ok).toBe(true);
    const seen = new Promise((resolve) => organiserSocket.once("session:updated", resolve));
    server.domain.sessions.setStatus(fixture.organiser, fixture.sessionId, "scheduled");
    await seen;
    // A round trip on the outsider's own connection: anything sent before it would have arrived.
    await socket.emitWithAck("session:leave", { sessionId: fixture.sessionId });
    expect(leaked).toEqual([]);
    server.domain.sessions.setStatus(fixture.organiser, fixture.sessionId, "draft");
  });

  it("lets a member enter and answers with the room snapshot", async () => {
    const userId = await server.createAccount("member@example.org");
    server.domain.sessions.putMember(fixture.sessionId, userId, "participant");
    const client = await signedInClient("member@example.org");
    const socket = track(client.socket());
    await connected(socket);
    const ack = await socket.emitWithAck("session:enter", { sessionId: fixture.sessionId });
    expect(ack).toMatchObject({
      ok: true,
      data: {
        state: { session: { id: fixture.sessionId, title: fixture.title, status: "draft", attributionMode: "chatham_house" }, agenda: { items: [], currentItemId: null }, queue: { entries: [], floor: null } },
        role: "participant",
        audience: "room",
        you: { entryId: null, floorEntryId: null },
        joinCode: null,
      },
    });
    // A participant sees presence with small groups merged, never the exact staff view.
    expect(ack.ok && ack.data.presence.exact).toBe(false);
  });

  it("closes the connection on a payload over the 16 KB limit", async () => {
    const client = await signedInClient();
    const socket = track(client.socket());
    await connected(socket);
    const closed = disconnected(socket);
    socket.emit("session:enter", { sessionId: "x".repeat(20 * 1024) }, () => undefined);
    expect(await closed).toMatch(/transport (close|error)/);
    expect(socket.connected).toBe(false);
  });

  it("keeps the connection for a payload just under the limit", async () => {
    const client = await signedInClient();
    const socket = track(client.socket());
    await connected(socket);
    const ack = await socket.emitWithAck("session:enter", { sessionId: "x".repeat(12 * 1024) });
    expect(ack).toEqual({ ok: false, error: "invalid_input" });
    expect(socket.connected).toBe(true);
  });
});
