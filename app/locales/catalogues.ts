/**
 * The browser's catalogues, one chunk per language and namespace (ADR 005, "Catalogues per page").
 *
 * The server bundles every catalogue (./index.ts). The browser loads, before hydration, only the
 * namespaces of the page it opens: `common` and `errors` always, plus those the matched routes
 * declare in `handle.i18n` (and `errors` on an error page); a route that declares nothing gets every
 * namespace, so a new page works
 * before anyone thinks about its weight. The other namespaces come later, on demand (i18next asks the
 * backend below when a component wants one) or when the browser is idle after hydration.
 *
 * Adding a namespace: its two files, the two index.ts entries, i18nConfig.ns, and one line per
 * language below (the type makes a missing line a compile error).
 */
import type { BackendModule, ReadCallback } from "i18next";
import { getI18n } from "react-i18next";
import type { Language } from "../i18n";
import type en from "./en";

export type Namespace = keyof typeof en;
type Catalogue = Record<string, unknown>;
type Loader = () => Promise<{ default: Catalogue }>;

/** Always loaded before hydration: the root's strings. */
export const BASE_NAMESPACES: readonly Namespace[] = ["common"];
/** Added when the page is an error page (the error boundaries' messages). */
export const ERROR_NAMESPACES: readonly Namespace[] = ["errors"];

// One dynamic import per file, spelled out: the bundler makes each its own chunk.
export const CATALOGUE_LOADERS: Record<Language, Record<Namespace, Loader>> = {
  en: {
    common: () => import("./en/common"),
    errors: () => import("./en/errors"),
    auth: () => import("./en/auth"),
    programmes: () => import("./en/programmes"),
    sessions: () => import("./en/sessions"),
    agenda: () => import("./en/agenda"),
    live: () => import("./en/live"),
    notes: () => import("./en/notes"),
    offline: () => import("./en/offline"),
    consensus: () => import("./en/consensus"),
    recommendations: () => import("./en/recommendations"),
    summaries: () => import("./en/summaries"),
    capture: () => import("./en/capture"),
    consolidation: () => import("./en/consolidation"),
    linking: () => import("./en/linking"),
    field: () => import("./en/field"),
  },
  fr: {
    common: () => import("./fr/common"),
    errors: () => import("./fr/errors"),
    auth: () => import("./fr/auth"),
    programmes: () => import("./fr/programmes"),
    sessions: () => import("./fr/sessions"),
    agenda: () => import("./fr/agenda"),
    live: () => import("./fr/live"),
    notes: () => import("./fr/notes"),
    offline: () => import("./fr/offline"),
    consensus: () => import("./fr/consensus"),
    recommendations: () => import("./fr/recommendations"),
    summaries: () => import("./fr/summaries"),
    capture: () => import("./fr/capture"),
    consolidation: () => import("./fr/consolidation"),
    linking: () => import("./fr/linking"),
    field: () => import("./fr/field"),
  },
};

export const ALL_NAMESPACES = Object.keys(CATALOGUE_LOADERS.en) as Namespace[];

function isNamespace(value: unknown): value is Namespace {
  return typeof value === "string" && (ALL_NAMESPACES as string[]).includes(value);
}

/** What a route module may declare: `export const handle = { i18n: ["live", "notes"] }`. */
export type I18nHandle = { i18n?: readonly Namespace[] };

/**
 * The namespaces a page needs at first render, from its matched route modules (route id -> module,
 * as Remix keeps them in `window.__remixRouteModules`). The root needs only the base namespaces (and
 * `errors` on an error page);
 * any other route without a declaration, or with an unknown name in it, gets every namespace.
 */
export function pageNamespaces(modules: Record<string, { handle?: unknown } | undefined>, options: { errorPage?: boolean } = {}): Namespace[] {
  const out = new Set<Namespace>(options.errorPage ? [...BASE_NAMESPACES, ...ERROR_NAMESPACES] : BASE_NAMESPACES);
  for (const [id, module] of Object.entries(modules)) {
    if (id === "root") continue;
    const declared = (module?.handle as I18nHandle | undefined)?.i18n;
    if (!Array.isArray(declared) || !declared.every(isNamespace)) return [...ALL_NAMESPACES];
    for (const ns of declared) out.add(ns);
  }
  return ALL_NAMESPACES.filter((ns) => out.has(ns));
}

/** Loads the given namespaces of one language, in parallel: { namespace: catalogue }. */
export async function loadCatalogues(lng: Language, namespaces: readonly Namespace[]): Promise<Record<string, Catalogue>> {
  const loaded = await Promise.all(namespaces.map(async (ns) => [ns, (await CATALOGUE_LOADERS[lng][ns]()).default] as const));
  return Object.fromEntries(loaded);
}

/** An i18next backend over the chunks above: namespaces a page did not load first come from here. */
export const catalogueBackend: BackendModule = {
  type: "backend",
  init() {},
  read(language: string, namespace: string, callback: ReadCallback) {
    const lng: Language = language === "fr" ? "fr" : "en";
    if (!isNamespace(namespace)) return callback(new Error(`unknown namespace ${namespace}`), false);
    CATALOGUE_LOADERS[lng][namespace]().then(
      (m) => callback(null, m.default as never),
      // i18next retries a failed read a few times; a later loadNamespaces tries again.
      (error: unknown) => callback(error instanceof Error ? error : new Error(String(error)), true),
    );
  },
};

/**
 * In the browser, before rendering code loaded after hydration: its namespaces, from the chunks
 * above; rejects if one could not be loaded (the caller tries again). Nothing to do on the server,
 * which holds every catalogue.
 */
export async function ensureNamespaces(namespaces: readonly Namespace[]): Promise<void> {
  const i18n = getI18n();
  if (typeof document === "undefined" || !i18n) return;
  await i18n.loadNamespaces([...namespaces]);
  const missing = namespaces.filter((ns) => !i18n.hasResourceBundle(i18n.language, ns));
  if (missing.length) throw new Error(`catalogues not loaded: ${missing.join(", ")}`);
}
