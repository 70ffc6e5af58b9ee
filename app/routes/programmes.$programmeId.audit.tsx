import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Page, Section } from "~/components/layout";
import { LocalTime } from "~/components/time";
import { load, requireSignedIn } from "~/utils/http";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.programme.name} · Parley` : "Parley" }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { domain } = context;
  const actor = requireSignedIn(context.actor, request);
  const programmeId = params.programmeId ?? "";
  return load(request, () => {
    const entries = domain.programmes.auditLog(actor, programmeId);
    const { programme } = domain.programmes.get(actor, programmeId);
    return json({ programme: { id: programme.id, name: programme.name }, entries });
  });
}

const short = (id: string) => id.slice(0, 8);

export default function ProgrammeAudit() {
  const { t } = useTranslation("programmes");
  const data = useLoaderData<typeof loader>();
  /** Codes in details shown in words where the common catalogue has them. */
  const detailValue = (action: string, key: string, value: string | number | boolean | null) => {
    if (typeof value === "boolean") return value ? t("common:yes") : t("common:no");
    if (value === null) return "—";
    const text = String(value);
    if (key === "role") return t(action.startsWith("programme.") ? `common:programmeRoles.${text}` : `common:roles.${text}`, { defaultValue: text });
    if (key === "from" || key === "to") return t(`common:status.${text}`, { defaultValue: text });
    return text;
  };
  return (
    <Page title={t("audit.title")} back={{ to: `/programmes/${data.programme.id}`, label: data.programme.name }}>
      <p className="hint max-w-prose">{t("audit.intro")}</p>
      <Section title={t("audit.entries")} id="audit-heading">
        {data.entries.length === 0 ? (
          <p className="hint">{t("audit.empty")}</p>
        ) : (
          <ol className="flex flex-col divide-y divide-slate-200">
            {data.entries.map((e) => {
              const actorName = e.actorDisplayName && e.actorEmail ? `${e.actorDisplayName} (${e.actorEmail})` : (e.actorEmail ?? e.actorDisplayName);
              const details = e.details ? Object.entries(e.details) : [];
              return (
                <li key={e.id} className="flex flex-col gap-1 py-3">
                  <span className="font-medium">{t(`audit.actions.${e.action}`, { defaultValue: e.action })}</span>
                  <dl className="grid grid-cols-[5.5rem_minmax(0,1fr)] gap-x-3 gap-y-1 text-sm">
                    <dt className="text-ink-soft">{t("audit.when")}</dt>
                    <dd>
                      <LocalTime epoch={e.at} timeZone="UTC" />
                    </dd>
                    <dt className="text-ink-soft">{t("audit.actor")}</dt>
                    <dd className="break-all" dir="auto">
                      {actorName ?? (
                        <>
                          <span aria-hidden="true">—</span>
                          <span className="sr-only">{t("audit.noActor")}</span>
                        </>
                      )}
                    </dd>
                    {e.targetId ? (
                      <>
                        <dt className="text-ink-soft">{t("audit.target")}</dt>
                        <dd>
                          <code title={e.targetId}>{short(e.targetId)}</code>
                        </dd>
                      </>
                    ) : null}
                    {e.sessionId ? (
                      <>
                        <dt className="text-ink-soft">{t("audit.session")}</dt>
                        <dd>
                          <Link to={`/sessions/${e.sessionId}`}>
                            <code>{short(e.sessionId)}</code>
                          </Link>
                        </dd>
                      </>
                    ) : null}
                    {details.length > 0 ? (
                      <>
                        <dt className="text-ink-soft">{t("audit.details")}</dt>
                        <dd className="break-words">{details.map(([k, v]) => t("audit.detail", { key: t(`audit.detailKeys.${k}`, { defaultValue: k }), value: detailValue(e.action, k, v) })).join(" · ")}</dd>
                      </>
                    ) : null}
                  </dl>
                </li>
              );
            })}
          </ol>
        )}
        {data.entries.length >= 200 ? <p className="hint">{t("audit.limited", { count: 200 })}</p> : null}
      </Section>
    </Page>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/errors";
