import { publicEnv, readEnv } from "../../app/utils/env.server";
import { allowedOrigins, checkOrigin } from "../../app/utils/origin.server";

describe("allowedOrigins", () => {
  it("uses the configured origins, trimmed and without trailing slashes", () => {
    expect(allowedOrigins(" https://parley.example/ , https://other.example,", "ignored:3000", "http")).toEqual(["https://parley.example", "https://other.example"]);
  });

  it("falls back to the request's own host and protocol", () => {
    expect(allowedOrigins(undefined, "127.0.0.1:3000", "http")).toEqual(["http://127.0.0.1:3000"]);
    expect(allowedOrigins("", "parley.example", "https")).toEqual(["https://parley.example"]);
    expect(allowedOrigins(undefined, undefined, "http")).toEqual([]);
  });
});

describe("checkOrigin", () => {
  const allowed = ["https://parley.example"];

  it("accepts our own Origin", () => {
    expect(checkOrigin({ origin: "https://parley.example" }, allowed)).toBe("same-origin");
  });

  it("refuses another Origin, even with our Referer", () => {
    expect(checkOrigin({ origin: "https://evil.example" }, allowed)).toBe("cross-origin");
    expect(checkOrigin({ origin: "http://parley.example" }, allowed)).toBe("cross-origin");
    expect(checkOrigin({ origin: "https://parley.example.evil.example" }, allowed)).toBe("cross-origin");
    expect(checkOrigin({ origin: "https://evil.example", referer: "https://parley.example/x" }, allowed)).toBe("cross-origin");
  });

  it("treats Origin: null as cross-origin", () => {
    expect(checkOrigin({ origin: "null" }, allowed)).toBe("cross-origin");
    expect(checkOrigin({ origin: "null", referer: "https://parley.example/join" }, allowed)).toBe("cross-origin");
  });

  it("falls back to the Referer's origin", () => {
    expect(checkOrigin({ referer: "https://parley.example/sessions/1?x=2" }, allowed)).toBe("same-origin");
    expect(checkOrigin({ referer: "https://evil.example/https://parley.example" }, allowed)).toBe("cross-origin");
    expect(checkOrigin({ referer: "not a url" }, allowed)).toBe("cross-origin");
  });

  it("reports no-origin when neither header is sent (the form-token fallback decides)", () => {
    expect(checkOrigin({}, allowed)).toBe("no-origin");
    expect(checkOrigin({ origin: "", referer: "" }, allowed)).toBe("no-origin");
  });

  it("refuses everything when nothing is allowed", () => {
    expect(checkOrigin({ origin: "http://127.0.0.1:3000" }, [])).toBe("cross-origin");
  });
});

/** readEnv over exactly these variables (no inherited process.env). */
const read = (vars: Record<string, string>) => readEnv(vars as unknown as NodeJS.ProcessEnv);

describe("readEnv", () => {
  it("defaults to loopback on port 3000, no sign-up, no secure cookies in development", () => {
    const env = read({});
    expect(env).toMatchObject({
      NODE_ENV: "development",
      HOST: "127.0.0.1",
      PORT: 3000,
      DATABASE_PATH: "data/parley.sqlite",
      ALLOW_SIGNUP: false,
      PARLEY_DEMO: false,
      FIELD_MODE: false,
      TRUST_PROXY: "false",
      INVITATION_TTL_DAYS: 7,
      secureCookies: false,
    });
  });

  it("reads what is set", () => {
    const env = read({ HOST: "0.0.0.0", PORT: "8080", ALLOW_SIGNUP: "true", INVITATION_TTL_DAYS: "14" });
    expect(env).toMatchObject({ HOST: "0.0.0.0", PORT: 8080, ALLOW_SIGNUP: true, INVITATION_TTL_DAYS: 14 });
  });

  it("turns secure cookies on in production, off in field mode, and obeys an explicit setting", () => {
    expect(read({ NODE_ENV: "production" }).secureCookies).toBe(true);
    expect(read({ NODE_ENV: "production", FIELD_MODE: "1" }).secureCookies).toBe(false);
    expect(read({ NODE_ENV: "production", SECURE_COOKIES: "0" }).secureCookies).toBe(false);
    expect(read({ NODE_ENV: "development", SECURE_COOKIES: "1" }).secureCookies).toBe(true);
    expect(read({ NODE_ENV: "test" }).secureCookies).toBe(false);
  });

  it("refuses demo mode in production", () => {
    expect(() => read({ NODE_ENV: "production", PARLEY_DEMO: "1" })).toThrow(/PARLEY_DEMO/);
    expect(() => read({ NODE_ENV: "production", PARLEY_DEMO: "true" })).toThrow(/PARLEY_DEMO/);
    expect(read({ NODE_ENV: "production", PARLEY_DEMO: "0" }).PARLEY_DEMO).toBe(false);
  });

  it("opens sign-up in demo mode", () => {
    expect(read({ PARLEY_DEMO: "1" })).toMatchObject({ PARLEY_DEMO: true, ALLOW_SIGNUP: true });
  });

  it("rejects invalid settings with a clear message", () => {
    expect(() => read({ PORT: "eighty" })).toThrow(/Invalid configuration[\s\S]*PORT/);
    expect(() => read({ PORT: "70000" })).toThrow(/PORT/);
    expect(() => read({ NODE_ENV: "staging" })).toThrow(/NODE_ENV/);
    expect(() => read({ ALLOW_SIGNUP: "maybe" })).toThrow(/ALLOW_SIGNUP/);
    expect(() => read({ INVITATION_TTL_DAYS: "0" })).toThrow(/INVITATION_TTL_DAYS/);
  });

  it("reads REDIS_URL only as a redis:// or rediss:// URL; unset or empty means one process", () => {
    expect(read({}).REDIS_URL).toBeUndefined();
    expect(read({ REDIS_URL: "  " }).REDIS_URL).toBeUndefined();
    expect(read({ REDIS_URL: "redis://127.0.0.1:6379" }).REDIS_URL).toBe("redis://127.0.0.1:6379");
    expect(read({ REDIS_URL: "rediss://:secret@cache.internal:6380/0" }).REDIS_URL).toBe("rediss://:secret@cache.internal:6380/0");
    expect(() => read({ REDIS_URL: "127.0.0.1:6379" })).toThrow(/REDIS_URL/);
    expect(() => read({ REDIS_URL: "http://127.0.0.1:6379" })).toThrow(/REDIS_URL: must start with redis:\/\/ or rediss:\/\//);
  });

  it("keeps REDIS_URL (it may hold a password) out of what reaches the browser", () => {
    expect(JSON.stringify(publicEnv(read({ REDIS_URL: "redis://:secret@127.0.0.1:6379" })))).not.toContain("secret");
  });

  it("lets only a whitelist reach the browser", () => {
    const env = read({ DATABASE_PATH: "/secret/place.sqlite", PARLEY_DEMO: "1", FIELD_MODE: "1" });
    expect(publicEnv(env)).toEqual({ allowSignup: true, demo: true, fieldMode: true });
  });
});
