/**
 * Starts the real Parley server (Express + Remix + socket.io) on an ephemeral loopback port with a
 * temporary database, and gives tests an HTTP client that keeps cookies and sends our Origin.
 * Requires `remix build` to have run (npm test does it).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { io as ioClient, type Socket } from "socket.io-client";
import { startServer, type StartOptions } from "../../server";
import type { ClientToServerEvents, ServerToClientEvents } from "../../app/realtime/events";
import type { SignedInActor } from "../../app/models/actor";

export type TestServer = Awaited<ReturnType<typeof startTestServer>>;

export async function startTestServer(
  env: Record<string, string> = {},
  options: { rateLimits?: StartOptions["rateLimits"]; finaliseSweepMs?: number; load?: StartOptions["load"]; realtime?: StartOptions["realtime"]; /** Let the server log (at env LOG_LEVEL) instead of silencing it. */ logs?: boolean } = {},
) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "parley-test-"));
  const server = await startServer({
    quiet: !options.logs,
    rateLimits: options.rateLimits,
    finaliseSweepMs: options.finaliseSweepMs,
    load: options.load,
    realtime: options.realtime,
    // Load shedding is off unless a test turns it on (BUSY_LAG_MS): a test process shares a busy machine,
    // and a stall of its event loop must not turn a functional test's note into "server_busy". The
    // national-scale demo programme is generated only by the tests that ask for it.
    env: { NODE_ENV: "test", HOST: "127.0.0.1", PORT: "0", DATABASE_PATH: path.join(dir, "test.sqlite"), LOG_LEVEL: "silent", BUSY_LAG_MS: "0", PARLEY_DEMO_NATIONAL: "0", ...env },
  }).catch((e: unknown) => {
    // A refused start leaves no temporary directory behind.
    fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  });
  return {
    ...server,
    dir,
    /** A fresh browser-like client (own cookie jar). */
    client: () => new TestClient(server.url),
    /** Creates an account with a password directly through the domain. */
    async createAccount(email: string, password = "correct horse battery", displayName: string | null = null): Promise<string> {
      const { userId } = server.domain.accounts.findOrCreateAccount(email, displayName);
      const hash = await server.domain.accounts.hashPassword(password);
      server.database.sqlite.prepare("UPDATE users SET password_hash = ? WHERE id = ?").run(hash, userId);
      return userId;
    },
    /** An actor for calling the domain directly in test setup. */
    actorFor(userId: string): SignedInActor {
      const u = server.domain.accounts.getUser(userId)!;
      return { userId, authSessionId: "test", isGuest: u.isGuest, isAdmin: u.isAdmin, displayName: u.displayName, email: u.email };
    },
    async stop() {
      await server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export class TestClient {
  cookies = new Map<string, string>();
  constructor(readonly baseUrl: string) {}

  get cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  private store(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => /max-age=0$/i.test(a.trim()) || /expires=Thu, 01 Jan 1970/i.test(a.trim()));
      if (expired || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async get(pathname: string, init: RequestInit = {}) {
    const res = await fetch(this.baseUrl + pathname, { redirect: "manual", ...init, headers: { cookie: this.cookieHeader, ...(init.headers ?? {}) } });
    this.store(res);
    return res;
  }

  /** Posts a urlencoded form as a same-origin browser would (Origin header set). */
  async post(pathname: string, fields: Record<string, string | string[]> = {}, headers: Record<string, string> = { origin: this.baseUrl }) {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(fields)) for (const item of Array.isArray(v) ? v : [v]) body.append(k, item);
    const res = await fetch(this.baseUrl + pathname, {
      method: "POST",
      redirect: "manual",
      body,
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: this.cookieHeader, ...headers },
    });
    this.store(res);
    return res;
  }

  async signIn(email: string, password = "correct horse battery") {
    const res = await this.post("/sign-in", { email, password, returnTo: "/" });
    if (res.status !== 302) throw new Error(`sign-in failed with ${res.status}`);
    return res;
  }

  /** A socket.io client carrying this client's cookies and our Origin. */
  socket(options: { origin?: string } = {}): Socket<ServerToClientEvents, ClientToServerEvents> {
    return ioClient(this.baseUrl, {
      transports: ["websocket"],
      reconnection: false,
      extraHeaders: { cookie: this.cookieHeader, origin: options.origin ?? this.baseUrl },
    });
  }
}

/** Resolves when the socket connects, rejects with the server's reason when refused. */
export function connected(socket: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", (e) => reject(e));
  });
}

export function disconnected(socket: Socket): Promise<string> {
  return new Promise((resolve) => socket.once("disconnect", (reason) => resolve(reason)));
}

/** Rejects with the server's refusal, or resolves to the error when the handshake is refused. */
export function refused(socket: Socket): Promise<Error> {
  return new Promise((resolve, reject) => {
    socket.once("connect", () => reject(new Error("the handshake was accepted")));
    socket.once("connect_error", (e) => resolve(e));
  });
}

/** Polls `check` until it returns a truthy value (bounded; for conditions with no event to await). */
export async function waitFor<T>(check: () => T | Promise<T>, options: { timeoutMs?: number; intervalMs?: number; what?: string } = {}): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 5_000);
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${options.what ?? "a condition"}`);
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 20));
  }
}

/** True when a response body shows a stack trace (an "    at fn (file:line)" line or a file path with line numbers). */
export function hasStackTrace(body: string): boolean {
  return /^\s*at\s+\S.*[(:]\d+/m.test(body) || /\bat [\w.<>]+ \(/.test(body) || /node_modules\/|\.tsx?:\d+:\d+/.test(body);
}

/** The Set-Cookie line for one cookie name in a response, if any. */
export function setCookieFor(res: Response, name: string): string | undefined {
  return res.headers.getSetCookie().find((line) => line.startsWith(`${name}=`));
}

/** An organiser with a programme and one draft session, made through the domain. */
export async function createSessionFixture(server: TestServer, options: { email?: string; title?: string; attributionMode?: string } = {}) {
  const email = options.email ?? `organiser-${Math.random().toString(36).slice(2, 10)}@example.org`;
  const organiserId = await server.createAccount(email);
  const organiser = server.actorFor(organiserId);
  const { id: programmeId } = server.domain.programmes.create(organiser, { name: "Dialogue programme" });
  const levelId = server.domain.programmes.taxonomy(programmeId).levels[0].id;
  const title = options.title ?? `Roundtable ${Math.random().toString(36).slice(2, 8)}`;
  const { id: sessionId } = server.domain.sessions.create(organiser, programmeId, {
    title,
    kind: "roundtable",
    levelId,
    languages: ["en"],
    timeZone: "Africa/Bamako",
    attributionMode: options.attributionMode ?? "chatham_house",
    noteVisibility: "participants",
  });
  return { email, organiserId, organiser, programmeId, levelId, sessionId, title };
}

/**
 * A session held, finalised and published (version 1, public), through the domain as a room would:
 * one agenda item, the room opened and ended, a draft generated and replaced by `markdown`, the guard's
 * findings overridden, approved and published. An account holder takes part as a participant.
 */
export async function publishedSessionFixture(
  server: TestServer,
  options: { email: string; title: string; participantEmail: string; language: "en" | "fr"; itemTitle: string; markdown: string; overrideReason: string },
) {
  const fixture = await createSessionFixture(server, { email: options.email, title: options.title });
  const { domain } = server;
  const participantId = await server.createAccount(options.participantEmail);
  domain.sessions.putMember(fixture.sessionId, participantId, "participant");
  domain.live.addItem(fixture.organiser, fixture.sessionId, { title: options.itemTitle, plannedMinutes: 20 });
  domain.sessions.setStatus(fixture.organiser, fixture.sessionId, "scheduled");
  domain.live.openRoom(fixture.organiser, fixture.sessionId);
  await domain.live.endRoom(fixture.organiser, fixture.sessionId);
  domain.summaries.generate(fixture.organiser, fixture.sessionId, { language: options.language });
  domain.summaries.save(fixture.organiser, fixture.sessionId, { markdown: options.markdown, version: 1 });
  domain.sessions.setStatus(fixture.organiser, fixture.sessionId, "finalised", { confirmed: true });
  for (const f of domain.summaries.workspace(fixture.organiser, fixture.sessionId).findings) domain.summaries.override(fixture.organiser, fixture.sessionId, { key: f.key, reason: options.overrideReason });
  domain.summaries.approve(fixture.organiser, fixture.sessionId, { version: 2 });
  await domain.summaries.publish(fixture.organiser, fixture.sessionId, {});
  return { ...fixture, participantId };
}

/** The user behind a client's active sign-in cookie, or null. */
export function userIdOf(server: TestServer, client: TestClient): string | null {
  return server.domain.accounts.validateSessionToken(client.cookies.get("parley_session"))?.actor.userId ?? null;
}

/** Whether the server treats this client as signed in (GET /sign-out shows a page only when signed in). */
export async function isSignedIn(client: TestClient): Promise<boolean> {
  const res = await client.get("/sign-out");
  await res.arrayBuffer();
  if (res.status === 200) return true;
  if (res.status === 302) return false;
  throw new Error(`unexpected status ${res.status} from GET /sign-out`);
}

/**
 * Records every payload of one server event on a socket, from now on, and waits for one that matches
 * (event-driven, bounded by a timeout). `from` is a count of payloads already seen: take `count`
 * before an action and pass it to wait only for what the action caused.
 */
export function recordEvents<E extends keyof ServerToClientEvents>(socket: Socket<ServerToClientEvents, ClientToServerEvents>, event: E) {
  type Payload = Parameters<ServerToClientEvents[E]>[0];
  const seen: Payload[] = [];
  const waiters = new Set<() => void>();
  socket.on(event, ((payload: Payload) => {
    seen.push(payload);
    for (const wake of [...waiters]) wake();
  }) as never);
  return {
    seen,
    get count() {
      return seen.length;
    },
    since(from: number): Payload[] {
      return seen.slice(from);
    },
    until(match: (payload: Payload) => boolean, options: { from?: number; timeoutMs?: number; what?: string } = {}): Promise<Payload> {
      const from = options.from ?? 0;
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = seen.slice(from).find(match);
          if (found === undefined) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting for ${options.what ?? `a matching "${String(event)}"`} (${seen.length - from} received)`));
        }, options.timeoutMs ?? 5_000);
        if (!check()) waiters.add(check);
      });
    },
  };
}

/** An account holder with a session role, signed in on their own client. */
export async function signedInMember(server: TestServer, sessionId: string, role: "organiser" | "moderator" | "rapporteur" | "panelist" | "participant" | "observer", displayName: string | null = null) {
  const email = `${role}-${Math.random().toString(36).slice(2, 10)}@example.org`;
  const userId = await server.createAccount(email, undefined, displayName);
  server.domain.sessions.putMember(sessionId, userId, role);
  const client = server.client();
  await client.signIn(email);
  return { userId, email, client, actor: server.actorFor(userId) };
}

/** A guest who joins with the session's join code (as a participant), on their own client. */
export async function joinedGuest(server: TestServer, code: string, displayName: string) {
  const client = server.client();
  const res = await client.post("/join", { code, displayName });
  if (res.status !== 302) throw new Error(`join failed with ${res.status}`);
  const userId = userIdOf(server, client);
  if (!userId) throw new Error("the guest is not signed in after joining");
  return { userId, client, actor: server.actorFor(userId) };
}
