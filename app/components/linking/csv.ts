/**
 * CSV for spreadsheets (the coverage export): RFC 4180 quoting, CRLF line ends, a UTF-8 byte-order
 * mark so that Excel reads accents right, and formula injection neutralised: a text cell that a
 * spreadsheet would read as a formula (starting, after any spaces, with = + - @, a tab or a carriage
 * return) is prefixed with an apostrophe, which spreadsheets show as text (OWASP "CSV injection").
 * Pure, so it is unit-tested on its own.
 */
import { asciiSlug } from "~/utils/slug";
export const BOM = "\uFEFF";
export type CsvValue = string | number | null | undefined;

const FORMULA_START = /^[\s]*[=+\-@\t\r]/;

/** One cell, neutralised and quoted as needed for the separator. Numbers we produce are left as numbers. */
export function csvCell(value: CsvValue, separator = ","): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  let text = value;
  if (FORMULA_START.test(text)) text = `'${text}`;
  const needsQuotes = text.includes(separator) || /["\r\n]/.test(text) || text !== text.trim();
  return needsQuotes ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A whole file: BOM, rows separated by CRLF, ending with a CRLF. */
export function toCsv(rows: readonly (readonly CsvValue[])[], separator = ","): string {
  return BOM + rows.map((row) => row.map((cell) => csvCell(cell, separator)).join(separator)).join("\r\n") + "\r\n";
}

/**
 * The separator a spreadsheet in this language expects when the file is opened directly: French
 * Excel splits on semicolons (the comma is the decimal mark there), English on commas.
 */
export function separatorFor(language: string): "," | ";" {
  return language === "fr" ? ";" : ",";
}

/** "parley-dialogue-inter-maliens-coverage-2026-11-28.csv": ASCII only, from the programme's name. */
export function csvFileName(name: string, date: Date): string {
  const slug = asciiSlug(name);
  return `parley-${slug || "programme"}-coverage-${date.toISOString().slice(0, 10)}.csv`;
}
