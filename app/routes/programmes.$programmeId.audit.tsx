/**
 * A programme's audit log, for its organisers: newest first, a page at a time, filtered by a group of
 * actions or one action (a GET form: works without JavaScript and the address can be shared). A filter
 * that is not valid is said next to the field and the whole log is shown instead.
 */
import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useId } from "react";
import { useTranslation } from "react-i18next";
import { Pager } from "~/components/pager";
import { useErrorText } from "~/components/forms";
import { Page, Section } from "~/components/layout";
import { LocalTime } from "~/components/time";
import { AUDIT_ACTIONS, AUDIT_GROUPS } from "~/models/audit";
import { isDomainError } from "~/models/errors";
import { load, requireSignedIn } from "~/utils/http";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.programme.name} · Parley` : "Parley" }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { domain } = context;
  const actor = requireSignedIn(context.actor, request);
  const programmeId = params.programmeId ?? "";
  const url = new URL(request.url);
  const asked = { action: url.searchParams.get("action"), page: url.searchParams.get("page") };
  return load(request, () => {
    let log: ReturnType<typeof domain.programmes.auditLog>;
    let filterErrors: Record<string, string[]> | null = null;
    try {
      log = domain.programmes.auditLog(actor, programmeId, asked);
    } catch (e) {
      if (!isDomainError(e) || e.code !== "invalid") throw e;
      filterErrors = e.fields ?? { action: ["choice_invalid"] };
      log = domain.programmes.auditLog(actor, programmeId, {});
    }
    const { programme } = domain.programmes.get(actor, programmeId);
    return json({ programme: { id: programme.id, name: programme.name }, log, filterErrors });
  });
}

const short = (id: string) => id.slice(0, 8);

function pageLink(programmeId: string, action: string | null, page: number) {
  const search = new URLSearchParams();
  if (action) search.set("action", action);
  if (page > 1) search.set("page", String(page));
  const query = search.toString();
  return `/programmes/${programmeId}/audit${query ? `?${query}` : ""}`;
}

function Filter({ action, errors }: { action: string | null; errors: string[] | undefined }) {
  const { t } = useTranslation("programmes");
  const errorText = useErrorText();
  const id = useId();
  return (
    <Form method="get" className="flex flex-col gap-3 sm:flex-row sm:items-end" aria-labelledby={`${id}-legend`}>
      <p id={`${id}-legend`} className="sr-only">
        {t("audit.filterLegend")}
      </p>
      <div className="field min-w-0 flex-1">
        <label htmlFor={id} className="label">
          {t("audit.filterLabel")}
        </label>
        <select
          id={id}
          name="action"
          className="input w-full"
          defaultValue={errors ? "" : (action ?? "")}
          aria-invalid={errors ? true : undefined}
          aria-describedby={errors ? `${id}-error` : undefined}
        >
          <option value="">{t("audit.allActions")}</option>
          {AUDIT_GROUPS.map((group) => (
            <optgroup key={group} label={t(`audit.groups.${group}`)}>
              <option value={group}>{t("audit.wholeGroup", { group: t(`audit.groups.${group}`) })}</option>
              {AUDIT_ACTIONS[group].map((verb) => (
                <option key={verb} value={`${group}.${verb}`}>
                  {t(`audit.actions.${group}.${verb}`)}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
        {errors ? (
          <p id={`${id}-error`} className="error" role="alert">
            {errors.map((key) => errorText(key)).join(" ")}
          </p>
        ) : null}
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" className="btn-secondary">
          {t("audit.filter")}
        </button>
        {action ? <Link to="?">{t("audit.showAll")}</Link> : null}
      </div>
    </Form>
  );
}

export default function ProgrammeAudit() {
  const { t } = useTranslation("programmes");
  const errorText = useErrorText();
  const data = useLoaderData<typeof loader>();
  const { log } = data;
  /** Codes in details shown in words where the catalogues have them. */
  const detailValue = (action: string, key: string, value: string | number | boolean | null) => {
    if (typeof value === "boolean") return value ? t("common:yes") : t("common:no");
    if (value === null) return "—";
    if (key === "deadline" && typeof value === "number") return `${new Date(value).toISOString().slice(0, 16).replace("T", " ")} UTC`;
    const text = String(value);
    if (key === "role" || (key === "from" && action.endsWith("role_changed"))) return t(action.startsWith("programme.") ? `common:programmeRoles.${text}` : `common:roles.${text}`, { defaultValue: text });
    if (key === "from" || key === "to") return t(`common:status.${text}`, { defaultValue: text });
    return text;
  };
  const groupOrAction = log.action ? (log.action.includes(".") ? t(`audit.actions.${log.action}`, { defaultValue: log.action }) : t(`audit.groups.${log.action}`, { defaultValue: log.action })) : null;
  return (
    <Page title={t("audit.title")} back={{ to: `/programmes/${data.programme.id}`, label: data.programme.name }}>
      <p className="hint max-w-prose">{t("audit.intro")}</p>
      <Filter action={log.action} errors={data.filterErrors?.action} />
      {data.filterErrors?.page ? (
        <p role="alert" className="alert">
          {t("audit.badPage", { error: data.filterErrors.page.map((key) => errorText(key)).join(" ") })}
        </p>
      ) : null}
      <Section title={t("audit.entries")} id="audit-heading">
        <p role="status" className="hint">
          {groupOrAction ? t("audit.countFiltered", { count: log.total, filter: groupOrAction }) : t("audit.count", { count: log.total })}
        </p>
        {log.entries.length === 0 ? (
          <p className="hint">{log.action ? t("audit.emptyFiltered") : t("audit.empty")}</p>
        ) : (
          <ol className="flex flex-col divide-y divide-slate-200">
            {log.entries.map((e) => {
              const actorName = e.actorDisplayName && e.actorEmail ? `${e.actorDisplayName} (${e.actorEmail})` : (e.actorEmail ?? e.actorDisplayName);
              const details = e.details ? Object.entries(e.details) : [];
              return (
                <li key={e.id} className="flex min-w-0 flex-col gap-1 py-3">
                  <span className="font-medium">{t(`audit.actions.${e.action}`, { defaultValue: e.action })}</span>
                  <dl className="grid grid-cols-[minmax(4.5rem,auto)_minmax(0,1fr)] gap-x-3 gap-y-1 text-sm">
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
                        <dd className="break-words">
                          {details.map(([k, v]) => t("audit.detail", { key: t(`audit.detailKeys.${k}`, { defaultValue: k }), value: detailValue(e.action, k, v) })).join(" · ")}
                        </dd>
                      </>
                    ) : null}
                  </dl>
                </li>
              );
            })}
          </ol>
        )}
        <Pager
          page={log.page}
          pages={log.pages}
          href={(n) => pageLink(data.programme.id, log.action, n)}
          label={t("audit.pages")}
          current={t("audit.pageOf", { page: log.page, pages: log.pages })}
          previous={t("audit.newer")}
          next={t("audit.older")}
        />
      </Section>
    </Page>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/errors";
