/**
 * Traceability of one recommendation (SPEC section 6): what became of it, level after level, and what
 * it draws on, down to every local recommendation, session and place behind it. A clean address to
 * share. Public where the summaries involved are public (signed out, no JavaScript needed: rendered on
 * the server); otherwise only for those who may see them, the rest counted and never shown. Who may
 * see what is the domain's rule (linking.trace).
 */
import { json, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Consensus, DownTree, RecommendationText, SessionLine, UpTree } from "~/components/linking/trace-tree";
import { outcomeOf } from "~/models/linking";
import { load } from "~/utils/http";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.titleText} · Parley` : "Parley" }];

export const headers: HeadersFunction = ({ loaderHeaders }) => ({ "Cache-Control": loaderHeaders.get("Cache-Control") ?? "private, no-store" });

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { domain, actor } = context;
  const data = await load(request, () => domain.traceability.tracePage(actor, params.recommendationId ?? ""));
  const text = data.down.text;
  return json(
    { ...data, signedIn: actor !== null, titleText: text.length > 60 ? `${text.slice(0, 57)}…` : text },
    // Signed out, the page holds only what is public; signed in, it depends on who asks.
    { headers: { "Cache-Control": actor ? "private, no-store" : "public, max-age=60", Vary: "Cookie" } },
  );
}

export default function TracePage() {
  const data = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("linking");
  const fr = i18n.language === "fr";
  const ctx = {
    levels: new Map(data.levels.map((l) => [l.id, fr ? l.labelFr : l.labelEn])),
    published: new Set(data.published),
    signedIn: data.signedIn,
  };
  const root = data.down;
  const visibleRelations = data.up.links.map((l) => l.relation);
  const outcome = visibleRelations.length ? outcomeOf(visibleRelations) : data.up.hidden ? null : "unaddressed";
  const hasDown = root.links.length > 0 || root.hidden > 0;
  return (
    <div className="mx-auto flex max-w-3xl flex-col gap-6 px-4 py-6">
      <header className="flex flex-col gap-1">
        <p className="text-sm text-ink-soft">
          {t("trace.kicker")} · <span dir="auto">{data.programme.name}</span>
        </p>
        <h1>{t("trace.title")}</h1>
      </header>

      <section className="card flex flex-col gap-2" aria-labelledby="recommendation-heading">
        <h2 id="recommendation-heading">{t("trace.recommendation")}</h2>
        <RecommendationText node={root} />
        <SessionLine session={root.session} ctx={ctx} />
        <Consensus level={root.consensus} />
        {data.feeds && outcome ? (
          <p className="font-medium" data-outcome={outcome}>
            {t("trace.outcomeNow", { outcome: t(`trace.outcomeOf.${outcome}`) })}
          </p>
        ) : null}
      </section>

      {data.truncated ? <p className="notice">{t("trace.truncated")}</p> : null}

      {data.feeds ? (
        <section className="card flex flex-col gap-3" aria-labelledby="up-heading">
          <h2 id="up-heading">{t("trace.up.heading")}</h2>
          {data.up.links.length === 0 && data.up.hidden === 0 ? <p>{t("trace.up.none")}</p> : <UpTree node={data.up} ctx={ctx} />}
        </section>
      ) : null}

      {hasDown || !data.feeds ? (
        <section className="card flex flex-col gap-3" aria-labelledby="down-heading">
          <h2 id="down-heading">{t("trace.down.heading")}</h2>
          {hasDown ? (
            <>
              <p className="hint">{t("trace.down.intro")}</p>
              <DownTree node={root} ctx={ctx} />
            </>
          ) : (
            <p>{t("trace.down.none")}</p>
          )}
        </section>
      ) : null}

      {!data.signedIn && (root.hidden > 0 || data.up.hidden > 0) ? (
        <p className="hint">
          {t("trace.signInHint")} <Link to={`/sign-in?returnTo=${encodeURIComponent(`/recommendations/${root.id}/trace`)}`}>{t("common:nav.signIn")}</Link>
        </p>
      ) : null}
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/errors";
