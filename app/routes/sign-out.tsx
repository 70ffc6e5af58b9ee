import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AppForm, SubmitButton } from "~/components/forms";
import { readForm } from "~/utils/http";

export async function loader({ context }: LoaderFunctionArgs) {
  if (!context.actor) throw redirect("/");
  return { isGuest: context.actor.isGuest };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const intent = form.get("intent");
  const { actor, domain, cookies } = context;
  const headers = new Headers();
  headers.append("Set-Cookie", cookies.clearSession());
  if (intent === "wipe") {
    // Every identity used on this device ends, and the browser is told to forget this site.
    if (actor) domain.accounts.invalidateSession(actor.authSessionId);
    for (const { row } of domain.accounts.describeDeviceTokens(context.deviceTokens)) domain.accounts.invalidateSession(row.authSessionId);
    headers.append("Set-Cookie", cookies.device([]));
    // Browsers honour Clear-Site-Data only in a secure context. Without one (a field laptop over plain
    // http) Chromium refuses the header and, with it, this response's cookies: so it is not sent there,
    // and the home page wipes the outbox, caches, service worker and storage itself (app/offline).
    // A cookie, not the ?wiped=1 in the address, asks for that, so a link cannot wipe anyone's notes.
    if (isPotentiallyTrustworthy(new URL(request.url))) headers.set("Clear-Site-Data", '"cache", "cookies", "storage"');
    headers.append("Set-Cookie", cookies.wipePending());
    return redirect("/?wiped=1", { headers });
  }
  if (actor) {
    if (intent === "everywhere" && !actor.isGuest) domain.accounts.invalidateAllSessions(actor.userId);
    else domain.accounts.invalidateSession(actor.authSessionId);
  }
  return redirect(context.deviceTokens.length > 0 ? "/switch" : "/", { headers });
}

/** What browsers treat as a secure context: https, or http on a loopback name. */
function isPotentiallyTrustworthy(url: URL): boolean {
  if (url.protocol === "https:") return true;
  return ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname) || url.hostname.endsWith(".localhost");
}

export default function SignOut() {
  const { t } = useTranslation("auth");
  const { isGuest } = useLoaderData<typeof loader>();
  return (
    <div className="mx-auto max-w-md px-4 py-8">
      <div className="card flex flex-col gap-5">
        <h1>{t("signOut.title")}</h1>
        {isGuest ? <p className="hint">{t("signOut.guestHint")}</p> : null}
        <AppForm>
          <SubmitButton name="intent" value="device">
            {t("signOut.thisDevice")}
          </SubmitButton>
        </AppForm>
        {isGuest ? null : (
          <AppForm className="flex flex-col gap-2">
            <p className="hint">{t("signOut.everywhereHint")}</p>
            <SubmitButton name="intent" value="everywhere" className="btn-secondary">
              {t("signOut.everywhere")}
            </SubmitButton>
          </AppForm>
        )}
        <AppForm className="flex flex-col gap-2">
          <p className="hint">{t("signOut.wipeHint")}</p>
          <SubmitButton name="intent" value="wipe" className="btn-danger">
            {t("signOut.wipe")}
          </SubmitButton>
        </AppForm>
      </div>
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/errors";
