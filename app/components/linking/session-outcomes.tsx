/**
 * A session's adopted recommendations, each with what became of it so far (as the viewer may know
 * it) and a link to its trace: on the published summary's page and, for staff, on the session page.
 */
import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { SessionOutcome } from "~/models/traceability.server";

export type SessionOutcomesData = { feeds: boolean; items: SessionOutcome[] };

export function SessionOutcomes({ data, id, heading }: { data: SessionOutcomesData; id: string; heading?: string }) {
  const { t } = useTranslation("linking");
  return (
    <section className="card no-print flex flex-col gap-3" aria-labelledby={id}>
      <h2 id={id}>{heading ?? t(data.feeds ? "trace.reader.headingUp" : "trace.reader.headingDown")}</h2>
      {data.items.length === 0 ? (
        <p className="hint">{t("trace.reader.empty")}</p>
      ) : (
        <>
          <p className="hint">{t(data.feeds ? "trace.reader.intro" : "trace.reader.introDown")}</p>
          <ol className="flex flex-col divide-y divide-slate-200">
            {data.items.map((r) => (
              <li key={r.id} className="flex flex-col gap-1 py-3" data-recommendation={r.id}>
                <p className="break-words" dir="auto">
                  {r.text}
                </p>
                <p className="flex flex-wrap items-center gap-2 text-sm">
                  {r.outcome ? (
                    <span className="badge" data-outcome={r.outcome}>
                      {t(`trace.outcomeOf.${r.outcome}`)}
                    </span>
                  ) : r.hiddenUp > 0 ? (
                    <span className="badge">{t("outcome.hidden")}</span>
                  ) : null}
                  {r.drawsOn > 0 ? <span className="text-ink-soft">{t("trace.reader.drawsOn", { count: r.drawsOn })}</span> : null}
                  <Link to={`/recommendations/${r.id}/trace`}>{t("trace.reader.follow")}</Link>
                </p>
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}
