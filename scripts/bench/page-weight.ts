/**
 * First-load weight of the participant's live page, from the production build: the modules the Remix
 * manifest lists for the entry, the root route and `routes/sessions.$sessionId.live` (with every static
 * import they reach), plus the language catalogue chunks that page loads before hydration (the French
 * ones by default: `common`, `errors` and the namespaces the route declares in `handle.i18n`, found in
 * the entry's loader table, see app/locales/catalogues.ts), each gzipped at level 9; and the
 * stylesheets those modules link. What the page imports dynamically (loaded after hydration, when
 * needed) is weighed apart under `deferred`, so that nothing leaves the figure unseen.
 * Run alone: `node --import tsx scripts/bench/page-weight.ts` (after `npx remix build`).
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { pageNamespaces } from "../../app/locales/catalogues";

export const TARGET_JS_KB = 150;
export const TARGET_CSS_KB = 30;
export const LIVE_ROUTE = "routes/sessions.$sessionId.live";

type ManifestRoute = { module: string; imports?: string[]; css?: string[] };
type Manifest = { version?: string; entry: { module: string; imports?: string[] }; routes: Record<string, ManifestRoute> };
export type FileWeight = { file: string; bytes: number; gzipBytes: number };
export type PageWeight = {
  manifest: string;
  js: { files: FileWeight[]; bytes: number; gzipBytes: number; gzipKB: number; gzipKiB: number; targetKB: number; withinTarget: boolean };
  css: { files: FileWeight[]; bytes: number; gzipBytes: number; gzipKB: number; gzipKiB: number; targetKB: number; withinTarget: boolean };
  /** The catalogue namespaces loaded before hydration. */
  namespaces: string[];
  /** Chunks the page's code imports dynamically (after hydration, when needed), catalogues excepted. */
  deferred: { files: FileWeight[]; gzipKB: number };
};

/** KB here are 1,000 bytes (as in the commit messages that track this figure); KiB are given beside. */
const KB = 1000;

export function measurePageWeight(publicDir: string, catalogue = "fr"): PageWeight {
  const buildDir = path.join(publicDir, "build");
  const manifests = fs.existsSync(buildDir) ? fs.readdirSync(buildDir).filter((f) => /^manifest-.*\.js$/.test(f)) : [];
  if (manifests.length !== 1) throw new Error(`expected one public/build/manifest-*.js, found ${manifests.length}: run \`npx remix build\` first`);
  const source = fs.readFileSync(path.join(buildDir, manifests[0]), "utf8");
  const manifest = JSON.parse(source.slice(source.indexOf("=") + 1).replace(/;\s*$/, "")) as Manifest;
  const live = manifest.routes[LIVE_ROUTE];
  const root = manifest.routes.root;
  if (!live || !root) throw new Error(`the manifest has no root or ${LIVE_ROUTE} route`);

  const read = (url: string) => fs.readFileSync(fileOf(publicDir, url), "utf8");
  // The route's declared namespaces (`handle = { i18n: [...] }`, minified) and the loader table.
  const declared = /\bi18n:\[([^\]]*)\]/.exec(read(live.module));
  const handle = declared ? { i18n: [...declared[1].matchAll(/"([^"]+)"/g)].map((m) => m[1]) } : undefined;
  const namespaces = pageNamespaces({ root: {}, [LIVE_ROUTE]: { handle } });
  const table = findLoaderTable(publicDir, [manifest.entry.module, ...(manifest.entry.imports ?? [])], catalogue, read);
  const catalogueUrls = namespaces.map((ns) => {
    if (!table.has(ns)) throw new Error(`no ${catalogue} catalogue chunk for namespace ${ns} in the loader table`);
    return table.get(ns)!;
  });

  const seeds = [manifest.entry.module, ...(manifest.entry.imports ?? []), root.module, ...(root.imports ?? []), live.module, ...(live.imports ?? []), ...catalogueUrls];
  const js = new Set<string>();
  const css = new Set<string>([...(root.css ?? []), ...(live.css ?? [])]);
  const dynamic = new Set<string>();
  const allCatalogues = new Set(findAllCatalogueUrls(read(manifest.entry.module), [manifest.entry.module, ...(manifest.entry.imports ?? [])].map(read)));
  const visit = (url: string) => {
    if (js.has(url)) return;
    js.add(url);
    const text = read(url);
    // Static imports (`from"/build/..."` and bare `import"/build/..."`) are first load; import("...") is not.
    for (const m of text.matchAll(/(?:from|import)\s*"(\/build\/[^"]+\.js)"/g)) visit(m[1]);
    for (const m of text.matchAll(/import\("(\/build\/[^"]+\.js)"\)/g)) if (!allCatalogues.has(m[1])) dynamic.add(m[1]);
    for (const m of text.matchAll(/"(\/build\/_assets\/[^"]+\.css)"/g)) css.add(m[1]);
  };
  for (const url of seeds) visit(url);
  // What the deferred chunks bring that the first load does not already hold.
  const deferred = new Set<string>();
  const visitDeferred = (url: string) => {
    if (js.has(url) || deferred.has(url) || allCatalogues.has(url)) return;
    deferred.add(url);
    const text = read(url);
    for (const m of text.matchAll(/(?:from|import)\s*\(?"(\/build\/[^"]+\.js)"/g)) visitDeferred(m[1]);
  };
  for (const url of dynamic) visitDeferred(url);

  const weigh = (urls: Set<string>): FileWeight[] =>
    [...urls].map((url) => {
      const data = fs.readFileSync(fileOf(publicDir, url));
      return { file: url, bytes: data.length, gzipBytes: gzipSync(data, { level: 9 }).length };
    });
  const total = (files: FileWeight[], targetKB: number) => {
    const gzipBytes = files.reduce((s, f) => s + f.gzipBytes, 0);
    const gzipKB = Math.round((gzipBytes / KB) * 10) / 10;
    const gzipKiB = Math.round((gzipBytes / 1024) * 10) / 10;
    return { files, bytes: files.reduce((s, f) => s + f.bytes, 0), gzipBytes, gzipKB, gzipKiB, targetKB, withinTarget: gzipKB <= targetKB };
  };
  const deferredFiles = weigh(deferred);
  return {
    manifest: `/build/${manifests[0]}`,
    js: total(weigh(js), TARGET_JS_KB),
    css: total(weigh(css), TARGET_CSS_KB),
    namespaces,
    deferred: { files: deferredFiles, gzipKB: Math.round((deferredFiles.reduce((s, f) => s + f.gzipBytes, 0) / KB) * 10) / 10 },
  };
}

/** The catalogue loader table of one language in the entry's code: namespace -> chunk URL. */
function findLoaderTable(publicDir: string, urls: string[], lng: string, read: (url: string) => string): Map<string, string> {
  for (const url of urls) {
    const m = new RegExp(`\\b${lng}:\\{((?:\\w+:\\(\\)=>import\\("[^"]+"\\),?)+)\\}`).exec(read(url));
    if (m) return new Map([...m[1].matchAll(/(\w+):\(\)=>import\("([^"]+)"\)/g)].map((x) => [x[1], x[2]]));
  }
  throw new Error(`no ${lng} catalogue loader table in the entry's chunks (app/locales/catalogues.ts) under ${publicDir}`);
}

/** Every catalogue chunk of every language, so that they are not counted as deferred code. */
function findAllCatalogueUrls(...texts: (string | string[])[]): string[] {
  const out: string[] = [];
  for (const text of texts.flat()) for (const m of text.matchAll(/\w+:\(\)=>import\("([^"]+)"\)/g)) out.push(m[1]);
  return out;
}

function fileOf(publicDir: string, url: string) {
  if (!url.startsWith("/build/")) throw new Error(`unexpected asset URL ${url}`);
  return path.join(publicDir, url.slice(1));
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
  const weight = measurePageWeight(path.join(root, "public"));
  console.log(JSON.stringify(weight, null, 2));
  console.error(`first load: JS ${weight.js.gzipKB} KB gzipped (target ${weight.js.targetKB}), CSS ${weight.css.gzipKB} KB (target ${weight.css.targetKB}); namespaces ${weight.namespaces.join(", ")}; deferred ${weight.deferred.gzipKB} KB`);
}
