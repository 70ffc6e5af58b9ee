/**
 * First-load weight of the participant's live page, from the production build: the modules the Remix
 * manifest lists for the entry, the root route and `routes/sessions.$sessionId.live` (with every static
 * import they reach), plus the language catalogue chunk `_shared/fr-*.js`, each gzipped at level 9;
 * and the stylesheets those modules link. Run alone: `node --import tsx scripts/bench/page-weight.ts`
 * (after `npx remix build`).
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";

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

  const catalogues = fs.readdirSync(path.join(buildDir, "_shared")).filter((f) => f.startsWith(`${catalogue}-`) && f.endsWith(".js"));
  if (catalogues.length !== 1) throw new Error(`expected one _shared/${catalogue}-*.js catalogue chunk, found ${catalogues.length}`);

  const seeds = [
    manifest.entry.module,
    ...(manifest.entry.imports ?? []),
    root.module,
    ...(root.imports ?? []),
    live.module,
    ...(live.imports ?? []),
    `/build/_shared/${catalogues[0]}`,
  ];
  const js = new Set<string>();
  const css = new Set<string>([...(root.css ?? []), ...(live.css ?? [])]);
  const visit = (url: string) => {
    if (js.has(url)) return;
    js.add(url);
    const text = fs.readFileSync(fileOf(publicDir, url), "utf8");
    // Static imports only (`from"/build/..."` and bare `import"/build/..."`); dynamic import() is not first load.
    for (const m of text.matchAll(/(?:from|import)\s*"(\/build\/[^"]+\.js)"/g)) visit(m[1]);
    for (const m of text.matchAll(/"(\/build\/_assets\/[^"]+\.css)"/g)) css.add(m[1]);
  };
  for (const url of seeds) visit(url);

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
  return { manifest: `/build/${manifests[0]}`, js: total(weigh(js), TARGET_JS_KB), css: total(weigh(css), TARGET_CSS_KB) };
}

function fileOf(publicDir: string, url: string) {
  if (!url.startsWith("/build/")) throw new Error(`unexpected asset URL ${url}`);
  return path.join(publicDir, url.slice(1));
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
  console.log(JSON.stringify(measurePageWeight(path.join(root, "public")), null, 2));
}
