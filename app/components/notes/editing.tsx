/**
 * Editing a note (its author, or a curator) and merging duplicates: shown only after a click in the
 * notes feed, so loaded then (with the guard the editor runs), not with the live page.
 */
import { useEffect, useId, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { countChars, type CurateAction, type NoteView } from "~/models/notes";
import { useGuard } from "~/notes/use-guard";
import type { NoteEditInput, Room } from "~/realtime/room";
import type { NoteCommands } from "./feed";
import { CharCounter, GuardFindings, KindPicker, ThemePicker, type ComposerData } from "./parts";

export function NoteEditor(props: { note: NoteView; initialText: string; composer: ComposerData; room: Room; curator: boolean; busy: boolean; onCancel: () => void; onSave: (edit: NoteEditInput) => Promise<void> }) {
  const { t } = useTranslation("notes");
  const id = useId();
  const { note, composer } = props;
  const [text, setText] = useState(props.initialText);
  const [kind, setKind] = useState<string>(note.kind);
  const [themeIds, setThemeIds] = useState<string[]>(note.themeIds);
  const guard = useGuard(text, { remote: composer.rosterFindings, room: props.room, itemId: note.itemId });
  const ref = useRef<HTMLTextAreaElement>(null);
  useEffect(() => ref.current?.focus(), []);
  const over = countChars(text) > composer.maxChars;
  return (
    <form
      className="flex flex-col gap-3"
      onSubmit={(e) => {
        e.preventDefault();
        if (props.busy || over || !text.trim()) return;
        void props.onSave({ text, kind: kind as NoteEditInput["kind"], themeIds });
      }}
    >
      <KindPicker kinds={composer.kinds} value={kind} onChange={setKind} idPrefix={`${id}-e`} name={`${id}-kind`} />
      <ThemePicker themes={composer.themes} value={themeIds} onChange={setThemeIds} idPrefix={`${id}-e`} name={`${id}-themes`} />
      <div className="field">
        <label htmlFor={`${id}-text`} className="label">
          {props.curator ? t("curation.editLabel") : t("own.editLabel")}
        </label>
        <textarea ref={ref} id={`${id}-text`} dir="auto" rows={4} className="input" value={text} onChange={(e) => setText(e.target.value)} aria-invalid={over || undefined} aria-describedby={`${id}-count ${id}-guard`} />
        <CharCounter text={text} max={composer.maxChars} id={`${id}-count`} />
      </div>
      <GuardFindings id={`${id}-guard`} findings={guard.findings} onNeutral={() => setText(guard.neutral())} held={props.curator ? "curator" : "author"} />
      <div className="flex flex-wrap gap-2">
        <button type="submit" className="btn-primary btn-small" aria-disabled={props.busy || over || undefined}>
          {t("actions.save")}
        </button>
        <button type="button" className="btn-secondary btn-small" onClick={props.onCancel}>
          {t("actions.cancel")}
        </button>
      </div>
    </form>
  );
}

/** Merging duplicates: the notes selected (one item only), the one to keep, an optional new text. */
export function MergePanel(props: { notes: NoteView[]; room: Room; commands: NoteCommands; onDone: () => void; onClear: () => void }) {
  const { t } = useTranslation("notes");
  const id = useId();
  const { notes } = props;
  const [keep, setKeep] = useState(notes[0].id);
  const [text, setText] = useState("");
  const keepId = notes.some((n) => n.id === keep) ? keep : notes[0].id;
  const sameItem = notes.every((n) => n.itemId === notes[0].itemId);
  const enough = notes.length >= 2;
  return (
    <div className="flex flex-col gap-3 rounded-md border-2 border-brand bg-brand-light p-3" role="region" aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`} className="text-base">
        {t("merge.heading", { count: notes.length })}
      </h3>
      {!enough ? <p className="text-sm">{t("merge.needTwo")}</p> : null}
      {!sameItem ? <p className="text-sm font-semibold text-danger">{t("errors:merge_other_item")}</p> : null}
      {enough && sameItem ? (
        <>
          <fieldset className="flex flex-col gap-2">
            <legend className="label mb-1">{t("merge.keep")}</legend>
            {notes.map((n) => (
              <label key={n.id} className="flex items-start gap-2 text-sm">
                <input type="radio" name={`${id}-keep`} className="mt-1 h-4 w-4 shrink-0" checked={keepId === n.id} onChange={() => setKeep(n.id)} />
                <span dir="auto" className="line-clamp-3">
                  {n.text}
                </span>
              </label>
            ))}
          </fieldset>
          <div className="field">
            <label htmlFor={`${id}-text`} className="label">
              {t("merge.text")}
            </label>
            <p id={`${id}-hint`} className="hint">
              {t("merge.textHint")}
            </p>
            <textarea id={`${id}-text`} dir="auto" rows={3} className="input bg-white" value={text} onChange={(e) => setText(e.target.value)} aria-describedby={`${id}-hint`} />
          </div>
        </>
      ) : null}
      <div className="flex flex-wrap gap-2">
        {enough && sameItem ? (
          <button
            type="button"
            className="btn-primary btn-small"
            aria-disabled={props.commands.busy || undefined}
            onClick={() => {
              if (props.commands.busy) return;
              const others = notes.map((n) => n.id).filter((x) => x !== keepId);
              void props.commands.run(() => props.room.mergeNotes(keepId, others, text.trim() ? text : undefined), t("merge.done")).then((res) => res?.ok && props.onDone());
            }}
          >
            {t("merge.submit", { count: notes.length })}
          </button>
        ) : null}
        <button type="button" className="btn-secondary btn-small" onClick={props.onClear}>
          {t("merge.clear")}
        </button>
      </div>
    </div>
  );
}

/** A curator's buttons on one note in the feed: edit, dismiss a flag, hide or show, key point, select for merging. */
export function CurationActions(props: {
  note: Pick<NoteView, "status" | "highlighted">;
  ownEditable: boolean;
  busy: boolean;
  selected: boolean;
  describedBy: string;
  onEdit: () => void;
  onCurate: (action: CurateAction, done: string) => void;
  onSelect: () => void;
}) {
  const { t } = useTranslation("notes");
  return (
    <>
      {!props.ownEditable ? (
        <button type="button" className="btn-secondary btn-small" onClick={props.onEdit}>
          {t("curation.edit")}
        </button>
      ) : null}
      {props.note.status === "flagged" ? (
        <button type="button" className="btn-secondary btn-small" aria-disabled={props.busy || undefined} onClick={() => !props.busy && props.onCurate("dismissFlag", t("curation.dismissed"))}>
          {t("curation.dismissFlag")}
        </button>
      ) : null}
      {props.note.status === "hidden" ? (
        <button type="button" className="btn-secondary btn-small" aria-disabled={props.busy || undefined} onClick={() => !props.busy && props.onCurate("show", t("curation.shown"))}>
          {t("curation.show")}
        </button>
      ) : (
        <button type="button" className="btn-secondary btn-small" aria-disabled={props.busy || undefined} onClick={() => !props.busy && props.onCurate("hide", t("curation.hidden"))}>
          {t("curation.hide")}
        </button>
      )}
      <button
        type="button"
        className="btn-secondary btn-small"
        aria-pressed={props.note.highlighted}
        aria-disabled={props.busy || undefined}
        onClick={() => !props.busy && props.onCurate(props.note.highlighted ? "unhighlight" : "highlight", props.note.highlighted ? t("curation.unhighlighted") : t("curation.highlighted"))}
      >
        {t("curation.keyPoint")}
      </button>
      <label className="flex min-h-[36px] items-center gap-2 text-sm">
        <input type="checkbox" className="h-4 w-4" checked={props.selected} onChange={props.onSelect} aria-describedby={props.describedBy} />
        {t("curation.selectForMerge")}
      </label>
    </>
  );
}
