import { createHash } from "node:crypto";
import {
  generateJoinCode,
  generateToken,
  hashToken,
  JOIN_CODE_ALPHABET,
  JOIN_CODE_LENGTH,
  newId,
  normaliseJoinCode,
} from "../../app/models/tokens.server";

describe("tokens", () => {
  it("are 32 characters of lower-case base32 (160 bits)", () => {
    for (let i = 0; i < 200; i++) expect(generateToken()).toMatch(/^[a-z2-7]{32}$/);
    // 32 base32 characters carry 32 * 5 = 160 bits.
    expect(32 * Math.log2(32)).toBe(160);
  });

  it("do not repeat and use the whole alphabet", () => {
    const tokens = Array.from({ length: 2000 }, generateToken);
    expect(new Set(tokens).size).toBe(tokens.length);
    const seen = new Set(tokens.join(""));
    expect(seen.size).toBe(32);
  });

  it("are hashed with SHA-256, hex encoded", () => {
    expect(hashToken("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const token = generateToken();
    expect(hashToken(token)).toBe(createHash("sha256").update(token).digest("hex"));
    expect(hashToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken(token)).not.toBe(hashToken(generateToken()));
  });

  it("ids are random UUIDs (v4)", () => {
    const ids = Array.from({ length: 100 }, newId);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(100);
  });
});

describe("join codes", () => {
  it("leave out characters that are easily confused", () => {
    for (const ch of "01IOL") expect(JOIN_CODE_ALPHABET).not.toContain(ch);
    expect(new Set(JOIN_CODE_ALPHABET).size).toBe(JOIN_CODE_ALPHABET.length);
  });

  it("use only the alphabet, at the fixed length", () => {
    const codes = Array.from({ length: 500 }, generateJoinCode);
    for (const code of codes) {
      expect(code).toHaveLength(JOIN_CODE_LENGTH);
      for (const ch of code) expect(JOIN_CODE_ALPHABET).toContain(ch);
    }
    expect(new Set(codes).size).toBeGreaterThan(490);
  });

  it("normalise what people type", () => {
    expect(normaliseJoinCode("abcd-efgh")).toBe("ABCDEFGH");
    expect(normaliseJoinCode("abcd efgh")).toBe("ABCDEFGH");
    expect(normaliseJoinCode("  AbCd - EfGh \n")).toBe("ABCDEFGH");
    expect(normaliseJoinCode("23456789")).toBe("23456789");
    const code = generateJoinCode();
    expect(normaliseJoinCode(code.toLowerCase())).toBe(code);
  });

  it("reject bad codes", () => {
    expect(normaliseJoinCode("")).toBeNull();
    expect(normaliseJoinCode("ABCDEFG")).toBeNull();
    expect(normaliseJoinCode("ABCDEFGHJ")).toBeNull();
    expect(normaliseJoinCode("ABCDEFG1")).toBeNull();
    expect(normaliseJoinCode("ABCDEFGO")).toBeNull();
    expect(normaliseJoinCode("ABCD_EFG")).toBeNull();
    expect(normaliseJoinCode("ABCDÉFGH")).toBeNull();
  });
});
