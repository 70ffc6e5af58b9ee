/**
 * What every Remix loader and action receives from the composition root (server.ts). Routes import
 * only types from the domain: the one domain instance arrives here.
 */
import type { Actor } from "./models/actor";
import type { Domain } from "./models/domain.server";
import type { CookieJar } from "./utils/cookies.server";
import type { PublicEnv } from "./utils/env.server";
import type { RateLimits } from "./utils/rate-limits.server";

export type ParleyContext = {
  domain: Domain;
  actor: Actor;
  /** Tokens of the other identities used on this device (shared phones). */
  deviceTokens: string[];
  sessionToken: string | null;
  nonce: string;
  csrfToken: string;
  env: PublicEnv;
  cookies: CookieJar;
  rateLimits: RateLimits;
  clientAddress: string;
  /** The configured public origin (first of ORIGIN), for links people copy or scan. */
  publicOrigin: string | null;
  invitationTtlDays: number;
};

declare module "@remix-run/node" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface AppLoadContext extends ParleyContext {}
}
