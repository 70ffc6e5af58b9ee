/**
 * The per-session authorship secret (SPEC section 7): notes, positions (and later review comments)
 * store HMAC-SHA256(secret, userId | objectId), one tag per object, so that the server can recognise
 * a person's own objects while the session is open and nothing groups them. The secret is deleted
 * (with secure_delete) at finalisation, together with the tags.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import type { Db } from "../../db/database.server";
import { sessionSecrets } from "../../db/schema";
import { prepared } from "./prepared.server";

/** An object's authorship tag: HMAC-SHA256(secret, userId | objectId), hex. */
export const authorTag = (secret: Buffer, userId: string, objectId: string) => createHmac("sha256", secret).update(`${userId}|${objectId}`).digest("hex");

/** Whether `stored` is this person's tag for this object (constant time). */
export function tagMatches(secret: Buffer | null, userId: string, objectId: string, stored: string | null): boolean {
  if (!secret || !stored) return false;
  const expected = Buffer.from(authorTag(secret, userId, objectId), "hex");
  const got = Buffer.from(stored, "hex");
  return got.length === expected.length && timingSafeEqual(got, expected);
}

export function createSecrets(db: Db) {
  const secretQuery = prepared(() => db.select({ secret: sessionSecrets.secret }).from(sessionSecrets).where(eq(sessionSecrets.sessionId, sql.placeholder("sessionId"))).prepare());

  function secretOf(sessionId: string, create: boolean): Buffer | null {
    const row = secretQuery().get({ sessionId });
    if (row) return Buffer.from(row.secret, "hex");
    if (!create) return null;
    db.insert(sessionSecrets).values({ sessionId, secret: randomBytes(32).toString("hex") }).onConflictDoNothing().run();
    return secretOf(sessionId, false);
  }

  function destroy(sessionId: string) {
    db.delete(sessionSecrets).where(eq(sessionSecrets.sessionId, sessionId)).run();
  }

  return { secretOf, tagOf: authorTag, matches: tagMatches, destroy };
}
export type Secrets = ReturnType<typeof createSecrets>;
