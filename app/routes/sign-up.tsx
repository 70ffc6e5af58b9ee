import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AppForm, Field, FormError, SubmitButton, useFormResult } from "~/components/forms";
import { act, failure, readForm } from "~/utils/http";
import { activateIdentity } from "~/utils/identity";

export async function loader({ context }: LoaderFunctionArgs) {
  if (context.actor && !context.actor.isGuest) throw redirect("/");
  return { allowSignup: context.env.allowSignup };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const limit = await context.rateLimits.hit("signUpPerAddress", context.clientAddress);
  if (!limit.ok) return failure(form, 429, "rate_limited", {}, { minutes: Math.ceil(limit.retryAfterSeconds / 60) });
  return act(request, form, async () => {
    const session = await context.domain.accounts.signUp({ email: form.get("email"), password: form.get("password"), displayName: form.get("displayName") ?? undefined });
    return redirect("/", { headers: activateIdentity(context, session.token, session.expiresAt) });
  });
}

export default function SignUp() {
  const { t } = useTranslation("auth");
  const { allowSignup } = useLoaderData<typeof loader>();
  const result = useFormResult();
  return (
    <div className="mx-auto max-w-md px-4 py-8">
      <div className="card flex flex-col gap-4">
        <h1>{t("signUp.title")}</h1>
        {allowSignup ? (
          <AppForm className="flex flex-col gap-4" noValidate>
            <FormError result={result} />
            <Field name="email" label={t("signIn.email")} type="email" autoComplete="email" required result={result} inputMode="email" />
            <Field name="displayName" label={t("signUp.displayName")} hint={t("signUp.displayNameHint")} autoComplete="nickname" maxLength={60} result={result} />
            <Field name="password" label={t("signIn.password")} hint={t("signUp.passwordHint")} type="password" autoComplete="new-password" required result={result} />
            <SubmitButton>{t("signUp.submit")}</SubmitButton>
          </AppForm>
        ) : (
          <p role="alert" className="alert">
            {t("signUp.closed")}
          </p>
        )}
      </div>
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/errors";
