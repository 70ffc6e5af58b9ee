/**
 * Note input schemas (zod), for the domain and the server-side adapters. Kept apart from notes.ts so
 * that the browser does not load zod for the composer.
 */
import { z } from "zod";
import { cleanNoteText, CLIENT_ID_RE, countChars, MAX_THEMES_PER_NOTE, NOTE_KINDS, NOTE_MAX_CHARS } from "./notes";

/** A client id as devices make them (notes.ts newClientId). */
export const clientIdSchema = z.string().regex(CLIENT_ID_RE, "invalid");

export const noteTextSchema = z
  .string({ required_error: "required", invalid_type_error: "required" })
  .transform(cleanNoteText)
  .refine((t) => t.length > 0, "required")
  .refine((t) => countChars(t) <= NOTE_MAX_CHARS, "too_long");

const themeIdsSchema = z
  .union([z.array(z.string().uuid("choice_invalid")), z.string().uuid("choice_invalid")], { errorMap: () => ({ message: "choice_invalid" }) })
  .optional()
  .transform((v) => [...new Set(v === undefined ? [] : Array.isArray(v) ? v : [v])])
  .refine((v) => v.length <= MAX_THEMES_PER_NOTE, "too_many");

const kindSchema = z.enum(NOTE_KINDS, { errorMap: () => ({ message: "choice_invalid" }) });

export const noteInputSchema = z.object({
  clientId: clientIdSchema,
  itemId: z.string({ required_error: "required" }).uuid("item_not_found"),
  kind: kindSchema,
  themeIds: themeIdsSchema,
  text: noteTextSchema,
});
export type NoteInput = z.input<typeof noteInputSchema>;

export const noteEditSchema = z.object({ text: noteTextSchema, kind: kindSchema, themeIds: themeIdsSchema });
export type NoteEdit = z.input<typeof noteEditSchema>;

