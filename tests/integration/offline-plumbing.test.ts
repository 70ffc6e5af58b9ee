/**
 * The server side of the offline shell and of the device wipe: /healthz, the service worker and the
 * shell served as static files under the same strict CSP (no inline script or style), and the wipe
 * asked for by a cookie set at "sign out and wipe this device", never by the address alone.
 */
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { setCookieFor, startTestServer, type TestServer } from "../support/server";

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server?.stop();
});

describe("offline plumbing", () => {
  it("answers /healthz with no-store and no cookie", async () => {
    const res = await server.client().get("/healthz");
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("ok");
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.getSetCookie()).toEqual([]);
  });

  it("serves the service worker and the shell for revalidation on every visit, under the strict CSP", async () => {
    const client = server.client();
    for (const file of ["/sw.js", "/offline/capture.html", "/offline/capture.js", "/offline/capture.css"]) {
      const res = await client.get(file);
      expect(res.status, file).toBe(200);
      expect(res.headers.get("cache-control"), file).toBe("no-cache");
      const csp = res.headers.get("content-security-policy") ?? "";
      expect(csp, file).toContain("script-src 'self' 'nonce-");
      expect(csp, file).toContain("style-src 'self'");
      expect(csp, file).toContain("worker-src 'self'");
    }
    const html = await (await client.get("/offline/capture.html")).text();
    // No inline script or style: every <script> has a src, no style attribute or element.
    expect(html.match(/<script\b[^>]*>/g)).toEqual(['<script src="/offline/capture.js" defer>']);
    expect(html).not.toMatch(/\sstyle=|<style/);
  });

  it("caches only the shell: the service worker's list of files and pages is what the spec allows", () => {
    const sw = fs.readFileSync(path.join(import.meta.dirname, "../../public/sw.js"), "utf8");
    const files = /const SHELL_FILES = \[([^\]]*)\]/.exec(sw)?.[1];
    expect(files?.replace(/\s/g, "")).toBe('SHELL_PAGE,"/offline/capture.js","/offline/capture.css"');
    // The one place it writes to a cache is the install step, with that list.
    expect(sw.match(/cache\.(put|add|addAll)\(/g)).toEqual(["cache.addAll("]);
  });

  it("asks the next home page to wipe the device after 'sign out and wipe', and only then", async () => {
    const userId = await server.createAccount("wipe@offline.test");
    expect(userId).toBeTruthy();
    const client = server.client();
    await client.signIn("wipe@offline.test");
    const res = await client.post("/sign-out", { intent: "wipe" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/?wiped=1");
    expect(res.headers.get("clear-site-data")).toContain('"storage"');
    expect(setCookieFor(res, "parley_wipe")).toMatch(/HttpOnly/i);

    const home = await client.get("/?wiped=1&_data=routes%2F_index");
    expect(await home.json()).toMatchObject({ signedIn: false, wipe: true });
    expect(setCookieFor(home, "parley_wipe")).toMatch(/Max-Age=0/i);
    // Once only; and a link to /?wiped=1 alone wipes nothing.
    expect(await (await client.get("/?wiped=1&_data=routes%2F_index")).json()).toMatchObject({ signedIn: false, wipe: false });
    expect(await (await server.client().get("/?wiped=1&_data=routes%2F_index")).json()).toMatchObject({ signedIn: false, wipe: false });
  });

  it("sends no Clear-Site-Data where the browser has no secure context (plain http, not loopback), so the wipe cookie is kept", async () => {
    await server.createAccount("field@offline.test");
    const client = server.client();
    await client.signIn("field@offline.test");
    // fetch cannot set Host: a raw request as a phone on the field laptop's network sends it.
    const host = `field.test:${server.port}`;
    const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const req = http.request(`${server.url}/sign-out`, {
        method: "POST",
        headers: { host, origin: `http://${host}`, cookie: client.cookieHeader, "content-type": "application/x-www-form-urlencoded" },
      });
      req.on("response", (r) => {
        r.resume();
        resolve(r);
      });
      req.on("error", reject);
      req.end("intent=wipe");
    });
    expect(res.statusCode).toBe(302);
    expect(res.headers["clear-site-data"]).toBeUndefined();
    expect(res.headers["set-cookie"]?.find((c) => c.startsWith("parley_wipe="))).toMatch(/^parley_wipe=1;/);
  });

  it("does not ask for a wipe on a normal sign-out", async () => {
    await server.createAccount("normal@offline.test");
    const client = server.client();
    await client.signIn("normal@offline.test");
    const res = await client.post("/sign-out", { intent: "device" });
    expect(res.status).toBe(302);
    expect(res.headers.get("clear-site-data")).toBeNull();
    expect(setCookieFor(res, "parley_wipe")).toBeUndefined();
  });
});
