/**
 * Cookie names and serialisation. The session cookie holds the random token (its hash is in the
 * database); the device cookie keeps the other identities used on a shared phone.
 */
import { parse, serialize } from "cookie";

export const SESSION_COOKIE = "parley_session";
export const DEVICE_COOKIE = "parley_device";
export const LANG_COOKIE = "parley_lang";
export const CSRF_COOKIE = "parley_csrf";
/** Set by "sign out and wipe this device": the next home page wipes what the browser keeps (outbox, caches). */
export const WIPE_COOKIE = "parley_wipe";
const MAX_DEVICE_IDENTITIES = 8;

export function parseCookies(header: string | null | undefined): Record<string, string | undefined> {
  return header ? parse(header) : {};
}

export function createCookieJar(options: { secure: boolean }) {
  const base = { httpOnly: true, sameSite: "lax" as const, path: "/", secure: options.secure };
  return {
    session(token: string, expiresAt: number) {
      return serialize(SESSION_COOKIE, token, { ...base, expires: new Date(expiresAt) });
    },
    clearSession() {
      return serialize(SESSION_COOKIE, "", { ...base, maxAge: 0 });
    },
    device(tokens: string[]) {
      const unique = [...new Set(tokens)].slice(0, MAX_DEVICE_IDENTITIES);
      if (unique.length === 0) return serialize(DEVICE_COOKIE, "", { ...base, maxAge: 0 });
      return serialize(DEVICE_COOKIE, unique.join("."), { ...base, maxAge: 60 * 60 * 24 * 60 });
    },
    language(lang: string) {
      return serialize(LANG_COOKIE, lang, { ...base, httpOnly: false, maxAge: 60 * 60 * 24 * 365 });
    },
    wipePending() {
      return serialize(WIPE_COOKIE, "1", { ...base, maxAge: 10 * 60 });
    },
    /** Whether the request carries the wipe request set at sign-out. */
    wipeRequested(cookieHeader: string | null) {
      return parseCookies(cookieHeader)[WIPE_COOKIE] === "1";
    },
    clearWipePending() {
      return serialize(WIPE_COOKIE, "", { ...base, maxAge: 0 });
    },
    csrf(token: string) {
      return serialize(CSRF_COOKIE, token, { ...base, maxAge: 60 * 60 * 24 * 365 });
    },
  };
}
export type CookieJar = ReturnType<typeof createCookieJar>;

export function deviceTokens(cookies: Record<string, string | undefined>): string[] {
  const raw = cookies[DEVICE_COOKIE];
  if (!raw) return [];
  return raw.split(".").filter((t) => /^[a-z2-7]{32}$/.test(t)).slice(0, MAX_DEVICE_IDENTITIES);
}
