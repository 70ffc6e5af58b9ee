/**
 * Importing a published session exported by another Parley instance (docs/export-format.md): the file
 * is attached to this programme, under the parent session chosen here when the file names one that is
 * not on this instance. Every check (JSON, schema, format version, duplicates, who may import) is the
 * domain's (app/models/imports.server.ts); a refused file changes nothing, and the page says why.
 */
import { MAX_UPLOAD_FILE_BYTES } from "~/utils/limits";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AppForm, FileProblems, SubmitButton } from "~/components/forms";
import { Page } from "~/components/layout";
import { httpStatusOf, isDomainError } from "~/models/errors";
import { load, readForm, signInRedirect } from "~/utils/http";

export const meta: MetaFunction = () => [{ title: "Parley" }];

/** The largest file read (the server refuses larger request bodies before this). */
const MAX_FILE = MAX_UPLOAD_FILE_BYTES;

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { domain, actor } = context;
  const programmeId = params.programmeId ?? "";
  return json(
    await load(request, () => {
      const { programme } = domain.access.requireProgramme(actor, programmeId, "programme.sessions.import");
      const sessions = domain.sessions.listForProgramme(actor, programmeId);
      return { programme: { id: programme.id, name: programme.name }, sessions: sessions.map((s) => ({ id: s.id, title: s.title })) };
    }),
  );
}

type Outcome =
  | { ok: true; sessionId: string; publicationNumber: number; mode: "session" | "publication"; created: { agendaItems: number; keyPoints: number; recommendations: number } }
  | { ok: false; messageKey: string; problems: { path: string; message: string }[]; names?: { parentSession?: { title: string } | null } };

export async function action({ request, params, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const { domain, actor } = context;
  const programmeId = params.programmeId ?? "";
  const file = form.get("file");
  let text: string | null = null;
  if (file && typeof file === "object" && "text" in file) {
    if ((file as Blob).size > MAX_FILE) return json<Outcome>({ ok: false, messageKey: "import_too_large", problems: [] }, { status: 413 });
    text = await (file as Blob).text();
  }
  if (!text) return json<Outcome>({ ok: false, messageKey: "import_no_file", problems: [] }, { status: 400 });
  const parent = form.get("parentSessionId");
  try {
    const report = domain.imports.importSession(actor, text, { programmeId, parentSessionId: typeof parent === "string" && parent ? parent : null });
    return json<Outcome>({ ok: true, sessionId: report.sessionId, publicationNumber: report.publicationNumber, mode: report.mode, created: report.created });
  } catch (e) {
    if (!isDomainError(e)) throw e;
    if (e.code === "unauthenticated") return signInRedirect(request);
    const details = (e as unknown as { details?: { problems?: { path: string; message: string }[]; parentSession?: { title: string } | null } }).details;
    return json<Outcome>({ ok: false, messageKey: e.messageKey, problems: (details?.problems ?? []).slice(0, 5), names: { parentSession: details?.parentSession } }, { status: httpStatusOf(e) });
  }
}

export default function ImportPage() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation(["summaries", "errors"]);
  return (
    <Page title={t("import.title")} back={{ to: `/programmes/${data.programme.id}`, label: data.programme.name }}>
      <p>{t("import.intro")}</p>
      {result && !result.ok ? (
        <div className="alert flex flex-col gap-1" role="alert">
          <p>{t(`errors:${result.messageKey}`, { defaultValue: t("errors:invalid_input") })}</p>
          {result.names?.parentSession ? <p dir="auto">{t("import.namesParent", { title: result.names.parentSession.title })}</p> : null}
          <FileProblems problems={result.problems} />
        </div>
      ) : null}
      {result && result.ok ? (
        <p className="notice" role="status">
          {t(result.mode === "session" ? "import.doneSession" : "import.donePublication", { number: result.publicationNumber, items: result.created.agendaItems, recs: result.created.recommendations })}{" "}
          <Link to={`/summaries/${result.sessionId}`}>{t("reader.link")}</Link>
        </p>
      ) : null}
      <AppForm method="post" encType="multipart/form-data" className="card flex flex-col gap-4">
        <div className="field">
          <label htmlFor="import-file" className="label">
            {t("import.file")}
          </label>
          <input id="import-file" type="file" name="file" accept="application/json,.json" required className="input" />
        </div>
        <div className="field">
          <label htmlFor="import-parent" className="label">
            {t("import.parent")}
          </label>
          <p id="import-parent-hint" className="hint">
            {t("import.parentHint")}
          </p>
          <select id="import-parent" name="parentSessionId" className="input" aria-describedby="import-parent-hint" defaultValue="">
            <option value="">{t("import.noParent")}</option>
            {data.sessions.map((s) => (
              <option key={s.id} value={s.id}>
                {s.title}
              </option>
            ))}
          </select>
        </div>
        <div>
          <SubmitButton>{t("import.submit")}</SubmitButton>
        </div>
      </AppForm>
    </Page>
  );
}
