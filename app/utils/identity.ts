/**
 * Identities on one device: the active sign-in token is in the session cookie; the other people who
 * used this (shared) phone keep theirs in the device cookie, so "switch participant" works and a
 * pending note is only ever sent with its own writer's credentials.
 */
import type { ParleyContext } from "../context";

/** Set-Cookie headers that make `token` the active identity and keep the previous one on the device. */
export function activateIdentity(context: ParleyContext, token: string, expiresAt: number): Headers {
  const others = context.deviceTokens.filter((t) => t !== token);
  if (context.sessionToken && context.sessionToken !== token) others.unshift(context.sessionToken);
  const headers = new Headers();
  headers.append("Set-Cookie", context.cookies.session(token, expiresAt));
  headers.append("Set-Cookie", context.cookies.device(others));
  return headers;
}
