/**
 * Notes, the simple version (SPEC sections 3 and 8): a plain form that works without JavaScript, for
 * basic phone browsers, and renders the same with it. It shows the current agenda item, the form, the
 * person's own notes and the notes their audience may see. Every rule (who may write, on which item,
 * what the guard holds) is the domain's; this adapter only parses the form and renders.
 *
 * A double submit of one rendered form stores one note: the loader puts a fresh random client id in
 * each form it renders, and the domain stores a client id once.
 */
import { json, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { useId } from "react";
import { useTranslation } from "react-i18next";
import { useBilingualLabel } from "~/components/bilingual";
import { AppForm, Field, FormError, SelectField, SubmitButton, useErrorText, useFormResult } from "~/components/forms";
import { Page, Section } from "~/components/layout";
import { httpStatusOf, isDomainError } from "~/models/errors";
import type { Finding } from "~/models/guard";
import { isClientId, MAX_THEMES_PER_NOTE, newClientId, type NoteKind, type NoteView } from "~/models/notes";
import { failure, load, readForm, signInRedirect, type FormResult } from "~/utils/http";
import type { I18nHandle } from "~/locales/catalogues";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.session.title} · Notes · Parley` : "Parley" }];

/** The page holds the person's own notes: never kept in a cache on the device (seized phones). */
/** The catalogues this page needs before hydration (ADR 005); others load on demand. */
export const handle: I18nHandle = { i18n: ["offline", "live", "notes", "errors"] };

export const headers: HeadersFunction = () => ({ "Cache-Control": "private, no-store" });

/** Items a note may be written against (the domain's rule; the domain decides again on submit). */
const STARTED = ["running", "paused", "done"];
/** How many of the room's notes the simple page shows (basic phones, slow networks). */
const FEED_SHOWN = 50;

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { domain, actor } = context;
  const sessionId = params.sessionId ?? "";
  const data = await load(request, async () => {
    const snapshot = await domain.live.snapshot(actor, sessionId);
    const composer = domain.notes.composer(actor, sessionId);
    const { feed, mine } = domain.notes.feed(actor, sessionId, snapshot.audience);
    const items = snapshot.state.agenda.items;
    const current = items.find((i) => i.id === snapshot.state.agenda.currentItemId) ?? null;
    const started = items.filter((i) => STARTED.includes(i.state));
    return {
      session: snapshot.state.session,
      current: current ? { id: current.id, title: current.title, description: current.description, attributionMode: current.attributionMode, overridesSession: current.overridesSession } : null,
      // Newest first, so that the default is the item under way, else the last one that ended.
      startedItems: started
        .slice()
        .reverse()
        .map((i) => ({ id: i.id, title: i.title, current: i.id === current?.id })),
      itemTitles: Object.fromEntries(items.map((i) => [i.id, i.title])),
      composer,
      feed: feed.filter((n) => n.status !== "merged").slice(0, FEED_SHOWN),
      feedTotal: feed.length,
      mine,
      clientId: newClientId(),
    };
  });
  return json(data, { headers: { "Cache-Control": "private, no-store" } });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const { domain, actor } = context;
  const sessionId = params.sessionId ?? "";
  if (form.get("intent") !== "note") return failure(form, 400, "invalid_input");
  const field = (name: string) => {
    const v = form.get(name);
    return typeof v === "string" ? v : undefined;
  };
  try {
    const receipt = await domain.notes.submit(actor, sessionId, {
      clientId: field("clientId"),
      itemId: field("itemId"),
      kind: field("kind"),
      themeIds: form.getAll("themeIds").filter((v): v is string => typeof v === "string"),
      text: field("text"),
    });
    // Post/redirect/get: a reload does not post again, and the flash says what happened.
    return redirect(`/sessions/${sessionId}/notes?${receipt.outcome === "held" ? "held" : "sent"}=1#notes-top`);
  } catch (e) {
    if (!isDomainError(e)) throw e;
    if (e.code === "unauthenticated") return signInRedirect(request);
    // Problems with what was typed or chosen are the form's (400), whatever the domain's code.
    if (e.fields) return failure(form, 400, "invalid_input", e.fields);
    // The live page's message promises a resend from the outbox; here the text waits in the form.
    if (e.messageKey === "notes_rate_limited") return failure(form, httpStatusOf(e), "offline:notes.rateLimited");
    return failure(form, httpStatusOf(e), e.messageKey);
  }
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

function KindBadge({ kind }: { kind: NoteKind }) {
  const { t } = useTranslation("offline");
  return <span className="badge">{t(`notes.kindBadge.${kind}`)}</span>;
}

function Findings({ findings }: { findings: Finding[] }) {
  const { t } = useTranslation("offline");
  return (
    <ul className="list-disc ps-5 text-sm">
      {findings.map((f) => (
        <li key={`${f.start}-${f.end}`} dir="auto">
          {t("notes.finding", { text: f.text, suggestion: f.suggestion })}
        </li>
      ))}
    </ul>
  );
}

function NoteEntry({ note, itemTitle, own }: { note: NoteView; itemTitle: string | undefined; own: boolean }) {
  const { t } = useTranslation("offline");
  return (
    <li className="flex flex-col gap-1 py-3">
      <p className="flex flex-wrap items-center gap-2 text-sm">
        <KindBadge kind={note.kind} />
        {own || note.status !== "visible" ? <span className={note.status === "flagged" ? "badge bg-warn-light text-warn" : "badge"}>{t(`notes.status.${note.status}`)}</span> : null}
        {note.highlighted ? <span className="badge bg-ok-light text-ok">{t("notes.highlighted")}</span> : null}
        {itemTitle ? (
          <span className="text-ink-soft" dir="auto">
            {t("notes.onItem", { title: itemTitle })}
          </span>
        ) : null}
        {note.edited ? <span className="text-ink-soft">({t("notes.edited")})</span> : null}
      </p>
      <p className="whitespace-pre-wrap break-words" dir="auto">
        {note.text}
      </p>
      {note.author ? (
        <p className="text-sm text-ink-soft" dir="auto">
          {t("notes.author", { name: note.author })}
        </p>
      ) : null}
      {note.findings?.length ? <Findings findings={note.findings} /> : null}
    </li>
  );
}

function ThemeChoices({ themes, result }: { themes: Data["composer"]["themes"]; result?: FormResult }) {
  const { t } = useTranslation("offline");
  const errorText = useErrorText();
  const id = useId();
  const errors = result && !result.ok ? result.fields.themeIds : undefined;
  const typed = result && !result.ok ? result.values.themeIds : undefined;
  const chosen = new Set(Array.isArray(typed) ? typed : typed ? [typed] : []);
  const label = useBilingualLabel();
  return (
    <fieldset className="flex flex-col gap-2" aria-describedby={`${id}-hint${errors ? ` ${id}-error` : ""}`}>
      <legend className="label">{t("notes.form.themes")}</legend>
      <p id={`${id}-hint`} className="hint">
        {t("notes.form.themesHint", { max: MAX_THEMES_PER_NOTE })}
      </p>
      <div className="flex flex-col gap-2 sm:flex-row sm:flex-wrap sm:gap-x-5">
        {themes.map((theme) => (
          <label key={theme.id} className="flex items-center gap-2">
            <input type="checkbox" name="themeIds" value={theme.id} defaultChecked={chosen.has(theme.id)} className="h-5 w-5" />
            <span dir="auto">{label(theme)}</span>
          </label>
        ))}
      </div>
      {errors ? (
        <p id={`${id}-error`} className="error">
          {errors.map((e) => errorText(e)).join(" ")}
        </p>
      ) : null}
    </fieldset>
  );
}

function NoteForm({ data, result }: { data: Data; result?: FormResult }) {
  const { t } = useTranslation("offline");
  const errorText = useErrorText();
  const typed = (name: string) => {
    if (!result || result.ok) return undefined;
    const v = result.values[name];
    return Array.isArray(v) ? v[0] : v;
  };
  // After a refusal, the same client id again: nothing was stored, and a resend stays one note.
  const typedClientId = typed("clientId");
  const clientId = isClientId(typedClientId) ? typedClientId : data.clientId;
  const itemErrors = result && !result.ok ? result.fields.itemId : undefined;
  const defaultItem = typed("itemId") ?? data.startedItems[0]?.id;
  return (
    <AppForm key={data.clientId} className="flex flex-col gap-4" noValidate aria-labelledby="note-form-heading">
      <input type="hidden" name="intent" value="note" />
      <input type="hidden" name="clientId" value={clientId} />
      <FormError result={result} />
      {data.startedItems.length > 1 ? (
        <SelectField
          name="itemId"
          label={t("notes.form.item")}
          options={data.startedItems.map((i) => ({ value: i.id, label: i.current ? t("notes.form.itemCurrent", { title: i.title }) : i.title }))}
          defaultValue={defaultItem}
          result={result}
        />
      ) : (
        <>
          <input type="hidden" name="itemId" value={defaultItem ?? ""} />
          {itemErrors ? (
            <p role="alert" className="alert">
              {itemErrors.map((e) => errorText(e)).join(" ")}
            </p>
          ) : null}
        </>
      )}
      <SelectField
        name="kind"
        label={t("notes.form.kind")}
        options={data.composer.kinds.map((k) => ({ value: k, label: t(`notes.form.kinds.${k}`) }))}
        defaultValue="point"
        result={result}
      />
      {data.composer.themes.length ? <ThemeChoices themes={data.composer.themes} result={result} /> : null}
      <Field name="text" label={t("notes.form.text")} hint={t("notes.form.textHint", { max: data.composer.maxChars })} multiline rows={5} maxLength={data.composer.maxChars} required result={result} />
      <SubmitButton className="btn-primary self-start">{t("notes.form.send")}</SubmitButton>
    </AppForm>
  );
}

export default function NotesPage() {
  const { t } = useTranslation("offline");
  const data = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const result = useFormResult("note");
  const { session, composer, current } = data;
  const canWriteNow = composer.canWrite && composer.writable && data.startedItems.length > 0;
  const heldNote = params.get("held") ? data.mine.find((n) => n.status === "flagged" && n.findings?.length) : undefined;
  const flash = result ? null : params.get("held") ? "held" : params.get("sent") ? "sent" : null;
  return (
    <Page title={session.title} back={{ to: `/sessions/${session.id}`, label: t("notes.backToSession") }}>
      <div id="notes-top" className="flex flex-col gap-1">
        <p className="text-sm font-semibold uppercase tracking-wide text-brand">{t("notes.title")}</p>
        <p className="hint">{t("notes.simpleVersion")}</p>
      </div>

      {flash === "sent" ? (
        <p role="status" className="notice">
          {t("notes.sent")}
        </p>
      ) : null}
      {flash === "held" ? (
        <div role="status" className="flex flex-col gap-2 rounded-md border border-warn bg-warn-light p-3 text-sm">
          <p>{t("notes.held")}</p>
          {heldNote?.findings?.length ? (
            <>
              <p className="font-medium">{t("notes.heldFindings")}</p>
              <Findings findings={heldNote.findings} />
            </>
          ) : null}
        </div>
      ) : null}

      <section className="card flex flex-col gap-3 border-2 border-brand" aria-labelledby="now-heading">
        <h2 id="now-heading" className="text-sm font-semibold uppercase tracking-wide text-ink-soft">
          {t("live:current.heading")}
        </h2>
        {current ? (
          <>
            <p className="text-xl font-semibold" dir="auto">
              {current.title}
            </p>
            {current.description ? (
              <p className="whitespace-pre-line text-ink-soft" dir="auto">
                {current.description}
              </p>
            ) : null}
            <p className="text-sm">
              <span className="font-medium">{t("live:attribution.label")}</span> <span className="badge">{t(`live:attribution.${current.attributionMode}`)}</span>{" "}
              <span className="text-ink-soft">{t(`live:attribution.explain.${current.attributionMode}`)}</span>
            </p>
            {current.attributionMode === "on_the_record" ? <p className="rounded-md border border-warn bg-warn-light p-3 font-medium text-warn">{t("live:attribution.onTheRecordWarning")}</p> : null}
          </>
        ) : (
          <p>{t("live:current.none")}</p>
        )}
      </section>

      {canWriteNow ? (
        <Section title={t("notes.form.heading")} id="note-form-heading">
          <NoteForm data={data} result={result} />
        </Section>
      ) : (
        <div className="flex flex-col gap-3">
          {/* A refusal whose form is no longer offered (the session was finalised meanwhile, an observer's post). */}
          <FormError result={result} />
          <p className="notice">
            {!composer.canWrite ? t("notes.observer") : composer.status === "draft" || composer.status === "scheduled" ? t("notes.notLive") : !composer.writable ? t("notes.closed") : t("notes.noItem")}
          </p>
          {result && !result.ok && typeof result.values.text === "string" && result.values.text ? (
            // Nothing typed is lost: the refused text stays on screen to copy.
            <p className="whitespace-pre-wrap break-words rounded-md border border-slate-300 bg-white p-3" dir="auto">
              {result.values.text}
            </p>
          ) : null}
        </div>
      )}

      {composer.canWrite ? (
        <Section title={t("notes.mineHeading")} id="mine-heading">
          <p className="hint">{t("notes.mineHint")}</p>
          {data.mine.length ? (
            <ul className="flex flex-col divide-y divide-slate-200">
              {data.mine.map((n) => (
                <NoteEntry key={n.id} note={n} itemTitle={data.itemTitles[n.itemId]} own />
              ))}
            </ul>
          ) : (
            <p className="hint">{t("notes.mineNone")}</p>
          )}
        </Section>
      ) : null}

      <Section title={t("notes.feedHeading")} id="feed-heading">
        {composer.noteVisibility !== "participants" && !composer.canCurate ? <p className="hint">{t("notes.feedHidden")}</p> : null}
        {data.feedTotal > data.feed.length ? <p className="hint">{t("notes.feedLimited", { count: data.feed.length })}</p> : null}
        {data.feed.length ? (
          <ul className="flex flex-col divide-y divide-slate-200">
            {data.feed.map((n) => (
              <NoteEntry key={n.id} note={n} itemTitle={data.itemTitles[n.itemId]} own={false} />
            ))}
          </ul>
        ) : (
          <p className="hint">{t("notes.feedNone")}</p>
        )}
      </Section>

      <p>
        <Link to={`/sessions/${session.id}/live`} reloadDocument>
          {t("notes.liveRoom")}
        </Link>
      </p>
    </Page>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/errors";
