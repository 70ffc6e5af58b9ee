/**
 * Times are stored as epoch milliseconds and shown in the session's IANA time zone. Forms send a
 * wall-clock time ("2026-12-04T14:00") in that zone; these helpers convert without a library.
 */

/** The offset (ms) of a time zone from UTC at a given instant. */
function offsetAt(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** "YYYY-MM-DDTHH:mm" in `timeZone` -> epoch ms, or null when the text is not a valid wall time. */
export function zonedWallTimeToEpoch(wall: string, timeZone: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(wall.trim());
  if (!m) return null;
  const [y, mo, d, h, mi] = m.slice(1).map(Number);
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59) return null;
  const guess = Date.UTC(y, mo - 1, d, h, mi);
  // Date.UTC rolls 30 February over into March: refuse days the month does not have.
  if (new Date(guess).getUTCDate() !== d) return null;
  try {
    let epoch = guess - offsetAt(guess, timeZone);
    epoch = guess - offsetAt(epoch, timeZone);
    return epoch;
  } catch {
    return null;
  }
}

/** Epoch ms -> "YYYY-MM-DDTHH:mm" in `timeZone` (for datetime-local inputs). */
export function epochToZonedWallTime(epoch: number, timeZone: string): string {
  const local = new Date(epoch + offsetAt(epoch, timeZone));
  return local.toISOString().slice(0, 16);
}

export function formatDateTime(epoch: number, locale: string, timeZone: string): string {
  return new Intl.DateTimeFormat(locale === "fr" ? "fr-FR" : "en-GB", {
    timeZone,
    weekday: "short",
    day: "numeric",
    month: "long",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  }).format(new Date(epoch));
}

/** A date without the time ("28 November 2026"), in `timeZone`. */
export function formatDate(epoch: number, locale: string, timeZone: string): string {
  return new Intl.DateTimeFormat(locale === "fr" ? "fr-FR" : "en-GB", { timeZone, day: "numeric", month: "long", year: "numeric" }).format(new Date(epoch));
}

/** A short list of zones people in this product's programmes use; any valid IANA zone is accepted. */
export const COMMON_TIME_ZONES = [
  "Africa/Bamako",
  "Africa/Niamey",
  "Africa/Ouagadougou",
  "Africa/Dakar",
  "Africa/Abidjan",
  "Africa/Nairobi",
  "Africa/Juba",
  "Africa/Tunis",
  "Europe/Paris",
  "Europe/Brussels",
  "Europe/London",
  "Europe/Zurich",
  "America/New_York",
  "UTC",
];
