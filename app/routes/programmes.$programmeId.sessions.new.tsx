import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useFormResult } from "~/components/forms";
import { Page } from "~/components/layout";
import { newSessionDefaults, SessionForm } from "~/components/session-form";
import { act, load, readForm } from "~/utils/http";
import { sessionInputFromForm, withDateErrors } from "~/utils/session-form";

export const meta: MetaFunction = () => [{ title: "Parley" }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { domain, actor } = context;
  const programmeId = params.programmeId ?? "";
  return json(
    await load(request, () => {
      const programme = domain.programmes.get(actor, programmeId);
      const parentCandidates = domain.sessions.parentCandidates(actor, programmeId);
      return {
        programme: { id: programme.programme.id, name: programme.programme.name },
        levels: programme.levels.map(({ id, labelEn, labelFr }) => ({ id, labelEn, labelFr })),
        localities: programme.localities.map(({ id, name, parentId, levelId }) => ({ id, name, parentId, levelId })),
        parentCandidates: parentCandidates.map(({ id, title }) => ({ id, title })),
      };
    }),
  );
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const { input, dateErrors } = sessionInputFromForm(form);
  return act(request, form, async () => {
    const { id } = await withDateErrors(dateErrors, () => context.domain.sessions.create(context.actor, params.programmeId ?? "", input));
    return redirect(`/sessions/${id}`);
  });
}

export default function NewSession() {
  const { t, i18n } = useTranslation("sessions");
  const data = useLoaderData<typeof loader>();
  const result = useFormResult();
  const back = `/programmes/${data.programme.id}`;
  return (
    <Page title={t("new.title")} back={{ to: back, label: t("new.back") }}>
      <p className="hint" dir="auto">
        {data.programme.name}
      </p>
      <p className="notice">{t("new.intro")}</p>
      <SessionForm
        values={newSessionDefaults(i18n.language, data.levels[0]?.id ?? "")}
        options={data}
        result={result}
        submitLabel={t("new.submit")}
        cancel={
          <Link to={back} className="btn-secondary">
            {t("common:cancel")}
          </Link>
        }
      />
    </Page>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/errors";
