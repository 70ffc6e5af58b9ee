/**
 * i18next configuration shared by the server and the browser. Catalogues are bundled, not fetched:
 * the server has both languages; the browser loads only the page's language (a change of language
 * is a full page load through the language form).
 */

export const SUPPORTED_LANGUAGES = ["en", "fr"] as const;
export type Language = (typeof SUPPORTED_LANGUAGES)[number];

export const i18nConfig = {
  supportedLngs: [...SUPPORTED_LANGUAGES],
  fallbackLng: "en",
  defaultNS: "common",
  ns: ["common", "errors", "auth", "programmes", "sessions", "agenda", "live", "notes", "offline", "consensus", "recommendations", "summaries", "capture", "consolidation", "linking", "field"],
  interpolation: { escapeValue: false },
  react: { useSuspense: false },
};

export function isLanguage(value: unknown): value is Language {
  return typeof value === "string" && (SUPPORTED_LANGUAGES as readonly string[]).includes(value);
}
