/** A list of published summaries (the home page, a programme's page): title, programme, date. */
import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { formatDate } from "~/utils/time";

export type PublishedItem = { sessionId: string; number: number; title: string; language: string; publishedAt: number; programmeName: string; visibility: string };

export function PublishedList({ items, showProgramme = true }: { items: PublishedItem[]; showProgramme?: boolean }) {
  const { t, i18n } = useTranslation("summaries");
  return (
    <section className="card flex flex-col gap-3" aria-labelledby="published-heading">
      <h2 id="published-heading">{t("lists.heading")}</h2>
      {items.length === 0 ? (
        <p className="hint">{t("lists.none")}</p>
      ) : (
        <ul className="flex flex-col divide-y divide-slate-200">
          {items.map((s) => (
            <li key={s.sessionId} className="flex flex-col gap-1 py-2">
              <Link to={`/summaries/${s.sessionId}`} className="font-medium" lang={s.language} dir="auto">
                {s.title}
              </Link>
              <p className="flex flex-wrap items-center gap-2 text-sm text-ink-soft">
                {s.visibility !== "public" ? <span className="badge">{t(`reader.visibility.${s.visibility}`)}</span> : null}
                {showProgramme ? <span dir="auto">{s.programmeName}</span> : null}
                <span>{formatDate(s.publishedAt, i18n.language, "UTC")}</span>
                {s.number > 1 ? <span>{t("publications.version", { number: s.number })}</span> : null}
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
