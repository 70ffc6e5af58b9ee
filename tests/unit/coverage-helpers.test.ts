/**
 * The coverage page's pure helpers: the stacked-bar geometry (segments end to end, filling each bar
 * exactly, labels only where they fit) and CSV writing (quoting, BOM, formula injection neutralised,
 * the separator French Excel expects, the file name).
 */
import fc from "fast-check";
import { CHART, layoutBars, OUTCOME_STYLE } from "../../app/components/linking/chart-geometry";
import { BOM, csvCell, csvFileName, separatorFor, toCsv } from "../../app/components/linking/csv";
import { coverageBy, emptyCounts, OUTCOMES, percentsOf, type Outcome } from "../../app/models/linking";
import type { TraceNode } from "../../app/models/linking.server";
import { pruneTrace } from "../../app/models/traceability.server";

const rowOf = (key: string, partial: Partial<Record<Outcome, number>>) => {
  const counts = { ...emptyCounts(), ...partial };
  const total = OUTCOMES.reduce((n, o) => n + counts[o], 0);
  return { key, label: key, counts, total, percents: percentsOf(counts) };
};

describe("stacked bar geometry", () => {
  it("lays segments end to end in outcome order, filling the bar, each as wide as its share", () => {
    const layout = layoutBars([rowOf("Mopti", { merged: 2, adapted: 1, partly_taken_up: 1, not_retained: 1 })]);
    const [row] = layout.rows;
    expect(row.segments.map((s) => s.outcome)).toEqual(["merged", "adapted", "partly_taken_up", "not_retained"]);
    expect(row.segments[0].x).toBe(layout.barX);
    expect(row.segments[0].width).toBeCloseTo(layout.barWidth * 0.4, 1);
    for (let i = 1; i < row.segments.length; i++) expect(row.segments[i].x).toBeCloseTo(row.segments[i - 1].x + row.segments[i - 1].width, 5);
    const last = row.segments.at(-1)!;
    expect(last.x + last.width).toBeCloseTo(layout.barX + layout.barWidth, 5);
    expect(row.segments.map((s) => s.label)).toEqual(["40%", "20%", "20%", "20%"]);
    expect(layout.width).toBe(CHART.width);
  });

  it("draws no segment for an empty group, leaves out zero counts, and labels only segments wide enough", () => {
    const layout = layoutBars([rowOf("empty", {}), rowOf("lopsided", { merged: 99, unaddressed: 1 })], {}, (p) => `${p}\u00A0%`);
    expect(layout.rows[0].segments).toEqual([]);
    const [big, small] = layout.rows[1].segments;
    expect(big.label).toBe("99\u00A0%");
    expect(small.outcome).toBe("unaddressed");
    expect(small.label).toBeNull();
    // Rows stack downwards without overlapping, and the picture is as tall as its rows.
    expect(layout.rows[1].labelY).toBeGreaterThan(layout.rows[0].barY + layout.barHeight);
    expect(layout.height).toBeGreaterThanOrEqual(layout.rows[1].barY + layout.barHeight);
    expect(layoutBars([]).rows).toEqual([]);
  });

  it("always fills the bar exactly, with no negative or overlapping segment, whatever the counts", () => {
    fc.assert(
      fc.property(fc.array(fc.nat(1000), { minLength: OUTCOMES.length, maxLength: OUTCOMES.length }), (ns) => {
        const partial = Object.fromEntries(OUTCOMES.map((o, i) => [o, ns[i]]));
        const layout = layoutBars([rowOf("r", partial)]);
        const segments = layout.rows[0].segments;
        const total = ns.reduce((a, b) => a + b, 0);
        if (!total) return expect(segments).toEqual([]);
        let x = layout.barX;
        for (const s of segments) {
          expect(s.width).toBeGreaterThanOrEqual(0);
          expect(s.x).toBeCloseTo(x, 5);
          x = s.x + s.width;
        }
        expect(x).toBeCloseTo(layout.barX + layout.barWidth, 5);
      }),
    );
  });

  it("tells every outcome apart by colour class and, where colours are close, by pattern", () => {
    const fills = OUTCOMES.map((o) => OUTCOME_STYLE[o].fill);
    expect(new Set(fills).size).toBe(OUTCOMES.length);
    // Blues (merged, adapted) differ by pattern too; every class is a utility, never a style.
    expect(OUTCOME_STYLE.merged.pattern).not.toBe(OUTCOME_STYLE.adapted.pattern);
    for (const o of OUTCOMES) expect(OUTCOME_STYLE[o].fill).toMatch(/^fill-[a-z0-9-]+$/);
  });

  it("works with the domain's coverage rows", () => {
    const rows = coverageBy([{ outcome: "merged" }, { outcome: "unaddressed" }], () => "all");
    const layout = layoutBars(rows.map((r) => ({ ...r, label: "all" })));
    expect(layout.rows[0].segments.map((s) => s.percent)).toEqual([50, 50]);
  });
});

describe("trace pages of very large trees", () => {
  const node = (id: string, children: TraceNode[] = []): TraceNode => ({
    id,
    text: id,
    status: "adopted",
    consensus: null,
    session: { id: `s-${id}`, title: id, levelId: "l", place: [], published: false },
    links: children.map((c) => ({ id: `l-${c.id}`, relation: "merged", reason: "", session: c.session, node: c })),
    hidden: 0,
  });
  const region = (r: number, communes: number) => node(`r${r}`, Array.from({ length: communes }, (_, c) => node(`r${r}c${c}`)));
  const count = (n: { links: { node: unknown }[] }): number => 1 + n.links.reduce((sum, l) => sum + (l.node ? count(l.node as never) : 0), 0);

  it("keeps every region and up to the per-node share of each one's communes, counting the rest", () => {
    const page = pruneTrace(node("national", [region(1, 30), region(2, 3)]), 400, 25);
    expect(page.links).toHaveLength(2);
    expect(page.omitted).toBe(0);
    expect(page.links[0].node!.links).toHaveLength(25);
    expect(page.links[0].node!.omitted).toBe(5);
    expect(page.links[1].node!.omitted).toBe(0);
  });

  it("never shows more recommendations than the page's budget, and counts every one left out", () => {
    const tree = node("national", Array.from({ length: 20 }, (_, r) => region(r, 40)));
    const page = pruneTrace(tree, 100, 25);
    expect(count(page)).toBe(100);
    const omitted = (n: ReturnType<typeof pruneTrace>): number => n.omitted + n.links.reduce((s, l) => s + (l.node ? omitted(l.node) : 0), 0);
    // Every recommendation of the tree is either shown or counted under a shown parent, except those below an omitted one.
    expect(page.links).toHaveLength(20);
    expect(omitted(page)).toBe(20 * 40 - (100 - 1 - 20));
    // A small tree is left whole.
    expect(count(pruneTrace(region(0, 3)))).toBe(4);
  });
});

describe("CSV", () => {
  it("quotes what needs quoting and leaves the rest alone", () => {
    expect(csvCell("Sangha")).toBe("Sangha");
    expect(csvCell("Mopti, Bandiagara")).toBe('"Mopti, Bandiagara"');
    expect(csvCell("Mopti, Bandiagara", ";")).toBe("Mopti, Bandiagara");
    expect(csvCell("a;b", ";")).toBe('"a;b"');
    expect(csvCell('Il a dit "non"')).toBe('"Il a dit ""non"""');
    expect(csvCell("deux\nlignes")).toBe('"deux\nlignes"');
    expect(csvCell(" espace ")).toBe('" espace "');
    expect(csvCell(null)).toBe("");
    expect(csvCell(undefined)).toBe("");
    expect(csvCell(-3)).toBe("-3");
    expect(csvCell(Number.NaN)).toBe("");
  });

  it("neutralises cells a spreadsheet would run as formulas", () => {
    for (const attack of ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "  =cmd|' /C calc'!A0"]) {
      const cell = csvCell(attack);
      const unquoted = cell.startsWith('"') ? cell.slice(1, -1).replace(/""/g, '"') : cell;
      expect(unquoted.startsWith("'"), attack).toBe(true);
      expect(unquoted.slice(1)).toBe(attack);
    }
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    // Text that merely contains those characters is left as it is.
    expect(csvCell("Accès = droit")).toBe("Accès = droit");
    expect(csvCell("e-mail")).toBe("e-mail");
  });

  it("never lets any text start a cell with a formula character, and round-trips through quoting", () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const cell = csvCell(text, ";");
        const inner = cell.startsWith('"') && cell.endsWith('"') && cell.length >= 2 ? cell.slice(1, -1).replace(/""/g, '"') : cell;
        expect(inner).not.toMatch(/^\s*[=+\-@\t\r]/);
        // The text itself, or the text behind the apostrophe that neutralises it.
        expect(inner === text || inner === `'${text}`).toBe(true);
      }),
    );
  });

  it("writes a file with a BOM and CRLF line ends, semicolons for French", () => {
    const file = toCsv(
      [
        ["Région", "Doléance"],
        ["Mopti", "Un forage; vite"],
      ],
      separatorFor("fr"),
    );
    expect(file).toBe(`${BOM}Région;Doléance\r\nMopti;"Un forage; vite"\r\n`);
    expect(separatorFor("en")).toBe(",");
  });

  it("names the file from the programme, in ASCII, with the date", () => {
    expect(csvFileName("Dialogue inter-maliens : phase 2", new Date(Date.UTC(2026, 10, 28)))).toBe("parley-dialogue-inter-maliens-phase-2-coverage-2026-11-28.csv");
    expect(csvFileName("مالي", new Date(Date.UTC(2026, 0, 1)))).toBe("parley-programme-coverage-2026-01-01.csv");
  });
});
