import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AppForm, CheckboxField, FormError, FormSaved, SelectField, SubmitButton, useFormResult } from "~/components/forms";
import { Page, StatusBadge } from "~/components/layout";
import { SessionForm } from "~/components/session-form";
import { SCALE_KEYS, scaleNameKey } from "~/models/scales";
import { act, load, readForm } from "~/utils/http";
import { sessionInputFromForm, withDateErrors } from "~/utils/session-form";

export const meta: MetaFunction = () => [{ title: "Parley" }];

const EDITABLE = ["draft", "scheduled", "live"];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { domain, actor } = context;
  const sessionId = params.sessionId ?? "";
  return json(
    await load(request, () => {
      const options = domain.sessions.formOptions(actor, sessionId);
      const { session } = domain.sessions.get(actor, sessionId);
      return {
        session: {
          id: session.id,
          status: session.status,
          editable: EDITABLE.includes(session.status),
          values: {
            title: session.title,
            description: session.description,
            coHosts: session.coHosts,
            kind: session.kind,
            levelId: session.levelId,
            localityId: session.localityId,
            parentSessionId: session.parentSessionId,
            languages: session.languages,
            startsAt: session.startsAt,
            endsAt: session.endsAt,
            timeZone: session.timeZone,
            attributionMode: session.attributionMode,
            noteVisibility: session.noteVisibility,
            rosterVisibleToRoom: session.rosterVisibleToRoom,
          },
          voting: { scale: session.scale, showNumbers: session.showNumbers },
        },
        options: {
          levels: options.levels.map(({ id, labelEn, labelFr }) => ({ id, labelEn, labelFr })),
          localities: options.localities.map(({ id, name, parentId, levelId }) => ({ id, name, parentId, levelId })),
          parentCandidates: options.parentCandidates.map(({ id, title }) => ({ id, title })),
        },
      };
    }),
  );
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const sessionId = params.sessionId ?? "";
  if (form.get("intent") === "voting") {
    // The scale positions are taken on, and whether numbers are shown beside the wording.
    return act(request, form, async () => {
      context.domain.recommendations.setVoting(context.actor, sessionId, { scale: String(form.get("scale") ?? ""), showNumbers: form.get("showNumbers") === "on" });
      return { ok: true as const, intent: "voting" };
    });
  }
  const { input, dateErrors } = sessionInputFromForm(form);
  return act(request, form, async () => {
    await withDateErrors(dateErrors, () => context.domain.sessions.update(context.actor, sessionId, input));
    return redirect(`/sessions/${sessionId}`);
  });
}

export default function EditSession() {
  const { t } = useTranslation("sessions");
  const { session, options } = useLoaderData<typeof loader>();
  const any = useFormResult();
  // The voting form below has its own result.
  const result = any?.intent === "voting" ? undefined : any;
  const back = `/sessions/${session.id}`;
  return (
    <Page title={t("edit.title")} back={{ to: back, label: t("edit.back") }}>
      <p className="flex flex-wrap items-center gap-2">
        <span dir="auto" className="font-medium">
          {session.values.title}
        </span>
        <StatusBadge status={session.status} />
      </p>
      {session.editable ? (
        <SessionForm
          values={session.values}
          options={options}
          result={result}
          submitLabel={t("edit.submit")}
          cancel={
            <Link to={back} className="btn-secondary">
              {t("common:cancel")}
            </Link>
          }
        />
      ) : (
        <p className="notice">{t("edit.locked")}</p>
      )}
      <VotingForm scale={session.voting.scale} showNumbers={session.voting.showNumbers} />
    </Page>
  );
}

/** The session's scale for positions and the numbers switch (SPEC section 4). */
function VotingForm(props: { scale: string; showNumbers: boolean }) {
  const { t } = useTranslation("consensus");
  const result = useFormResult("voting");
  return (
    <section aria-labelledby="voting-heading" className="card flex flex-col gap-4">
      <h2 id="voting-heading">{t("settings.heading")}</h2>
      <AppForm method="post" className="flex flex-col gap-4">
        <input type="hidden" name="intent" value="voting" />
        <FormError result={result} />
        <FormSaved result={result} />
        <SelectField name="scale" label={t("settings.scale")} hint={t("settings.scaleHint")} defaultValue={props.scale} result={result} options={SCALE_KEYS.map((key) => ({ value: key, label: t(scaleNameKey(key)) }))} />
        <CheckboxField name="showNumbers" label={t("settings.showNumbers")} hint={t("settings.showNumbersHint")} defaultChecked={props.showNumbers} result={result} />
        <SubmitButton className="btn-primary self-start">{t("settings.save")}</SubmitButton>
      </AppForm>
    </section>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/errors";
