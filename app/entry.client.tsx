import { RemixBrowser } from "@remix-run/react";
import i18next from "i18next";
import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { i18nConfig } from "./i18n";
import { ALL_NAMESPACES, catalogueBackend, loadCatalogues, pageNamespaces } from "./locales/catalogues";
import { whenOnline } from "./utils/deferred";
import { NonceProvider } from "./utils/nonce";

declare global {
  interface Window {
    __remixRouteModules?: Record<string, { handle?: unknown } | undefined>;
    __remixContext?: { state?: { errors?: Record<string, unknown> | null } };
  }
}

/** After hydration, when the browser has nothing better to do, the rest of the page's language. */
function loadTheRestWhenIdle(loaded: readonly string[]) {
  const rest = ALL_NAMESPACES.filter((ns) => !loaded.includes(ns));
  if (!rest.length) return;
  // Not while offline (the requests would only fail): when the network is back.
  const run = () => void whenOnline().then(() => i18next.loadNamespaces(rest)).catch(() => undefined);
  if (typeof window.requestIdleCallback === "function") window.requestIdleCallback(run, { timeout: 10_000 });
  else setTimeout(run, 3_000);
}

async function hydrate() {
  const lng = document.documentElement.lang === "fr" ? "fr" : "en";
  // Only the page's language, and of it only the namespaces the page's routes declare (ADR 005).
  const errorPage = Object.keys(window.__remixContext?.state?.errors ?? {}).length > 0;
  const namespaces = pageNamespaces(window.__remixRouteModules ?? {}, { errorPage });
  const bundle = await loadCatalogues(lng, namespaces);
  await i18next
    .use(catalogueBackend)
    .use(initReactI18next)
    .init({ ...i18nConfig, lng, ns: namespaces, resources: { [lng]: bundle }, partialBundledLanguages: true });
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
  loadTheRestWhenIdle(namespaces);
}

void hydrate();
