import type { z } from "zod";
import { parseOrThrow } from "../../app/models/parse";
import { rosterInput } from "../../app/models/roster.server";
import { sessionInput } from "../../app/models/sessions.server";
import {
  displayNameSchema,
  emailSchema,
  isValidTimeZone,
  labelSchema,
  passwordSchema,
  setPasswordSchema,
  signInSchema,
  signUpSchema,
  uuidSchema,
} from "../../app/models/validation";
import { domainError, makeHarness, programmeWithSession, signedInAccount, type Harness } from "./helpers";

/** The field errors parseOrThrow reports for an input (fails when the input is accepted). */
function fieldsOf(schema: z.ZodTypeAny, input: unknown): Record<string, string[]> {
  try {
    parseOrThrow(schema, input);
  } catch (e) {
    const err = e as { code?: string; messageKey?: string; fields?: Record<string, string[]> };
    expect(err.code).toBe("invalid");
    expect(err.messageKey).toBe("invalid_input");
    return err.fields ?? {};
  }
  throw new Error(`input was accepted: ${JSON.stringify(input)}`);
}

const UUID = "3f2b6c1e-8d4a-4c7b-9e2f-1a2b3c4d5e6f";

describe("account schemas", () => {
  it("normalises a good email", () => {
    expect(parseOrThrow(emailSchema, "  Ama.Diallo@Example.ORG ")).toBe("ama.diallo@example.org");
  });

  it("rejects bad emails with the right keys", () => {
    expect(fieldsOf(emailSchema, "")._form).toContain("required");
    expect(fieldsOf(emailSchema, "   ")._form).toContain("required");
    expect(fieldsOf(emailSchema, "not-an-email")._form).toEqual(["email_invalid"]);
    expect(fieldsOf(emailSchema, undefined)._form).toEqual(["required"]);
    expect(fieldsOf(emailSchema, `${"a".repeat(250)}@example.org`)._form).toContain("too_long");
  });

  it("checks password length", () => {
    expect(parseOrThrow(passwordSchema, "0123456789")).toBe("0123456789");
    expect(fieldsOf(passwordSchema, "012345678")._form).toEqual(["password_too_short"]);
    expect(fieldsOf(passwordSchema, "x".repeat(201))._form).toEqual(["too_long"]);
    expect(fieldsOf(passwordSchema, undefined)._form).toEqual(["required"]);
  });

  it("makes an empty display name null and limits its length", () => {
    expect(parseOrThrow(displayNameSchema, undefined)).toBeNull();
    expect(parseOrThrow(displayNameSchema, "   ")).toBeNull();
    expect(parseOrThrow(displayNameSchema, "  Ama ")).toBe("Ama");
    expect(fieldsOf(displayNameSchema, "x".repeat(61))._form).toEqual(["too_long"]);
  });

  it("sign-in needs both fields", () => {
    expect(parseOrThrow(signInSchema, { email: "A@B.org", password: "x" })).toEqual({ email: "a@b.org", password: "x" });
    expect(fieldsOf(signInSchema, {})).toEqual({ email: ["required"], password: ["required"] });
    expect(fieldsOf(signInSchema, { email: "a@b.org", password: "" })).toEqual({ password: ["required"] });
  });

  it("sign-up checks email, password and display name together", () => {
    expect(parseOrThrow(signUpSchema, { email: "a@b.org", password: "long enough pw" })).toEqual({ email: "a@b.org", password: "long enough pw", displayName: null });
    expect(fieldsOf(signUpSchema, { email: "nope", password: "short", displayName: "x".repeat(61) })).toEqual({
      email: ["email_invalid"],
      password: ["password_too_short"],
      displayName: ["too_long"],
    });
  });

  it("set-password requires matching confirmation", () => {
    expect(parseOrThrow(setPasswordSchema, { password: "0123456789", confirm: "0123456789" }).password).toBe("0123456789");
    expect(fieldsOf(setPasswordSchema, { password: "0123456789", confirm: "0123456780" })).toEqual({ confirm: ["passwords_differ"] });
    expect(fieldsOf(setPasswordSchema, { password: "0123456789" })).toEqual({ confirm: ["required"] });
  });

  it("labels, uuids and time zones", () => {
    expect(parseOrThrow(labelSchema, "  Commune ")).toBe("Commune");
    expect(fieldsOf(labelSchema, "  ")._form).toEqual(["required"]);
    expect(fieldsOf(labelSchema, "x".repeat(121))._form).toEqual(["too_long"]);
    expect(parseOrThrow(uuidSchema, UUID)).toBe(UUID);
    expect(fieldsOf(uuidSchema, "1234")._form).toEqual(["invalid"]);
    expect(isValidTimeZone("Africa/Bamako")).toBe(true);
    expect(isValidTimeZone("America/New_York")).toBe(true);
    expect(isValidTimeZone("Mars/Olympus_Mons")).toBe(false);
  });
});

function session(overrides: Record<string, unknown> = {}) {
  return {
    title: "Roundtable",
    kind: "roundtable",
    levelId: UUID,
    languages: ["fr"],
    timeZone: "Africa/Bamako",
    attributionMode: "chatham_house",
    noteVisibility: "participants",
    ...overrides,
  };
}

describe("sessionInput", () => {
  it("accepts a good session and fills defaults", () => {
    const out = parseOrThrow(sessionInput, session({ localityId: "", parentSessionId: "", startsAt: "", endsAt: null }));
    expect(out).toMatchObject({
      title: "Roundtable",
      description: "",
      coHosts: "",
      localityId: null,
      parentSessionId: null,
      startsAt: null,
      endsAt: null,
      rosterVisibleToRoom: false,
    });
    const timed = parseOrThrow(sessionInput, session({ startsAt: 1000, endsAt: 2000, localityId: UUID, rosterVisibleToRoom: true }));
    expect(timed).toMatchObject({ startsAt: 1000, endsAt: 2000, localityId: UUID, rosterVisibleToRoom: true });
  });

  it("reports missing required fields", () => {
    const fields = fieldsOf(sessionInput, {});
    expect(fields.title).toEqual(["required"]);
    expect(fields.kind).toEqual(["required"]);
    expect(fields.levelId).toEqual(["required"]);
    expect(fields.languages).toEqual(["required"]);
    expect(fields.timeZone).toEqual(["required"]);
    expect(fields.attributionMode).toEqual(["required"]);
    expect(fields.noteVisibility).toEqual(["required"]);
  });

  it("rejects bad values with the right keys", () => {
    expect(fieldsOf(sessionInput, session({ title: "   " }))).toEqual({ title: ["required"] });
    expect(fieldsOf(sessionInput, session({ kind: "party" }))).toEqual({ kind: ["choice_invalid"] });
    expect(fieldsOf(sessionInput, session({ levelId: "level-1" }))).toEqual({ levelId: ["invalid"] });
    expect(fieldsOf(sessionInput, session({ localityId: "nope" }))).toEqual({ localityId: ["invalid"] });
    expect(fieldsOf(sessionInput, session({ languages: [] }))).toEqual({ languages: ["required"] });
    expect(fieldsOf(sessionInput, session({ languages: ["de"] }))).toEqual({ "languages.0": ["choice_invalid"] });
    expect(fieldsOf(sessionInput, session({ timeZone: "Mars/Olympus_Mons" }))).toEqual({ timeZone: ["timezone_invalid"] });
    expect(fieldsOf(sessionInput, session({ timeZone: " " })).timeZone).toContain("required");
    expect(fieldsOf(sessionInput, session({ attributionMode: "gossip" }))).toEqual({ attributionMode: ["choice_invalid"] });
    expect(fieldsOf(sessionInput, session({ noteVisibility: "everyone" }))).toEqual({ noteVisibility: ["choice_invalid"] });
    expect(fieldsOf(sessionInput, session({ description: "x".repeat(4001) }))).toEqual({ description: ["too_long"] });
    expect(fieldsOf(sessionInput, session({ startsAt: 1.5 })).startsAt).toBeDefined();
  });

  it("refuses an end before the start", () => {
    expect(fieldsOf(sessionInput, session({ startsAt: 2000, endsAt: 1000 }))).toEqual({ endsAt: ["ends_before_start"] });
    expect(fieldsOf(sessionInput, session({ startsAt: 2000, endsAt: 2000 }))).toEqual({ endsAt: ["ends_before_start"] });
  });
});

function entry(overrides: Record<string, unknown> = {}) {
  return { name: "Ama Diallo", role: "participant", category: "ngo", ...overrides };
}

describe("rosterInput", () => {
  it("accepts a good entry, splits and de-duplicates list fields", () => {
    const out = parseOrThrow(rosterInput, entry({ shortForms: "Ama, A. Diallo; Ama\nMme Diallo", acronyms: [" UN ", "MINUSMA", "UN"] }));
    expect(out).toEqual({
      name: "Ama Diallo",
      shortForms: ["Ama", "A. Diallo", "Mme Diallo"],
      organisation: "",
      acronyms: ["UN", "MINUSMA"],
      title: "",
      country: "",
      role: "participant",
      category: "ngo",
    });
    expect(parseOrThrow(rosterInput, entry()).shortForms).toEqual([]);
  });

  it("rejects bad entries with the right keys", () => {
    expect(fieldsOf(rosterInput, entry({ name: "" }))).toEqual({ name: ["required"] });
    expect(fieldsOf(rosterInput, { category: "ngo", role: "participant" })).toEqual({ name: ["required"] });
    expect(fieldsOf(rosterInput, entry({ role: "king" }))).toEqual({ role: ["choice_invalid"] });
    expect(fieldsOf(rosterInput, entry({ category: "spy" }))).toEqual({ category: ["choice_invalid"] });
    expect(fieldsOf(rosterInput, entry({ organisation: "x".repeat(201) }))).toEqual({ organisation: ["too_long"] });
    expect(fieldsOf(rosterInput, entry({ acronyms: Array.from({ length: 21 }, (_, i) => `A${i}`) }))).toEqual({ acronyms: ["too_many"] });
    expect(fieldsOf(rosterInput, entry({ shortForms: ["x".repeat(121)] }))).toEqual({ "shortForms.0": ["too_long"] });
  });
});

describe("programme settings (domain.programmes.updateSettings)", () => {
  let h: Harness;
  let organiser: Awaited<ReturnType<typeof programmeWithSession>>["organiser"];
  let programmeId: string;
  const good = { name: "National dialogue", description: "", quorumPercent: "50", consensusPercent: "80", broadSupportPermille: "667", retentionDays: "365" };

  beforeEach(async () => {
    h = makeHarness();
    ({ organiser, programmeId } = await programmeWithSession(h.domain));
  });
  afterEach(() => h.close());

  async function settingsFields(overrides: Record<string, unknown>) {
    const err = await domainError(() => h.domain.programmes.updateSettings(organiser, programmeId, { ...good, ...overrides }));
    expect(err.code).toBe("invalid");
    return err.fields;
  }

  it("accepts good settings (numbers coerced from form text) and stores them", () => {
    h.domain.programmes.updateSettings(organiser, programmeId, { ...good, name: "Renamed", quorumPercent: "60", retentionDays: 30 });
    const { programme } = h.domain.programmes.get(organiser, programmeId);
    expect(programme).toMatchObject({ name: "Renamed", quorumPercent: 60, consensusPercent: 80, broadSupportPermille: 667, retentionDays: 30 });
  });

  it("rejects out-of-range and non-integer numbers", async () => {
    expect(await settingsFields({ quorumPercent: "0" })).toEqual({ quorumPercent: ["out_of_range"] });
    expect(await settingsFields({ quorumPercent: "101" })).toEqual({ quorumPercent: ["out_of_range"] });
    expect((await settingsFields({ consensusPercent: "50" }))?.consensusPercent).toEqual(["out_of_range"]);
    expect(await settingsFields({ consensusPercent: "101" })).toEqual({ consensusPercent: ["out_of_range"] });
    expect(await settingsFields({ broadSupportPermille: "500" })).toEqual({ broadSupportPermille: ["out_of_range"] });
    expect(await settingsFields({ retentionDays: "0" })).toEqual({ retentionDays: ["out_of_range"] });
    expect(await settingsFields({ retentionDays: "3651" })).toEqual({ retentionDays: ["out_of_range"] });
    expect(await settingsFields({ quorumPercent: "abc" })).toEqual({ quorumPercent: ["number_invalid"] });
    expect(await settingsFields({ retentionDays: "1.5" })).toEqual({ retentionDays: ["number_invalid"] });
    expect(await settingsFields({ name: "" })).toEqual({ name: ["required"] });
  });

  it("refuses a broad-support threshold above the consensus threshold", async () => {
    expect(await settingsFields({ consensusPercent: "80", broadSupportPermille: "801" })).toEqual({ broadSupportPermille: ["broad_above_consensus"] });
    h.domain.programmes.updateSettings(organiser, programmeId, { ...good, consensusPercent: "80", broadSupportPermille: "800" });
    expect(h.domain.programmes.get(organiser, programmeId).programme.broadSupportPermille).toBe(800);
  });

  it("is for programme organisers only", async () => {
    h.domain.programmes.addMember(organiser, programmeId, { email: "staff@example.org", role: "staff" });
    const { actor: staff } = await signedInAccount(h.domain, "staff@example.org");
    expect((await domainError(() => h.domain.programmes.updateSettings(staff, programmeId, good))).code).toBe("forbidden");
  });
});
