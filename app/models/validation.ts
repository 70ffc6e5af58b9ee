/**
 * Validation schemas shared by the domain (authoritative) and the forms (for field errors).
 * Messages are catalogue keys in the "errors" namespace, translated by the adapters.
 */
import { z } from "zod";

export const emailSchema = z
  .string({ required_error: "required" })
  .trim()
  .toLowerCase()
  .min(1, "required")
  .max(254, "too_long")
  .email("email_invalid");

export const passwordSchema = z
  .string({ required_error: "required" })
  .min(10, "password_too_short")
  .max(200, "too_long");

export const displayNameSchema = z
  .string()
  .trim()
  .max(60, "too_long")
  .optional()
  .transform((v) => (v ? v : null));

export const signInSchema = z.object({
  email: emailSchema,
  password: z.string({ required_error: "required" }).min(1, "required").max(200, "too_long"),
});

export const signUpSchema = z.object({
  email: emailSchema,
  password: passwordSchema,
  displayName: displayNameSchema,
});

export const setPasswordSchema = z
  .object({ password: passwordSchema, confirm: z.string({ required_error: "required" }) })
  .refine((v) => v.password === v.confirm, { message: "passwords_differ", path: ["confirm"] });

export const labelSchema = z.string({ required_error: "required" }).trim().min(1, "required").max(120, "too_long");

export const uuidSchema = z.string().uuid("invalid");

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** For "contains" searches typed on a phone: case, accents and marks ignored ("segou" finds "Ségou"). */
export function foldForSearch(s: string): string {
  return s.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
}
