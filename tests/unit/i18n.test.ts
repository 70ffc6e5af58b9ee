import { i18nConfig } from "../../app/i18n";
import { NAMESPACES, resources } from "../../app/locales";

type Catalogue = { [key: string]: string | Catalogue };

/** Every leaf of a catalogue as "a.b.c" -> value. */
function leaves(catalogue: Catalogue, prefix = ""): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [key, value] of Object.entries(catalogue)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (value !== null && typeof value === "object") for (const [k, v] of leaves(value, path)) out.set(k, v);
    else out.set(path, value);
  }
  return out;
}

const placeholders = (text: string) => [...text.matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)].map((m) => m[1]).sort();

const namespaces = NAMESPACES;

describe("i18n catalogues", () => {
  it("have the same namespaces in English and French", () => {
    expect(Object.keys(resources.fr).sort()).toEqual([...namespaces].sort());
    expect(namespaces.length).toBeGreaterThan(0);
  });

  it("are all declared to i18next, which the browser needs since it receives one language only", () => {
    expect([...i18nConfig.ns].sort()).toEqual([...namespaces].sort());
  });

  for (const ns of namespaces) {
    describe(`namespace ${ns}`, () => {
      const en = leaves(resources.en[ns] as unknown as Catalogue);
      const fr = leaves(resources.fr[ns] as unknown as Catalogue);

      it("has exactly the same keys in en and fr", () => {
        expect([...fr.keys()].sort()).toEqual([...en.keys()].sort());
      });

      it("has no empty or non-text value", () => {
        for (const [lang, cat] of [["en", en], ["fr", fr]] as const) {
          for (const [key, value] of cat) {
            expect(typeof value, `${lang}:${ns}.${key}`).toBe("string");
            expect((value as string).trim(), `${lang}:${ns}.${key}`).not.toBe("");
          }
        }
      });

      it("uses the same {{placeholders}} in both languages", () => {
        for (const [key, value] of en) {
          const other = fr.get(key);
          if (typeof value !== "string" || typeof other !== "string") continue;
          expect(placeholders(other), `${ns}.${key}`).toEqual(placeholders(value));
        }
      });
    });
  }
});
