import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useTranslation } from "react-i18next";
import { AppForm, Field, FormError, SubmitButton, useFormResult } from "~/components/forms";
import { Page } from "~/components/layout";
import { act, readForm, requireSignedIn } from "~/utils/http";

export const meta: MetaFunction = () => [{ title: "Parley" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireSignedIn(context.actor, request);
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  return act(request, form, () => {
    const { id } = context.domain.programmes.create(context.actor, {
      name: form.get("name") ?? undefined,
      description: form.get("description") ?? undefined,
    });
    return redirect(`/programmes/${id}`);
  });
}

export default function NewProgramme() {
  const { t } = useTranslation("programmes");
  const result = useFormResult();
  return (
    <Page title={t("new.title")} back={{ to: "/", label: t("common:nav.home") }}>
      <div className="card flex flex-col gap-4">
        <p className="hint">{t("new.intro")}</p>
        <AppForm className="flex flex-col gap-4" noValidate>
          <FormError result={result} />
          <Field name="name" label={t("fields.name")} hint={t("fields.nameHint")} required maxLength={120} result={result} autoFocus />
          <Field name="description" label={t("fields.description")} hint={t("fields.descriptionHint")} multiline rows={4} maxLength={4000} result={result} />
          <div>
            <SubmitButton>{t("new.submit")}</SubmitButton>
          </div>
        </AppForm>
      </div>
    </Page>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/errors";
