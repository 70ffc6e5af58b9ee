/**
 * Environment, read and validated once. Only `publicEnv` may reach the browser.
 */
import { z } from "zod";

const bool = z
  .enum(["1", "0", "true", "false", "yes", "no", ""])
  .optional()
  .transform((v) => v === "1" || v === "true" || v === "yes");

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  HOST: z.string().min(1).default("127.0.0.1"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_PATH: z.string().min(1).default("data/parley.sqlite"),
  /** Public origin(s) that forms and sockets may come from, comma separated. Defaults to the request's host. */
  ORIGIN: z.string().optional(),
  ALLOW_SIGNUP: bool,
  PARLEY_DEMO: bool,
  /** Demo mode: also generate the national-scale programme (app/demo/national.server.ts; a few seconds, once). On unless "0". */
  PARLEY_DEMO_NATIONAL: z
    .enum(["1", "0", "true", "false", "yes", "no", ""])
    .optional()
    .transform((v) => v === undefined || v === "" || v === "1" || v === "true" || v === "yes"),
  /** Express `trust proxy` setting: "false" (default), "true", a hop count or a list of addresses. */
  TRUST_PROXY: z.string().default("false"),
  /** Field mode: plain http on a local network (cookies without Secure, synchronous=FULL). */
  FIELD_MODE: bool,
  /** Cookies marked Secure; defaults to on in production outside field mode. */
  SECURE_COOKIES: z.enum(["1", "0", "true", "false", ""]).optional(),
  /** Grace period after a session ends: late notes accepted, then finalised automatically (SPEC section 2). */
  FINALISE_GRACE_MINUTES: z.coerce.number().int().min(0).max(60 * 24 * 30).default(24 * 60),
  INVITATION_TTL_DAYS: z.coerce.number().int().min(1).max(90).default(7),
  LOG_LEVEL: z.enum(["silent", "error", "info", "debug"]).default("info"),
  /** This instance's name in the provenance of its exports (docs/export-format.md). */
  PARLEY_INSTANCE_NAME: z.string().trim().max(200).default("Parley"),
  /**
   * Load shedding: while the event loop runs more than this many milliseconds late, new notes are
   * answered "server_busy" with a delay to retry after (the outbox keeps them). 0 turns it off.
   */
  BUSY_LAG_MS: z.coerce.number().int().min(0).max(60_000).default(500),
  /**
   * Several processes serving one session: the Redis server they share (socket.io adapter, speaker
   * queue, presence, rate limits), without persistence. Unset: one process, everything in memory.
   */
  REDIS_URL: z
    .string()
    .optional()
    .transform((v) => v?.trim() || undefined)
    .pipe(
      z
        .string()
        .url("must be a URL such as redis://127.0.0.1:6379")
        .refine((v) => /^rediss?:\/\//.test(v), "must start with redis:// or rediss://")
        .optional(),
    ),
});

export type Env = z.infer<typeof schema> & { secureCookies: boolean };

export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const env = parsed.data;
  const secureCookies =
    env.SECURE_COOKIES === undefined || env.SECURE_COOKIES === ""
      ? env.NODE_ENV === "production" && !env.FIELD_MODE
      : env.SECURE_COOKIES === "1" || env.SECURE_COOKIES === "true";
  if (env.NODE_ENV === "production" && env.PARLEY_DEMO) {
    throw new Error("PARLEY_DEMO cannot be used with NODE_ENV=production: demo accounts have known passwords.");
  }
  return { ...env, ALLOW_SIGNUP: env.ALLOW_SIGNUP || env.PARLEY_DEMO, secureCookies };
}

/** The whitelist of settings the browser may know. */
export function publicEnv(env: Env) {
  return { allowSignup: env.ALLOW_SIGNUP, demo: env.PARLEY_DEMO, fieldMode: env.FIELD_MODE };
}
export type PublicEnv = ReturnType<typeof publicEnv>;
