import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { ConnectionStatus } from "~/components/connection-status";
import { AppForm, FormError, SubmitButton, useFormResult } from "~/components/forms";
import { Page, RoleBadge, Section, StatusBadge } from "~/components/layout";
import { SessionOutcomes } from "~/components/linking/session-outcomes";
import { LocalTime } from "~/components/time";
import { FieldProvenanceLines, FieldProvenanceShort } from "~/components/field/provenance";
import type { SessionStatus } from "~/models/sessions.server";
import { useSessionConnection } from "~/realtime/client";
import { act, failure, load, readForm } from "~/utils/http";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.session.title ? `${data.session.title} · Parley` : "Parley" }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { domain, actor } = context;
  const sessionId = params.sessionId ?? "";
  return json(
    await load(request, () => {
      const view = domain.sessions.get(actor, sessionId);
      const nextStatuses = view.can.includes("session.lifecycle") ? domain.sessions.nextStatuses(actor, sessionId) : [];
      const feeders = view.can.includes("recommendations.consolidate") ? domain.linking.feeders(sessionId) : 0;
      // Staff see what became of the session's adopted recommendations (traceability).
      const staff = view.can.includes("recommendations.draft") || view.can.includes("recommendations.consolidate");
      const traces = staff ? domain.traceability.sessionOutcomes(actor, sessionId) : null;
      return { ...view, nextStatuses, isGuest: actor?.isGuest ?? false, summary: domain.summaries.sessionStatus(sessionId), feeders, traces, field: domain.field.sessionProvenance(view.session.id) };
    }),
  );
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const intent = form.get("intent");
  if (intent !== "status") return failure(form, 400, "invalid_input");
  const to = String(form.get("to") ?? "") as SessionStatus;
  return act(request, form, () => {
    context.domain.sessions.setStatus(context.actor, params.sessionId ?? "", to, { confirmed: form.get("confirm") === "on" });
    return { ok: true, intent: "status", data: { to } };
  });
}


function LiveIndicator({ sessionId }: { sessionId: string }) {
  return <ConnectionStatus state={useSessionConnection(sessionId)} />;
}

function Detail({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="flex flex-col gap-0.5 sm:flex-row sm:gap-3">
      <dt className="font-medium sm:w-40 sm:shrink-0">{label}</dt>
      <dd className="text-ink-soft">{children}</dd>
    </div>
  );
}

function StatusForm({ to }: { to: SessionStatus }) {
  const { t } = useTranslation("sessions");
  const finalising = to === "finalised";
  return (
    <AppForm className={finalising ? "flex flex-col gap-3 rounded-md border border-danger p-3" : undefined}>
      <input type="hidden" name="intent" value="status" />
      <input type="hidden" name="to" value={to} />
      {finalising ? (
        <>
          <p className="text-sm">{t("view.finaliseWarning")}</p>
          <div className="flex items-start gap-3">
            <input id="confirm-finalise" type="checkbox" name="confirm" value="on" required className="mt-1 h-5 w-5 shrink-0" />
            <label htmlFor="confirm-finalise" className="label">
              {t("view.finaliseConfirm")}
            </label>
          </div>
        </>
      ) : null}
      <SubmitButton className={finalising ? "btn-danger" : to === "draft" ? "btn-secondary" : "btn-primary"}>
        {t(`view.transition.${to}`)}
      </SubmitButton>
    </AppForm>
  );
}

export default function SessionPage() {
  const { t, i18n } = useTranslation("sessions");
  const data = useLoaderData<typeof loader>();
  const { session, level, locality, parent, programme, can, standing } = data;
  const statusResult = useFormResult("status");
  const fr = i18n.language === "fr";
  const mode = session.attributionMode;
  const canManage = can.includes("session.configure") || can.includes("session.members.manage") || can.includes("session.roster.view");
  return (
    <Page title={session.title}>
      <div className="flex flex-wrap items-center gap-2">
        <StatusBadge status={session.status} />
        <span className="badge">{t(`kinds.${session.kind}`)}</span>
        <span className="text-sm">
          {t("view.yourRole")} <RoleBadge role={standing} />
        </span>
      </div>
      <LiveIndicator sessionId={session.id} />
      {data.field ? (
        <Section title={t("field:provenance.heading")} id="field-provenance">
          <FieldProvenanceLines imports={data.field.imports} timeZone={session.timeZone} />
          {data.field.recommendations.length ? (
            <>
              <h3>{t("field:provenance.recommendations")}</h3>
              <ul className="flex flex-col gap-2">
                {data.field.recommendations.map((r) => (
                  <li key={r.id} className="flex flex-col">
                    <span dir="auto">{r.text}</span>
                    <FieldProvenanceShort provenance={data.field!.imports[0]} timeZone={session.timeZone} />
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </Section>
      ) : null}
      {can.includes("session.room.join") ? (
        <p className="flex flex-wrap gap-2">
          {/* A full page load, so that on a dropped network the offline shell answers for it. */}
          <Link to={`/sessions/${session.id}/live`} className="btn-primary text-lg" reloadDocument>
            {t("live:enterRoom")}
          </Link>
          <Link to={`/sessions/${session.id}/agenda`} className="btn-secondary">
            {t("agenda:title")}
          </Link>
          {can.includes("projector.view") ? (
            <Link to={`/sessions/${session.id}/projector`} className="btn-secondary">
              {t("live:projectorLink")}
            </Link>
          ) : null}
          {can.includes("notes.write") ? (
            // A full page load, so that on a dropped network the offline shell answers for it.
            <Link to={`/sessions/${session.id}/notes`} className="btn-secondary" reloadDocument>
              {t("offline:notes.link")}
            </Link>
          ) : null}
          {can.includes("notes.curate") && can.includes("notes.write") ? (
            <Link to={`/sessions/${session.id}/capture`} className="btn-secondary" reloadDocument>
              {t("capture:title")}
            </Link>
          ) : null}
        </p>
      ) : (
        <p>
          <Link to={`/sessions/${session.id}/agenda`} className="btn-secondary">
            {t("agenda:title")}
          </Link>
        </p>
      )}

      {data.summary.circulated && can.includes("summary.review") && !can.includes("summary.draft") ? (
        <p className="notice flex flex-wrap items-center gap-2">
          <Link to={`/sessions/${session.id}/review`} className="btn-primary">
            {t("summaries:participant.link")}
          </Link>
        </p>
      ) : null}
      {data.summary.published !== null || can.includes("summary.draft") ? (
        <p className="flex flex-wrap gap-2">
          {data.summary.published !== null ? (
            <Link to={`/summaries/${session.id}`} className="btn-secondary">
              {t("summaries:reader.link")}
            </Link>
          ) : null}
          {can.includes("summary.draft") ? (
            <Link to={`/sessions/${session.id}/summary`} className="btn-secondary">
              {t("summaries:workspace.link")}
            </Link>
          ) : null}
        </p>
      ) : null}
      {data.feeders > 0 ? (
        <p className="flex flex-wrap items-center gap-2">
          <Link to={`/sessions/${session.id}/consolidate`} className="btn-secondary">
            {t("consolidation:open")}
          </Link>
          <span className="text-sm text-ink-soft">{t("consolidation:openHint", { count: data.feeders })}</span>
        </p>
      ) : null}
      {data.isGuest ? (
        <p className="flex flex-wrap items-center gap-2 text-sm">
          <span className="text-ink-soft">{t("view.switchHint")}</span>
          <Link to="/switch">{t("view.switchParticipant")}</Link>
        </p>
      ) : null}

      <Section title={t("view.attributionHeading")} id="attribution-heading">
        <p>{t(`attribution.${mode}.plain`)}</p>
        {mode !== "on_the_record" ? (
          <figure className="notice flex flex-col gap-1">
            <figcaption className="font-semibold">{t("chathamRule.heading")}</figcaption>
            <blockquote>{t("chathamRule.text")}</blockquote>
          </figure>
        ) : null}
        <p className="text-sm">{t(`noteVisibility.${session.noteVisibility}.explain`)}</p>
        {session.rosterVisibleToRoom && mode !== "anonymous" ? <p className="text-sm">{t("view.rosterShown")}</p> : null}
      </Section>

      <Section title={t("view.details")} id="details-heading">
        <dl className="flex flex-col gap-3">
          <Detail label={t("view.programme")}>
            <span dir="auto">{programme.name}</span>
          </Detail>
          {level ? <Detail label={t("view.level")}>{fr ? level.labelFr : level.labelEn}</Detail> : null}
          {locality ? (
            <Detail label={t("view.locality")}>
              <span dir="auto">{locality.name}</span>
            </Detail>
          ) : null}
          {parent ? (
            <Detail label={t("view.feeds")}>
              {can.includes("session.configure") ? (
                <Link to={`/sessions/${parent.id}`} dir="auto">
                  {parent.title}
                </Link>
              ) : (
                <span dir="auto">{parent.title}</span>
              )}
            </Detail>
          ) : null}
          <Detail label={t("view.schedule")}>
            {session.startsAt || session.endsAt ? (
              <span className="flex flex-col gap-1">
                {session.startsAt ? (
                  <span>
                    {t("view.starts")} <LocalTime epoch={session.startsAt} timeZone={session.timeZone} />
                  </span>
                ) : null}
                {session.endsAt ? (
                  <span>
                    {t("view.ends")} <LocalTime epoch={session.endsAt} timeZone={session.timeZone} />
                  </span>
                ) : null}
              </span>
            ) : (
              t("view.notScheduled")
            )}
          </Detail>
          {session.coHosts ? (
            <Detail label={t("view.coHosts")}>
              <span dir="auto">{session.coHosts}</span>
            </Detail>
          ) : null}
          <Detail label={t("view.languages")}>{session.languages.map((l) => t(`languageNames.${l}`, { defaultValue: l })).join(", ")}</Detail>
          {session.joinCode ? (
            <Detail label={t("view.joinCode")}>
              <span className="font-mono text-lg tracking-widest text-ink">
                {session.joinCode}
              </span>
            </Detail>
          ) : null}
        </dl>
      </Section>

      <Section title={t("view.about")} id="about-heading">
        {session.description ? (
          <p className="whitespace-pre-line" dir="auto">
            {session.description}
          </p>
        ) : (
          <p className="hint">{t("view.noDescription")}</p>
        )}
      </Section>

      {canManage ? (
        <Section title={t("view.organise")} id="organise-heading">
          <ul className="flex flex-wrap gap-2">
            {can.includes("session.configure") ? (
              <li>
                <Link to={`/sessions/${session.id}/edit`} className="btn-secondary">
                  {t("view.edit")}
                </Link>
              </li>
            ) : null}
            {can.includes("session.members.manage") ? (
              <li>
                <Link to={`/sessions/${session.id}/people`} className="btn-secondary">
                  {t("view.people")}
                </Link>
              </li>
            ) : null}
            {can.includes("session.roster.view") ? (
              <li>
                <Link to={`/sessions/${session.id}/roster`} className="btn-secondary">
                  {t("view.roster")}
                </Link>
              </li>
            ) : null}
          </ul>
        </Section>
      ) : null}

      <Section title={t("view.statusHeading")} id="status-heading">
        <p>{t(`view.statusExplain.${session.status}`)}</p>
        {data.finalisesAt ? (
          <p className="hint">
            {t("view.finalisesAt")} <LocalTime epoch={data.finalisesAt} timeZone={session.timeZone} />
          </p>
        ) : null}
        {can.includes("session.lifecycle") ? (
          <>
            {statusResult && !statusResult.ok && statusResult.fields.confirm ? null : <FormError result={statusResult} />}
            {statusResult?.ok ? (
              <p role="status" className="notice">
                {t("view.statusChanged")}
              </p>
            ) : null}
            {statusResult && !statusResult.ok && statusResult.fields.confirm ? (
              <p role="alert" className="alert">
                {t("errors:confirmation_required")}
              </p>
            ) : null}
            {data.nextStatuses.length ? (
              <div className="flex flex-col gap-3 sm:flex-row sm:flex-wrap sm:items-start">
                {data.nextStatuses.map((to) => (
                  <StatusForm key={to} to={to} />
                ))}
              </div>
            ) : (
              <p className="hint">{t("view.noTransitions")}</p>
            )}
          </>
        ) : null}
      </Section>

      {/* Long on a regional or national session (every recommendation and what fed it): last, after the controls. */}
      {data.traces && data.traces.items.length > 0 ? <SessionOutcomes data={data.traces} id="traces-heading" heading={t("linking:trace.staff.heading")} /> : null}
    </Page>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/errors";
