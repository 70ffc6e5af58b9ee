/**
 * The session form <-> domain input. Pure (no database, no domain instance): the route actions call
 * `sessionInputFromForm` and hand the result to `context.domain.sessions.create/update`.
 *
 * The option lists below mirror the enums in db/schema.ts without importing that module as a value
 * (it would drag the ORM into the browser bundle); the type checks at the bottom fail the build if the
 * two ever differ.
 */
import type { ATTRIBUTION_MODES, NOTE_VISIBILITIES, ROSTER_CATEGORIES, SESSION_KINDS, SESSION_ROLES } from "../../db/schema";
import { DomainError, isDomainError, type FieldErrors } from "../models/errors";
import { zonedWallTimeToEpoch } from "./time";

export const KIND_OPTIONS = ["roundtable", "local_dialogue", "plenary"] as const;
export const ATTRIBUTION_OPTIONS = ["chatham_house", "anonymous", "on_the_record"] as const;
export const NOTE_VISIBILITY_OPTIONS = ["participants", "staff"] as const;
export const ROLE_OPTIONS = ["organiser", "moderator", "rapporteur", "panelist", "participant", "observer"] as const;
export const ROSTER_CATEGORY_OPTIONS = ["academic", "un_official", "diplomat", "ngo", "government", "community", "media", "other"] as const;
export const LANGUAGE_OPTIONS = ["fr", "en"] as const;

/** Placeholder handed to the domain for a time that could not be read: it always fails validation. */
const UNREADABLE_TIME = "date_invalid";

export type SessionFormInput = {
  title: string;
  description: string;
  coHosts: string;
  kind: string;
  levelId: string;
  localityId: string;
  parentSessionId: string;
  languages: string[];
  startsAt: number | null | typeof UNREADABLE_TIME;
  endsAt: number | null | typeof UNREADABLE_TIME;
  timeZone: string;
  attributionMode: string;
  noteVisibility: string;
  rosterVisibleToRoom: boolean;
};

/** Same check as the domain's (not imported: that module would bring zod into the browser bundle). */
function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function text(form: FormData, name: string): string {
  const v = form.get(name);
  return typeof v === "string" ? v : "";
}

/**
 * FormData -> the domain's session input. Wall-clock times ("2026-12-04T14:00") are read in the chosen
 * time zone; a time that cannot be read is reported in `dateErrors` ("date_invalid") and replaced by a
 * value the domain rejects, so nothing is saved and the other fields are still checked.
 */
export function sessionInputFromForm(form: FormData): { input: SessionFormInput; dateErrors: FieldErrors } {
  const timeZone = text(form, "timeZone").trim();
  // With an invalid zone the domain reports the zone itself; read the times in UTC meanwhile so that
  // they are not reported as invalid too.
  const zone = timeZone && isValidTimeZone(timeZone) ? timeZone : "UTC";
  const dateErrors: FieldErrors = {};
  const time = (name: "startsAt" | "endsAt") => {
    const wall = text(form, name).trim();
    if (!wall) return null;
    const epoch = zonedWallTimeToEpoch(wall, zone);
    if (epoch === null) {
      dateErrors[name] = ["date_invalid"];
      return UNREADABLE_TIME;
    }
    return epoch;
  };
  return {
    input: {
      title: text(form, "title"),
      description: text(form, "description"),
      coHosts: text(form, "coHosts"),
      kind: text(form, "kind"),
      levelId: text(form, "levelId"),
      localityId: text(form, "localityId"),
      parentSessionId: text(form, "parentSessionId"),
      languages: form.getAll("languages").filter((v): v is string => typeof v === "string"),
      startsAt: time("startsAt"),
      endsAt: time("endsAt"),
      timeZone,
      attributionMode: text(form, "attributionMode"),
      noteVisibility: text(form, "noteVisibility"),
      rosterVisibleToRoom: form.get("rosterVisibleToRoom") === "on",
    },
    dateErrors,
  };
}

/**
 * Runs a domain call with an input from `sessionInputFromForm`: the date errors replace whatever the
 * domain said about those fields, and are merged with its other field errors.
 */
export async function withDateErrors<T>(dateErrors: FieldErrors, fn: () => T | Promise<T>): Promise<T> {
  const hasDateErrors = Object.keys(dateErrors).length > 0;
  try {
    const result = await fn();
    // Unreachable (the domain rejects the placeholder), but never report success over a bad date.
    if (hasDateErrors) throw new DomainError("invalid", "invalid_input", dateErrors);
    return result;
  } catch (e) {
    if (hasDateErrors && isDomainError(e) && e.code === "invalid") throw new DomainError("invalid", "invalid_input", { ...(e.fields ?? {}), ...dateErrors });
    throw e;
  }
}

/** A list shown in a comma-separated text input (the domain splits it again on save). */
export function joinList(items: readonly string[] | null | undefined): string {
  return (items ?? []).join(", ");
}

/** Localities in tree order with their depth (for an indented select). Orphans are shown as roots. */
export function localityTree<T extends { id: string; parentId: string | null; name: string }>(items: readonly T[]): { item: T; depth: number }[] {
  const ids = new Set(items.map((i) => i.id));
  const children = new Map<string | null, T[]>();
  for (const item of items) {
    const parent = item.parentId && ids.has(item.parentId) ? item.parentId : null;
    const list = children.get(parent) ?? [];
    list.push(item);
    children.set(parent, list);
  }
  for (const list of children.values()) list.sort((a, b) => a.name.localeCompare(b.name));
  const out: { item: T; depth: number }[] = [];
  const seen = new Set<string>();
  const walk = (parent: string | null, depth: number) => {
    for (const item of children.get(parent) ?? []) {
      if (seen.has(item.id)) continue;
      seen.add(item.id);
      out.push({ item, depth });
      walk(item.id, depth + 1);
    }
  };
  walk(null, 0);
  // Anything left belongs to a cycle in the data: still offer it.
  for (const item of items) if (!seen.has(item.id)) out.push({ item, depth: 0 });
  return out;
}

// Compile-time checks: the option lists above are exactly the schema's enums.
type Same<A extends string, B extends string> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _kinds: Same<(typeof KIND_OPTIONS)[number], (typeof SESSION_KINDS)[number]> = true;
const _modes: Same<(typeof ATTRIBUTION_OPTIONS)[number], (typeof ATTRIBUTION_MODES)[number]> = true;
const _visibilities: Same<(typeof NOTE_VISIBILITY_OPTIONS)[number], (typeof NOTE_VISIBILITIES)[number]> = true;
const _roles: Same<(typeof ROLE_OPTIONS)[number], (typeof SESSION_ROLES)[number]> = true;
const _categories: Same<(typeof ROSTER_CATEGORY_OPTIONS)[number], (typeof ROSTER_CATEGORIES)[number]> = true;
void [_kinds, _modes, _visibilities, _roles, _categories];
