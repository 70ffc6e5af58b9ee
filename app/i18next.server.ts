import { RemixI18Next } from "remix-i18next/server";
import { i18nConfig, isLanguage } from "./i18n";
import { resources } from "./locales";
import { LANG_COOKIE, parseCookies } from "./utils/cookies.server";

/** Language: the user's choice (cookie), else the browser's Accept-Language, else English. */
export const remixI18n = new RemixI18Next({
  detection: {
    supportedLanguages: i18nConfig.supportedLngs,
    fallbackLanguage: i18nConfig.fallbackLng,
    order: ["custom", "header"],
    async findLocale(request) {
      const lang = parseCookies(request.headers.get("Cookie"))[LANG_COOKIE];
      return isLanguage(lang) ? lang : null;
    },
  },
  i18next: { ...i18nConfig, resources },
});
