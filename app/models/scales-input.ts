/**
 * Zod schemas for scales, for the domain only: kept apart from scales.ts so that the browser, which
 * needs the scales' options and labels, does not load zod.
 */
import { z } from "zod";
import { SCALE_KEYS, SCALES, type OptionKey, type ScaleKey } from "./scales";

export const scaleKeySchema = z.enum(SCALE_KEYS as [ScaleKey, ...ScaleKey[]], { errorMap: () => ({ message: "choice_invalid" }) });

/** "An option on this scale": validates a position or a show-of-hands row (message: errors.choice_invalid). */
export function optionSchema<S extends ScaleKey>(scale: S) {
  const keys = SCALES[scale].map((o) => o.key) as [OptionKey<S>, ...OptionKey<S>[]];
  return z.enum(keys, { errorMap: () => ({ message: "choice_invalid" }) });
}
