import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useFormResult } from "~/components/forms";
import { Page, StatusBadge } from "~/components/layout";
import { SessionForm } from "~/components/session-form";
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
  const { input, dateErrors } = sessionInputFromForm(form);
  return act(request, form, async () => {
    await withDateErrors(dateErrors, () => context.domain.sessions.update(context.actor, sessionId, input));
    return redirect(`/sessions/${sessionId}`);
  });
}

export default function EditSession() {
  const { t } = useTranslation("sessions");
  const { session, options } = useLoaderData<typeof loader>();
  const result = useFormResult();
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
    </Page>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/errors";
