/**
 * Downloads of a published version: Markdown (`?format=md`), print-ready HTML (`?format=html`: one
 * self-contained file with its own print stylesheet, to print or save as PDF), and the documented JSON
 * export (`?format=json`, docs/export-format.md). Who may download what is the domain's rule: the
 * same as who may read the publication.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { downloadFileName, exportDownload } from "~/models/export-format";
import { renderMarkdown } from "~/summaries/markdown";
import { load } from "~/utils/http";

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

const PRINT_CSS = `
  body { font-family: Georgia, "Noto Serif", "Times New Roman", serif; color: #111; margin: 2.5rem auto; max-width: 42rem; padding: 0 1rem; line-height: 1.55; }
  h1 { font-size: 1.6rem; line-height: 1.25; margin: 0 0 1rem; }
  h2 { font-size: 1.2rem; margin: 1.75rem 0 0.5rem; break-after: avoid; }
  p, li { orphans: 3; widows: 3; }
  li + li { margin-top: 0.4rem; }
  a { color: inherit; }
  .meta { color: #555; font-size: 0.85rem; border-top: 1px solid #ccc; margin-top: 2rem; padding-top: 0.5rem; }
  @page { margin: 2cm; }
  @media print { body { margin: 0; max-width: none; font-size: 11pt; } }
`;

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { domain, actor } = context;
  const sessionId = params.sessionId ?? "";
  const number = /^[1-9][0-9]{0,5}$/.test(params.number ?? "") ? Number(params.number) : -1;
  const format = new URL(request.url).searchParams.get("format") ?? "md";
  return load(request, () => {
    const r = domain.summaries.published(actor, sessionId, number);
    const p = r.publication;
    const headers = (type: string, ext: string) => ({
      "Content-Type": type,
      "Content-Disposition": `attachment; filename="${downloadFileName(p.title, p.number, ext)}"`,
      "Cache-Control": p.visibility === "public" ? "public, max-age=60" : "private, no-store",
      "X-Content-Type-Options": "nosniff",
    });
    if (format === "md" || format === "html") domain.exports.recordDownload(actor, sessionId, p.number, format);
    if (format === "md") return new Response(p.markdown.endsWith("\n") ? p.markdown : `${p.markdown}\n`, { headers: headers("text/markdown; charset=utf-8", "md") });
    if (format === "html") {
      const published = new Intl.DateTimeFormat(p.language === "fr" ? "fr-FR" : "en-GB", { dateStyle: "long", timeZone: r.session.timeZone }).format(p.publishedAt);
      const meta = p.language === "fr" ? `Version ${p.number}, publiée le ${published}.` : `Version ${p.number}, published ${published}.`;
      const html = `<!doctype html>
<html lang="${p.language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(p.title)}</title>
<style>${PRINT_CSS}</style>
</head>
<body>
<main dir="auto">
${renderMarkdown(p.markdown)}
</main>
<p class="meta">${escapeHtml(meta)}${p.changeNote ? ` ${escapeHtml(p.changeNote)}` : ""}</p>
</body>
</html>
`;
      return new Response(html, { headers: headers("text/html; charset=utf-8", "html") });
    }
    if (format === "json") {
      const file = exportDownload(domain.exports.session(actor, sessionId, p.number));
      return new Response(file.body, { headers: headers(file.contentType, "json") });
    }
    return new Response("Unknown format: use md, html or json.\n", { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  });
}
