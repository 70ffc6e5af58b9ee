/**
 * Geometry of the coverage charts: one horizontal bar per group (a region, a level, a theme), split
 * into one segment per outcome in proportion to its count, so each bar is that group's 100 %. Pure,
 * so it is unit-tested without rendering: segments are laid end to end with no gap or overlap and fill
 * the bar exactly; an empty group has no segment; a segment carries its share as a label only where
 * the label fits.
 *
 * Colours and patterns are classes and pattern names, never inline styles (the CSP has no
 * 'unsafe-inline' for styles): the stylesheet (Tailwind) gives each outcome its fill, and a pattern
 * drawn over it tells outcomes apart without relying on colour.
 */
import { OUTCOMES, type Outcome, type OutcomeCounts } from "~/models/linking";

export type PatternName = "none" | "diagonal" | "dots" | "horizontal" | "cross";
/** Fill class, pattern and text class per outcome: the app's palette, darkest for "taken up". */
export const OUTCOME_STYLE: Record<Outcome, { fill: string; pattern: PatternName; text: string; swatch: string }> = {
  adopted_as_is: { fill: "fill-ok", pattern: "none", text: "fill-white", swatch: "bg-ok" },
  merged: { fill: "fill-brand", pattern: "diagonal", text: "fill-white", swatch: "bg-brand" },
  adapted: { fill: "fill-brand-dark", pattern: "dots", text: "fill-white", swatch: "bg-brand-dark" },
  partly_taken_up: { fill: "fill-warn", pattern: "horizontal", text: "fill-white", swatch: "bg-warn" },
  not_retained: { fill: "fill-danger", pattern: "cross", text: "fill-white", swatch: "bg-danger" },
  unaddressed: { fill: "fill-slate-200", pattern: "none", text: "fill-ink", swatch: "bg-slate-200" },
};

export type ChartRowInput = { key: string; label: string; counts: OutcomeCounts; total: number; percents: OutcomeCounts };
export type Segment = { outcome: Outcome; count: number; percent: number; x: number; width: number; label: string | null; labelX: number };
export type ChartRow = { key: string; label: string; total: number; labelY: number; barY: number; segments: Segment[] };
export type ChartLayout = { width: number; height: number; barHeight: number; barX: number; barWidth: number; rows: ChartRow[] };

export type ChartOptions = { width: number; barHeight: number; labelHeight: number; gap: number; padding: number; minLabelWidth: number };
export const CHART: ChartOptions = { width: 320, barHeight: 22, labelHeight: 18, gap: 12, padding: 4, minLabelWidth: 30 };

const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * Lays out one bar per row. Each row: its label on a line of its own (long place names fit a phone),
 * then the bar. Segment edges are the cumulative shares, rounded once, so widths add up exactly to
 * the bar's width.
 */
export function layoutBars(rows: readonly ChartRowInput[], options: Partial<ChartOptions> = {}, formatPercent: (percent: number) => string = (p) => `${p}%`): ChartLayout {
  const o = { ...CHART, ...options };
  const barX = o.padding;
  const barWidth = o.width - 2 * o.padding;
  const out: ChartRow[] = [];
  let y = o.padding;
  for (const row of rows) {
    const labelY = y + o.labelHeight - 5;
    const barY = y + o.labelHeight;
    const segments: Segment[] = [];
    if (row.total > 0) {
      let cumulative = 0;
      let left = barX;
      for (const outcome of OUTCOMES) {
        const count = row.counts[outcome];
        if (!count) continue;
        cumulative += count;
        const right = round2(barX + (barWidth * cumulative) / row.total);
        const width = round2(right - left);
        const percent = row.percents[outcome];
        segments.push({ outcome, count, percent, x: left, width, label: width >= o.minLabelWidth ? formatPercent(percent) : null, labelX: round2(left + width / 2) });
        left = right;
      }
    }
    out.push({ key: row.key, label: row.label, total: row.total, labelY, barY, segments });
    y = barY + o.barHeight + o.gap;
  }
  const height = rows.length ? y - o.gap + o.padding : 2 * o.padding;
  return { width: o.width, height, barHeight: o.barHeight, barX, barWidth, rows: out };
}
