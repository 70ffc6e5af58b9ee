/**
 * The scales as data (app/models/scales.ts), against the table in SPEC section 4, and their labels in
 * the "consensus" catalogue.
 */
import { resources } from "../../app/locales";
import {
  countsByMapping,
  isOption,
  isScaleKey,
  mappingOf,
  optionHintKey,
  optionLabelKey,
  optionsOf,
  SCALE_KEYS,
  scaleHintKey,
  scaleNameKey,
  type Mapping,
  type ScaleKey,
} from "../../app/models/scales";
import { optionSchema, scaleKeySchema } from "../../app/models/scales-input";

/** SPEC section 4's table, row by row: option keys (in order) and their mapping. */
const SPEC_TABLE: Record<ScaleKey, [string, Mapping][]> = {
  kaner: [
    ["endorse", "support"],
    ["agree_minor_point", "support"],
    ["support_reservations", "support"],
    ["abstain", "neutral"],
    ["more_discussion", "neutral"],
    ["dislike_but_support", "support"],
    ["serious_disagreement", "oppose"],
    ["veto", "block"],
  ],
  fist_of_five: [
    ["five", "support"],
    ["four", "support"],
    ["three", "support"],
    ["two", "neutral"],
    ["one", "oppose"],
    ["fist", "block"],
  ],
  consent: [
    ["consent", "support"],
    ["objection", "block"],
  ],
  agree_abstain_disagree: [
    ["agree", "support"],
    ["abstain", "neutral"],
    ["disagree", "oppose"],
  ],
  agree_abstain_disagree_block: [
    ["agree", "support"],
    ["abstain", "neutral"],
    ["disagree", "oppose"],
    ["block", "block"],
  ],
};

/** Reads "a.b.c" in a catalogue. */
function lookup(catalogue: unknown, key: string): unknown {
  return key.split(".").reduce<unknown>((node, part) => (node && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined), catalogue);
}

describe("scales", () => {
  it("are exactly the table of SPEC section 4, in order", () => {
    expect([...SCALE_KEYS].sort()).toEqual(Object.keys(SPEC_TABLE).sort());
    for (const scale of SCALE_KEYS) {
      expect(optionsOf(scale).map((o) => [o.key, o.mapping]), scale).toEqual(SPEC_TABLE[scale]);
    }
  });

  it("number Kaner's gradients 1 to 8 and the fist of five 5 to 1, the fist without a number", () => {
    expect(optionsOf("kaner").map((o) => o.mark)).toEqual(["1", "2", "3", "4", "5", "6", "7", "8"]);
    expect(optionsOf("fist_of_five").map((o) => o.mark)).toEqual(["5", "4", "3", "2", "1", undefined]);
  });

  it("have unique option keys within a scale", () => {
    for (const scale of SCALE_KEYS) expect(new Set(optionsOf(scale).map((o) => o.key)).size).toBe(optionsOf(scale).length);
  });

  it("give the mapping of an option, or null for an option of another scale", () => {
    expect(mappingOf("kaner", "dislike_but_support")).toBe("support");
    expect(mappingOf("fist_of_five", "fist")).toBe("block");
    expect(mappingOf("consent", "abstain")).toBeNull();
    expect(mappingOf("agree_abstain_disagree", "block")).toBeNull();
    expect(isOption("agree_abstain_disagree_block", "block")).toBe(true);
    expect(isOption("kaner", "toString")).toBe(false);
    expect(isScaleKey("kaner")).toBe(true);
    expect(isScaleKey("constructor")).toBe(false);
  });

  it("add counts per option up by mapping", () => {
    expect(countsByMapping("kaner", { endorse: 3, agree_minor_point: 2, dislike_but_support: 1, abstain: 1, more_discussion: 2, serious_disagreement: 4, veto: 1 })).toEqual({
      support: 6,
      neutral: 3,
      oppose: 4,
      block: 1,
    });
    expect(countsByMapping("consent", {})).toEqual({ support: 0, neutral: 0, oppose: 0, block: 0 });
  });
});

describe("optionSchema", () => {
  it("accepts the options of the scale and refuses others with errors.choice_invalid", () => {
    expect(optionSchema("fist_of_five").parse("fist")).toBe("fist");
    const refused = optionSchema("agree_abstain_disagree").safeParse("block");
    expect(refused.success).toBe(false);
    if (!refused.success) expect(refused.error.issues[0].message).toBe("choice_invalid");
    expect(optionSchema("consent").safeParse(undefined).success).toBe(false);
    expect(optionSchema("consent").safeParse(1).success).toBe(false);
  });

  it("accepts the scale keys and nothing else", () => {
    for (const scale of SCALE_KEYS) expect(scaleKeySchema.parse(scale)).toBe(scale);
    expect(scaleKeySchema.safeParse("gradients").success).toBe(false);
  });
});

describe("scale labels", () => {
  it("exist in English and French for every scale and every option, and for nothing else", () => {
    for (const lang of ["en", "fr"] as const) {
      const cat = resources[lang].consensus;
      expect(Object.keys(cat.scales).sort(), lang).toEqual([...SCALE_KEYS].sort());
      for (const scale of SCALE_KEYS) {
        for (const key of [scaleNameKey(scale), scaleHintKey(scale)]) expect(typeof lookup(cat, key), `${lang}:${key}`).toBe("string");
        expect(Object.keys(cat.scales[scale].options).sort(), `${lang}:${scale}`).toEqual(optionsOf(scale).map((o) => o.key).sort());
        for (const o of optionsOf(scale)) {
          for (const key of [optionLabelKey(scale, o.key), optionHintKey(scale, o.key)]) expect(typeof lookup(cat, key), `${lang}:${key}`).toBe("string");
        }
      }
    }
  });
});
