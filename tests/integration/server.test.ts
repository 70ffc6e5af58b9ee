/**
 * The composition root: where it listens, the schema it applies, and demo mode (only outside
 * production, never with accounts of known passwords in a production start).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startServer } from "../../server";
import { setCookieFor, startTestServer, type TestServer } from "../support/server";

const DEMO_PASSWORD = "parley-demo-2026";

type Running = Pick<TestServer, "database">;

function tables(server: Running): string[] {
  return (server.database.sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
}

function demoAccounts(server: Running): number {
  return (server.database.sqlite.prepare("SELECT count(*) AS n FROM users WHERE email LIKE '%@demo.parley.test'").get() as { n: number }).n;
}

describe("a default start", () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let dir: string;
  beforeAll(async () => {
    // No HOST: the server's own default applies.
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "parley-default-"));
    server = await startServer({ quiet: true, env: { NODE_ENV: "test", PORT: "0", DATABASE_PATH: path.join(dir, "db.sqlite") } });
  });
  afterAll(async () => {
    await server?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("binds the loopback address only", async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.port).toBeGreaterThan(0);
    const res = await fetch(`${server.url}/`);
    expect(res.status).toBe(200);
    await res.arrayBuffer();
  });

  it("applies the migrations", () => {
    const names = tables(server);
    for (const t of ["users", "auth_sessions", "account_tokens", "programmes", "programme_members", "levels", "localities", "dialogue_sessions", "session_members", "roster_entries", "invitations", "audit_log"]) {
      expect(names).toContain(t);
    }
    const applied = server.database.sqlite.prepare("SELECT count(*) AS n FROM __drizzle_migrations").get() as { n: number };
    expect(applied.n).toBeGreaterThan(0);
    expect(server.database.sqlite.pragma("foreign_keys", { simple: true })).toBe(1);
    expect(server.database.sqlite.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(server.database.sqlite.pragma("secure_delete", { simple: true })).toBe(1);
  });

  it("creates no demo account outside demo mode", () => {
    expect(demoAccounts(server)).toBe(0);
  });
});

describe("demo mode", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ PARLEY_DEMO: "1" });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("seeds the demo accounts, and the organiser signs in with the demo password", async () => {
    expect(demoAccounts(server)).toBeGreaterThanOrEqual(8);
    const client = server.client();
    const res = await client.post("/sign-in", { email: "organiser@demo.parley.test", password: DEMO_PASSWORD, returnTo: "/" });
    expect(res.status).toBe(302);
    expect(setCookieFor(res, "parley_session")).toBeDefined();
    const home = await client.get("/");
    const body = await home.text();
    expect(body).toContain("Protection of civilians: national dialogue (demo)");
  });

  it("opens sign-up in demo mode", async () => {
    const res = await server.client().get("/sign-up");
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('name="password"');
  });
});

describe("production", () => {
  it("refuses to start with PARLEY_DEMO", async () => {
    await expect(startTestServer({ NODE_ENV: "production", PARLEY_DEMO: "1" })).rejects.toThrow(/PARLEY_DEMO/);
  });

  it("starts without any demo account, with Secure cookies and HSTS", async () => {
    const server = await startTestServer({ NODE_ENV: "production" });
    try {
      expect(demoAccounts(server)).toBe(0);
      expect((server.database.sqlite.prepare("SELECT count(*) AS n FROM users").get() as { n: number }).n).toBe(0);
      const demo = await server.client().post("/sign-in", { email: "organiser@demo.parley.test", password: DEMO_PASSWORD });
      expect(setCookieFor(demo, "parley_session")).toBeUndefined();
      await demo.arrayBuffer();

      await server.createAccount("admin@example.org");
      const res = await server.client().post("/sign-in", { email: "admin@example.org", password: "correct horse battery" });
      expect(res.status).toBe(302);
      expect(setCookieFor(res, "parley_session")).toMatch(/;\s*Secure/i);
      const page = await server.client().get("/sign-in");
      expect(page.headers.get("strict-transport-security")).toContain("max-age=");
      await page.arrayBuffer();
    } finally {
      await server.stop();
    }
  });

  it("keeps sign-up closed by default", async () => {
    const server = await startTestServer({ NODE_ENV: "production" });
    try {
      const res = await server.client().post("/sign-up", { email: "someone@example.org", password: "a long enough password" });
      expect(res.status).toBe(403);
      expect(setCookieFor(res, "parley_session")).toBeUndefined();
      await res.arrayBuffer();
    } finally {
      await server.stop();
    }
  });
});
