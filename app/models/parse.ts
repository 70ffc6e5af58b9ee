import type { z } from "zod";
import { DomainError, type FieldErrors } from "./errors";

/** Parses input with a zod schema; on failure throws a DomainError("invalid") with field errors. */
export function parseOrThrow<S extends z.ZodTypeAny>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields: FieldErrors = {};
  for (const issue of result.error.issues) {
    const key = issue.path.join(".") || "_form";
    const message = issue.code === "invalid_type" && issue.received === "undefined" ? "required" : issue.message;
    // One message per field: the first problem is the one to fix ("required" before "invalid email").
    fields[key] ??= [message];
  }
  throw new DomainError("invalid", "invalid_input", fields);
}
