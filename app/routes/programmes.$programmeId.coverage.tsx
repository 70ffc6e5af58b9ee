/**
 * The coverage dashboard of a programme (programme.coverage.view): what became of the local demands,
 * per region, level and theme, as server-rendered SVG charts with the same numbers in tables; the
 * demands not yet addressed (texts only where the viewer may see them), paged; filters in a GET form
 * that works without JavaScript; and the CSV export. The numbers are the domain's
 * (traceability.coverage).
 */
import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ChartKey, CoverageChart } from "~/components/linking/coverage-chart";
import { load, requireSignedIn } from "~/utils/http";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.programme.name} · Parley` : "Parley" }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const actor = requireSignedIn(context.actor, request);
  const url = new URL(request.url);
  const input = Object.fromEntries(["levelId", "regionId", "themeId", "page"].map((k) => [k, url.searchParams.get(k) ?? undefined]));
  const data = await load(request, () => context.domain.traceability.coverage(actor, params.programmeId ?? "", input));
  return json(data, { headers: { "Cache-Control": "private, no-store" } });
}

const NONE = "none";

export default function CoverageDashboard() {
  const data = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("linking");
  const fr = i18n.language === "fr";
  const base = `/programmes/${data.programme.id}`;
  const levelLabel = new Map(data.levels.map((l) => [l.id, fr ? l.labelFr : l.labelEn]));
  const themeLabel = new Map(data.themes.map((th) => [th.id, fr ? th.labelFr : th.labelEn]));
  const regionLabel = new Map(data.regions.map((r) => [r.id, (fr ? r.labelFr : r.labelEn) ?? r.name]));
  const label = (map: Map<string, string>, none: string) => (key: string) => (key === NONE ? none : (map.get(key) ?? key));
  const rows = <R extends { key: string }>(list: R[], name: (k: string) => string) => list.map((r) => ({ ...r, label: name(r.key) }));
  const byTheme = rows(data.byTheme, label(themeLabel, t("coverage.noTheme"))).sort((a, b) => (a.key === NONE ? 1 : b.key === NONE ? -1 : a.label.localeCompare(b.label, i18n.language)));
  const filtered = Object.keys(data.filters).length > 0;
  const search = (page: number) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(data.filters)) if (v) q.set(k, v);
    if (page > 1) q.set("page", String(page));
    const s = q.toString();
    return s ? `?${s}` : "";
  };
  const query = (page: number) => `${base}/coverage${search(page)}`;
  const csvQuery = search(1);
  const total = data.total;
  const select = (name: "levelId" | "regionId" | "themeId", labelKey: string, allKey: string, options: { id: string; label: string }[]) => {
    const error = data.filterErrors[name]?.[0];
    return (
      <div className="field min-w-[12rem] flex-1">
        <label htmlFor={`filter-${name}`} className="label">
          {t(labelKey)}
        </label>
        <select id={`filter-${name}`} name={name} defaultValue={data.filters[name] ?? ""} className="input" aria-invalid={error ? true : undefined} aria-describedby={error ? `filter-${name}-error` : undefined}>
          <option value="">{t(allKey)}</option>
          {options.map((o) => (
            <option key={o.id} value={o.id}>
              {o.label}
            </option>
          ))}
        </select>
        {error ? (
          <p id={`filter-${name}-error`} className="error">
            {t(`errors:${error}`)}
          </p>
        ) : null}
      </div>
    );
  };

  return (
    <div className="mx-auto flex max-w-4xl flex-col gap-6 px-4 py-6">
      <Link to={base} className="text-sm">
        ← <span dir="auto">{data.programme.name}</span>
      </Link>
      <header className="flex flex-col gap-2">
        <h1>{t("coverage.title")}</h1>
        <p className="hint max-w-prose">{t("coverage.intro")}</p>
      </header>

      <Form method="get" className="card flex flex-col gap-3" aria-labelledby="filters-heading">
        <h2 id="filters-heading" className="text-base">
          {t("coverage.filters.legend")}
        </h2>
        <div className="flex flex-wrap gap-3">
          {select("levelId", "coverage.filters.level", "coverage.filters.allLevels", data.levels.map((l) => ({ id: l.id, label: fr ? l.labelFr : l.labelEn })))}
          {select("regionId", "coverage.filters.region", "coverage.filters.allRegions", data.regions.map((r) => ({ id: r.id, label: regionLabel.get(r.id) ?? r.name })))}
          {select("themeId", "coverage.filters.theme", "coverage.filters.allThemes", data.themes.map((th) => ({ id: th.id, label: fr ? th.labelFr : th.labelEn })))}
        </div>
        {data.filterErrors.page ? <p className="error">{t(`errors:${data.filterErrors.page[0]}`)}</p> : null}
        <div className="flex flex-wrap items-center gap-3">
          <button type="submit" className="btn-primary">
            {t("coverage.filters.apply")}
          </button>
          {filtered ? (
            <>
              <Link to={`${base}/coverage`}>{t("coverage.filters.clear")}</Link>
              <span className="hint">{t("coverage.filters.active")}</span>
            </>
          ) : null}
        </div>
      </Form>

      <section className="card flex flex-col gap-3" aria-labelledby="total-heading">
        <h2 id="total-heading" className="sr-only">
          {t("coverage.table.total")}
        </h2>
        <p className="text-lg" data-total={total.total} data-taken-up={total.takenUp}>
          {total.total ? t("coverage.total", { total: total.total, takenUp: total.takenUp, percent: t("coverage.percent", { value: Math.round((total.takenUp * 100) / total.total) }) }) : t("coverage.totalNone")}
        </p>
        <ChartKey />
      </section>

      {total.total ? (
        <>
          <CoverageChart id="by-region" title={t("coverage.byRegion")} groupLabel={t("coverage.filters.region")} rows={rows(data.byRegion, label(regionLabel, t("coverage.noRegion")))} />
          <CoverageChart id="by-level" title={t("coverage.byLevel")} groupLabel={t("coverage.filters.level")} rows={rows(data.byLevel, label(levelLabel, "—"))} />
          <CoverageChart id="by-theme" title={t("coverage.byTheme")} groupLabel={t("coverage.filters.theme")} rows={byTheme} />
        </>
      ) : null}

      <section className="card flex flex-col gap-3" aria-labelledby="unaddressed-heading">
        <h2 id="unaddressed-heading">{t("coverage.unaddressed.heading")}</h2>
        {data.unaddressed.count === 0 ? (
          <p>{t("coverage.unaddressed.none")}</p>
        ) : (
          <>
            <p data-unaddressed={data.unaddressed.count}>{t("coverage.unaddressed.count", { count: data.unaddressed.count })}</p>
            <ol className="flex flex-col divide-y divide-slate-200" start={(data.unaddressed.page - 1) * data.unaddressed.pageSize + 1}>
              {data.unaddressed.items.map((d) => (
                <li key={d.id} className="flex flex-col gap-1 py-3">
                  {d.text !== null ? (
                    <p className="break-words" dir="auto">
                      {d.text}
                    </p>
                  ) : (
                    <p className="italic text-ink-soft">{t("coverage.unaddressed.hidden")}</p>
                  )}
                  <p className="flex flex-wrap gap-x-2 text-sm text-ink-soft">
                    {d.sessionTitle ? <span dir="auto">{d.sessionTitle}</span> : null}
                    <span>{levelLabel.get(d.levelId)}</span>
                    <span dir="auto">{d.place.join(" › ")}</span>
                    {d.themeId && themeLabel.get(d.themeId) ? <span>{themeLabel.get(d.themeId)}</span> : null}
                  </p>
                  {d.text !== null ? (
                    <p className="text-sm">
                      <Link to={`/recommendations/${d.id}/trace`}>{t("trace.reader.follow")}</Link>
                    </p>
                  ) : null}
                </li>
              ))}
            </ol>
            {data.unaddressed.pages > 1 ? (
              <nav aria-label={t("coverage.unaddressed.nav")} className="flex flex-wrap items-center gap-3">
                {data.unaddressed.page > 1 ? (
                  <Link to={query(data.unaddressed.page - 1)} className="btn-secondary btn-small" rel="prev">
                    {t("coverage.unaddressed.previous")}
                  </Link>
                ) : null}
                <span className="text-sm">{t("coverage.unaddressed.page", { page: data.unaddressed.page, pages: data.unaddressed.pages })}</span>
                {data.unaddressed.page < data.unaddressed.pages ? (
                  <Link to={query(data.unaddressed.page + 1)} className="btn-secondary btn-small" rel="next">
                    {t("coverage.unaddressed.next")}
                  </Link>
                ) : null}
              </nav>
            ) : null}
          </>
        )}
      </section>

      <section className="card flex flex-col gap-2">
        <p>
          <a href={`${base}/coverage.csv${csvQuery}`} className="btn-secondary" download>
            {t("coverage.csv.download")}
          </a>
        </p>
        <p className="hint">{t("coverage.csv.hint")}</p>
      </section>
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/errors";
