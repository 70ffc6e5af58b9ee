/**
 * The pure and cryptographic parts of field instances (docs/field.md): canonical JSON, Ed25519
 * envelopes (signing, verifying, what tampering breaks and what re-indenting does not), fingerprints
 * as people read and type them, and reading a signed file.
 */
import fc from "fast-check";
import { BUNDLE_FORMAT, canonicalJson, fieldFileName, fingerprintMatches, formatFingerprint, KIT_FORMAT, parseFingerprint, serialiseSigned, signedMessage } from "../../app/models/field";
import { fingerprintOf, generateSigningKeyPair, isPublicKey, signEnvelope, signText, verifyEnvelope, verifyText } from "../../app/models/field-crypto.server";
import { readSigned } from "../../app/models/field.server";
import { isDomainError } from "../../app/models/errors";
import { FIELD_ERRORS } from "../../app/models/field";
import { resources } from "../../app/locales";

describe("canonical JSON", () => {
  it("sorts keys at every depth and leaves out white space", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: null, y: true }], c: "é" } })).toBe('{"a":{"c":"é","d":[3,{"y":true,"z":null}]},"b":1}');
  });

  it("sorts keys by UTF-16 code units: the example of RFC 8785, section 3.2.3", () => {
    const value = { "\u20ac": "Euro Sign", "\r": "Carriage Return", "\ufb33": "Hebrew Letter Dalet With Dagesh", "1": "One", "\ud83d\ude00": "Emoji: Grinning Face", "\u0080": "Control", "\u00f6": "Latin Small Letter O With Diaeresis" };
    const order = [...canonicalJson(value).matchAll(/"([^"]+)":"([^"]+)"/g)].map((m) => m[2]);
    expect(order).toEqual(["Carriage Return", "One", "Control", "Latin Small Letter O With Diaeresis", "Euro Sign", "Emoji: Grinning Face", "Hebrew Letter Dalet With Dagesh"]);
  });

  it("writes numbers and strings as ECMAScript does, and drops undefined members", () => {
    expect(canonicalJson([1e21, 0.1, -5, 1.5e-7, "a\"b\\c\n\u0001"])).toBe('[1e+21,0.1,-5,1.5e-7,"a\\"b\\\\c\\n\\u0001"]');
    expect(canonicalJson({ a: undefined, b: 2 })).toBe('{"b":2}');
  });

  it("refuses what JSON cannot say exactly", () => {
    for (const bad of [NaN, Infinity, [undefined], new Date(0), () => 1, 10n]) expect(() => canonicalJson(bad)).toThrow(TypeError);
    expect(canonicalJson([-0])).toBe("[0]");
  });

  it("gives the same text whatever the key order or indentation of the same value", () => {
    const reverseKeys = (v: unknown): unknown =>
      Array.isArray(v) ? v.map(reverseKeys) : v !== null && typeof v === "object" ? Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reverseKeys(x)])) : v;
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const reindented = JSON.parse(JSON.stringify(value, null, 3));
        expect(canonicalJson(reverseKeys(reindented))).toBe(canonicalJson(value));
        // It is JSON, and says the same thing.
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
      { numRuns: 300 },
    );
  });
});

describe("fingerprints", () => {
  const full = "3f9a1c227b0e44d1a9c305fe" + "0".repeat(40);

  it("are read as six groups of four upper-case hex digits", () => {
    expect(formatFingerprint(full)).toBe("3F9A-1C22-7B0E-44D1-A9C3-05FE");
    expect(formatFingerprint("3f9a1c227b0e44d1a9c305fe")).toBe("3F9A-1C22-7B0E-44D1-A9C3-05FE");
  });

  it("are parsed from what a person types: spaces, dashes, colons, case and the full digest accepted", () => {
    for (const typed of ["3F9A-1C22-7B0E-44D1-A9C3-05FE", "3f9a 1c22 7b0e 44d1 a9c3 05fe", " 3F9A:1C22:7B0E:44D1:A9C3:05FE ", "3f9a1c227b0e44d1a9c305fe", full, full.toUpperCase()]) {
      expect(parseFingerprint(typed), typed).toBe("3f9a1c227b0e44d1a9c305fe");
    }
    for (const bad of ["", "3F9A-1C22-7B0E-44D1-A9C3", "3F9A-1C22-7B0E-44D1-A9C3-05FE-0000", "3G9A-1C22-7B0E-44D1-A9C3-05FE", "abc", `${full}0`]) expect(parseFingerprint(bad), bad).toBeNull();
  });

  it("of a key are SHA-256 of its raw bytes, and a registered short one matches only its own key", () => {
    const a = generateSigningKeyPair();
    const b = generateSigningKeyPair();
    const fa = fingerprintOf(a.publicKey);
    expect(fa).toMatch(/^[0-9a-f]{64}$/);
    expect(fa).toBe(fingerprintOf(a.publicKey));
    expect(fingerprintMatches(fa, parseFingerprint(formatFingerprint(fa))!)).toBe(true);
    expect(fingerprintMatches(fingerprintOf(b.publicKey), parseFingerprint(formatFingerprint(fa))!)).toBe(false);
  });
});

describe("Ed25519 signatures", () => {
  const keys = generateSigningKeyPair();

  it("make raw 32-byte public keys and verify only the signed text with the signing key", () => {
    expect(Buffer.from(keys.publicKey, "base64")).toHaveLength(32);
    expect(isPublicKey(keys.publicKey)).toBe(true);
    expect(isPublicKey("not a key")).toBe(false);
    const sig = signText(keys.privateKey, "Concertation communale");
    expect(verifyText(keys.publicKey, "Concertation communale", sig)).toBe(true);
    expect(verifyText(keys.publicKey, "Concertation communale.", sig)).toBe(false);
    expect(verifyText(generateSigningKeyPair().publicKey, "Concertation communale", sig)).toBe(false);
    expect(verifyText(keys.publicKey, "Concertation communale", "AAAA")).toBe(false);
  });

  it("sign an envelope that survives re-indentation and key reordering, and no change to what it says", () => {
    const payload = { session: { title: "Concertation de Ménaka", agenda: [{ id: "a", minutes: 10 }] }, kitId: "k" };
    const envelope = signEnvelope(KIT_FORMAT, payload, keys, new Date("2026-03-10T09:00:00Z"));
    expect(envelope).toMatchObject({ format: KIT_FORMAT, formatVersion: 1, signedAt: "2026-03-10T09:00:00.000Z", publicKey: keys.publicKey, keyFingerprint: fingerprintOf(keys.publicKey) });
    expect(verifyEnvelope(envelope)).toBe(true);
    const reindented = JSON.parse(JSON.stringify(JSON.parse(serialiseSigned(envelope)), null, 8));
    expect(verifyEnvelope(reindented)).toBe(true);
    const reordered = { signature: envelope.signature, payload: { kitId: "k", session: { agenda: [{ minutes: 10, id: "a" }], title: "Concertation de Ménaka" } }, keyFingerprint: envelope.keyFingerprint, publicKey: envelope.publicKey, signedAt: envelope.signedAt, formatVersion: 1, format: KIT_FORMAT };
    expect(verifyEnvelope(reordered)).toBe(true);

    const tamper = (change: (e: typeof envelope) => void) => {
      const copy = JSON.parse(JSON.stringify(envelope));
      change(copy);
      return verifyEnvelope(copy);
    };
    expect(tamper((e) => (e.payload.session.title = "Concertation de Menaka"))).toBe(false);
    expect(tamper((e) => (e.payload.session.agenda[0].minutes = 11))).toBe(false);
    expect(tamper((e) => (e.signedAt = "2026-03-11T09:00:00.000Z"))).toBe(false);
    expect(tamper((e) => ((e as { format: string }).format = BUNDLE_FORMAT))).toBe(false);
    expect(tamper((e) => ((e.payload as Record<string, unknown>).extra = true))).toBe(false);
    // Another key with its own fingerprint: the signature no longer matches.
    const other = generateSigningKeyPair();
    expect(tamper((e) => ((e.publicKey = other.publicKey), (e.keyFingerprint = fingerprintOf(other.publicKey))))).toBe(false);
    // A fingerprint that is not the key's.
    expect(tamper((e) => (e.keyFingerprint = fingerprintOf(other.publicKey)))).toBe(false);
  });

  it("sign the canonical JSON of the envelope without its signature", () => {
    const envelope = signEnvelope(BUNDLE_FORMAT, { b: 1, a: 2 }, keys, new Date(0));
    expect(signedMessage(envelope)).toBe(canonicalJson({ format: BUNDLE_FORMAT, formatVersion: 1, signedAt: "1970-01-01T00:00:00.000Z", publicKey: keys.publicKey, keyFingerprint: fingerprintOf(keys.publicKey), payload: { a: 2, b: 1 } }));
    expect(verifyText(keys.publicKey, signedMessage(envelope), envelope.signature)).toBe(true);
  });
});

describe("reading a signed file", () => {
  const keys = generateSigningKeyPair();
  const kit = signEnvelope(KIT_FORMAT, { hello: "monde" }, keys, new Date(0));
  const keyOf = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      if (isDomainError(e)) return e.messageKey;
      throw e;
    }
    return "accepted";
  };

  it("accepts a good kit as text or bytes, and says what else it is given", () => {
    expect(readSigned(serialiseSigned(kit), KIT_FORMAT).payload).toEqual({ hello: "monde" });
    expect(readSigned(new TextEncoder().encode(`\uFEFF${serialiseSigned(kit)}`), KIT_FORMAT).payload).toEqual({ hello: "monde" });
    expect(keyOf(() => readSigned(serialiseSigned(kit), BUNDLE_FORMAT))).toBe("field_not_bundle");
    expect(keyOf(() => readSigned("{}", KIT_FORMAT))).toBe("field_not_kit");
    expect(keyOf(() => readSigned("[1,2", KIT_FORMAT))).toBe("field_not_json");
    expect(keyOf(() => readSigned(new Uint8Array([0xff, 0xfe, 0x00]), KIT_FORMAT))).toBe("field_not_json");
    expect(keyOf(() => readSigned({ ...kit, formatVersion: 2 }, KIT_FORMAT))).toBe("field_newer_format");
    expect(keyOf(() => readSigned({ ...kit, formatVersion: "1" }, KIT_FORMAT))).toBe("field_not_kit");
    expect(keyOf(() => readSigned({ ...kit, note: "added" }, KIT_FORMAT))).toBe("field_not_kit");
    expect(keyOf(() => readSigned({ ...kit, payload: { hello: "world" } }, KIT_FORMAT))).toBe("field_signature_invalid");
    expect(keyOf(() => readSigned({ ...kit, signature: kit.signature.replace(/^./, (c) => (c === "A" ? "B" : "A")) }, KIT_FORMAT))).toBe("field_signature_invalid");
  });
});

describe("file names", () => {
  it("are ASCII, from the title", () => {
    expect(fieldFileName("kit", "Concertation communale de Ménaka")).toBe("parley-field-kit-concertation-communale-de-menaka.json");
    expect(fieldFileName("bundle", "Séance à Tombouctou", 2)).toBe("parley-field-bundle-seance-a-tombouctou-v2.json");
    expect(fieldFileName("kit", "مشاورة")).toBe("parley-field-kit-session.json");
  });
});

describe("refusals", () => {
  it("each have a message in English and in French", () => {
    for (const key of FIELD_ERRORS) {
      expect(resources.en.field.errors[key], key).toMatch(/\S/);
      expect(resources.fr.field.errors[key], key).toMatch(/\S/);
      expect(resources.fr.field.errors[key], key).not.toBe(resources.en.field.errors[key]);
    }
    expect(Object.keys(resources.en.field.errors).sort()).toEqual([...FIELD_ERRORS].sort());
  });
});
