import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AppForm, Field, FormError, SubmitButton, useErrorText, useFormResult } from "~/components/forms";
import { isDomainError } from "~/models/errors";
import { act, failure, readForm } from "~/utils/http";
import { activateIdentity } from "~/utils/identity";
import { formatDateTime } from "~/utils/time";

/** The GET only describes the invitation: link previews and mail scanners must not consume it. */
export async function loader({ params, context }: LoaderFunctionArgs) {
  try {
    const view = context.domain.invitations.inspect(params.token ?? "");
    return json({ ...view, isGuest: context.actor?.isGuest ?? true }, { status: view.state === "pending" ? 200 : 410, headers: { "Cache-Control": "no-store", "X-Robots-Tag": "noindex" } });
  } catch (e) {
    if (isDomainError(e)) return json({ state: "invalid" as const, session: null, role: null, isGuest: true }, { status: 404 });
    throw e;
  }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const { rateLimits, clientAddress } = context;
  const limit = await rateLimits.allowed("joinFailuresPerAddress", clientAddress);
  if (!limit.ok) return failure(form, 429, "rate_limited", {}, { minutes: Math.ceil(limit.retryAfterSeconds / 60) });
  return act(request, form, async () => {
    try {
      const joined = await context.domain.invitations.accept(context.actor, params.token ?? "", { displayName: form.get("displayName") ?? undefined });
      const to = `/sessions/${joined.sessionId}`;
      return joined.token ? redirect(to, { headers: activateIdentity(context, joined.token.token, joined.token.expiresAt) }) : redirect(to);
    } catch (e) {
      if (isDomainError(e) && (e.code === "not_found" || e.code === "gone")) await rateLimits.hit("joinFailuresPerAddress", clientAddress);
      throw e;
    }
  });
}

export default function Invitation() {
  const { t, i18n } = useTranslation("auth");
  const errorText = useErrorText();
  const data = useLoaderData<typeof loader>();
  const result = useFormResult();
  if (data.state !== "pending" || !data.session) {
    const titles: Record<string, string> = { used: t("invite.usedTitle"), expired: t("invite.expiredTitle"), revoked: t("invite.revokedTitle"), invalid: t("invite.invalidTitle") };
    const title = titles[data.state];
    const key = data.state === "invalid" ? "invitation_invalid" : `invitation_${data.state}`;
    return (
      <div className="mx-auto max-w-md px-4 py-8">
        <div className="card flex flex-col gap-4">
          <h1>{title}</h1>
          <p role="alert">{errorText(key)}</p>
          <Link to="/">{t("common:error.backHome")}</Link>
        </div>
      </div>
    );
  }
  const mode = data.session.attributionMode;
  return (
    <div className="mx-auto max-w-md px-4 py-8">
      <div className="card flex flex-col gap-4">
        <h1>{t("invite.title")}</h1>
        <h2 dir="auto">{data.session.title}</h2>
        <p>{t("invite.intro", { role: t(`common:roles.${data.role}`).toLowerCase() })}</p>
        {data.session.startsAt ? <p>{t("invite.when", { time: `${formatDateTime(data.session.startsAt, i18n.language, data.session.timeZone)} (${data.session.timeZone})` })}</p> : null}
        <p className="notice">{mode === "anonymous" ? t("invite.anonymous") : mode === "on_the_record" ? t("invite.onRecord") : t("invite.chatham")}</p>
        <AppForm className="flex flex-col gap-4" noValidate>
          <FormError result={result} />
          {data.isGuest ? <Field name="displayName" label={t("join.displayName")} hint={t("join.displayNameHint")} maxLength={60} result={result} autoComplete="off" /> : null}
          <p className="hint">{t("invite.joinHint")}</p>
          <SubmitButton>{t("invite.join")}</SubmitButton>
        </AppForm>
      </div>
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/errors";
