/**
 * A published summary: the latest version, or a numbered one, with the history of versions and their
 * change notes, and the downloads. Public summaries need no sign-in; the page is rendered on the
 * server and reads in full without JavaScript; printing it gives a clean PDF (print stylesheet in
 * styles/tailwind.css). Who may read what is the domain's rule (summaries.published).
 */
import { json, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FieldProvenanceShort } from "~/components/field/provenance";
import { SessionOutcomes } from "~/components/linking/session-outcomes";
import { LocalTime } from "~/components/time";
import { renderMarkdown } from "~/summaries/markdown";
import { load } from "~/utils/http";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.publication.title} · Parley` : "Parley" }];

export const headers: HeadersFunction = ({ loaderHeaders }) => ({ "Cache-Control": loaderHeaders.get("Cache-Control") ?? "private, no-store" });

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { domain, actor } = context;
  const sessionId = params.sessionId ?? "";
  const raw = params.number;
  const number = raw === undefined ? undefined : /^[1-9][0-9]{0,5}$/.test(raw) ? Number(raw) : -1;
  const data = await load(request, () => {
    const r = domain.summaries.published(actor, sessionId, number);
    return {
      publication: { number: r.publication.number, title: r.publication.title, language: r.publication.language, visibility: r.publication.visibility, changeNote: r.publication.changeNote, publishedAt: r.publication.publishedAt, imported: !!r.publication.importedFrom, html: renderMarkdown(r.publication.markdown) },
      latest: r.latest,
      history: r.history,
      session: { id: r.session.id, timeZone: r.session.timeZone },
      programme: r.programme,
      // "What became of these recommendations": each adopted recommendation with a link to its trace.
      outcomes: domain.traceability.sessionOutcomes(actor, sessionId),
      field: domain.field.provenance(r.session.id).find((f) => f.publicationNumber === r.publication.number) ?? null,
    };
  });
  // Public pages may be cached by the browser briefly; restricted ones never. Signed in, the
  // recommendations' outcomes depend on who reads (what they may see above): private.
  return json(data, { headers: { "Cache-Control": data.publication.visibility === "public" && !actor ? "public, max-age=60" : "private, no-store", Vary: "Cookie" } });
}

export default function PublishedSummary() {
  const data = useLoaderData<typeof loader>();
  const { t } = useTranslation("summaries");
  const p = data.publication;
  const base = `/summaries/${data.session.id}`;
  return (
    <div className="flex flex-col gap-4">
      <p className="no-print flex flex-wrap gap-2 text-sm text-ink-soft">
        <span className="badge">{t(`reader.visibility.${p.visibility}`)}</span>
        <span>{t("reader.version", { number: p.number, latest: data.latest })}</span>
        <span>·</span>
        <span>
          {t("reader.publishedOn")} <LocalTime epoch={p.publishedAt} timeZone={data.session.timeZone} />
        </span>
      </p>
      {p.number !== data.latest ? (
        <p className="notice no-print">
          {t("reader.olderVersion")} <Link to={base}>{t("reader.readLatest")}</Link>
        </p>
      ) : null}
      {p.changeNote ? (
        <p className="notice" dir="auto">
          {t("reader.changeNote", { note: p.changeNote })}
        </p>
      ) : null}
      <article className="card print-plain" lang={p.language}>
        {/* Rendered on the server by markdown-it with raw HTML off (app/summaries/markdown.ts). */}
        <div className="prose-summary" dir="auto" dangerouslySetInnerHTML={{ __html: p.html }} />
      </article>
      {p.imported && !data.field ? <p className="text-sm text-ink-soft">{t("reader.imported")}</p> : null}
      {data.field ? (
        <p className="no-print">
          <FieldProvenanceShort provenance={data.field} timeZone={data.session.timeZone} />
        </p>
      ) : null}
      {data.outcomes && data.outcomes.items.length > 0 && (data.outcomes.feeds || data.outcomes.items.some((i) => i.drawsOn > 0)) ? <SessionOutcomes data={data.outcomes} id="outcomes-heading" /> : null}
      <section className="card no-print flex flex-col gap-3" aria-labelledby="downloads-heading">
        <h2 id="downloads-heading">{t("reader.downloads")}</h2>
        <ul className="flex flex-wrap gap-2">
          <li>
            <a className="btn-secondary btn-small" href={`${base}/${p.number}/export?format=md`} download>
              {t("reader.markdown")}
            </a>
          </li>
          <li>
            <a className="btn-secondary btn-small" href={`${base}/${p.number}/export?format=html`} download>
              {t("reader.html")}
            </a>
          </li>
          <li>
            <a className="btn-secondary btn-small" href={`${base}/${p.number}/export?format=json`} download>
              {t("reader.json")}
            </a>
          </li>
        </ul>
        <p className="hint">{t("reader.print")}</p>
      </section>
      {data.history.length > 1 ? (
        <section className="card no-print flex flex-col gap-3" aria-labelledby="history-heading">
          <h2 id="history-heading">{t("reader.history")}</h2>
          <ol className="flex flex-col gap-2">
            {data.history
              .slice()
              .reverse()
              .map((h) => (
                <li key={h.number} className="flex flex-col">
                  {h.number === p.number ? (
                    <span className="font-semibold">{t("publications.version", { number: h.number })}</span>
                  ) : (
                    <Link to={`${base}/${h.number}`}>{t("publications.version", { number: h.number })}</Link>
                  )}
                  <span className="text-sm text-ink-soft">
                    <LocalTime epoch={h.publishedAt} timeZone={data.session.timeZone} />
                  </span>
                  {h.changeNote ? (
                    <span className="text-sm" dir="auto">
                      {h.changeNote}
                    </span>
                  ) : null}
                </li>
              ))}
          </ol>
        </section>
      ) : null}
      <p className="no-print text-sm text-ink-soft">{t("reader.programme", { name: data.programme.name })}</p>
    </div>
  );
}
