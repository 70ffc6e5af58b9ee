/**
 * CSRF protection by origin check (forms and socket handshake). Where an old browser sends neither
 * Origin nor Referer, a form must carry the per-browser token from the `parley_csrf` cookie.
 */
export type OriginVerdict = "same-origin" | "cross-origin" | "no-origin";

export function allowedOrigins(configured: string | undefined, requestHost: string | undefined, protocol: string): string[] {
  if (configured) return configured.split(",").map((o) => o.trim().replace(/\/$/, "")).filter(Boolean);
  return requestHost ? [`${protocol}://${requestHost}`] : [];
}

export function checkOrigin(headers: { origin?: string; referer?: string }, allowed: string[]): OriginVerdict {
  const origin = headers.origin && headers.origin !== "null" ? headers.origin : undefined;
  if (origin) return allowed.includes(origin) ? "same-origin" : "cross-origin";
  if (headers.origin === "null") return "cross-origin";
  if (headers.referer) {
    try {
      return allowed.includes(new URL(headers.referer).origin) ? "same-origin" : "cross-origin";
    } catch {
      return "cross-origin";
    }
  }
  return "no-origin";
}
