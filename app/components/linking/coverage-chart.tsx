/**
 * A coverage chart rendered on the server as accessible SVG: one stacked horizontal bar per group,
 * each outcome a segment with the app's colour (a class) and a pattern drawn over it, so outcomes are
 * told apart without colour; role="img" with a <title> and a <desc> that says every number; and the
 * same numbers in a table below. No inline style anywhere (the CSP forbids them): fills and strokes
 * are classes, sizes are SVG attributes.
 */
import { useTranslation } from "react-i18next";
import { OUTCOMES, type Outcome } from "~/models/linking";
import { layoutBars, OUTCOME_STYLE, type ChartRowInput, type PatternName } from "./chart-geometry";

/** The pattern drawn over a segment (white strokes, half transparent). */
function PatternDef({ id, pattern }: { id: string; pattern: PatternName }) {
  if (pattern === "none") return null;
  return (
    <pattern id={id} width="6" height="6" patternUnits="userSpaceOnUse">
      {pattern === "diagonal" ? <path d="M-1,1 l2,-2 M0,6 l6,-6 M5,7 l2,-2" className="stroke-white/70" strokeWidth="1.2" /> : null}
      {pattern === "dots" ? <circle cx="3" cy="3" r="1.2" className="fill-white/80" /> : null}
      {pattern === "horizontal" ? <path d="M0,3 h6" className="stroke-white/70" strokeWidth="1.2" /> : null}
      {pattern === "cross" ? <path d="M0,0 l6,6 M6,0 l-6,6" className="stroke-white/70" strokeWidth="1" /> : null}
    </pattern>
  );
}

function PatternDefs({ prefix }: { prefix: string }) {
  return (
    <defs>
      {OUTCOMES.map((o) => (
        <PatternDef key={o} id={`${prefix}-${o}`} pattern={OUTCOME_STYLE[o].pattern} />
      ))}
    </defs>
  );
}

/** A small swatch (colour and pattern) for the key. */
export function Swatch({ outcome }: { outcome: Outcome }) {
  const style = OUTCOME_STYLE[outcome];
  const id = `key-${outcome}`;
  return (
    <svg viewBox="0 0 24 16" width="24" height="16" aria-hidden="true" focusable="false" className="shrink-0">
      <defs>
        <PatternDef id={id} pattern={style.pattern} />
      </defs>
      <rect x="0.5" y="0.5" width="23" height="15" rx="2" className={`${style.fill} stroke-slate-400`} />
      {style.pattern !== "none" ? <rect x="0.5" y="0.5" width="23" height="15" rx="2" fill={`url(#${id})`} /> : null}
    </svg>
  );
}

export function ChartKey() {
  const { t } = useTranslation("linking");
  return (
    <section aria-labelledby="coverage-key" className="flex flex-col gap-2">
      <h2 id="coverage-key" className="text-base">
        {t("coverage.legend")}
      </h2>
      <ul className="flex flex-wrap gap-x-4 gap-y-2 text-sm">
        {OUTCOMES.map((o) => (
          <li key={o} className="flex items-center gap-2">
            <Swatch outcome={o} />
            {t(`outcome.${o}`)}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function CoverageChart({ id, title, groupLabel, rows }: { id: string; title: string; groupLabel: string; rows: ChartRowInput[] }) {
  const { t } = useTranslation("linking");
  const pct = (value: number) => t("coverage.percent", { value });
  const layout = layoutBars(rows, {}, pct);
  const desc = rows
    .map((r) =>
      t("coverage.chartDesc", {
        label: r.label,
        parts: r.total
          ? OUTCOMES.filter((o) => r.counts[o] > 0)
              // A few among many round to 0 %: say "under 1 %" rather than a 0 next to a count.
              .map((o) => t("coverage.chartPart", { outcome: t(`outcome.${o}`), count: r.counts[o], percent: r.percents[o] === 0 ? t("coverage.underOne") : pct(r.percents[o]) }))
              .join(", ")
          : t("coverage.chartEmpty"),
      }),
    )
    .join(" ");
  return (
    <section className="card flex flex-col gap-3" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{title}</h2>
      <svg viewBox={`0 0 ${layout.width} ${layout.height}`} role="img" aria-labelledby={`${id}-title`} aria-describedby={`${id}-desc`} className="h-auto w-full max-w-2xl" data-chart={id}>
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{desc}</desc>
        <PatternDefs prefix={`${id}-p`} />
        {layout.rows.map((row) => (
          <g key={row.key} data-group={row.key}>
            <text x={layout.barX} y={row.labelY} fontSize="12" className="fill-ink">
              {t("coverage.barTotal", { label: row.label, count: row.total })}
            </text>
            <rect x={layout.barX} y={row.barY} width={layout.barWidth} height={layout.barHeight} className="fill-white stroke-slate-300" />
            {row.segments.map((s) => (
              <g key={s.outcome} data-outcome={s.outcome} data-count={s.count}>
                <rect x={s.x} y={row.barY} width={s.width} height={layout.barHeight} className={OUTCOME_STYLE[s.outcome].fill} />
                {OUTCOME_STYLE[s.outcome].pattern !== "none" ? <rect x={s.x} y={row.barY} width={s.width} height={layout.barHeight} fill={`url(#${id}-p-${s.outcome})`} /> : null}
                {s.label ? (
                  <text x={s.labelX} y={row.barY + layout.barHeight / 2 + 4} fontSize="11" fontWeight="600" textAnchor="middle" className={OUTCOME_STYLE[s.outcome].text}>
                    {s.label}
                  </text>
                ) : null}
              </g>
            ))}
          </g>
        ))}
      </svg>
      {/* Wide on a phone: the table scrolls sideways, and can be reached and scrolled from the keyboard. */}
      <div className="overflow-x-auto" tabIndex={0} role="region" aria-labelledby={`${id}-caption`}>
        <table className="table" data-table={id}>
          <caption id={`${id}-caption`} className="sr-only">{t("coverage.table.caption", { title })}</caption>
          <thead>
            <tr>
              <th scope="col">{groupLabel}</th>
              {OUTCOMES.map((o) => (
                <th key={o} scope="col" className="text-end">
                  {t(`outcome.${o}`)}
                </th>
              ))}
              <th scope="col" className="text-end">
                {t("coverage.table.takenUp")}
              </th>
              <th scope="col" className="text-end">
                {t("coverage.table.total")}
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key} data-group={r.key}>
                <th scope="row" className="font-medium" dir="auto">
                  {r.label}
                </th>
                {OUTCOMES.map((o) => (
                  <td key={o} className="text-end tabular-nums" data-outcome={o}>
                    {r.counts[o]}
                  </td>
                ))}
                <td className="text-end tabular-nums" data-outcome="taken_up">
                  {r.counts.adopted_as_is + r.counts.merged + r.counts.adapted + r.counts.partly_taken_up}
                </td>
                <td className="text-end tabular-nums" data-outcome="total">
                  {r.total}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
