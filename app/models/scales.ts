/**
 * The scales people take positions on (SPEC section 4), as data. Each option maps to support, neutral,
 * oppose or block, and only that mapping is counted (consensus.ts): the scale changes how people
 * express themselves, not how the room's level is worked out.
 *
 * Option keys are stable (stored with positions and show-of-hands counts); labels and one-line
 * explanations live in the "consensus" catalogue under keys derived from the scale and option keys
 * (`optionLabelKey`), so no text is kept here. `mark` is the number people say or hold up ("3",
 * three fingers), the same in every language.
 */

export const MAPPINGS = ["support", "neutral", "oppose", "block"] as const;
export type Mapping = (typeof MAPPINGS)[number];

export type ScaleOption = { readonly key: string; readonly mapping: Mapping; readonly mark?: string };

/**
 * Options in the order people see them, most supportive first. The agree/abstain/disagree scale
 * exists with and without a block option as two scales, so that a session's choice is one key.
 */
export const SCALES = {
  kaner: [
    { key: "endorse", mapping: "support", mark: "1" },
    { key: "agree_minor_point", mapping: "support", mark: "2" },
    { key: "support_reservations", mapping: "support", mark: "3" },
    { key: "abstain", mapping: "neutral", mark: "4" },
    { key: "more_discussion", mapping: "neutral", mark: "5" },
    { key: "dislike_but_support", mapping: "support", mark: "6" },
    { key: "serious_disagreement", mapping: "oppose", mark: "7" },
    { key: "veto", mapping: "block", mark: "8" },
  ],
  fist_of_five: [
    { key: "five", mapping: "support", mark: "5" },
    { key: "four", mapping: "support", mark: "4" },
    { key: "three", mapping: "support", mark: "3" },
    { key: "two", mapping: "neutral", mark: "2" },
    { key: "one", mapping: "oppose", mark: "1" },
    { key: "fist", mapping: "block" },
  ],
  consent: [
    { key: "consent", mapping: "support" },
    { key: "objection", mapping: "block" },
  ],
  agree_abstain_disagree: [
    { key: "agree", mapping: "support" },
    { key: "abstain", mapping: "neutral" },
    { key: "disagree", mapping: "oppose" },
  ],
  agree_abstain_disagree_block: [
    { key: "agree", mapping: "support" },
    { key: "abstain", mapping: "neutral" },
    { key: "disagree", mapping: "oppose" },
    { key: "block", mapping: "block" },
  ],
} as const satisfies Record<string, readonly ScaleOption[]>;

export type ScaleKey = keyof typeof SCALES;
export const SCALE_KEYS = Object.keys(SCALES) as ScaleKey[];
export type OptionKey<S extends ScaleKey = ScaleKey> = (typeof SCALES)[S][number]["key"];

export type MappingCounts = Record<Mapping, number>;

export function isScaleKey(value: unknown): value is ScaleKey {
  return typeof value === "string" && Object.prototype.hasOwnProperty.call(SCALES, value);
}

export function optionsOf(scale: ScaleKey): readonly ScaleOption[] {
  return SCALES[scale];
}

export function isOption(scale: ScaleKey, option: unknown): option is OptionKey {
  return typeof option === "string" && SCALES[scale].some((o) => o.key === option);
}

/** The mapping of an option, or null when the option is not on the scale. */
export function mappingOf(scale: ScaleKey, option: string): Mapping | null {
  return SCALES[scale].find((o) => o.key === option)?.mapping ?? null;
}


/** Counts per option, added up by mapping. Options not on the scale are ignored: validate first. */
export function countsByMapping(scale: ScaleKey, perOption: Partial<Record<string, number>>): MappingCounts {
  const out: MappingCounts = { support: 0, neutral: 0, oppose: 0, block: 0 };
  for (const o of SCALES[scale]) out[o.mapping] += perOption[o.key] ?? 0;
  return out;
}

/** Catalogue keys (namespace "consensus") for a scale's name and its options' labels and explanations. */
export const scaleNameKey = (scale: ScaleKey) => `scales.${scale}.name`;
export const scaleHintKey = (scale: ScaleKey) => `scales.${scale}.hint`;
export const optionLabelKey = (scale: ScaleKey, option: string) => `scales.${scale}.options.${option}.label`;
export const optionHintKey = (scale: ScaleKey, option: string) => `scales.${scale}.options.${option}.hint`;
