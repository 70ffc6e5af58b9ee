/**
 * Random tokens and their hashes, after Lucia's session guide (implemented on @oslojs, since the
 * `lucia` package itself is deprecated: docs/decisions/002-sessions-without-lucia.md).
 * Only the SHA-256 of a token is ever stored; the token itself lives in a cookie or a link.
 */
import { sha256 } from "@oslojs/crypto/sha2";
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from "@oslojs/encoding";
import { randomBytes, randomInt, randomUUID } from "node:crypto";

/** 160 bits of randomness, base32 (lower case, no padding): 32 characters. */
export function generateToken(): string {
  return encodeBase32LowerCaseNoPadding(new Uint8Array(randomBytes(20)));
}

export function hashToken(token: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

export function newId(): string {
  return randomUUID();
}

/** Join codes avoid characters that are easily confused when read aloud or off a screen. */
export const JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
export const JOIN_CODE_LENGTH = 8;

export function generateJoinCode(): string {
  let code = "";
  for (let i = 0; i < JOIN_CODE_LENGTH; i++) code += JOIN_CODE_ALPHABET[randomInt(JOIN_CODE_ALPHABET.length)];
  return code;
}

/** Accepts what people type ("abcd-efgh", "abcd efgh") and returns the canonical code, or null. */
export function normaliseJoinCode(input: string): string | null {
  const code = input.toUpperCase().replace(/[\s-]/g, "");
  if (code.length !== JOIN_CODE_LENGTH) return null;
  for (const ch of code) if (!JOIN_CODE_ALPHABET.includes(ch)) return null;
  return code;
}
