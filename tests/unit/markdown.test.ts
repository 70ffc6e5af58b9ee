/**
 * Markdown safety (app/models/markdown.ts): text people wrote renders as the same characters, never
 * as syntax, checked against markdown-it with raw HTML allowed (the most permissive setting).
 */
import fc from "fast-check";
import MarkdownIt from "markdown-it";
import { escapeBlock, escapeInline, oneLine } from "../../app/models/markdown";

const md = new MarkdownIt({ html: true });
const html = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

describe("escapeInline and escapeBlock", () => {
  it("keep ordinary prose as it is", () => {
    expect(escapeBlock("Participants noted that the State's role (in 2015) matters.")).toBe("Participants noted that the State's role (in 2015) matters.");
    expect(escapeInline("l'État doit agir : « vite » !")).toBe("l'État doit agir : « vite » !");
  });

  it("make HTML, links, images, emphasis, code and entities inert", () => {
    const hostile = `<script>alert(1)</script> [link](javascript:alert(1)) ![x](http://e.test/x.png) **bold** _it_ \`code\` &lt; <http://e.test> ~~gone~~ | a | b |`;
    const out = md.render(escapeBlock(hostile));
    expect(out).toBe(`<p>${html(hostile)}</p>\n`);
    expect(out).not.toMatch(/<(script|a|img|strong|em|code|s|del|table)\b/);
  });

  it("make block syntax at the start inert: headings, lists, quotes, rules, fences", () => {
    for (const start of ["# heading", "## heading", "- item", "+ item", "* item", "1. item", "12) item", "> quote", "---", "***", "___", "```js", "~~~", "=== ", "<div>x</div>", "    indented code"]) {
      expect(md.render(escapeBlock(start))).toBe(`<p>${html(oneLine(start))}</p>\n`);
    }
  });

  it("put text on one line: a note's line breaks cannot start a new block", () => {
    expect(escapeBlock("first\n# second\n\n- third")).toBe("first \\# second - third");
    expect(oneLine("a\u00A0:\tb\r\nc")).toBe("a\u00A0: b c");
  });

  it("renders any text as that text, in a paragraph, a heading or a list item (property)", () => {
    const chars = fc.oneof(
      fc.constantFrom(..."\\`*_[]()<>#|~&!-+=.:;\"' \n\t0123456789abcXYZéÉ«»“”/?@"),
      fc.string({ unit: "grapheme", maxLength: 1 }),
    );
    const text = fc.array(chars, { maxLength: 40 }).map((a) => a.join("").split("\u0000").join(""));
    fc.assert(
      fc.property(text, (s) => {
        const t = oneLine(s);
        fc.pre(t.length > 0);
        expect(md.render(escapeBlock(s))).toBe(`<p>${html(t)}</p>\n`);
        expect(md.render(`# ${escapeInline(s)}`)).toBe(`<h1>${html(t)}</h1>\n`);
        expect(md.render(`- ${escapeBlock(s)}`)).toBe(`<ul>\n<li>${html(t)}</li>\n</ul>\n`);
      }),
      { numRuns: 3000 },
    );
  });
});
