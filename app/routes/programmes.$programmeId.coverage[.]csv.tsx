/**
 * The coverage export: every local demand of the programme (filtered as the dashboard) with its
 * region, place, level, theme, session and text (only where the viewer may see them), level of
 * agreement, outcome and the address of its trace. CSV for spreadsheets: UTF-8 with a byte-order mark,
 * semicolons for French (what French Excel expects), commas otherwise, and formula injection
 * neutralised (app/components/linking/csv.ts).
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { csvFileName, separatorFor, toCsv } from "~/components/linking/csv";
// Stateless locale detection (no database, no domain state): safe to import as a value, as root.tsx does.
// eslint-disable-next-line @typescript-eslint/no-restricted-imports
import { remixI18n } from "~/i18next.server";
import { load, publicOrigin, requireSignedIn } from "~/utils/http";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const actor = requireSignedIn(context.actor, request);
  const url = new URL(request.url);
  const input = Object.fromEntries(["levelId", "regionId", "themeId"].map((k) => [k, url.searchParams.get(k) ?? undefined]));
  const data = await load(request, () => context.domain.traceability.coverageExport(actor, params.programmeId ?? "", input));
  const language = await remixI18n.getLocale(request);
  const t = await remixI18n.getFixedT(request, ["linking", "consensus"]);
  const fr = language === "fr";
  const levels = new Map(data.levels.map((l) => [l.id, fr ? l.labelFr : l.labelEn]));
  const themes = new Map(data.themes.map((th) => [th.id, fr ? th.labelFr : th.labelEn]));
  const regions = new Map(data.regions.map((r) => [r.id, (fr ? r.labelFr : r.labelEn) ?? r.name]));
  const origin = publicOrigin(request, context.publicOrigin);
  const c = (key: string) => t(`linking:coverage.csv.${key}`);
  const header = [c("id"), c("region"), c("place"), c("level"), c("theme"), c("session"), c("demand"), c("consensus"), c("outcome"), c("trace")];
  const rows = data.demands.map((d) => [
    d.id,
    d.regionId ? (regions.get(d.regionId) ?? "") : "",
    d.place.join(" > "),
    levels.get(d.levelId) ?? "",
    d.themeId ? (themes.get(d.themeId) ?? "") : "",
    d.sessionTitle ?? "",
    d.text ?? "",
    d.consensus ? t(`consensus:levels.${d.consensus}.label`, { defaultValue: d.consensus }) : "",
    t(`linking:outcome.${d.outcome}`),
    d.text !== null ? `${origin}/recommendations/${d.id}/trace` : "",
  ]);
  const body = toCsv([header, ...rows], separatorFor(language));
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${csvFileName(data.programme.name, new Date())}"`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
