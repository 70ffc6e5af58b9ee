import { json, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import {
  Link,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLoaderData,
  useLocation,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { useChangeLanguage } from "remix-i18next/react";
import stylesheet from "../styles/tailwind.css";
import { ErrorMessage } from "./components/errors";
import { CsrfField } from "./components/forms";
// Stateless locale detection (no database, no domain state): safe to import as a value.
// eslint-disable-next-line @typescript-eslint/no-restricted-imports
import { remixI18n } from "./i18next.server";
import { useOfflineDevice } from "./offline/use-offline-device";
import { useNonce } from "./utils/nonce";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

/** Routes without a title of their own inherit this one. */
export const meta: MetaFunction = () => [{ title: "Parley" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const locale = await remixI18n.getLocale(request);
  const actor = context.actor;
  return json({
    locale,
    csrfToken: context.csrfToken,
    env: context.env,
    actor: actor ? { userId: actor.userId, displayName: actor.displayName, email: actor.email, isGuest: actor.isGuest } : null,
    otherIdentities: context.deviceTokens.length,
  });
}

type RootData = ReturnType<typeof useLoaderData<typeof loader>>;

export function Layout({ children }: { children: React.ReactNode }) {
  const data = useRouteLoaderData<typeof loader>("root");
  const nonce = useNonce();
  const { i18n } = useTranslation();
  const locale = data?.locale ?? i18n.language ?? "en";
  return (
    <html lang={locale} dir={i18n.dir(locale)}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

function Header({ data }: { data: RootData | undefined }) {
  const { t } = useTranslation();
  const location = useLocation();
  const actor = data?.actor ?? null;
  const returnTo = location.pathname + location.search;
  return (
    <header className="border-b border-slate-200 bg-white">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-10 focus:rounded focus:bg-white focus:p-2">
        {t("skipToContent")}
      </a>
      <div className="mx-auto flex max-w-4xl flex-wrap items-center justify-between gap-3 px-4 py-3">
        <Link to="/" className="text-xl font-bold text-brand no-underline">
          {t("appName")}
        </Link>
        <nav aria-label={t("nav.mainMenu")} className="flex flex-wrap items-center gap-3 text-sm">
          {actor ? (
            <>
              <span className="text-ink-soft" dir="auto">
                {t("signedInAs", { name: actor.displayName ?? actor.email ?? t("anonymousGuest") })}
              </span>
              {actor.isGuest || (data?.otherIdentities ?? 0) > 0 ? <Link to="/switch">{t("nav.switchParticipant")}</Link> : null}
              <Link to="/sign-out">{t("nav.signOut")}</Link>
            </>
          ) : (
            <>
              <Link to="/join">{t("nav.join")}</Link>
              <Link to={`/sign-in?returnTo=${encodeURIComponent(returnTo)}`}>{t("nav.signIn")}</Link>
            </>
          )}
          <form method="post" action="/language" className="flex items-center gap-1" aria-label={t("language.change")}>
            <CsrfField />
            <input type="hidden" name="returnTo" value={returnTo} />
            <button type="submit" name="lang" value="en" className="btn-secondary btn-small" aria-pressed={data?.locale === "en"} lang="en">
              English
            </button>
            <button type="submit" name="lang" value="fr" className="btn-secondary btn-small" aria-pressed={data?.locale === "fr"} lang="fr">
              Français
            </button>
          </form>
        </nav>
      </div>
      {data?.env.demo ? <p className="bg-warn-light px-4 py-1 text-center text-xs text-warn">{t("demoBanner")}</p> : null}
    </header>
  );
}

/**
 * After a navigation inside the app (no page load), move focus to the main content, as a page load
 * would: keyboard users start from the new page and screen readers announce it.
 */
function useFocusOnNavigate() {
  const location = useLocation();
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    if (location.hash) return;
    document.getElementById("main")?.focus({ preventScroll: true });
  }, [location.pathname, location.search, location.hash]);
}

export default function App() {
  const data = useLoaderData<typeof loader>();
  useChangeLanguage(data.locale);
  useFocusOnNavigate();
  useOfflineDevice(data.actor?.userId ?? null);
  return (
    <>
      <Header data={data} />
      <main id="main" tabIndex={-1} className="outline-none">
        <Outlet />
      </main>
    </>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const data = useRouteLoaderData<typeof loader>("root");
  return (
    <>
      <Header data={data} />
      <main id="main">
        <ErrorMessage error={error} />
      </main>
    </>
  );
}

