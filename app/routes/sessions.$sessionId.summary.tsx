/**
 * The summary workspace (staff: organisers and rapporteurs; organisers also circulate, override,
 * approve and publish). Every rule is the domain's (app/models/summaries.server.ts); this adapter
 * parses forms and renders. The editor works as a plain form without JavaScript; with it, the text
 * is saved automatically a few seconds after typing stops and the preview follows the text.
 * A save names the version it started from: if someone else saved meanwhile, nothing is overwritten,
 * and both texts are shown.
 */
import { json, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useFetcher, useLoaderData } from "@remix-run/react";
import { useEffect, useId, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { AppForm, CheckboxField, CsrfField, Field, FormError, FormSaved, SelectField, SubmitButton, useErrorText, useFormResult } from "~/components/forms";
import { Page, Section } from "~/components/layout";
import { LocalTime } from "~/components/time";
import { httpStatusOf, isDomainError } from "~/models/errors";
import { renderMarkdown } from "~/summaries/markdown";
import { act, failure, load, readForm, signInRedirect } from "~/utils/http";
import { epochToZonedWallTime, zonedWallTimeToEpoch } from "~/utils/time";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.session.title} · Summary · Parley` : "Parley" }];

export const headers: HeadersFunction = () => ({ "Cache-Control": "private, no-store" });

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { domain, actor } = context;
  const sessionId = params.sessionId ?? "";
  const data = await load(request, () => {
    const w = domain.summaries.workspace(actor, sessionId);
    return {
      session: { id: w.session.id, title: w.session.title, status: w.session.status, timeZone: w.session.timeZone, languages: w.session.languages, attributionMode: w.session.attributionMode },
      canPublish: w.canPublish,
      draftable: w.draftable,
      publishable: w.publishable,
      summary: w.summary
        ? { markdown: w.summary.markdown, version: w.summary.version, status: w.summary.status, language: w.summary.language, listPanelists: w.summary.listPanelists, visibility: w.summary.visibility, reviewDeadline: w.summary.reviewDeadline }
        : null,
      findings: w.findings.map((f) => ({ key: f.key, text: f.text, kind: f.kind, suggestion: f.suggestion, overridden: f.overridden, reason: f.reason })),
      openFindings: w.openFindings,
      comments: w.comments,
      publications: w.publications.map((p) => ({ number: p.number, publishedAt: p.publishedAt, changeNote: p.changeNote, visibility: p.visibility })),
      // A default deadline a week ahead, in the session's time zone, for the circulate form.
      defaultDeadline: epochToZonedWallTime(Date.now() + 7 * 24 * 3600 * 1000, w.session.timeZone).slice(0, 16),
    };
  });
  return json(data, { headers: { "Cache-Control": "private, no-store" } });
}

type Conflict = { markdown: string; version: number };

export async function action({ request, params, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const { domain, actor } = context;
  const sessionId = params.sessionId ?? "";
  const intent = form.get("intent");
  const str = (name: string) => {
    const v = form.get(name);
    return typeof v === "string" ? v : undefined;
  };
  if (intent === "save") {
    // Answered by hand: a conflict carries the other person's text and version.
    try {
      const { version } = domain.summaries.save(actor, sessionId, { markdown: str("markdown"), version: str("version") });
      return json({ ok: true as const, intent: "save", data: { version } });
    } catch (e) {
      if (!isDomainError(e)) throw e;
      if (e.code === "unauthenticated") return signInRedirect(request);
      const current = (e as unknown as { current?: Conflict }).current;
      if (current) return json({ ok: false as const, intent: "save", formError: e.messageKey, fields: {}, values: { markdown: str("markdown") ?? "" }, conflict: current }, { status: 409 });
      return failure(form, httpStatusOf(e), e.fields ? "invalid_input" : e.messageKey, e.fields ?? {});
    }
  }
  return act(request, form, async () => {
    switch (intent) {
      case "generate": {
        const replacing = str("version");
        if (replacing && form.get("confirm") !== "on") return failure(form, 400, "invalid_input", { confirm: ["confirmation_required"] });
        domain.summaries.generate(actor, sessionId, { language: str("language"), listPanelists: form.get("listPanelists") === "on", version: replacing ? Number(replacing) : undefined });
        return { ok: true, intent };
      }
      case "override":
        domain.summaries.override(actor, sessionId, { key: str("key"), reason: str("reason") });
        return { ok: true, intent };
      case "visibility":
        domain.summaries.settings(actor, sessionId, { visibility: str("visibility") });
        return { ok: true, intent };
      case "circulate": {
        const zone = str("timeZone") ?? "UTC";
        const wall = (str("deadline") ?? "").trim();
        const deadline = wall ? zonedWallTimeToEpoch(wall, zone) : null;
        if (deadline === null) return failure(form, 400, "invalid_input", { deadline: [wall ? "date_invalid" : "required"] });
        domain.summaries.circulate(actor, sessionId, { deadline });
        return { ok: true, intent };
      }
      case "resolve":
        domain.summaries.resolveComment(actor, sessionId, str("commentId"), str("resolved") === "1");
        return { ok: true, intent };
      case "approve":
        domain.summaries.approve(actor, sessionId, { version: str("version") });
        return { ok: true, intent };
      case "publish": {
        const { number } = await domain.summaries.publish(actor, sessionId, { changeNote: str("changeNote") });
        return { ok: true, intent, data: { number } };
      }
      default:
        return failure(form, 400, "invalid_input");
    }
  });
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>;
type SaveResult = { ok: true; intent: "save"; data: { version: number } } | { ok: false; intent?: string; formError: string | null; fields: Record<string, string[]>; conflict?: Conflict };

/** The editor: a plain form; with JavaScript, autosave after a pause and a live preview. */
function Editor({ summary }: { summary: NonNullable<Data["summary"]> }) {
  const { t } = useTranslation("summaries");
  const errorText = useErrorText();
  const fetcher = useFetcher<SaveResult>();
  const id = useId();
  const [text, setText] = useState(summary.markdown);
  const [version, setVersion] = useState(summary.version);
  const [dirty, setDirty] = useState(false);
  const [savedAt, setSavedAt] = useState<string | null>(null);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [hydrated, setHydrated] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => setHydrated(true), []);

  // The text as last agreed with the server (loaded, or saved from here): a new version from the
  // server (generated again, saved by someone else) replaces the editor's text only if it has no
  // changes of its own since; otherwise the person's text stays and a save will meet the conflict.
  const synced = useRef(summary.markdown);
  const lastSent = useRef(summary.markdown);
  useEffect(() => {
    if (summary.markdown === synced.current) return setVersion((v) => Math.max(v, summary.version));
    if (text === synced.current && !conflict) {
      setText(summary.markdown);
      setVersion(summary.version);
      setDirty(false);
    }
    synced.current = summary.markdown;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [summary.version, summary.markdown]);

  useEffect(() => {
    const r = fetcher.data;
    if (!r || fetcher.state !== "idle") return;
    if (r.ok) {
      setVersion(r.data.version);
      setConflict(null);
      setSavedAt(new Date().toLocaleTimeString());
      synced.current = lastSent.current;
    } else if (r.conflict) {
      // Keep my text; take their version number, so that saving again is a deliberate choice.
      setConflict(r.conflict);
      setVersion(r.conflict.version);
      setDirty(true);
    }
  }, [fetcher.data, fetcher.state]);

  const save = (markdown: string, v: number) => {
    setDirty(false);
    lastSent.current = markdown;
    fetcher.submit({ intent: "save", markdown, version: String(v), _csrf: csrfOf() }, { method: "post" });
  };

  const onChange = (value: string) => {
    setText(value);
    setDirty(true);
    if (timer.current) clearTimeout(timer.current);
    // Autosave after three seconds without typing, unless a conflict waits for a decision.
    if (!conflict) timer.current = setTimeout(() => save(value, version), 3000);
  };
  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);

  const preview = useMemo(() => renderMarkdown(text), [text]);
  const failed = fetcher.data && !fetcher.data.ok && !fetcher.data.conflict ? fetcher.data : null;

  return (
    <div className="flex flex-col gap-4">
      {conflict ? (
        <div className="alert flex flex-col gap-2" role="alert">
          <h3 className="font-semibold">{t("editor.conflictHeading")}</h3>
          <p>{t("editor.conflictTheirs", { version: conflict.version })}</p>
          <textarea readOnly className="input font-mono text-sm" rows={8} value={conflict.markdown} aria-label={t("editor.conflictTheirs", { version: conflict.version })} dir="auto" />
          <p>{t("editor.conflictMine")}</p>
        </div>
      ) : null}
      <fetcher.Form
        method="post"
        className="flex flex-col gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          if (timer.current) clearTimeout(timer.current);
          save(text, version);
        }}
      >
        <CsrfField />
        <input type="hidden" name="intent" value="save" />
        <input type="hidden" name="version" value={version} />
        <label htmlFor={id} className="label">
          {t("editor.label")}
        </label>
        <p id={`${id}-hint`} className="hint">
          {t("editor.hint")}
        </p>
        <textarea
          id={id}
          name="markdown"
          className="input min-h-[24rem] font-mono text-sm"
          rows={24}
          value={text}
          onChange={(e) => onChange(e.target.value)}
          aria-describedby={`${id}-hint`}
          dir="auto"
          spellCheck
        />
        <div className="flex flex-wrap items-center gap-3">
          <button type="submit" className="btn-primary">
            {t("editor.save")}
          </button>
          <p className="text-sm text-ink-soft" role="status">
            {fetcher.state !== "idle" ? t("editor.saving") : dirty ? t("editor.unsaved") : savedAt ? t("editor.autosaved", { time: savedAt }) : t("workspace.statusLine", { status: t(`workspace.status.${summary.status}`), version })}
          </p>
        </div>
        {failed ? <p className="error">{errorText(failed.formError ?? "invalid_input")}</p> : null}
      </fetcher.Form>
      {hydrated ? (
        <section aria-labelledby={`${id}-preview`} className="flex flex-col gap-2">
          <h3 id={`${id}-preview`} className="font-semibold">
            {t("editor.preview")}
          </h3>
          {/* markdown-it with raw HTML off: typed tags are text (app/summaries/markdown.ts). */}
          <div className="prose-summary rounded-md border border-slate-300 bg-white p-4" lang={summary.language} dir="auto" dangerouslySetInnerHTML={{ __html: preview }} />
        </section>
      ) : null}
    </div>
  );
}

/** The CSRF token rendered by CsrfField (forms submitted through a fetcher carry it explicitly). */
function csrfOf(): string {
  const el = document.querySelector<HTMLInputElement>('input[name="_csrf"]');
  return el?.value ?? "";
}

function Generate({ data }: { data: Data }) {
  const { t } = useTranslation(["summaries", "sessions"]);
  const result = useFormResult("generate");
  const languages = data.session.languages.filter((l): l is "en" | "fr" => l === "en" || l === "fr");
  const replacing = data.summary;
  return (
    <AppForm method="post" className="flex flex-col gap-3">
      <input type="hidden" name="intent" value="generate" />
      {replacing ? <input type="hidden" name="version" value={replacing.version} /> : null}
      <p className="hint">{t("generate.hint")}</p>
      <FormError result={result} />
      <SelectField
        name="language"
        label={t("generate.language")}
        options={(languages.length ? languages : (["en", "fr"] as const)).map((l) => ({ value: l, label: t(`sessions:languageNames.${l}`) }))}
        defaultValue={replacing?.language ?? languages[0] ?? "en"}
        result={result}
      />
      <CheckboxField name="listPanelists" label={t("generate.listPanelists")} hint={t("generate.listPanelistsHint")} defaultChecked={replacing?.listPanelists ?? false} result={result} />
      {replacing ? <CheckboxField name="confirm" label={t("generate.regenerateConfirm")} result={result} /> : null}
      <div>
        <SubmitButton className={replacing ? "btn-secondary" : "btn-primary"} name="intent" value="generate">
          {replacing ? t("generate.regenerate") : t("generate.submit")}
        </SubmitButton>
      </div>
      <FormSaved result={result} message={t("generate.done")} />
    </AppForm>
  );
}

function Findings({ data }: { data: Data }) {
  const { t } = useTranslation("summaries");
  const result = useFormResult("override");
  if (!data.findings.length) return <p className="notice">{t("guard.none")}</p>;
  return (
    <div className="flex flex-col gap-3">
      {data.openFindings ? <p className="alert">{t("guard.open", { count: data.openFindings })}</p> : null}
      <FormError result={result} />
      <FormSaved result={result} message={t("guard.overrideDone")} />
      <ul className="flex flex-col gap-3">
        {data.findings.map((f) => (
          <li key={f.key} className="flex flex-col gap-2 rounded-md border border-slate-300 p-3">
            <p dir="auto">{t("guard.finding", { text: f.text, kind: t(`guard.kind.${f.kind}`), suggestion: f.suggestion })}</p>
            {f.overridden ? (
              <p className="text-sm text-ink-soft" dir="auto">
                {t("guard.overridden", { reason: f.reason })}
              </p>
            ) : data.canPublish ? (
              <AppForm method="post" className="flex flex-col gap-2">
                <input type="hidden" name="intent" value="override" />
                <input type="hidden" name="key" value={f.key} />
                <Field name="reason" label={t("guard.overrideLabel")} hint={t("guard.overrideHint")} multiline rows={2} maxLength={1000} result={result?.ok === false && result.values.key === f.key ? result : undefined} />
                <div>
                  <SubmitButton className="btn-secondary btn-small" name="intent" value="override">
                    {t("guard.override")}
                  </SubmitButton>
                </div>
              </AppForm>
            ) : null}
          </li>
        ))}
      </ul>
    </div>
  );
}

function Review({ data }: { data: Data }) {
  const { t } = useTranslation("summaries");
  const circulate = useFormResult("circulate");
  const resolve = useFormResult("resolve");
  const summary = data.summary!;
  return (
    <div className="flex flex-col gap-4">
      <p className="hint">{t("review.hint")}</p>
      {summary.status === "circulated" && summary.reviewDeadline ? (
        <p className="notice">
          {t("review.circulated")} <LocalTime epoch={summary.reviewDeadline} timeZone={data.session.timeZone} />.
        </p>
      ) : null}
      {data.canPublish && summary.status !== "approved" ? (
        <AppForm method="post" className="flex flex-col gap-3">
          <input type="hidden" name="intent" value="circulate" />
          <input type="hidden" name="timeZone" value={data.session.timeZone} />
          <FormError result={circulate} />
          <Field name="deadline" type="datetime-local" label={t("review.deadline", { zone: data.session.timeZone })} defaultValue={data.defaultDeadline} result={circulate} required />
          <div>
            <SubmitButton className="btn-secondary" name="intent" value="circulate">
              {t("review.circulate")}
            </SubmitButton>
          </div>
          <FormSaved result={circulate} message={t("review.circulatedDone")} />
        </AppForm>
      ) : null}
      <h3 className="font-semibold">{t("review.comments")}</h3>
      <FormError result={resolve} />
      {data.comments.length === 0 ? (
        <p className="text-ink-soft">{t("review.noComments")}</p>
      ) : (
        <ul className="flex flex-col gap-3">
          {data.comments.map((c) => (
            <li key={c.id} className={`flex flex-col gap-1 rounded-md border p-3 ${c.kind === "objection" ? "border-danger" : "border-slate-300"}`}>
              <p className="flex flex-wrap items-center gap-2 text-sm">
                <span className={`badge ${c.kind === "objection" ? "bg-danger-light text-danger" : ""}`}>{t(`review.kind.${c.kind}`)}</span>
                {c.resolved ? <span className="badge bg-ok-light text-ok">{t("review.resolved")}</span> : null}
                {c.authorName ? <span className="text-ink-soft">{t("review.by", { name: c.authorName })}</span> : null}
              </p>
              <p className="whitespace-pre-wrap break-words" dir="auto">
                {c.text}
              </p>
              <AppForm method="post">
                <input type="hidden" name="intent" value="resolve" />
                <input type="hidden" name="commentId" value={c.id} />
                <input type="hidden" name="resolved" value={c.resolved ? "0" : "1"} />
                <SubmitButton className="btn-secondary btn-small" name="intent" value="resolve">
                  {c.resolved ? t("review.unresolve") : t("review.resolve")}
                </SubmitButton>
              </AppForm>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function Publish({ data }: { data: Data }) {
  const { t } = useTranslation("summaries");
  const approve = useFormResult("approve");
  const publish = useFormResult("publish");
  const summary = data.summary!;
  const correction = data.publications.length > 0;
  const published = publish?.ok ? (publish.data as { number: number } | undefined)?.number : undefined;
  return (
    <div className="flex flex-col gap-3">
      {!data.publishable ? <p className="notice">{t("publish.needsFinalised")}</p> : null}
      {data.openFindings ? <p className="alert">{t("publish.blockedByFindings")}</p> : null}
      <FormError result={approve} />
      <FormSaved result={approve} message={t("publish.approved")} />
      {summary.status !== "approved" ? (
        <AppForm method="post">
          <input type="hidden" name="intent" value="approve" />
          <input type="hidden" name="version" value={summary.version} />
          <p className="hint">{t("publish.needsApproval")}</p>
          <SubmitButton className="btn-secondary" name="intent" value="approve">
            {t("publish.approve")}
          </SubmitButton>
        </AppForm>
      ) : (
        <AppForm method="post" className="flex flex-col gap-3">
          <input type="hidden" name="intent" value="publish" />
          <FormError result={publish} />
          {correction ? <Field name="changeNote" label={t("publish.changeNote")} hint={t("publish.changeNoteHint")} multiline rows={2} maxLength={1000} result={publish} required /> : null}
          <div>
            <SubmitButton className="btn-primary" name="intent" value="publish">
              {correction ? t("publish.submitCorrection") : t("publish.submit")}
            </SubmitButton>
          </div>
        </AppForm>
      )}
      {published ? <p className="notice" role="status">{t("publish.done", { number: published })}</p> : null}
    </div>
  );
}

function Visibility({ data }: { data: Data }) {
  const { t } = useTranslation("summaries");
  const result = useFormResult("visibility");
  return (
    <AppForm method="post" className="flex flex-col gap-3">
      <input type="hidden" name="intent" value="visibility" />
      <FormError result={result} />
      <SelectField
        name="visibility"
        label={t("settings.visibility")}
        options={(["public", "programme", "participants"] as const).map((v) => ({ value: v, label: t(`settings.${v}`) }))}
        defaultValue={data.summary!.visibility}
        result={result}
      />
      <div>
        <SubmitButton className="btn-secondary" name="intent" value="visibility">
          {t("settings.save")}
        </SubmitButton>
      </div>
      <FormSaved result={result} message={t("settings.saved")} />
    </AppForm>
  );
}

export default function SummaryWorkspace() {
  const data = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("summaries");
  return (
    <Page title={`${t("workspace.title")}: ${data.session.title}`} back={{ to: `/sessions/${data.session.id}`, label: data.session.title }}>
      <p>{t("workspace.intro")}</p>
      {!data.draftable ? <p className="notice">{t("workspace.notEnded")}</p> : null}
      {data.draftable ? (
        <Section title={t("generate.heading")} id="summary-generate">
          <Generate data={data} />
        </Section>
      ) : null}
      {data.summary ? (
        <>
          <Section title={t("editor.heading")} id="summary-editor">
            <Editor summary={data.summary} />
          </Section>
          <Section title={t("guard.heading")} id="summary-guard">
            <Findings data={data} />
          </Section>
          <Section title={t("review.heading")} id="summary-review">
            <Review data={data} />
          </Section>
          {data.canPublish ? (
            <>
              <Section title={t("settings.heading")} id="summary-visibility">
                <Visibility data={data} />
              </Section>
              <Section title={t("publish.heading")} id="summary-publish">
                <Publish data={data} />
              </Section>
            </>
          ) : null}
        </>
      ) : null}
      <Section title={t("publications.heading")} id="summary-publications">
        {data.publications.length === 0 ? (
          <p className="text-ink-soft">{t("publications.none")}</p>
        ) : (
          <ul className="flex flex-col gap-2">
            {data.publications
              .slice()
              .reverse()
              .map((p) => (
                <li key={p.number} className="flex flex-wrap items-baseline gap-2">
                  <Link to={`/summaries/${data.session.id}/${p.number}`} className="link" lang={i18n.language}>
                    {t("publications.version", { number: p.number })}
                  </Link>
                  <span className="text-sm text-ink-soft">
                    <LocalTime epoch={p.publishedAt} timeZone={data.session.timeZone} />
                  </span>
                  {p.changeNote ? (
                    <span className="text-sm" dir="auto">
                      — {p.changeNote}
                    </span>
                  ) : null}
                </li>
              ))}
          </ul>
        )}
      </Section>
    </Page>
  );
}
