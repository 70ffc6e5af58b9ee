import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AppForm, SubmitButton } from "~/components/forms";
import { activateIdentity } from "~/utils/identity";
import { readForm } from "~/utils/http";

/** "Who is using this device?": the identities used on a shared phone, and switching between them. */
export async function loader({ context }: LoaderFunctionArgs) {
  const { domain, actor, deviceTokens } = context;
  const describe = (userId: string) => domain.sessions.listForUserId(userId).map((s) => s.title);
  const current = actor ? { authSessionId: actor.authSessionId, name: actor.displayName ?? actor.email, sessions: describe(actor.userId), current: true } : null;
  const others = domain.accounts
    .describeDeviceTokens(deviceTokens)
    .filter((x) => x.row.authSessionId !== actor?.authSessionId)
    .map((x) => ({ authSessionId: x.row.authSessionId, name: x.row.displayName ?? x.row.email, sessions: describe(x.row.userId), current: false }));
  if (!current && others.length === 0) throw redirect("/join");
  return json({ identities: [...(current ? [current] : []), ...others] });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const chosen = String(form.get("identity") ?? "");
  const picked = context.domain.accounts.pickDeviceIdentity(context.deviceTokens, chosen);
  if (!picked) return redirect("/switch");
  const headers = activateIdentity(context, picked.token, picked.row.expiresAt);
  return redirect("/", { headers });
}

export default function Switch() {
  const { t } = useTranslation("auth");
  const { identities } = useLoaderData<typeof loader>();
  return (
    <div className="mx-auto max-w-md px-4 py-8">
      <div className="card flex flex-col gap-4">
        <h1>{t("switch.title")}</h1>
        <p className="hint">{t("switch.intro")}</p>
        <ul className="flex flex-col gap-3">
          {identities.map((identity, i) => (
            <li key={identity.authSessionId} className="rounded-md border border-slate-200 p-3">
              <p className="font-medium" dir="auto">
                {identity.name ?? t("switch.unnamed", { n: i + 1 })} {identity.current ? <span className="text-ink-soft">{t("switch.current")}</span> : null}
              </p>
              {identity.sessions.length ? (
                <p className="hint" dir="auto">
                  {t("switch.inSessions", { titles: identity.sessions.join(", ") })}
                </p>
              ) : null}
              {identity.current ? null : (
                <AppForm className="mt-2">
                  <input type="hidden" name="identity" value={identity.authSessionId} />
                  <SubmitButton className="btn-secondary btn-small">{t("switch.useThis")}</SubmitButton>
                </AppForm>
              )}
            </li>
          ))}
        </ul>
        <Link to="/join?another=1" className="btn-primary">
          {t("switch.addAnother")}
        </Link>
      </div>
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/errors";
