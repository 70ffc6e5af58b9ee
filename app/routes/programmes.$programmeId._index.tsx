import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { StatusBadge } from "~/components/layout";
import { LocalTime } from "~/components/time";
import { PublishedList } from "~/components/summaries/published-list";
import { Field, SelectField } from "~/components/forms";
import { Pager } from "~/components/pager";
import { load } from "~/utils/http";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.programme.name} · Parley` : "Parley" }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { actor, domain } = context;
  const programmeId = params.programmeId ?? "";
  return load(request, () => {
    const { programme, role, can, levels } = domain.programmes.overview(actor, programmeId);
    const url = new URL(request.url);
    const list = can.includes("programme.sessions.list")
      ? domain.sessions.pageForProgramme(actor, programmeId, { levelId: url.searchParams.get("level"), status: url.searchParams.get("status"), q: url.searchParams.get("q"), page: url.searchParams.get("page") })
      : null;
    const sessions = list?.items ?? null;
    const localityNames = Object.fromEntries(domain.programmes.localityNames([...new Set((sessions ?? []).map((s) => s.localityId).filter((id): id is string => !!id))]));
    return json({
      programme: { id: programme.id, name: programme.name, description: programme.description },
      role,
      canConfigure: can.includes("programme.configure"),
      canManageMembers: can.includes("programme.members.manage"),
      canViewAudit: can.includes("programme.audit.view"),
      canCreateSessions: can.includes("programme.sessions.create"),
      canImport: can.includes("programme.sessions.import"),
      canViewCoverage: can.includes("programme.coverage.view"),
      canField: can.includes("programme.field.kits"),
      levels: levels.map((l) => ({ id: l.id, labelEn: l.labelEn, labelFr: l.labelFr })),
      localityNames,
      sessions,
      list: list && {
        matching: list.matching,
        total: list.total,
        page: list.page,
        pages: list.pages,
        filters: list.filters,
        ignored: list.ignored,
        // Only a long list (or one already filtered) needs the search form.
        searchable: list.total > list.pageSize || !!(list.filters.q || list.filters.levelId || list.filters.status),
      },
      published: domain.summaries.list(actor, { programmeId }),
    });
  });
}

type ListFilters = { levelId: string | null; status: string | null; q: string };

function pageHref(filters: ListFilters, page: number) {
  const q = new URLSearchParams();
  if (filters.q) q.set("q", filters.q);
  if (filters.levelId) q.set("level", filters.levelId);
  if (filters.status) q.set("status", filters.status);
  if (page > 1) q.set("page", String(page));
  const search = q.toString();
  return search ? `?${search}` : "?";
}

const LISTED_STATUSES = ["draft", "scheduled", "live", "ended", "finalised", "published", "archived"] as const;

/** A GET form (works without JavaScript): search, level and status, and how many match. */
function SessionFilters({ list, levels }: { list: { matching: number; total: number; filters: ListFilters; ignored: string[] }; levels: { id: string; labelEn: string; labelFr: string }[] }) {
  const { t, i18n } = useTranslation("programmes");
  const fr = i18n.language === "fr";
  const active = !!(list.filters.q || list.filters.levelId || list.filters.status);
  return (
    <Form method="get" className="flex flex-col gap-3" role="search" aria-label={t("overview.filtersLabel")}>
      <div className="grid gap-3 sm:grid-cols-3">
        <Field name="q" type="search" label={t("overview.search")} defaultValue={list.filters.q} maxLength={200} />
        <SelectField name="level" label={t("overview.levelFilter")} includeEmpty={t("overview.any")} defaultValue={list.filters.levelId ?? ""} options={levels.map((l) => ({ value: l.id, label: fr ? l.labelFr : l.labelEn }))} />
        <SelectField name="status" label={t("overview.statusFilter")} includeEmpty={t("overview.any")} defaultValue={list.filters.status ?? ""} options={LISTED_STATUSES.map((s) => ({ value: s, label: t(`common:status.${s}`) }))} />
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" className="btn-secondary btn-small">
          {t("overview.filter")}
        </button>
        {active ? <Link to="?">{t("overview.showAll")}</Link> : null}
        <p className="text-sm text-ink-soft" role="status">
          {active ? t("overview.matching", { count: list.matching, total: list.total }) : t("overview.count", { count: list.total })}
        </p>
      </div>
      {list.ignored.length ? <p className="notice">{t("overview.ignored")}</p> : null}
    </Form>
  );
}

export default function ProgrammeOverview() {
  const { t, i18n } = useTranslation("programmes");
  const data = useLoaderData<typeof loader>();
  const { programme } = data;
  const fr = i18n.language === "fr";
  const levelLabel = new Map(data.levels.map((l) => [l.id, fr ? l.labelFr : l.labelEn]));
  const base = `/programmes/${programme.id}`;
  const adminLinks = [
    data.canConfigure ? { to: `${base}/settings`, label: t("nav.settings") } : null,
    data.canManageMembers ? { to: `${base}/members`, label: t("nav.members") } : null,
    data.canImport ? { to: `${base}/import`, label: t("summaries:import.title") } : null,
    data.canField ? { to: `${base}/field`, label: t("field:programme.link") } : null,
    data.canViewAudit ? { to: `${base}/audit`, label: t("nav.audit") } : null,
  ].filter((l): l is { to: string; label: string } => l !== null);

  return (
    <div className="mx-auto flex max-w-4xl flex-col gap-6 px-4 py-6">
      <Link to="/" className="text-sm">
        ← {t("common:nav.home")}
      </Link>
      <header className="flex flex-col gap-2">
        <p className="text-sm text-ink-soft">{t("overview.kicker")}</p>
        <h1 dir="auto" className="break-words">
          {programme.name}
        </h1>
        <p>
          <span className="sr-only">{t("overview.yourRole")} </span>
          <span className="badge">{t(`common:programmeRoles.${data.role}`)}</span>
        </p>
        {programme.description ? (
          <p dir="auto" className="max-w-prose whitespace-pre-line break-words">
            {programme.description}
          </p>
        ) : null}
      </header>

      {data.canViewCoverage ? (
        <p>
          <Link to={`${base}/coverage`} className="btn-secondary">
            {t("linking:coverage.link")}
          </Link>
        </p>
      ) : null}

      {adminLinks.length > 0 ? (
        <nav aria-label={t("nav.label")}>
          <ul className="flex flex-wrap gap-2">
            {adminLinks.map((l) => (
              <li key={l.to}>
                <Link to={l.to} className="btn-secondary btn-small">
                  {l.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}

      {data.sessions ? (
        <section className="card flex flex-col gap-3" aria-labelledby="sessions-heading">
          <div className="flex flex-wrap items-center justify-between gap-2">
            <h2 id="sessions-heading">{t("overview.sessionsTitle")}</h2>
            {data.canCreateSessions ? (
              <Link to={`${base}/sessions/new`} className="btn-primary btn-small">
                {t("overview.newSession")}
              </Link>
            ) : null}
          </div>
          {data.list?.searchable ? <SessionFilters list={data.list} levels={data.levels} /> : null}
          {data.list?.total === 0 ? (
            <p className="hint">{data.canCreateSessions ? t("overview.noSessionsOrganiser") : t("overview.noSessions")}</p>
          ) : data.sessions.length === 0 ? (
            <p className="hint">{t("overview.noMatch")}</p>
          ) : (
            <ul className="flex flex-col divide-y divide-slate-200">
              {data.sessions.map((s) => (
                <li key={s.id} className="flex flex-col gap-1 py-3">
                  <Link to={`/sessions/${s.id}`} className="font-medium break-words" dir="auto">
                    {s.title}
                  </Link>
                  <div className="flex flex-wrap items-center gap-2 text-sm text-ink-soft">
                    <StatusBadge status={s.status} />
                    {s.levelId && levelLabel.has(s.levelId) ? (
                      <span>
                        <span className="sr-only">{t("overview.level")} </span>
                        {levelLabel.get(s.levelId)}
                      </span>
                    ) : null}
                    {s.localityId && data.localityNames[s.localityId] ? (
                      <span dir="auto">
                        <span className="sr-only">{t("overview.locality")} </span>
                        {data.localityNames[s.localityId]}
                      </span>
                    ) : null}
                  </div>
                  <div className="text-sm text-ink-soft">{s.startsAt ? <LocalTime epoch={s.startsAt} timeZone={s.timeZone} /> : t("overview.notScheduled")}</div>
                </li>
              ))}
            </ul>
          )}
          {data.list ? (
            <Pager
              page={data.list.page}
              pages={data.list.pages}
              href={(n) => pageHref(data.list!.filters, n)}
              label={t("overview.pages")}
              current={t("overview.pageOf", { page: data.list.page, pages: data.list.pages })}
              previous={t("overview.previous")}
              next={t("overview.next")}
            />
          ) : null}
        </section>
      ) : (
        <section className="card flex flex-col gap-3" aria-labelledby="member-heading">
          <h2 id="member-heading">{t("overview.memberTitle")}</h2>
          <p className="hint">{t("overview.memberText")}</p>
        </section>
      )}
      <PublishedList items={data.published} showProgramme={false} />
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/errors";
