/**
 * The notes feed in the live room: notes on the current item first, then earlier items; one's own
 * notes marked (with edit and withdraw); notes still on this device (waiting, or refused with a way
 * to copy or discard them); and, for rapporteurs and moderators, the notes held by the attribution
 * guard and the curation actions (edit, not identifying, hide/show, key point, merge).
 */
import { lazy, Suspense, useCallback, useEffect, useId, useRef, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { CommandFeedback, useCommandRunner } from "~/components/commands";
import type { AgendaItemView } from "~/models/live.server";
import { rewrite } from "~/models/guard-rewrite";
import { NOTES_CURATABLE, NOTES_WRITABLE, type CurateAction, type NoteView } from "~/models/notes";
import { arrangeFeed, type FeedNote } from "~/notes/feed";
import type { OutboxRecord } from "~/notes/outbox-schema";
import type { Outbox } from "~/notes/use-outbox";
import type { Ack } from "~/realtime/events";
import type { Room } from "~/realtime/room";
import { Badge, MarkedText, OwnState, useMinuteFormat, type ComposerData } from "./parts";
import { useBilingualLabel } from "~/components/bilingual";

// Editing and merging appear only on a click: their code (and the guard's, which the editor runs)
// comes then, not with the page.
const NoteEditor = lazy(() => import("./editing").then((m) => ({ default: m.NoteEditor })));
const MergePanel = lazy(() => import("./editing").then((m) => ({ default: m.MergePanel })));
// Curators' buttons appear only after hydration (curating needs the socket): their code comes then.
const CurationActions = lazy(() => import("./editing").then((m) => ({ default: m.CurationActions })));

/** Notes shown per agenda item before "show more" (a phone with a thousand notes stays quick). */
const GROUP_LIMIT = 30;

/** One command at a time; failures said out loud in the notes panel. */
function useNoteCommands() {
  const { t } = useTranslation(["notes", "errors"]);
  const errorText = useCallback((code: string) => t(`errors.${code}`, { defaultValue: t(`errors:${code}`, { defaultValue: t("errors:generic") }) }), [t]);
  const { busy, run, feedback, dismiss } = useCommandRunner(errorText);
  const runNote = useCallback(<T,>(command: () => Promise<Ack<T>>, done?: string) => run("note", command, { done }), [run]);
  return { busy: busy !== null, run: runNote, feedback, dismiss };
}
export type NoteCommands = ReturnType<typeof useNoteCommands>;

export type FeedProps = {
  composer: ComposerData;
  room: Room;
  notes: { feed: NoteView[]; mine: NoteView[] };
  items: AgendaItemView[];
  currentItemId: string | null;
  outbox: Outbox;
  timeZone: string;
  hydrated: boolean;
  /** Staff who draft recommendations: prefill one from a proposal note. */
  onDraftRecommendation?: (note: NoteView) => void;
};

export function NotesFeed(props: FeedProps) {
  const { t } = useTranslation("notes");
  const { composer, notes, items } = props;
  const commands = useNoteCommands();
  const [selected, setSelected] = useState<string[]>([]);
  const [expanded, setExpanded] = useState<Record<string, boolean>>({});
  const status = composer.status;
  const curate = composer.canCurate && props.hydrated && NOTES_CURATABLE.includes(status);
  const staffOnly = composer.noteVisibility === "staff" && !composer.canCurate;
  const titles = new Map(items.map((i) => [i.id, i.title]));
  const groups = arrangeFeed(staffOnly ? [] : notes.feed, notes.mine, items.map((i) => i.id), props.currentItemId);
  const held = composer.canCurate ? notes.feed.filter((n) => n.status === "flagged") : [];
  const byId = new Map([...notes.feed, ...notes.mine].map((n) => [n.id, n]));
  const selectedNotes = selected.map((id) => byId.get(id)).filter((n): n is NoteView => !!n && n.status !== "merged");
  const toggle = (noteId: string) => setSelected((s) => (s.includes(noteId) ? s.filter((x) => x !== noteId) : [...s, noteId]));
  const total = groups.reduce((n, g) => n + g.notes.length, 0);

  return (
    <section className="card flex flex-col gap-4" aria-labelledby="notes-heading">
      <h2 id="notes-heading" tabIndex={-1}>
        {t("feed.heading")}
      </h2>
      {staffOnly ? <p className="notice">{t("feed.staffOnly")}</p> : null}
      {props.outbox.othersWaiting > 0 ? <p className="hint">{t("outbox.othersWaiting", { count: props.outbox.othersWaiting })}</p> : null}
      <OutboxList records={props.outbox.records} titles={titles} outbox={props.outbox} />

      {curate && held.length ? (
        <div className="flex flex-col gap-3 rounded-md border-2 border-warn p-3" role="region" aria-labelledby="held-heading">
          <h3 id="held-heading">{t("curation.heldHeading", { count: held.length })}</h3>
          <p className="hint">{t("curation.heldHint")}</p>
          <ul className="flex flex-col gap-3">
            {held.map((note) => (
              <li key={note.id}>
                <NoteCard note={{ ...note, mine: notes.mine.some((m) => m.id === note.id) }} {...props} commands={commands} curate={curate} itemTitle={titles.get(note.itemId)} selected={selected.includes(note.id)} onSelect={toggle} />
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      {curate && selectedNotes.length ? (
        <Suspense fallback={<p className="hint">{t("feed.loading")}</p>}>
          <MergePanel notes={selectedNotes} room={props.room} commands={commands} onDone={() => setSelected([])} onClear={() => setSelected([])} />
        </Suspense>
      ) : null}

      {total === 0 ? <p className="hint">{t("feed.empty")}</p> : null}
      {groups.map((group) => {
        const shown = group.notes.filter((n) => !(curate && n.status === "flagged"));
        const limit = expanded[group.itemId] ? shown.length : GROUP_LIMIT;
        // An item whose only notes are held shows them in the held list above, not as an empty group.
        if (!shown.length) return null;
        return (
          <div key={group.itemId} className="flex flex-col gap-2" role="region" aria-labelledby={`notes-item-${group.itemId}`}>
            <h3 id={`notes-item-${group.itemId}`} className="text-base">
              {group.current ? <span className="badge mr-2 bg-brand-light text-brand-dark">{t("feed.currentItem")}</span> : null}
              <span dir="auto">{titles.get(group.itemId) ?? t("feed.unknownItem")}</span>
            </h3>
            <ul className="flex flex-col gap-2">
              {shown.slice(0, limit).map((note) => (
                <li key={note.id}>
                  <NoteCard note={note} {...props} commands={commands} curate={curate} selected={selected.includes(note.id)} onSelect={toggle} />
                </li>
              ))}
            </ul>
            {shown.length > limit ? (
              <button type="button" className="btn-secondary btn-small self-start" onClick={() => setExpanded((e) => ({ ...e, [group.itemId]: true }))}>
                {t("feed.showMore", { count: shown.length - limit })}
              </button>
            ) : null}
          </div>
        );
      })}
      <CommandFeedback feedback={commands.feedback} onDismiss={commands.dismiss} dismissLabel={t("actions.dismiss")} />
    </section>
  );
}

/** Notes still on this device: waiting to be sent, or refused (kept, never dropped silently). */
export function OutboxList({ records, titles, outbox }: { records: OutboxRecord[]; titles: Map<string, string>; outbox: Outbox }) {
  const { t } = useTranslation("notes");
  if (!records.length) return null;
  return (
    <div className="flex flex-col gap-2" role="region" aria-labelledby="outbox-heading">
      <h3 id="outbox-heading" className="text-base">
        {t("outbox.heading", { count: records.length })}
      </h3>
      <ul className="flex flex-col gap-2">
        {records.map((r) => (
          <li key={r.clientId}>
            <OutboxCard record={r} itemTitle={titles.get(r.itemId)} outbox={outbox} />
          </li>
        ))}
      </ul>
    </div>
  );
}

function OutboxCard({ record, itemTitle, outbox }: { record: OutboxRecord; itemTitle?: string; outbox: Outbox }) {
  const { t } = useTranslation(["notes", "errors"]);
  const [copied, setCopied] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const textId = useId();
  const refused = record.state === "refused";
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(record.text);
      setCopied(true);
    } catch {
      // No clipboard (plain http): select the text so that it can be copied by hand.
      const el = document.getElementById(textId);
      const range = document.createRange();
      if (el) {
        range.selectNodeContents(el);
        window.getSelection()?.removeAllRanges();
        window.getSelection()?.addRange(range);
      }
      setCopied(false);
    }
  };
  return (
    <article className={`flex flex-col gap-2 rounded-md border p-3 ${refused ? "border-danger bg-danger-light" : "border-slate-300 bg-slate-50"}`}>
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <Badge className={refused ? "bg-white text-danger" : "bg-warn-light text-warn"}>{refused ? t("state.refused") : t("state.pending")}</Badge>
        <Badge>{t(`kinds.${record.kind}`, { defaultValue: record.kind })}</Badge>
        {itemTitle ? <span dir="auto" className="text-ink-soft">{itemTitle}</span> : null}
      </div>
      <p id={textId} className="whitespace-pre-line break-words" dir="auto">
        {record.text}
      </p>
      {refused ? (
        <>
          <p className="text-sm font-semibold text-danger">{t(`errors.${record.error}`, { defaultValue: t(`errors:${record.error}`, { defaultValue: t("errors:generic") }) })}</p>
          <div className="flex flex-wrap gap-2">
            <button type="button" className="btn-secondary btn-small" onClick={() => void copy()}>
              {t("outbox.copy")}
            </button>
            {confirming ? (
              <>
                <button type="button" className="btn-danger btn-small" onClick={() => void outbox.discard(record.clientId)}>
                  {t("outbox.discardConfirm")}
                </button>
                <button type="button" className="btn-secondary btn-small" onClick={() => setConfirming(false)}>
                  {t("actions.cancel")}
                </button>
              </>
            ) : (
              <button type="button" className="btn-danger btn-small" onClick={() => setConfirming(true)}>
                {t("outbox.discard")}
              </button>
            )}
          </div>
          <p aria-live="polite" className="text-sm">
            {copied ? t("outbox.copied") : ""}
          </p>
        </>
      ) : (
        <p className="text-sm text-ink-soft">{t("outbox.waitingHint")}</p>
      )}
    </article>
  );
}

type CardProps = FeedProps & { note: FeedNote; commands: NoteCommands; curate: boolean; itemTitle?: string; selected: boolean; onSelect: (id: string) => void };

function NoteCard(props: CardProps) {
  const { t } = useTranslation("notes");
  const { note, composer, room, commands } = props;
  const minute = useMinuteFormat(props.timeZone);
  const themeLabel = useBilingualLabel();
  const [mode, setMode] = useState<"view" | "edit" | "curatorEdit" | "withdraw">("view");
  const [startText, setStartText] = useState<string | null>(null);
  const withdrawRef = useRef<HTMLButtonElement>(null);
  const headingId = useId();
  useEffect(() => {
    if (mode === "withdraw") withdrawRef.current?.focus();
  }, [mode]);
  const busy = commands.busy;
  const staffView = composer.canCurate;
  const dim = staffView && (note.status === "hidden" || note.status === "merged");
  const ownEditable = note.mine && props.hydrated && NOTES_WRITABLE.includes(composer.status) && note.status !== "merged";
  const curateAction = (action: CurateAction, done: string) => void commands.run(() => room.curateNote(note.id, action), done);
  const themes = note.themeIds.map((id) => composer.themes.find((th) => th.id === id)).filter((x) => !!x);

  let body: ReactNode;
  if (mode === "edit" || mode === "curatorEdit") {
    const curator = mode === "curatorEdit";
    body = (
      <Suspense fallback={<p className="hint">{t("feed.loading")}</p>}>
      <NoteEditor
        note={note}
        initialText={startText ?? note.text}
        composer={composer}
        room={room}
        curator={curator}
        busy={busy}
        onCancel={() => {
          setStartText(null);
          setMode("view");
        }}
        onSave={async (edit) => {
          const res = curator ? await commands.run(() => room.curatorEditNote(note.id, edit), t("actions.saved")) : await commands.run(() => room.editNote(note.id, edit), t("actions.saved"));
          if (res?.ok) {
            setStartText(null);
            setMode("view");
          }
        }}
      />
      </Suspense>
    );
  } else {
    // Staff see every finding on a held note; its author sees what they may know (never the roster's).
    const findings = (staffView || note.mine) && note.status === "flagged" ? (note.findings ?? []) : [];
    body = (
      <>
        <MarkedText text={note.text} findings={findings} />
        {findings.length ? (
          <div className="flex flex-col gap-2 rounded-md bg-warn-light p-2 text-sm">
            <ul className="flex flex-col gap-1">
              {findings.map((f) => (
                <li key={`${f.start}:${f.end}`}>
                  {t("guard.finding", { text: f.text, suggestion: f.suggestion })} <span className="text-ink-soft">({t(`guard.kinds.${f.kind}`)})</span>
                </li>
              ))}
            </ul>
            {props.curate ? (
              <button
                type="button"
                className="btn-secondary btn-small self-start"
                onClick={() => {
                  setStartText(rewrite(note.text, findings));
                  setMode("curatorEdit");
                }}
              >
                {t("curation.useNeutral")}
              </button>
            ) : null}
          </div>
        ) : null}
      </>
    );
  }

  return (
    <article aria-labelledby={headingId} className={`flex flex-col gap-2 rounded-md border p-3 ${dim ? "border-dashed border-slate-400 bg-slate-100 text-ink-soft" : note.highlighted ? "border-2 border-brand bg-white" : "border-slate-200 bg-white"}`}>
      <div id={headingId} className="flex flex-wrap items-center gap-2 text-sm">
        <Badge className="bg-brand-light text-brand-dark">{t(`kinds.${note.kind}`)}</Badge>
        {note.highlighted ? <Badge className="bg-ok-light text-ok">{t("feed.keyPoint")}</Badge> : null}
        {themes.map((th) => (
          <Badge key={th.id}>
            <span dir="auto">{themeLabel(th)}</span>
          </Badge>
        ))}
        <time dateTime={new Date(note.minute).toISOString()} className="text-ink-soft">
          {minute(note.minute)}
        </time>
        {note.mine ? <Badge className="bg-slate-700 text-white">{t("feed.yours")}</Badge> : null}
        {note.mine ? <OwnState note={note} /> : staffView && note.status !== "visible" ? <Badge>{t(`staffState.${note.status}`)}</Badge> : null}
        {note.edited ? <span className="text-ink-soft">{t("feed.edited")}</span> : null}
        {props.itemTitle ? <span className="text-ink-soft" dir="auto">· {props.itemTitle}</span> : null}
      </div>
      {note.author ? (
        <p className="text-sm font-semibold">
          {t("feed.onTheRecord")} <span dir="auto">{note.author}</span>
        </p>
      ) : null}
      <div id={`${headingId}-body`}>{body}</div>
      {note.mine && note.status === "flagged" ? <p className="text-sm text-warn">{t("feed.heldExplain")}</p> : null}
      {mode === "withdraw" ? (
        <div className="flex flex-col gap-2 rounded-md border border-danger p-3">
          <p>{t("own.withdrawQuestion")}</p>
          <div className="flex flex-wrap gap-2">
            <button
              ref={withdrawRef}
              type="button"
              className="btn-danger btn-small"
              aria-disabled={busy || undefined}
              onClick={() => {
                if (!busy) void commands.run(() => room.withdrawNote(note.id), t("own.withdrawn")).then((res) => (res?.ok ? document.getElementById("notes-heading")?.focus() : setMode("view")));
              }}
            >
              {t("own.withdrawConfirm")}
            </button>
            <button type="button" className="btn-secondary btn-small" onClick={() => setMode("view")}>
              {t("actions.cancel")}
            </button>
          </div>
        </div>
      ) : null}
      {mode === "view" && props.onDraftRecommendation && note.kind === "proposal" && note.status !== "merged" ? (
        <button type="button" className="btn-secondary btn-small self-start" onClick={() => props.onDraftRecommendation?.(note)}>
          {t("recommendations:draft.fromNote")}
        </button>
      ) : null}
      {mode === "view" && (ownEditable || props.curate) ? (
        <div className="flex flex-wrap gap-2" role="group" aria-label={t("actions.group")}>
          {ownEditable ? (
            <>
              <button type="button" className="btn-secondary btn-small" onClick={() => setMode("edit")}>
                {t("own.edit")}
              </button>
              <button type="button" className="btn-danger btn-small" onClick={() => setMode("withdraw")}>
                {t("own.withdraw")}
              </button>
            </>
          ) : null}
          {props.curate && note.status !== "merged" ? (
            <Suspense fallback={null}>
              <CurationActions note={note} ownEditable={ownEditable} busy={busy} selected={props.selected} describedBy={`${headingId}-body`} onEdit={() => setMode("curatorEdit")} onCurate={curateAction} onSelect={() => props.onSelect(note.id)} />
            </Suspense>
          ) : null}
        </div>
      ) : null}
    </article>
  );
}
