import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AppForm, Field, FormError, SubmitButton, useErrorText, useFormResult } from "~/components/forms";
import { isDomainError } from "~/models/errors";
import { act, readForm } from "~/utils/http";
import { activateIdentity } from "~/utils/identity";

/** One-time onboarding and reset links: the GET only shows the form; the POST consumes the link. */
export async function loader({ params, context }: LoaderFunctionArgs) {
  try {
    const row = context.domain.accounts.inspectAccountToken(params.token ?? "");
    return json({ ok: true as const, email: row.email, purpose: row.purpose });
  } catch (e) {
    if (isDomainError(e)) return json({ ok: false as const, messageKey: e.messageKey }, { status: e.code === "gone" ? 410 : 404 });
    throw e;
  }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  return act(request, form, async () => {
    const session = await context.domain.accounts.useAccountToken(params.token ?? "", { password: form.get("password"), confirm: form.get("confirm") });
    return redirect("/", { headers: activateIdentity(context, session.token, session.expiresAt) });
  });
}

export default function Onboard() {
  const { t } = useTranslation("auth");
  const errorText = useErrorText();
  const data = useLoaderData<typeof loader>();
  const result = useFormResult();
  if (!data.ok) {
    return (
      <div className="mx-auto max-w-md px-4 py-8">
        <div className="card flex flex-col gap-4">
          <h1>{t("onboard.invalidTitle")}</h1>
          <p role="alert">{errorText(data.messageKey)}</p>
          <Link to="/">{t("common:error.backHome")}</Link>
        </div>
      </div>
    );
  }
  return (
    <div className="mx-auto max-w-md px-4 py-8">
      <div className="card flex flex-col gap-4">
        <h1>{data.purpose === "reset" ? t("onboard.titleReset") : t("onboard.titleOnboarding")}</h1>
        <p>{t("onboard.intro", { email: data.email })}</p>
        <AppForm className="flex flex-col gap-4" noValidate>
          <FormError result={result} />
          <input type="hidden" name="username" value={data.email ?? ""} autoComplete="username" />
          <Field name="password" label={t("onboard.password")} hint={t("signUp.passwordHint")} type="password" autoComplete="new-password" required result={result} />
          <Field name="confirm" label={t("onboard.confirm")} type="password" autoComplete="new-password" required result={result} />
          <SubmitButton>{t("onboard.submit")}</SubmitButton>
        </AppForm>
      </div>
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/errors";
