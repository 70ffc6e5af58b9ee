import { i18nConfig, SUPPORTED_LANGUAGES } from "../../app/i18n";
import { resources } from "../../app/locales";
import { ALL_NAMESPACES, CATALOGUE_LOADERS, loadCatalogues, pageNamespaces } from "../../app/locales/catalogues";

describe("the browser's catalogue chunks (app/locales/catalogues.ts)", () => {
  it("cover every namespace of every language", () => {
    expect([...ALL_NAMESPACES].sort()).toEqual([...i18nConfig.ns].sort());
    for (const lng of SUPPORTED_LANGUAGES) expect(Object.keys(CATALOGUE_LOADERS[lng]).sort()).toEqual([...ALL_NAMESPACES].sort());
  });

  it("load exactly the catalogues the server bundles", async () => {
    for (const lng of SUPPORTED_LANGUAGES) {
      const loaded = await loadCatalogues(lng, ALL_NAMESPACES);
      expect(loaded).toEqual(resources[lng]);
    }
  });
});

describe("pageNamespaces", () => {
  it("gives the root only the base namespace", () => {
    expect(pageNamespaces({ root: {} })).toEqual(["common"]);
  });

  it("adds what the matched routes declare, in catalogue order", () => {
    expect(pageNamespaces({ root: {}, "routes/a": { handle: { i18n: ["notes", "live"] } } })).toEqual(["common", "live", "notes"]);
  });

  it("adds the errors namespace on an error page", () => {
    expect(pageNamespaces({ root: {}, "routes/a": { handle: { i18n: ["live"] } } }, { errorPage: true })).toEqual(["common", "errors", "live"]);
  });

  it("gives every namespace to a page whose route declares nothing, or a name it does not know", () => {
    expect(pageNamespaces({ root: {}, "routes/a": { handle: { i18n: ["live"] } }, "routes/b": {} })).toEqual(ALL_NAMESPACES);
    expect(pageNamespaces({ root: {}, "routes/a": { handle: { other: true } } })).toEqual(ALL_NAMESPACES);
    expect(pageNamespaces({ root: {}, "routes/a": { handle: { i18n: ["live", "nope"] } } })).toEqual(ALL_NAMESPACES);
  });
});
