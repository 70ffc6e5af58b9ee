/**
 * Field instances (docs/field.md, ADR 014): the pure part, safe to import anywhere (no database, no
 * node:crypto).
 *
 * Two signed documents travel between a national instance and a field laptop: the **field kit**
 * (national -> laptop: the programme's taxonomy, the parent session and the session to be held, with
 * their ids, signed by the national instance) and the **signed bundle** (laptop -> national: a
 * session export, docs/export-format.md, signed by the laptop). Both share one envelope:
 *
 *   { format, formatVersion, signedAt, publicKey, keyFingerprint, payload, signature }
 *
 * The signature is Ed25519 over the UTF-8 bytes of the canonical JSON (below) of the envelope without
 * its `signature`: the file may be re-indented or its keys reordered by a text editor and still verify,
 * and any change to what it says does not.
 */
import { asciiSlug } from "../utils/slug";

export const KIT_FORMAT = "parley.field-kit";
export const BUNDLE_FORMAT = "parley.signed-bundle";
/** The envelope version this instance writes, and the newest it reads (kits and bundles alike). */
export const FIELD_FORMAT_VERSION = 1;
export const FIELD_CONTENT_TYPE = "application/json; charset=utf-8";

/** How many hex digits of SHA-256(public key) make the fingerprint people read out: 96 bits. */
export const FINGERPRINT_HEX_DIGITS = 24;

// ---------------------------------------------------------------------------------------------
// Canonical JSON

/**
 * JSON with object keys sorted (by UTF-16 code units) at every depth and no white space: the same
 * value always gives the same text. For the values Parley signs (strings, integers, booleans, null,
 * arrays, plain objects) this is the JSON Canonicalization Scheme of RFC 8785, whose string and
 * number forms are ECMAScript's. Refuses what JSON cannot say (NaN, Infinity, undefined in an array,
 * functions, bigints, class instances other than plain objects and arrays).
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "string":
    case "boolean":
      return JSON.stringify(value);
    case "number":
      if (!Number.isFinite(value)) throw new TypeError("canonicalJson: a number JSON cannot represent");
      // -0 is written 0, as RFC 8785 does (and as it reads back).
      return JSON.stringify(value);
    case "object": {
      if (Array.isArray(value)) {
        return `[${value
          .map((v) => {
            if (v === undefined) throw new TypeError("canonicalJson: undefined in an array");
            return canonicalJson(v);
          })
          .join(",")}]`;
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) throw new TypeError("canonicalJson: not a plain object");
      const entries = Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
    }
    default:
      throw new TypeError(`canonicalJson: a ${typeof value} cannot be signed`);
  }
}

// ---------------------------------------------------------------------------------------------
// Fingerprints

/**
 * The fingerprint people read: the first 24 hex digits of SHA-256(raw public key), upper case, in
 * six groups of four ("3F9A-1C22-7B0E-44D1-A9C3-05FE"). Takes the full or short hex digest.
 */
export function formatFingerprint(hex: string): string {
  const short = hex.toLowerCase().slice(0, FINGERPRINT_HEX_DIGITS);
  return (short.toUpperCase().match(/.{1,4}/g) ?? []).join("-");
}

/**
 * What a person typed (or pasted) as a fingerprint -> its 24 lower-case hex digits, or null. Spaces,
 * dashes, colons and dots between groups are ignored, case too; a full 64-digit digest is accepted
 * and shortened.
 */
export function parseFingerprint(input: string): string | null {
  const hex = input.replace(/[\s\-:.]/g, "").toLowerCase();
  if (!/^[0-9a-f]+$/.test(hex)) return null;
  if (hex.length !== FINGERPRINT_HEX_DIGITS && hex.length !== 64) return null;
  return hex.slice(0, FINGERPRINT_HEX_DIGITS);
}

/** Does a full (64-digit) fingerprint match a registered short one? */
export function fingerprintMatches(fullHex: string, registeredShort: string): boolean {
  return fullHex.toLowerCase().slice(0, FINGERPRINT_HEX_DIGITS) === registeredShort.toLowerCase();
}

// ---------------------------------------------------------------------------------------------
// Documents

export type SignedEnvelope<F extends string, P> = {
  format: F;
  formatVersion: number;
  /** When the document was signed, by the signer's clock (ISO 8601). Reported, never trusted for order. */
  signedAt: string;
  /** The signer's raw 32-byte Ed25519 public key, base64. */
  publicKey: string;
  /** SHA-256 of that key, 64 hex digits; people read its first 24 (formatFingerprint). */
  keyFingerprint: string;
  payload: P;
  /** Ed25519 signature, base64, of signedMessage(envelope). */
  signature: string;
};

/** The text that is signed: the canonical JSON of the envelope without its signature. */
export function signedMessage(envelope: Omit<SignedEnvelope<string, unknown>, "signature"> & { signature?: unknown }): string {
  const { signature: _signature, ...rest } = envelope;
  return canonicalJson(rest);
}

/** The file as written: two-space indented with a final newline (the signature does not depend on it). */
export function serialiseSigned(envelope: SignedEnvelope<string, unknown>): string {
  return `${JSON.stringify(envelope, null, 2)}\n`;
}

export type KitLabel = { id: string; labelEn: string; labelFr: string };

/** What a field kit carries (docs/field.md): the programme's context and the session to hold. */
export type FieldKitPayload = {
  kitId: string;
  issuer: { instanceId: string; instanceName: string };
  programme: {
    id: string;
    name: string;
    description: string;
    thresholds: { quorumPercent: number; consensusPercent: number; broadSupportPermille: number };
    retentionDays: number;
    levels: (KitLabel & { key: string; rank: number })[];
    /** The whole tree, parents before children. */
    localities: { id: string; name: string; levelId: string; parentId: string | null }[];
    themes: KitLabel[];
    addressees: KitLabel[];
  };
  parentSession: { id: string; title: string; kind: string; levelId: string; localityId: string | null; languages: string[]; timeZone: string; attributionMode: string } | null;
  session: {
    id: string;
    title: string;
    description: string;
    coHosts: string;
    kind: string;
    levelId: string;
    localityId: string | null;
    parentSessionId: string | null;
    languages: string[];
    startsAt: string | null;
    endsAt: string | null;
    timeZone: string;
    attributionMode: string;
    noteVisibility: string;
    rosterVisibleToRoom: boolean;
    scale: string;
    showNumbers: boolean;
    agenda: { id: string; position: number; title: string; description: string; plannedMinutes: number; panelists: string; attributionMode: string | null }[];
  };
};

export type FieldKit = SignedEnvelope<typeof KIT_FORMAT, FieldKitPayload>;
/** The payload is a session export (docs/export-format.md), checked by the importer. */
export type FieldBundle = SignedEnvelope<typeof BUNDLE_FORMAT, unknown>;

/** Message keys (namespace "field") of the refusals; each changes nothing. */
export const FIELD_ERRORS = [
  "field_not_json",
  "field_too_large",
  "field_not_kit",
  "field_not_bundle",
  "field_newer_format",
  "field_signature_invalid",
  "kit_invalid",
  "kit_key_mismatch",
  "kit_own_instance",
  "kit_programme_not_pinned",
  "kit_already_imported",
  "kit_conflict",
  "kit_session_not_plannable",
  "bundle_key_unknown",
  "bundle_key_revoked",
  "bundle_wrong_programme",
  "bundle_already_imported",
  "bundle_needs_publication",
  "bundle_session_already_held",
  "key_duplicate",
  "key_not_found",
  "fingerprint_invalid",
  "no_file",
] as const;
export type FieldErrorKey = (typeof FIELD_ERRORS)[number];

/** "parley-field-kit-<title>.json", "parley-field-bundle-<title>-v<n>.json": ASCII only. */
export function fieldFileName(kind: "kit" | "bundle", title: string, number?: number): string {
  const slug = asciiSlug(title);
  return `parley-field-${kind}-${slug || "session"}${number ? `-v${number}` : ""}.json`;
}
