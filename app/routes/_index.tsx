import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { RoleBadge, StatusBadge } from "~/components/layout";
import { LocalTime } from "~/components/time";
import { AppForm } from "~/components/forms";
import { PublishedList } from "~/components/summaries/published-list";
import { useDeviceWipe } from "~/offline/use-offline-device";
import { act, readForm } from "~/utils/http";

export const meta: MetaFunction = () => [{ title: "Parley" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { actor, domain, cookies } = context;
  if (!actor) {
    // After "sign out and wipe this device": the page wipes what the browser keeps (once).
    const wipe = cookies.wipeRequested(request.headers.get("Cookie"));
    return json({ signedIn: false as const, wipe, published: domain.summaries.list(null, { limit: 20 }) }, wipe ? { headers: { "Set-Cookie": cookies.clearWipePending() } } : undefined);
  }
  const { sessions, moreViaProgramme } = domain.sessions.listForUser(actor);
  return json({
    signedIn: true as const,
    isGuest: actor.isGuest,
    programmes: actor.isGuest ? [] : domain.programmes.listForActor(actor),
    sessions,
    moreViaProgramme,
    notices: domain.summaries.myNotices(actor),
    published: domain.summaries.list(actor, { limit: 20 }),
    // The laptop's own page, on a laptop started in field mode (docs/field.md); elsewhere it is at /field.
    fieldLaptop: context.env.fieldMode,
  });
}

/** Dismisses an in-app notice (account holders). */
export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  return act(request, form, () => {
    context.domain.summaries.dismissNotice(context.actor, form.get("noticeId"));
    return redirect("/");
  });
}

function Notices({ notices }: { notices: { id: string; kind: "summary_circulated" | "summary_published"; sessionId: string; title: string }[] }) {
  const { t } = useTranslation("summaries");
  if (!notices.length) return null;
  return (
    <section className="card flex flex-col gap-3 border-brand" aria-labelledby="notices-heading">
      <h2 id="notices-heading">{t("notices.heading")}</h2>
      <ul className="flex flex-col gap-2">
        {notices.map((n) => (
          <li key={n.id} className="flex flex-wrap items-center justify-between gap-2">
            <Link to={n.kind === "summary_circulated" ? `/sessions/${n.sessionId}/review` : `/summaries/${n.sessionId}`} dir="auto">
              {t(`notices.${n.kind}`, { title: n.title })}
            </Link>
            <AppForm method="post">
              <input type="hidden" name="noticeId" value={n.id} />
              <button type="submit" className="btn-secondary btn-small">
                {t("notices.dismiss")}
              </button>
            </AppForm>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Says the device was wiped; with JavaScript, also wipes what Clear-Site-Data may have left. */
function WipeNotice({ wipe }: { wipe: boolean }) {
  const { t } = useTranslation();
  const state = useDeviceWipe(wipe);
  return (
    <div role="status" className="notice flex flex-col gap-1">
      <p>{t("auth:signOut.wipe")} ✓</p>
      {state === "wiping" ? <p>{t("offline:wipe.running")}</p> : null}
      {state === "done" ? <p>{t("offline:wipe.done")}</p> : null}
      {state === "partial" ? <p>{t("offline:wipe.partial")}</p> : null}
    </div>
  );
}

export default function Home() {
  const { t } = useTranslation();
  const data = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  if (!data.signedIn) {
    return (
      <div className="mx-auto flex max-w-4xl flex-col gap-6 px-4 py-8">
        {params.get("wiped") || data.wipe ? <WipeNotice wipe={data.wipe} /> : null}
        <section className="flex flex-col gap-3">
          <h1>{t("home.welcomeTitle")}</h1>
          <p className="max-w-prose text-ink-soft">{t("home.intro")}</p>
        </section>
        <div className="grid gap-4 sm:grid-cols-2">
          <section className="card flex flex-col gap-3">
            <h2>{t("home.joinTitle")}</h2>
            <p>{t("home.joinText")}</p>
            <Link to="/join" className="btn-primary">
              {t("nav.join")}
            </Link>
          </section>
          <section className="card flex flex-col gap-3">
            <h2>{t("home.staffTitle")}</h2>
            <p>{t("home.staffText")}</p>
            <Link to="/sign-in" className="btn-secondary">
              {t("nav.signIn")}
            </Link>
          </section>
        </div>
        <PublishedList items={data.published} />
      </div>
    );
  }
  return (
    <div className="mx-auto flex max-w-4xl flex-col gap-6 px-4 py-8">
      {data.isGuest ? <p className="notice">{t("home.guestNote")}</p> : null}
      <Notices notices={data.notices} />
      {data.isGuest ? null : (
        <section className="card flex flex-col gap-3" aria-labelledby="programmes-heading">
          <div className="flex flex-wrap items-center justify-between gap-2">
            <h2 id="programmes-heading">{t("home.programmesTitle")}</h2>
            <span className="flex flex-wrap gap-2">
              <Link to="/programmes/new" className="btn-secondary btn-small">
                {t("home.newProgramme")}
              </Link>
              {data.fieldLaptop ? (
                <Link to="/field" className="btn-secondary btn-small">
                  {t("field:laptop.title")}
                </Link>
              ) : null}
            </span>
          </div>
          {data.programmes.length === 0 ? (
            <p className="hint">{t("home.noProgrammes")}</p>
          ) : (
            <ul className="flex flex-col divide-y divide-slate-200">
              {data.programmes.map((p) => (
                <li key={p.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
                  <Link to={`/programmes/${p.id}`} dir="auto">
                    {p.name}
                  </Link>
                  <span className="badge">{t(`programmeRoles.${p.role}`)}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
      <section className="card flex flex-col gap-3" aria-labelledby="sessions-heading">
        <h2 id="sessions-heading">{t("home.sessionsTitle")}</h2>
        {data.sessions.length === 0 ? (
          <p className="hint">{data.isGuest ? t("home.noSessions") : t("home.noSessionsAccount")}</p>
        ) : (
          <ul className="flex flex-col divide-y divide-slate-200">
            {data.sessions.map((s) => (
              <li key={s.id} className="flex flex-col gap-1 py-2">
                <Link to={`/sessions/${s.id}`} className="font-medium" dir="auto">
                  {s.title}
                </Link>
                <div className="flex flex-wrap items-center gap-2 text-sm text-ink-soft">
                  <RoleBadge role={s.role} />
                  <StatusBadge status={s.status} />
                  {s.startsAt ? <LocalTime epoch={s.startsAt} timeZone={s.timeZone} /> : null}
                </div>
              </li>
            ))}
          </ul>
        )}
        {data.moreViaProgramme > 0 ? <p className="hint">{t("home.moreSessions", { count: data.moreViaProgramme })}</p> : null}
      </section>
      <PublishedList items={data.published} />
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/errors";
