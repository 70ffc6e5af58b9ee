/**
 * Composition root: reads the configuration, opens the database, builds the one domain instance and
 * mounts Remix and socket.io on one HTTP server bound to 127.0.0.1 unless HOST says otherwise. With
 * REDIS_URL, connects what several processes share (socket.io adapter, speaker queue, presence, rate
 * limits) and injects it; without it everything stays in this process's memory.
 */
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express, { type NextFunction, type Request, type Response } from "express";
import helmet from "helmet";
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { Readable } from "node:stream";
import { fileURLToPath, pathToFileURL } from "node:url";
import { openDatabase } from "./db/database.server";
import { seedDemo } from "./app/demo/seed.server";
import type { ParleyContext } from "./app/context";
import type { Actor } from "./app/models/actor";
import { createDomain } from "./app/models/domain.server";
import { attachRealtime } from "./app/realtime/socket.server";
import { createLoadShedder, type LoadShedderOptions } from "./app/utils/load.server";
import { createLogger } from "./app/utils/log.server";
import { createCookieJar, CSRF_COOKIE, deviceTokens, parseCookies, SESSION_COOKIE } from "./app/utils/cookies.server";
import { publicEnv, readEnv, type Env } from "./app/utils/env.server";
import { allowedOrigins, checkOrigin } from "./app/utils/origin.server";
import { createRateLimits } from "./app/utils/rate-limits.server";
import { connectShared } from "./app/utils/redis.server";
import { bodyLimitFor, MAX_FORM_BYTES, MAX_UPLOAD_BYTES } from "./app/utils/limits";

const ROOT = path.dirname(fileURLToPath(import.meta.url));
/** The largest form body accepted (the no-Origin form path reads as much); files: app/utils/limits.ts. */
export { MAX_FORM_BYTES };

/** What a browser shows for a body over its limit (no stylesheet, no script: it must stand alone). */
const TOO_LARGE_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Too large · Trop volumineux</title></head><body>
<h1>Too large</h1><p>What was sent is too large: a form holds at most ${MAX_FORM_BYTES / 1024} KB, and a file to import at most ${MAX_UPLOAD_BYTES / (1024 * 1024)} MB. Nothing was saved. Go back with your browser's back button.</p>
<h1 lang="fr">Trop volumineux</h1><p lang="fr">Ce qui a été envoyé est trop volumineux\u00a0: un formulaire contient au plus ${MAX_FORM_BYTES / 1024} Ko, et un fichier à importer au plus ${MAX_UPLOAD_BYTES / (1024 * 1024)} Mo. Rien n'a été enregistré. Revenez en arrière avec le bouton «\u00a0Retour\u00a0» du navigateur.</p>
</body></html>`;

type Locals = { nonce: string; csrfToken: string; setCsrfCookie: boolean; actor: Actor; sessionToken: string | null; deviceTokens: string[] };

export type StartOptions = {
  env?: NodeJS.ProcessEnv;
  quiet?: boolean;
  rateLimits?: Parameters<typeof createRateLimits>[0];
  /** How often ended sessions past their grace period are finalised (default every minute). */
  finaliseSweepMs?: number;
  /** How often personal data past its programme's retention period is purged (default daily; also at start). */
  purgeSweepMs?: number;
  /** Load shedding beyond BUSY_LAG_MS (tests use short holds and delays). */
  load?: Omit<Partial<LoadShedderOptions>, "now">;
  /** Bounds on what may wait in memory for one slow client, and how often they are checked. */
  realtime?: { maxBufferedBytes?: number; bufferSweepMs?: number };
};

export async function startServer(options: StartOptions = {}) {
  const env: Env = readEnv(options.env ?? process.env);
  const log = createLogger(options.quiet ? "silent" : env.LOG_LEVEL);
  const database = openDatabase(env.DATABASE_PATH, { fieldMode: env.FIELD_MODE });
  // Several processes: what they share lives in Redis (docs/decisions/099-scale-out.md).
  const shared = env.REDIS_URL
    ? await connectShared(env.REDIS_URL, { log }).catch((e: unknown) => {
        database.close();
        throw e;
      })
    : null;
  const domain = createDomain(database.db, {
    allowSignup: env.ALLOW_SIGNUP,
    invitationTtlDays: env.INVITATION_TTL_DAYS,
    graceMs: env.FINALISE_GRACE_MINUTES * 60_000,
    databaseFile: env.DATABASE_PATH,
    instanceName: env.PARLEY_INSTANCE_NAME,
    queues: shared?.queues,
    limiter: shared?.limiter,
  });
  const cookies = createCookieJar({ secure: env.secureCookies });
  const rateLimits = createRateLimits(options.rateLimits, shared?.limiter);

  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", parseTrustProxy(env.TRUST_PROXY));

  // Per-request CSP nonce, then strict security headers.
  app.use((_req, res, next) => {
    res.locals.nonce = randomBytes(16).toString("base64");
    next();
  });
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          "default-src": ["'self'"],
          "script-src": ["'self'", (_req, res) => `'nonce-${(res as Response).locals.nonce}'`],
          "style-src": ["'self'"],
          "img-src": ["'self'", "data:"],
          "font-src": ["'self'"],
          "connect-src": ["'self'"],
          "object-src": ["'none'"],
          "base-uri": ["'none'"],
          "form-action": ["'self'"],
          "frame-ancestors": ["'none'"],
          "manifest-src": ["'self'"],
          "worker-src": ["'self'"],
          ...(env.secureCookies ? { "upgrade-insecure-requests": [] } : {}),
        },
      },
      strictTransportSecurity: env.secureCookies ? { maxAge: 31536000, includeSubDomains: true } : false,
      crossOriginEmbedderPolicy: false,
      referrerPolicy: { policy: "same-origin" },
    }),
  );
  app.use((_req, res, next) => {
    res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()");
    next();
  });
  app.use(compression());
  // For the offline shell: is the server reachable? Never cached, no cookies, no data.
  app.get("/healthz", (_req, res) => {
    res.setHeader("Cache-Control", "no-store");
    res.type("text/plain").send("ok");
  });
  app.use("/build", express.static(path.join(ROOT, "public/build"), { immutable: true, maxAge: "1y" }));
  app.use(
    express.static(path.join(ROOT, "public"), {
      maxAge: "1h",
      index: false,
      // The service worker and the offline shell it caches are revalidated on every visit.
      setHeaders: (res, file) => {
        if (file.endsWith(`${path.sep}sw.js`) || file.includes(`${path.sep}offline${path.sep}`)) res.setHeader("Cache-Control", "no-cache");
      },
    }),
  );

  // Forms are small (a note is 1,000 characters): a body over its limit (app/utils/limits.ts; more for
  // the pages that take a file) is refused before anything reads it (Node discards the rest), so that
  // large or endless posts cannot grow memory. Browsers always say how long a form is; a body without
  // a length is refused too. The answer is a page in both languages: the app's own cannot be rendered
  // without reading the request.
  app.use((req, res, next) => {
    if (["GET", "HEAD", "OPTIONS"].includes(req.method)) return next();
    const declared = req.headers["content-length"];
    if (declared === undefined && req.headers["transfer-encoding"] !== undefined) return void res.status(411).type("text/plain").send("Length required");
    if (declared !== undefined && !(Number(declared) <= bodyLimitFor(req.path))) return void res.status(413).type("html").send(TOO_LARGE_PAGE);
    next();
  });

  // Who is asking: the sign-in session (sliding expiry) and the CSRF fallback token.
  app.use((req, res, next) => {
    const jar = parseCookies(req.headers.cookie);
    const locals = res.locals as Locals;
    locals.csrfToken = jar[CSRF_COOKIE] && /^[A-Za-z0-9_-]{20,64}$/.test(jar[CSRF_COOKIE]!) ? jar[CSRF_COOKIE]! : randomBytes(18).toString("base64url");
    locals.setCsrfCookie = locals.csrfToken !== jar[CSRF_COOKIE];
    if (locals.setCsrfCookie) res.append("Set-Cookie", cookies.csrf(locals.csrfToken));
    locals.deviceTokens = deviceTokens(jar);
    const token = jar[SESSION_COOKIE] ?? null;
    const validated = domain.accounts.validateSessionToken(token);
    locals.actor = validated?.actor ?? null;
    locals.sessionToken = validated ? token : null;
    if (validated?.refreshed && token) res.append("Set-Cookie", cookies.session(token, validated.expiresAt));
    if (token && !validated) res.append("Set-Cookie", cookies.clearSession());
    next();
  });

  // A body larger than a form (a file to import) only from a signed-in account holder: nobody else
  // may make the server hold megabytes (the pages that take a file are for staff and the laptop's
  // rapporteur; each refuses everyone else anyway).
  app.use((req, res, next) => {
    const actor = (res.locals as Locals).actor;
    if (!(Number(req.headers["content-length"] ?? 0) > MAX_FORM_BYTES) || (actor && !actor.isGuest)) return next();
    return void res.status(413).type("html").send(TOO_LARGE_PAGE);
  });

  // CSRF: every state-changing request must come from our own origin (or carry the form token).
  app.use((req, res, next) => {
    if (["GET", "HEAD", "OPTIONS"].includes(req.method)) return next();
    const verdict = checkOrigin(req.headers, allowedOrigins(env.ORIGIN, req.get("host"), req.protocol));
    if (verdict === "same-origin") return next();
    if (verdict === "cross-origin") return forbidden(res);
    return checkFormToken(req, res, next);
  });

  const build = (await import(pathToFileURL(path.join(ROOT, "build/index.js")).href)) as ServerBuild;
  const remixHandler = createRequestHandler({
    build,
    // Always production mode: development mode would send stack traces to the browser.
    mode: "production",
    getLoadContext: (_req, res): ParleyContext => {
      const locals = res.locals as Locals;
      return {
        domain,
        actor: locals.actor,
        deviceTokens: locals.deviceTokens,
        sessionToken: locals.sessionToken,
        nonce: locals.nonce,
        csrfToken: locals.csrfToken,
        env: publicEnv(env),
        cookies,
        rateLimits,
        clientAddress: _req.ip ?? "unknown",
        publicOrigin: env.ORIGIN?.split(",")[0]?.trim().replace(/\/$/, "") || null,
        invitationTtlDays: env.INVITATION_TTL_DAYS,
      };
    },
  });

  // Old browsers that send neither Origin nor Referer: accept a urlencoded form carrying the token.
  function checkFormToken(req: Request, res: Response, next: NextFunction) {
    const type = req.headers["content-type"] ?? "";
    if (!type.startsWith("application/x-www-form-urlencoded")) return forbidden(res);
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_FORM_BYTES) req.destroy();
      else chunks.push(c);
    });
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const token = new URLSearchParams(body.toString("utf8")).get("_csrf");
      if (!token || token !== (res.locals as Locals).csrfToken || (res.locals as Locals).setCsrfCookie) return forbidden(res);
      // Hand Remix a replay of the body we read.
      const replay = Object.assign(Readable.from([body]), {
        headers: req.headers,
        method: req.method,
        url: req.url,
        originalUrl: req.originalUrl,
        protocol: req.protocol,
        get: req.get.bind(req),
        socket: req.socket,
        ip: req.ip,
      });
      remixHandler(replay as unknown as Request, res, next);
    });
  }

  app.all("*", (req, res, next) => remixHandler(req, res, next));
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    // Errors Express marks as the client's (a malformed %-escape in the path, say) stay 4xx.
    const status = typeof (err as { status?: unknown })?.status === "number" ? (err as { status: number }).status : 500;
    if (status >= 400 && status < 500) {
      if (!res.headersSent) res.status(status).type("text/plain").send("Bad request");
      return;
    }
    log.error("unhandled request error", err);
    if (!res.headersSent) res.status(500).type("text/plain").send("Internal error");
  });

  const server = http.createServer(app);
  // Overload: new notes are refused with "server_busy" while the event loop lags (docs/performance.md).
  const load = createLoadShedder({ maxLagMs: env.BUSY_LAG_MS, ...options.load });
  const realtime = attachRealtime(server, { domain, env, log, load, presence: shared?.presence, adapter: shared?.adapter, ...options.realtime });

  if (env.PARLEY_DEMO) {
    const demo = await seedDemo(domain, database.db, { national: env.PARLEY_DEMO_NATIONAL });
    if (!options.quiet) printDemo(demo);
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(env.PORT, env.HOST, () => resolve());
  }).catch(async (e: unknown) => {
    realtime.detach();
    await new Promise<void>((resolve) => realtime.io.close(() => resolve()));
    await shared?.close();
    database.close();
    throw e;
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${env.HOST.includes(":") ? `[${env.HOST}]` : env.HOST}:${port}`;
  log.info(`Parley listening on ${url}${env.PARLEY_DEMO ? " (demo mode)" : ""}${shared ? " (sharing sessions with other processes through Redis)" : ""}`);

  // Ended sessions finalise by themselves at the end of their grace period (SPEC section 2). With
  // several processes each one sweeps: finalisation is one immediate transaction conditional on the
  // session still being ended, so exactly one of them finalises a session and the others skip it.
  const sweep = () => {
    try {
      const n = domain.sessions.finaliseDue();
      if (n) log.info(`Finalised ${n} session(s) at the end of their grace period`);
    } catch (e) {
      log.error("automatic finalisation failed", e);
    }
  };
  sweep();
  const sweeper = setInterval(sweep, options.finaliseSweepMs ?? 60_000);
  sweeper.unref();

  // Personal data past retention is purged at start and daily (app/models/retention.server.ts). Safe
  // with several processes: each session's purge is one immediate transaction, audited only when it
  // deleted something, so a second process finds nothing left to do.
  const purge = () => {
    try {
      const report = domain.retention.purgeDue();
      if (report.sessions.length || report.orphanGuests) log.info(`Purged personal data of ${report.sessions.length} session(s) past retention and ${report.orphanGuests} guest identity(ies) left in no session`);
    } catch (e) {
      log.error("retention purge failed", e);
    }
  };
  purge();
  const purger = setInterval(purge, options.purgeSweepMs ?? 24 * 60 * 60_000);
  purger.unref();

  let closed = false;
  return {
    url,
    port,
    domain,
    database,
    io: realtime.io,
    load,
    realtimeStats: realtime.stats,
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(sweeper);
      clearInterval(purger);
      load.stop();
      realtime.detach();
      // io.close() also closes the HTTP server, which waits for open keep-alive connections.
      const done = new Promise<void>((resolve) => realtime.io.close(() => resolve()));
      server.closeAllConnections();
      await done;
      await shared?.close();
      database.close();
    },
  };
}

function forbidden(res: Response) {
  res.status(403).type("text/plain").send("Forbidden: this request did not come from this site. Reload the page and try again.");
}

function parseTrustProxy(value: string): boolean | number | string {
  if (value === "true") return true;
  if (value === "false" || value === "") return false;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}

function printDemo(demo: Awaited<ReturnType<typeof seedDemo>>) {
  const lines = [
    "",
    "Demo sign-ins (demo mode only; every password is the same):",
    ...demo.accounts.map((a) => `  ${a.role.padEnd(24)} ${a.email}`),
    `  password: ${demo.password}`,
    `  join code for the follow-up roundtable: ${demo.joinCode}`,
    ...(demo.national ? [`  national programme: ${demo.national.sessions} sessions, ${demo.national.recommendations} recommendations${demo.national.ms === null ? "" : ` (generated in ${demo.national.ms} ms)`}`] : []),
    "",
  ];
  console.log(lines.join("\n"));
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const running = await startServer().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      void running.close().then(() => process.exit(0));
    });
  }
}
