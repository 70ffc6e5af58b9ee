/**
 * Ed25519 keys, signatures and fingerprints for field kits and bundles (docs/field.md), with
 * node:crypto alone. Public keys travel as their raw 32 bytes in base64; private keys are kept as
 * PKCS#8 DER in base64 (the `instance` table); fingerprints are SHA-256 of the raw public key, hex.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from "node:crypto";
import { BUNDLE_FORMAT, FIELD_FORMAT_VERSION, KIT_FORMAT, signedMessage, type SignedEnvelope } from "./field";

export type KeyPair = { publicKey: string; privateKey: string };

const b64ToB64url = (s: string) => s.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const b64urlToB64 = (s: string) => s.replace(/-/g, "+").replace(/_/g, "/");

export function generateSigningKeyPair(): KeyPair {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const jwk = publicKey.export({ format: "jwk" });
  return {
    publicKey: Buffer.from(b64urlToB64(jwk.x!), "base64").toString("base64"),
    privateKey: (privateKey.export({ format: "der", type: "pkcs8" }) as Buffer).toString("base64"),
  };
}

/** The raw key as a KeyObject, or null when it is not 32 bytes of base64. */
function publicKeyObject(publicKey: string) {
  if (typeof publicKey !== "string" || !/^[A-Za-z0-9+/]{43}=$/.test(publicKey)) return null;
  try {
    return createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: b64ToB64url(publicKey) }, format: "jwk" });
  } catch {
    return null;
  }
}

export function isPublicKey(publicKey: unknown): publicKey is string {
  return typeof publicKey === "string" && publicKeyObject(publicKey) !== null;
}

/** SHA-256 of the raw public key, 64 hex digits. */
export function fingerprintOf(publicKey: string): string {
  return createHash("sha256").update(Buffer.from(publicKey, "base64")).digest("hex");
}

export function signText(privateKey: string, text: string): string {
  const key = createPrivateKey({ key: Buffer.from(privateKey, "base64"), format: "der", type: "pkcs8" });
  return sign(null, Buffer.from(text, "utf8"), key).toString("base64");
}

/** True only for a well-formed key and a valid signature of exactly this text. */
export function verifyText(publicKey: string, text: string, signature: string): boolean {
  const key = publicKeyObject(publicKey);
  if (!key || typeof signature !== "string" || !/^[A-Za-z0-9+/]{86}==$/.test(signature)) return false;
  try {
    return verify(null, Buffer.from(text, "utf8"), key, Buffer.from(signature, "base64"));
  } catch {
    return false;
  }
}

/** Wraps a payload in a signed envelope (the kit or bundle format). */
export function signEnvelope<F extends typeof KIT_FORMAT | typeof BUNDLE_FORMAT, P>(format: F, payload: P, keys: KeyPair, signedAt: Date): SignedEnvelope<F, P> {
  const unsigned = { format, formatVersion: FIELD_FORMAT_VERSION, signedAt: signedAt.toISOString(), publicKey: keys.publicKey, keyFingerprint: fingerprintOf(keys.publicKey), payload };
  return { ...unsigned, signature: signText(keys.privateKey, signedMessage(unsigned)) };
}

/**
 * Checks an envelope's signature against the key it carries, and that its fingerprint is that key's.
 * (Whether the key is trusted is the caller's question: pinned, or registered.)
 */
export function verifyEnvelope(envelope: SignedEnvelope<string, unknown>): boolean {
  if (!isPublicKey(envelope.publicKey)) return false;
  if (typeof envelope.keyFingerprint !== "string" || envelope.keyFingerprint !== fingerprintOf(envelope.publicKey)) return false;
  let text: string;
  try {
    text = signedMessage(envelope);
  } catch {
    return false;
  }
  return verifyText(envelope.publicKey, text, envelope.signature);
}
