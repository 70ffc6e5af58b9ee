/**
 * The note composer in the live room. Without JavaScript it is a plain form posted to
 * /sessions/<id>/notes; with JavaScript the note goes to the device's outbox first and is sent over
 * the socket (the outbox keeps it until the server has acknowledged it).
 */
import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { AppForm } from "~/components/forms";
import { countChars, newClientId } from "~/models/notes";
import { useGuard } from "~/notes/use-guard";
import type { Outbox } from "~/notes/use-outbox";
import type { Room } from "~/realtime/room";
import { CharCounter, GuardFindings, KindPicker, ThemePicker, type ComposerData } from "./parts";

export function NoteComposer(props: { sessionId: string; composer: ComposerData; clientId: string; item: { id: string; title: string; attributionMode?: string } | null; room: Room; outbox: Outbox; hydrated: boolean }) {
  const { t } = useTranslation("notes");
  const { composer, item, outbox } = props;
  const id = useId();
  const [kind, setKind] = useState<string>(composer.kinds[0] ?? "point");
  const [themeIds, setThemeIds] = useState<string[]>([]);
  const [text, setText] = useState("");
  const [clientId, setClientId] = useState(props.clientId);
  const [error, setError] = useState<string | null>(null);
  const textRef = useRef<HTMLTextAreaElement>(null);
  const guard = useGuard(text, { remote: composer.rosterFindings, room: props.room, itemId: item?.id, enabled: props.hydrated && item?.attributionMode !== "on_the_record" });
  const over = countChars(text) > composer.maxChars;

  useEffect(() => setError(null), [text]);

  if (!composer.canWrite) return null;
  if (!composer.writable || !item) {
    return (
      <section className="card flex flex-col gap-2" aria-labelledby="composer-heading">
        <h2 id="composer-heading">{t("composer.heading")}</h2>
        <p className="hint">{!composer.writable ? t("composer.notWritable") : t("composer.noItem")}</p>
        {/* Notes still on the device are sent (or refused) after the composer has gone: say so here too. */}
        <SendStatus outbox={outbox} />
      </section>
    );
  }

  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    // Where the device cannot keep an outbox, the form posts as it would without JavaScript.
    if (outbox.available === false) return;
    e.preventDefault();
    if (!text.trim()) return setError(t("composer.empty"));
    if (over) return setError(t("composer.tooLong", { max: composer.maxChars }));
    const draft = { itemId: item.id, kind, themeIds, text };
    // The next note gets its own id now, not when this one is stored: a second note sent before the
    // first is stored must never share its id (the server would take it for a resend and drop it).
    const sentId = clientId;
    setClientId(newClientId());
    void outbox.add(draft, sentId).then((record) => {
      if (!record) return setError(t("composer.notStored"));
      // Clear only what was sent: a person who already started the next note keeps it.
      setText((current) => (current === draft.text ? "" : current));
      textRef.current?.focus();
    });
  };

  return (
    <section className="card flex flex-col gap-4" aria-labelledby="composer-heading">
      <h2 id="composer-heading">{t("composer.heading")}</h2>
      <p className="text-sm">
        {t("composer.forItem")} <span className="font-semibold" dir="auto">{item.title}</span>
      </p>
      {item.attributionMode === "on_the_record" ? <p className="rounded-md border border-warn bg-warn-light p-3 text-sm font-medium text-warn">{t("composer.onTheRecord")}</p> : null}
      <AppForm action={`/sessions/${props.sessionId}/notes`} onSubmit={onSubmit} className="flex flex-col gap-4" aria-labelledby="composer-heading">
        <input type="hidden" name="clientId" value={clientId} />
        <input type="hidden" name="itemId" value={item.id} />
        <KindPicker kinds={composer.kinds} value={kind} onChange={setKind} idPrefix={`${id}-c`} />
        <ThemePicker themes={composer.themes} value={themeIds} onChange={setThemeIds} idPrefix={`${id}-c`} />
        <div className="field">
          <label htmlFor={`${id}-text`} className="label">
            {t("composer.text")}
          </label>
          <p id={`${id}-hint`} className="hint">
            {t("composer.hint")}
          </p>
          <textarea
            ref={textRef}
            id={`${id}-text`}
            name="text"
            dir="auto"
            rows={4}
            required
            className="input"
            value={text}
            onChange={(e) => setText(e.target.value)}
            aria-invalid={over || error ? true : undefined}
            aria-describedby={`${id}-hint ${id}-count ${id}-guard${error ? ` ${id}-error` : ""}`}
          />
          <CharCounter text={text} max={composer.maxChars} id={`${id}-count`} />
          {error ? (
            <p id={`${id}-error`} className="error" role="alert">
              {error}
            </p>
          ) : null}
        </div>
        <GuardFindings id={`${id}-guard`} findings={guard.findings} onNeutral={() => setText(guard.neutral())} />
        <button type="submit" className="btn-primary self-start">
          {t("composer.send")}
        </button>
      </AppForm>
      <SendStatus outbox={outbox} />
    </section>
  );
}

/** The last thing that happened to a note, announced politely (a refusal assertively). */
export function SendStatus({ outbox }: { outbox: Outbox }) {
  const { t } = useTranslation("notes");
  const last = outbox.last;
  const message = last ? t(`sendState.${last.kind}`) : "";
  return (
    <p role="status" aria-live="polite" aria-atomic="true" className={`min-h-[1.5rem] text-sm ${last?.kind === "refused" || last?.kind === "failed" ? "font-semibold text-danger" : last?.kind === "held" || last?.kind === "busy" ? "font-semibold text-warn" : "text-ink-soft"}`}>
      {last ? <span key={last.seq}>{message}</span> : null}
    </p>
  );
}
