/**
 * Rapporteur mode: a keyboard-first screen for one person typing what the room says. Enter sends
 * (Shift+Enter: new line), Alt+1..4 choose the kind, Alt+T goes to the themes and Alt+Shift+1..9
 * toggle them, Alt+N / Alt+P move the note to the next / previous started agenda item (by default it
 * follows the current one), Alt+W applies the neutral wording, Escape clears. Every shortcut has a
 * button too. Notes go through the same outbox and attribution guard as the live room.
 */
import { json, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";
import { ConnectionStatus } from "~/components/connection-status";
import { Page } from "~/components/layout";
import { SendStatus } from "~/components/notes/composer";
import { OutboxList } from "~/components/notes/feed";
import { CharCounter, GuardFindings, KindPicker, OwnState, ThemePicker, useMinuteFormat } from "~/components/notes/parts";
// Stateless locale detection (no database, no domain state): safe to import as a value, as root.tsx does.
// eslint-disable-next-line @typescript-eslint/no-restricted-imports
import { remixI18n } from "~/i18next.server";
import { countChars, newClientId, NOTES_WRITABLE } from "~/models/notes";
import { captureAction, type CaptureAction } from "~/notes/capture-keys";
import { startedItems, stepItem } from "~/notes/feed";
import { useGuard } from "~/notes/use-guard";
import { useOutbox } from "~/notes/use-outbox";
import { useCapturePointer } from "~/offline/use-offline-device";
import { useRoom } from "~/realtime/room";
import { load } from "~/utils/http";
import type { I18nHandle } from "~/locales/catalogues";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.metaTitle} · Parley` : "Parley" }];

/** The catalogues this page needs before hydration (ADR 005); others load on demand. */
export const handle: I18nHandle = { i18n: ["notes", "capture", "live", "errors"] };

export const headers: HeadersFunction = () => ({ "Cache-Control": "private, no-store" });

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { domain, actor } = context;
  const sessionId = params.sessionId ?? "";
  const t = await remixI18n.getFixedT(request, ["notes", "capture"]);
  return json(
    await load(request, async () => {
      const snapshot = await domain.live.snapshot(actor, sessionId);
      const composer = domain.notes.composer(actor, sessionId);
      const { session } = domain.sessions.get(actor, sessionId);
      const mine = composer.canWrite ? domain.notes.feed(actor, sessionId, snapshot.audience).mine : [];
      const metaTitle = `${t("capture:title")} · ${session.title}`;
      return { ...snapshot, composer, mine, timeZone: session.timeZone, userId: actor?.userId ?? "", clientId: newClientId(), metaTitle };
    }),
    // Holds the person's own notes: never kept by a shared cache or the browser's back-forward cache.
    { headers: { "Cache-Control": "private, no-store" } },
  );
}

const RECENT = 8;

export default function CapturePage() {
  const { t } = useTranslation(["notes", "capture"]);
  const data = useLoaderData<typeof loader>();
  const sessionId = data.state.session.id;
  const room = useRoom(sessionId);
  const live = room.room;
  const state = live?.state ?? data.state;
  const status = state.session.status;
  const composer = { ...data.composer, status, writable: NOTES_WRITABLE.includes(status) };
  const outbox = useOutbox(sessionId, data.userId, room);
  const minute = useMinuteFormat(data.timeZone);
  const id = useId();
  const hydrated = room.connection !== null;

  const [text, setText] = useState("");
  const [kind, setKind] = useState<string>(composer.kinds[0] ?? "point");
  const [themeIds, setThemeIds] = useState<string[]>([]);
  const [pinned, setPinned] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const textRef = useRef<HTMLTextAreaElement>(null);
  const themesRef = useRef<HTMLInputElement | null>(null);
  const started = startedItems(state.agenda.items);
  const currentId = state.agenda.currentItemId;
  // A pinned item that is gone (removed) falls back to following the current item.
  const targetId = pinned && started.some((i) => i.id === pinned) ? pinned : (currentId ?? started[started.length - 1]?.id ?? null);
  const target = state.agenda.items.find((i) => i.id === targetId) ?? null;
  useCapturePointer(sessionId, data.userId, targetId, composer.canWrite);
  // Notes on an on-the-record item are attributed by design: no guard there (the server agrees).
  const guard = useGuard(text, { remote: composer.rosterFindings, room, itemId: targetId, enabled: hydrated && target?.attributionMode !== "on_the_record" });
  const following = !pinned || pinned === currentId;
  const over = countChars(text) > composer.maxChars;

  // Focus the text box on load; after an in-app navigation the root moves focus to <main> in the same
  // commit (parent effects run after this one), so wait for the next frame.
  useEffect(() => {
    const frame = requestAnimationFrame(() => textRef.current?.focus());
    return () => cancelAnimationFrame(frame);
  }, []);
  useEffect(() => setError(null), [text]);

  const send = () => {
    if (!composer.writable) return setError(t("composer.notWritable"));
    if (!text.trim()) return setError(t("composer.empty"));
    if (over) return setError(t("composer.tooLong", { max: composer.maxChars }));
    if (!target) return setError(t("composer.noItem"));
    const sent = text;
    void outbox.add({ itemId: target.id, kind, themeIds, text }).then((record) => {
      if (!record) return setError(t("composer.notStored"));
      // A rapporteur types fast: whatever they started after pressing Enter stays in the box.
      if (textRef.current && textRef.current.value !== sent) return textRef.current.focus();
      setText("");
      setThemeIds([]);
      textRef.current?.focus();
    });
  };
  const move = (by: 1 | -1) => {
    const next = stepItem(started, targetId, by);
    setPinned(next === currentId ? null : next);
  };
  const toggleTheme = (index: number) => {
    const theme = composer.themes[index];
    if (theme) setThemeIds((ids) => (ids.includes(theme.id) ? ids.filter((x) => x !== theme.id) : [...ids, theme.id]));
  };

  const perform = (action: CaptureAction) => {
    switch (action.type) {
      case "send":
        return send();
      case "newline":
        return;
      case "kind":
        if (composer.kinds[action.index]) setKind(composer.kinds[action.index]);
        return;
      case "focusThemes":
        return themesRef.current?.focus();
      case "toggleTheme":
        return toggleTheme(action.index);
      case "nextItem":
        return move(1);
      case "previousItem":
        return move(-1);
      case "neutral":
        return setText(guard.neutral());
      case "clear":
        setText("");
        return textRef.current?.focus();
    }
  };

  const onKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    const inText = e.target === textRef.current;
    const action = captureAction({ key: e.key, code: e.code, altKey: e.altKey, shiftKey: e.shiftKey, ctrlKey: e.ctrlKey, metaKey: e.metaKey, isComposing: e.nativeEvent.isComposing }, inText);
    if (!action || action.type === "newline") return;
    e.preventDefault();
    perform(action);
  };

  const mine = live?.notes.mine ?? data.mine;
  const recent = [...mine].sort((a, b) => b.minute - a.minute).slice(0, RECENT);
  const titles = new Map(state.agenda.items.map((i) => [i.id, i.title]));

  if (!composer.canWrite) {
    return (
      <Page title={t("capture:title")} back={{ to: `/sessions/${sessionId}`, label: t("capture:backSession") }}>
        <p className="notice">{t("capture:cannotWrite")}</p>
      </Page>
    );
  }

  return (
    <Page title={t("capture:title")} back={{ to: `/sessions/${sessionId}/live`, label: t("capture:back") }}>
      <div className="flex flex-col gap-1">
        <p className="font-semibold" dir="auto">
          {state.session.title}
        </p>
        <ConnectionStatus state={room.connection} />
        <noscript>
          <p className="hint">{t("capture:noScript")}</p>
        </noscript>
      </div>
      {!composer.writable ? <p className="notice">{t("composer.notWritable")}</p> : null}
      {/* The shortcuts work anywhere in the capture form (each also has a button). */}
      <div onKeyDown={onKeyDown} className="flex flex-col gap-4">
        <section className="card flex flex-col gap-4" aria-labelledby="capture-item-heading">
          <h2 id="capture-item-heading" className="text-base">
            {t("capture:itemHeading")}
          </h2>
          <p aria-live="polite" className="text-lg">
            {target ? (
              <>
                <span className="font-semibold" dir="auto">
                  {target.title}
                </span>{" "}
                <span className="badge">{following ? t("capture:following") : t("capture:pinned")}</span>
              </>
            ) : (
              t("composer.noItem")
            )}
          </p>
          {target?.attributionMode === "on_the_record" ? <p className="rounded-md border border-warn bg-warn-light p-3 text-sm font-medium text-warn">{t("composer.onTheRecord")}</p> : null}
          <div className="grid grid-cols-1 gap-2 sm:flex sm:flex-wrap">
            <button type="button" className="btn-secondary" onClick={() => move(-1)} disabled={started.length < 2}>
              {t("capture:previousItem")} <kbd className="text-xs text-ink-soft">Alt+P</kbd>
            </button>
            <button type="button" className="btn-secondary" onClick={() => move(1)} disabled={started.length < 2}>
              {t("capture:nextItem")} <kbd className="text-xs text-ink-soft">Alt+N</kbd>
            </button>
            {!following ? (
              <button type="button" className="btn-secondary" onClick={() => setPinned(null)}>
                {t("capture:follow")}
              </button>
            ) : null}
          </div>
        </section>

        <form
          className="card flex flex-col gap-4"
          aria-labelledby="capture-heading"
          onSubmit={(e) => {
            e.preventDefault();
            send();
          }}
        >
          <h2 id="capture-heading" className="sr-only">
            {t("capture:formHeading")}
          </h2>
          <div className="field">
            <label htmlFor={`${id}-text`} className="label text-base">
              {t("capture:text")}
            </label>
            <textarea
              ref={textRef}
              id={`${id}-text`}
              dir="auto"
              rows={7}
              className="input text-lg"
              value={text}
              onChange={(e) => setText(e.target.value)}
              aria-invalid={over || error ? true : undefined}
              aria-describedby={`${id}-keys ${id}-count ${id}-guard${error ? ` ${id}-error` : ""}`}
              aria-keyshortcuts="Enter Shift+Enter Escape Alt+1 Alt+2 Alt+3 Alt+4 Alt+T Alt+N Alt+P Alt+W"
            />
            <p id={`${id}-keys`} className="hint">
              {t("capture:textHint")}
            </p>
            <CharCounter text={text} max={composer.maxChars} id={`${id}-count`} />
            {error ? (
              <p id={`${id}-error`} className="error" role="alert">
                {error}
              </p>
            ) : null}
          </div>
          <GuardFindings id={`${id}-guard`} findings={guard.findings} onNeutral={() => setText(guard.neutral())} />
          <KindPicker kinds={composer.kinds} value={kind} onChange={setKind} shortcuts idPrefix={`${id}-k`} />
          <ThemePicker themes={composer.themes} value={themeIds} onChange={setThemeIds} shortcuts idPrefix={`${id}-t`} firstRef={(el) => (themesRef.current = el)} />
          <div className="grid grid-cols-1 gap-2 sm:flex sm:flex-wrap">
            <button type="submit" className="btn-primary text-lg">
              {t("capture:send")} <kbd className="text-xs font-normal">{t("capture:enterKey")}</kbd>
            </button>
            <button
              type="button"
              className="btn-secondary"
              onClick={() => {
                setText("");
                textRef.current?.focus();
              }}
            >
              {t("capture:clear")} <kbd className="text-xs text-ink-soft">Esc</kbd>
            </button>
          </div>
          <SendStatus outbox={outbox} />
        </form>
      </div>

      {outbox.othersWaiting > 0 ? <p className="hint">{t("outbox.othersWaiting", { count: outbox.othersWaiting })}</p> : null}
      <OutboxList records={outbox.records} titles={titles} outbox={outbox} />

      <section className="card flex flex-col gap-3" aria-labelledby="recent-heading">
        <h2 id="recent-heading">{t("capture:recentHeading")}</h2>
        {recent.length ? (
          <ul className="flex flex-col gap-2">
            {recent.map((n) => (
              <li key={n.id} className="flex flex-col gap-1 rounded-md border border-slate-200 p-2">
                <span className="flex flex-wrap items-center gap-2 text-sm">
                  <OwnState note={n} />
                  <span className="badge">{t(`kinds.${n.kind}`)}</span>
                  <time dateTime={new Date(n.minute).toISOString()} className="text-ink-soft">
                    {minute(n.minute)}
                  </time>
                  <span className="text-ink-soft" dir="auto">
                    {titles.get(n.itemId)}
                  </span>
                </span>
                <span className="line-clamp-2 break-words" dir="auto">
                  {n.text}
                </span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="hint">{t("capture:recentEmpty")}</p>
        )}
      </section>

      <section className="card flex flex-col gap-3" aria-labelledby="keys-heading">
        <h2 id="keys-heading">{t("capture:keysHeading")}</h2>
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
          {(
            [
              ["Enter", "keys.send"],
              ["Shift+Enter", "keys.newline"],
              ["Alt+1 … Alt+4", "keys.kind"],
              ["Alt+T", "keys.themes"],
              ["Alt+Shift+1 … 9", "keys.toggleTheme"],
              ["Alt+N", "keys.next"],
              ["Alt+P", "keys.previous"],
              ["Alt+W", "keys.neutral"],
              ["Esc", "keys.clear"],
            ] as const
          ).map(([key, label]) => (
            <div key={key} className="contents">
              <dt>
                <kbd className="rounded border border-slate-300 bg-slate-50 px-1 font-mono">{key}</kbd>
              </dt>
              <dd>{t(`capture:${label}`)}</dd>
            </div>
          ))}
        </dl>
      </section>
    </Page>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/errors";
