import { RemixBrowser } from "@remix-run/react";
import i18next from "i18next";
import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { i18nConfig } from "./i18n";
import { NonceProvider } from "./utils/nonce";

async function hydrate() {
  const lng = document.documentElement.lang === "fr" ? "fr" : "en";
  // Only the page's language travels to the browser.
  const bundle = lng === "fr" ? (await import("./locales/fr")).default : (await import("./locales/en")).default;
  await i18next.use(initReactI18next).init({ ...i18nConfig, lng, resources: { [lng]: bundle } });
  startTransition(() => {
    hydrateRoot(
      document,
      <StrictMode>
        <NonceProvider value="">
          <I18nextProvider i18n={i18next}>
            <RemixBrowser />
          </I18nextProvider>
        </NonceProvider>
      </StrictMode>,
    );
  });
}

void hydrate();
