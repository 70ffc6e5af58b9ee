import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { StatusBadge } from "~/components/layout";
import { LocalTime } from "~/components/time";
import { PublishedList } from "~/components/summaries/published-list";
import { load } from "~/utils/http";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.programme.name} · Parley` : "Parley" }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { actor, domain } = context;
  const programmeId = params.programmeId ?? "";
  return load(request, () => {
    const { programme, role, can, levels } = domain.programmes.overview(actor, programmeId);
    const sessions = can.includes("programme.sessions.list") ? domain.sessions.listForProgramme(actor, programmeId) : null;
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
      published: domain.summaries.list(actor, { programmeId }),
    });
  });
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
          {data.sessions.length === 0 ? (
            <p className="hint">{data.canCreateSessions ? t("overview.noSessionsOrganiser") : t("overview.noSessions")}</p>
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
