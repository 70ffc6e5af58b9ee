/**
 * Starts the real Parley server (Express + Remix + socket.io) on an ephemeral loopback port with a
 * temporary database, and gives tests an HTTP client that keeps cookies and sends our Origin.
 * Requires `remix build` to have run (npm test does it).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { io as ioClient, type Socket } from "socket.io-client";
import { startServer } from "../../server";
import type { ClientToServerEvents, ServerToClientEvents } from "../../app/realtime/events";
import type { SignedInActor } from "../../app/models/actor";

export type TestServer = Awaited<ReturnType<typeof startTestServer>>;

export async function startTestServer(env: Record<string, string> = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "parley-test-"));
  const server = await startServer({
    quiet: true,
    env: { NODE_ENV: "test", HOST: "127.0.0.1", PORT: "0", DATABASE_PATH: path.join(dir, "test.sqlite"), LOG_LEVEL: "silent", ...env },
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
