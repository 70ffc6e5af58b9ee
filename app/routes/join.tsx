import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AppForm, CheckboxField, Field, FormError, SubmitButton, useFormResult } from "~/components/forms";
import { normaliseJoinCodeInput } from "~/utils/join-code";
import { act, failure, readForm } from "~/utils/http";
import { activateIdentity } from "~/utils/identity";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  return {
    code: url.searchParams.get("code")?.slice(0, 20) ?? "",
    another: url.searchParams.get("another") === "1",
    isGuest: context.actor?.isGuest ?? false,
    name: context.actor?.displayName ?? null,
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const { rateLimits, clientAddress, domain, actor } = context;
  const limit = await rateLimits.allowed("joinFailuresPerAddress", clientAddress);
  if (!limit.ok) return failure(form, 429, "rate_limited", {}, { minutes: Math.ceil(limit.retryAfterSeconds / 60) });
  const code = normaliseJoinCodeInput(String(form.get("code") ?? ""));
  const another = form.get("another") === "on";
  return act(request, form, async () => {
    try {
      const perCode = await rateLimits.hit("joinPerCode", code);
      if (!perCode.ok) return failure(form, 429, "rate_limited", {}, { minutes: Math.ceil(perCode.retryAfterSeconds / 60) });
      // A guest already in this session on this device continues as themselves unless they ask
      // to join as another person (shared phones).
      const existing = actor?.isGuest && !another ? domain.sessions.sessionForCode(actor, code) : null;
      if (existing) return redirect(`/sessions/${existing}`);
      const joined = await domain.sessions.joinByCode(actor, { code: form.get("code"), displayName: form.get("displayName") ?? undefined });
      const to = `/sessions/${joined.sessionId}`;
      return joined.token ? redirect(to, { headers: activateIdentity(context, joined.token.token, joined.token.expiresAt) }) : redirect(to);
    } catch (e) {
      if ((e as { code?: string }).code === "invalid") await rateLimits.hit("joinFailuresPerAddress", clientAddress);
      throw e;
    }
  });
}

export default function Join() {
  const { t } = useTranslation("auth");
  const data = useLoaderData<typeof loader>();
  const result = useFormResult();
  return (
    <div className="mx-auto max-w-md px-4 py-8">
      <div className="card flex flex-col gap-4">
        <h1>{t("join.title")}</h1>
        <p>{t("join.intro")}</p>
        <AppForm className="flex flex-col gap-4" noValidate>
          <FormError result={result} />
          <Field name="code" label={t("join.code")} hint={t("join.codeHint")} defaultValue={data.code} required result={result} autoComplete="off" maxLength={20} autoFocus={!data.code} code />
          <Field name="displayName" label={t("join.displayName")} hint={t("join.displayNameHint")} maxLength={60} result={result} autoComplete="off" />
          {data.isGuest ? <CheckboxField name="another" label={t("switch.addAnother")} hint={t("join.joinAsAnother")} defaultChecked={data.another} result={result} /> : null}
          <SubmitButton>{t("join.submit")}</SubmitButton>
        </AppForm>
      </div>
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/errors";
