import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AppForm, Field, FormError, SubmitButton, useFormResult } from "~/components/forms";
import { act, failure, readForm, safeReturnTo } from "~/utils/http";
import { activateIdentity } from "~/utils/identity";

export const meta: MetaFunction = () => [{ title: "Parley" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const returnTo = safeReturnTo(new URL(request.url).searchParams.get("returnTo"));
  if (context.actor && !context.actor.isGuest) throw redirect(returnTo);
  return { allowSignup: context.env.allowSignup };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const email = String(form.get("email") ?? "").trim().toLowerCase().slice(0, 254);
  const returnTo = safeReturnTo(form.get("returnTo"));
  const { rateLimits, clientAddress } = context;
  for (const [name, key] of [["signInPerAccount", email], ["signInFailuresPerAddress", clientAddress]] as const) {
    const limit = await rateLimits.allowed(name, key);
    if (!limit.ok) return failure(form, 429, "rate_limited", {}, { minutes: Math.ceil(limit.retryAfterSeconds / 60) });
  }
  return act(request, form, async () => {
    try {
      const session = await context.domain.accounts.signIn({ email: form.get("email"), password: form.get("password") });
      await rateLimits.reset("signInPerAccount", email);
      return redirect(returnTo, { headers: activateIdentity(context, session.token, session.expiresAt) });
    } catch (e) {
      if ((e as { code?: string }).code === "unauthenticated") {
        await rateLimits.hit("signInPerAccount", email);
        await rateLimits.hit("signInFailuresPerAddress", clientAddress);
      }
      throw e;
    }
  });
}

export default function SignIn() {
  const { t } = useTranslation("auth");
  const { allowSignup } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const result = useFormResult();
  return (
    <div className="mx-auto max-w-md px-4 py-8">
      <div className="card flex flex-col gap-4">
        <h1>{t("signIn.title")}</h1>
        <AppForm className="flex flex-col gap-4" noValidate>
          <input type="hidden" name="returnTo" value={params.get("returnTo") ?? "/"} />
          <FormError result={result} />
          <Field name="email" label={t("signIn.email")} type="email" autoComplete="username" required result={result} inputMode="email" />
          <Field name="password" label={t("signIn.password")} type="password" autoComplete="current-password" required result={result} />
          <SubmitButton>{t("signIn.submit")}</SubmitButton>
        </AppForm>
        <p className="hint">{t("signIn.forgot")}</p>
        <p className="notice">
          {t("signIn.guestHint")} <Link to="/join">{t("signIn.guestLink")}</Link>
        </p>
        {allowSignup ? (
          <p>
            <Link to="/sign-up">{t("signIn.signUpLink")}</Link>
          </p>
        ) : (
          <p className="hint">{t("signIn.noAccount")}</p>
        )}
      </div>
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/errors";
