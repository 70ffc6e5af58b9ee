/**
 * The projector view: what the whole room sees on the big screen (current item, countdown, queue
 * length, how many are connected) and how to join (the join code in large letters and a QR code).
 * The QR code is drawn on the server as SVG paths in JSX: no inline styles, nothing injected as HTML.
 */
import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData, useRevalidator } from "@remix-run/react";
import QRCode from "qrcode";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { ResultPanel } from "~/components/recommendations/panel";
import { projectedResult } from "~/recommendations/projection";
import { onScreen } from "~/recommendations/state";
import type { RecommendationsState } from "~/realtime/events";
import { countdownParts, useCountdown, useRoom } from "~/realtime/room";
import { load, publicOrigin } from "~/utils/http";
import type { I18nHandle } from "~/locales/catalogues";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.state.session.title} · Parley` : "Parley" }];

/** Quiet zone around the QR code, in modules. */
const QR_MARGIN = 2;

/** The dark modules of a QR code as one SVG path (one run of dark modules per sub-path). */
function qrPath(text: string): { size: number; d: string } {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: "M" });
  const { size } = modules;
  const parts: string[] = [];
  for (let y = 0; y < size; y++) {
    let x = 0;
    while (x < size) {
      if (!modules.get(y, x)) {
        x++;
        continue;
      }
      const start = x;
      while (x < size && modules.get(y, x)) x++;
      parts.push(`M${start + QR_MARGIN} ${y + QR_MARGIN}h${x - start}v1h${start - x}z`);
    }
  }
  return { size: size + 2 * QR_MARGIN, d: parts.join("") };
}

/** The catalogues this page needs before hydration (ADR 005); others load on demand. */
export const handle: I18nHandle = { i18n: ["live", "recommendations", "consensus", "errors"] };

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { domain, actor } = context;
  const sessionId = params.sessionId ?? "";
  return json(
    await load(request, async () => {
      const { state, joinCode } = await domain.live.projector(actor, sessionId);
      const { session } = domain.sessions.get(actor, sessionId);
      const origin = publicOrigin(request, context.publicOrigin);
      const joinUrl = joinCode ? `${origin}/join?code=${encodeURIComponent(joinCode)}` : null;
      return {
        state,
        joinCode,
        // The same origin as the QR code, without the scheme, for people who type it.
        joinPage: `${new URL(origin).host}/join`,
        qr: joinUrl ? qrPath(joinUrl) : null,
        // Staff view (the projector is for organisers and moderators); what is shown of it follows
        // what the room may see (projectedResult).
        recommendations: domain.recommendations.list(actor, sessionId, "staff"),
        showNumbers: session.showNumbers,
      };
    }),
  );
}

function BigCountdown({ remainingMs, running, receivedAt, label }: { remainingMs: number; running: boolean; receivedAt: number | null; label: string }) {
  const { t } = useTranslation("live");
  const ms = useCountdown(remainingMs, running, receivedAt);
  const { overrun, time } = countdownParts(ms);
  return (
    <div role="timer" aria-label={label} className={`flex flex-wrap items-baseline gap-x-6 font-bold leading-none tabular-nums ${overrun ? "text-danger" : "text-ink"}`}>
      <span className="text-8xl lg:text-9xl">{overrun ? `+${time}` : time}</span>
      {overrun ? <span className="text-4xl lg:text-5xl">{t("current.overTimeWords")}</span> : null}
    </div>
  );
}

/**
 * The recommendation open for positions (or the one whose round closed last): its text and what the
 * room may see of the tally; the summary sentence only once the round has closed.
 */
function OpenVote({ recs, showNumbers }: { recs: Pick<RecommendationsState, "recommendations">; showNumbers: boolean }) {
  const { t, i18n } = useTranslation("recommendations");
  const rec = onScreen(recs.recommendations);
  if (!rec?.vote) return null;
  const vote = rec.vote;
  const shown = projectedResult(vote, rec.text, showNumbers);
  const hidden = vote.open && vote.hiddenTally;
  const nobody = !hidden && vote.result?.counts?.taken === 0;
  return (
    <section className="flex flex-col gap-4 rounded-lg border-4 border-brand p-6" aria-labelledby="projector-vote">
      <h2 id="projector-vote" className="text-2xl font-semibold uppercase tracking-wide text-brand-dark">
        {vote.open ? t("projector.heading") : t("projector.closed")}
      </h2>
      <p className="text-4xl font-semibold lg:text-5xl" dir="auto">
        {rec.text}
      </p>
      {hidden ? (
        <p className="text-3xl font-medium">{t("projector.hidden")}</p>
      ) : nobody || !shown ? (
        <p className="text-3xl font-medium">{t("projector.none")}</p>
      ) : (
        <>
          {vote.open ? <p className="text-2xl text-ink-soft">{t("projector.running")}</p> : null}
          <ResultPanel result={{ ...shown, handsIncluded: vote.result?.handsIncluded }} lang={i18n.language === "fr" ? "fr" : "en"} large wording={!vote.open} />
        </>
      )}
    </section>
  );
}

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <div className="flex flex-col gap-1 rounded-lg border-2 border-slate-300 bg-white p-4">
      <dt className="text-xl font-medium text-ink-soft lg:text-2xl">{label}</dt>
      <dd className="text-5xl font-bold tabular-nums lg:text-6xl">{value}</dd>
    </div>
  );
}

export default function ProjectorPage() {
  const { t } = useTranslation("live");
  const data = useLoaderData<typeof loader>();
  const room = useRoom(data.state.session.id);
  const revalidator = useRevalidator();
  const live = room.room;
  const state = live?.state ?? data.state;
  const current = state.agenda.items.find((i) => i.id === state.agenda.currentItemId) ?? null;
  const joinCode = data.joinCode;
  const liveCode = live?.joinCode;

  // The code was changed (rotated) since the page was drawn: draw the QR code again.
  const revalidate = revalidator.revalidate;
  useEffect(() => {
    if (liveCode !== undefined && liveCode !== joinCode) revalidate();
  }, [liveCode, joinCode, revalidate]);

  return (
    <div className="mx-auto flex max-w-screen-2xl flex-col gap-8 bg-white px-6 py-8 text-ink">
      <header className="flex flex-col gap-1">
        <h1 className="text-3xl lg:text-4xl" dir="auto">
          {state.session.title}
        </h1>
        <p className="sr-only" role="status">
          {room.connection ? `${t("connection.label")} ${t(`connection.${room.connection}`)}` : null}
        </p>
      </header>
      <div className="grid gap-8 lg:grid-cols-3">
        <section className="flex flex-col gap-6 lg:col-span-2" aria-labelledby="projector-now">
          <h2 id="projector-now" className="text-2xl font-semibold uppercase tracking-wide text-ink-soft">
            {t("projector.now")}
          </h2>
          {current ? (
            <>
              <p className="text-4xl font-semibold lg:text-5xl" dir="auto">
                {current.title}
              </p>
              {current.panelists ? (
                <p className="text-2xl">
                  <span className="font-medium">{t("current.panelists")}</span> <span dir="auto">{current.panelists}</span>
                </p>
              ) : null}
              <p className="text-2xl">
                <span className="font-medium">{t("attribution.label")}</span> {t(`attribution.${current.attributionMode}`)}
              </p>
              {current.attributionMode === "on_the_record" ? <p className="rounded-md border-2 border-warn bg-warn-light p-4 text-2xl font-medium text-warn">{t("attribution.onTheRecordWarning")}</p> : null}
              <BigCountdown remainingMs={current.remainingMs} running={current.running} receivedAt={live?.agendaAt ?? null} label={t("current.timeLeft")} />
              {current.state === "paused" ? <p className="text-3xl font-semibold text-warn">{t("current.paused")}</p> : null}
            </>
          ) : (
            <p className="text-4xl">{t("projector.noItem")}</p>
          )}
          <OpenVote recs={live?.recommendations ?? data.recommendations} showNumbers={data.showNumbers} />
          <dl className="grid grid-cols-2 gap-4">
            <Stat label={t("projector.waiting")} value={String(state.queue.entries.length)} />
            <Stat label={t("projector.connected")} value={live?.presence ? String(live.presence.total) : "–"} />
          </dl>
        </section>
        <section className="flex flex-col items-center gap-4 rounded-lg border-2 border-slate-300 p-6 text-center" aria-labelledby="projector-join">
          <h2 id="projector-join" className="text-3xl">
            {t("projector.joinHeading")}
          </h2>
          {joinCode && data.qr ? (
            <>
              <svg role="img" aria-label={t("projector.qrLabel")} viewBox={`0 0 ${data.qr.size} ${data.qr.size}`} className="h-auto w-full max-w-md" shapeRendering="crispEdges" xmlns="http://www.w3.org/2000/svg">
                <rect width={data.qr.size} height={data.qr.size} fill="#ffffff" />
                <path d={data.qr.d} fill="#000000" />
              </svg>
              <p className="text-xl">{t("projector.joinAt", { url: data.joinPage })}</p>
              <p className="flex flex-col gap-1">
                <span className="sr-only">
                  {t("projector.codeLabel")} {joinCode.split("").join(" ")}
                </span>
                <span aria-hidden="true" className="font-mono text-4xl font-bold tracking-[0.2em] xl:text-5xl">
                  {joinCode}
                </span>
              </p>
            </>
          ) : (
            <p className="text-xl">{t("projector.noCode")}</p>
          )}
        </section>
      </div>
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/errors";
