/**
 * The live room: the current agenda item with its countdown, the agenda, the speaker queue and who
 * is connected; the moderator's controls. Without JavaScript the loader's snapshot is shown as it
 * was; after hydration the room follows the server through `useRoom` (commands over the socket).
 */
import { json, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useCallback, useRef, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { CommandFeedback } from "~/components/commands";
import { CommandButton, Countdown, MINUTE_MS, useCommands, type Commands } from "~/components/live/pieces";
import { ConnectionStatus } from "~/components/connection-status";
import { Page } from "~/components/layout";
import { NoteComposer } from "~/components/notes/composer";
import { NotesFeed } from "~/components/notes/feed";
import type { Prefill } from "~/components/recommendations/panel";
import type { AgendaItemView, PresenceView, QueueView } from "~/models/live.server";
import { newClientId, NOTES_WRITABLE } from "~/models/notes";
import type { HandKind } from "~/models/queue";
import { useOutbox } from "~/notes/use-outbox";
import { useCapturePointer } from "~/offline/use-offline-device";
import { countdownParts, positionIn, useCountdown, useRoom, type Room } from "~/realtime/room";
import { load } from "~/utils/http";
import { ensureNamespaces, type I18nHandle } from "~/locales/catalogues";
import { deferredComponent } from "~/utils/deferred";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.state.session.title} · Parley` : "Parley" }];

/** The catalogues this page needs before hydration (ADR 005); others load on demand. */
// Not `errors` (the panels that show command errors ask for it when they mount, after hydration),
// nor `offline` (its one string here is in <noscript>, which only the server's HTML shows).
export const handle: I18nHandle = { i18n: ["live", "notes"] };

/**
 * The recommendations panel (staff drafting and running votes, participants taking positions) comes
 * after hydration with its catalogues: the server renders it in full, and it becomes interactive when
 * its code has arrived (app/utils/deferred.tsx).
 */
const RecommendationsPanel = deferredComponent(async () => {
  const [panel] = await Promise.all([import("~/components/recommendations/panel"), ensureNamespaces(["recommendations", "consensus", "errors"])]);
  return panel.RecommendationsPanel;
});

// Only staff see these: their code comes after hydration too.
const staffControls = async () => (await Promise.all([import("~/components/live/staff"), ensureNamespaces(["errors"])]))[0];
const ItemControls = deferredComponent(async () => (await staffControls()).ItemControls);
const AddItemForm = deferredComponent(async () => (await staffControls()).AddItemForm);
const QueueForStaff = deferredComponent(async () => (await staffControls()).QueueForStaff);
const RoomControls = deferredComponent(async () => (await staffControls()).RoomControls);

export const headers: HeadersFunction = () => ({ "Cache-Control": "private, no-store" });

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const sessionId = params.sessionId ?? "";
  const { domain, actor } = context;
  return json(
    await load(request, async () => {
      const snapshot = await domain.live.snapshot(actor, sessionId);
      const composer = domain.notes.composer(actor, sessionId);
      const { session, can } = domain.sessions.get(actor, sessionId);
      // Addressees from the programme's lists (already access-checked through the session above).
      const addressees = domain.programmes.taxonomy(session.programmeId).addressees.map((a) => ({ id: a.id, labelEn: a.labelEn, labelFr: a.labelFr }));
      return {
        ...snapshot,
        composer,
        notes: domain.notes.feed(actor, sessionId, snapshot.audience),
        recommendations: domain.recommendations.list(actor, sessionId, snapshot.audience),
        addressees: can.includes("session.room.join") ? addressees : [],
        timeZone: session.timeZone,
        // One's own id, for the device's outbox (it sends only one's own notes).
        userId: actor?.userId ?? "",
        // The no-JavaScript composer's client id (the browser makes its own for later notes).
        clientId: newClientId(),
      };
    }),
    // Holds the person's own notes: never kept by a shared cache or the browser's back-forward cache.
    { headers: { "Cache-Control": "private, no-store" } },
  );
}

const HAND_KINDS: HandKind[] = ["new", "reply", "order"];
const EDITABLE = ["draft", "scheduled", "live"];





// ---- Pieces ----


function ModeLine({ item }: { item: AgendaItemView }) {
  const { t } = useTranslation("live");
  const mode = item.attributionMode;
  return (
    <div className="flex flex-col gap-2">
      <p>
        <span className="font-medium">{t("attribution.label")}</span> <span className="badge text-sm">{t(`attribution.${mode}`)}</span>{" "}
        <span className="text-sm text-ink-soft">{t(`attribution.explain.${mode}`)}</span>
      </p>
      {item.overridesSession ? <p className="text-sm text-ink-soft">{t("attribution.differs")}</p> : null}
      {mode === "on_the_record" ? <p className="rounded-md border border-warn bg-warn-light p-3 font-medium text-warn">{t("attribution.onTheRecordWarning")}</p> : null}
    </div>
  );
}


function CurrentItem(props: { item: AgendaItemView | null; receivedAt: number | null; controls: ReactNode }) {
  const { t } = useTranslation("live");
  const { item } = props;
  return (
    <section className="card flex flex-col gap-4 border-2 border-brand" aria-labelledby="now-heading">
      <h2 id="now-heading" tabIndex={-1} className="text-sm font-semibold uppercase tracking-wide text-ink-soft">
        {t("current.heading")}
      </h2>
      {item ? (
        <>
          <div className="flex flex-col gap-1">
            <h3 className="text-2xl font-semibold" dir="auto">
              {item.title}
            </h3>
            {item.description ? (
              <p className="whitespace-pre-line text-ink-soft" dir="auto">
                {item.description}
              </p>
            ) : null}
            {item.panelists ? (
              <p>
                <span className="font-medium">{t("current.panelists")}</span> <span dir="auto">{item.panelists}</span>
              </p>
            ) : null}
          </div>
          <ModeLine item={item} />
          <div className="flex flex-col gap-1">
            <Countdown remainingMs={item.remainingMs} running={item.running} receivedAt={props.receivedAt} label={t("current.timeLeft")} size="large" />
            <p className="text-sm text-ink-soft">
              {item.state === "paused" ? <span className="badge mr-2">{t("current.paused")}</span> : null}
              {t("current.planned", { minutes: Math.round(item.plannedMs / MINUTE_MS) })}
            </p>
          </div>
          {props.controls}
        </>
      ) : (
        <p>{t("current.none")}</p>
      )}
    </section>
  );
}

function AgendaList(props: { items: AgendaItemView[]; currentItemId: string | null; receivedAt: number | null; room: Room; commands: Commands; canEdit: boolean; live: boolean }) {
  const { t } = useTranslation("live");
  const { items, room, commands } = props;
  const busy = commands.busy !== null;
  const pending = items.filter((i) => i.state === "pending").map((i) => i.id);
  const move = (id: string, by: -1 | 1) => {
    const at = pending.indexOf(id);
    const to = at + by;
    if (at === -1 || to < 0 || to >= pending.length) return;
    const order = [...pending];
    [order[at], order[to]] = [order[to], order[at]];
    const same = by === -1 ? `move-up-${id}` : `move-down-${id}`;
    const other = by === -1 ? `move-down-${id}` : `move-up-${id}`;
    void commands.run(`${id}:move`, () => room.reorder(order), { focus: [same, other] });
  };
  return (
    <section className="card flex flex-col gap-4" aria-labelledby="agenda-heading">
      <h2 id="agenda-heading" tabIndex={-1}>{t("agenda.heading")}</h2>
      {items.length === 0 ? (
        <p className="hint">{t("agenda.empty")}</p>
      ) : (
        <ol className="flex flex-col gap-3">
          {items.map((item) => {
            const current = item.id === props.currentItemId;
            const at = pending.indexOf(item.id);
            return (
              <li key={item.id} className={`flex flex-col gap-2 rounded-md border p-3 ${current ? "border-brand bg-brand-light" : "border-slate-200"} ${item.state === "done" || item.state === "skipped" ? "text-ink-soft" : ""}`} aria-current={current ? "step" : undefined}>
                <div className="flex flex-wrap items-baseline justify-between gap-2">
                  <span className="font-medium" dir="auto">
                    {item.title}
                  </span>
                  <span className="flex flex-wrap items-center gap-2 text-sm">
                    <span className="badge">{t(`agenda.states.${item.state}`)}</span>
                    <span>{t("agenda.minutes", { minutes: Math.round(item.plannedMs / MINUTE_MS) })}</span>
                    {item.attributionMode !== "chatham_house" || item.overridesSession ? <span className="badge">{t(`attribution.${item.attributionMode}`)}</span> : null}
                  </span>
                </div>
                {item.state === "running" || item.state === "paused" ? <ItemRemaining item={item} receivedAt={props.receivedAt} /> : null}
                {props.canEdit && item.state === "pending" ? (
                  <div role="group" aria-label={t("agenda.controlsFor", { title: item.title })} className="flex flex-wrap gap-2">
                    {props.live ? (
                      <>
                        <CommandButton label={t("controls.start")} ariaLabel={t("controls.startLabel", { title: item.title })} onClick={() => void commands.run(`${item.id}:start`, () => room.agendaCommand(item.id, "start"), { focus: ["item-pause"] })} busy={busy} variant="primary" />
                        <CommandButton label={t("controls.skip")} ariaLabel={t("controls.skipLabel", { title: item.title })} onClick={() => void commands.run(`${item.id}:skip`, () => room.agendaCommand(item.id, "skip"), { focus: ["agenda-heading"] })} busy={busy} />
                      </>
                    ) : null}
                    {at > 0 ? <CommandButton id={`move-up-${item.id}`} label={t("controls.moveUp")} ariaLabel={t("controls.moveUpLabel", { title: item.title })} onClick={() => move(item.id, -1)} busy={busy} /> : null}
                    {at !== -1 && at < pending.length - 1 ? <CommandButton id={`move-down-${item.id}`} label={t("controls.moveDown")} ariaLabel={t("controls.moveDownLabel", { title: item.title })} onClick={() => move(item.id, 1)} busy={busy} /> : null}
                  </div>
                ) : null}
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}

function ItemRemaining({ item, receivedAt }: { item: AgendaItemView; receivedAt: number | null }) {
  const { t } = useTranslation("live");
  const ms = useCountdown(item.remainingMs, item.running, receivedAt);
  const { overrun, time } = countdownParts(ms);
  return <p className={`text-sm tabular-nums ${overrun ? "font-semibold text-danger" : "text-ink-soft"}`}>{overrun ? t("agenda.overTime", { time }) : t("agenda.timeLeft", { time })}</p>;
}


/** What a participant or panelist sees of the queue, and their own hand. */
function QueueForRoom(props: { queue: QueueView; queueAt: number | null; entryId: string | null; hasFloor: boolean; canRaise: boolean; live: boolean; hydrated: boolean; room: Room; commands: Commands }) {
  const { t } = useTranslation("live");
  const { queue, room, commands } = props;
  const busy = commands.busy !== null;
  const position = positionIn(queue.entries, props.entryId);
  const ownKind = queue.entries.find((e) => e.id === props.entryId)?.kind ?? null;
  return (
    <section className="card flex flex-col gap-4" aria-labelledby="queue-heading">
      <h2 id="queue-heading" tabIndex={-1}>{t("queue.heading")}</h2>
      <div aria-live="polite" aria-atomic="true" className="flex flex-col gap-2">
        {props.hasFloor && queue.floor ? (
          <div className="flex flex-col gap-1 rounded-md border-2 border-ok bg-ok-light p-3">
            <p className="text-2xl font-semibold text-ok">{t("queue.youHaveFloor")}</p>
          </div>
        ) : position ? (
          <div className="flex flex-col gap-1 rounded-md border-2 border-brand bg-brand-light p-3">
            <p className="text-xl font-semibold">{t("queue.position", { count: position, ordinal: true })}</p>
            {ownKind ? <p className="text-sm">{t("queue.yourKind", { kind: t(`queue.kinds.${ownKind}`) })}</p> : null}
          </div>
        ) : null}
      </div>
      {props.hasFloor && queue.floor ? <Countdown remainingMs={queue.floor.remainingMs} running={queue.floor.running} receivedAt={props.queueAt} label={t("queue.turnLeft")} size="medium" /> : null}
      {props.canRaise && props.hydrated && props.live && queue.itemId ? (
        props.hasFloor ? null : position ? (
          <CommandButton id="lower-hand" label={t("queue.lower")} onClick={() => void commands.run("lower", () => room.lower(), { focus: ["raise-new", "queue-heading"] })} busy={busy} className="w-full sm:w-auto" />
        ) : (
          <div role="group" aria-labelledby="raise-heading" aria-describedby="raise-hint" className="flex flex-col gap-2">
            <h3 id="raise-heading">{t("queue.raiseHeading")}</h3>
            <p id="raise-hint" className="hint">
              {t("queue.raiseHint")}
            </p>
            <div className="grid grid-cols-1 gap-2 sm:grid-cols-3">
              {HAND_KINDS.map((kind) => (
                <CommandButton key={kind} id={`raise-${kind}`} label={t(`queue.kinds.${kind}`)} ariaLabel={t(`queue.raiseLabel.${kind}`)} onClick={() => void commands.run(`raise:${kind}`, () => room.raise(kind), { focus: ["lower-hand", "queue-heading"] })} busy={busy} variant={kind === "new" ? "primary" : "secondary"} />
              ))}
            </div>
          </div>
        )
      ) : props.canRaise && props.hydrated ? (
        <p className="hint">{props.live ? t("queue.noItem") : t("queue.notLive")}</p>
      ) : null}
      <p>{queue.entries.length ? t("queue.waiting", { count: queue.entries.length }) : t("queue.empty")}</p>
      {queue.floor && !props.hasFloor ? <p>{queue.floor.name ? t("queue.hasFloor", { name: queue.floor.name }) : t("queue.someoneHasFloor")}</p> : null}
      {queue.namesVisible && queue.entries.length ? (
        <ol className="flex list-decimal flex-col gap-1 pl-6">
          {queue.entries.map((e) => (
            <li key={e.id}>
              <span dir="auto">{e.name ?? t("queue.unnamed")}</span> <span className="badge">{t(`queue.kinds.${e.kind}`)}</span>
            </li>
          ))}
        </ol>
      ) : !queue.namesVisible && queue.entries.length ? (
        <p className="hint">{t("queue.namesHidden")}</p>
      ) : null}
    </section>
  );
}


function Presence({ presence }: { presence: PresenceView | null }) {
  const { t } = useTranslation("live");
  return (
    <section className="card flex flex-col gap-2" aria-labelledby="presence-heading">
      <h2 id="presence-heading">{t("presence.heading")}</h2>
      {presence ? (
        <>
          <p className="text-lg font-semibold">{t("presence.total", { count: presence.total })}</p>
          {presence.groups.length ? (
            <ul className="flex flex-wrap gap-2">
              {presence.groups.map((g) => (
                <li key={g.key} className="badge text-sm">
                  {t("presence.group", { label: t(`presence.groups.${g.key}`), count: g.count })}
                </li>
              ))}
            </ul>
          ) : null}
          {!presence.exact ? <p className="hint">{t("presence.protected")}</p> : null}
        </>
      ) : (
        <p className="hint">{t("presence.pending")}</p>
      )}
    </section>
  );
}


export default function LiveRoomPage() {
  const { t } = useTranslation("live");
  const data = useLoaderData<typeof loader>();
  const room = useRoom(data.state.session.id);
  const commands = useCommands();
  const live = room.room;
  // Before the first snapshot (and without JavaScript) the loader's state is shown as it was.
  const state = live?.state ?? data.state;
  const can = live?.can ?? data.can;
  const you = live?.you ?? data.you;
  const agendaAt = live?.agendaAt ?? null;
  const queueAt = live?.queueAt ?? null;
  const hydrated = room.connection !== null;
  const status = state.session.status;
  const isLive = status === "live";
  const current = state.agenda.items.find((i) => i.id === state.agenda.currentItemId) ?? null;
  const control = can.includes("live.control") && hydrated;
  const canEdit = can.includes("agenda.edit") && hydrated && EDITABLE.includes(status);
  const hasFloor = you.floorEntryId !== null && state.queue.floor?.entryId === you.floorEntryId;
  const staffQueue = can.includes("queue.manage") || (!can.includes("queue.raise") && state.queue.namesVisible);
  const outbox = useOutbox(state.session.id, data.userId, room);
  // The offline shell needs to know who writes here and on which item (app/notes/README.md).
  useCapturePointer(state.session.id, data.userId, state.agenda.currentItemId, data.composer.canWrite);
  const notes = live?.notes ?? data.notes;
  // The composer follows the session's status live (the loader's copy is from page load).
  const composer = { ...data.composer, status, writable: NOTES_WRITABLE.includes(status) };
  const recs = live?.recommendations ?? data.recommendations;
  const [prefill, setPrefill] = useState<Prefill>(null);
  const prefillSeq = useRef(0);
  const canDraft = can.includes("recommendations.draft") && hydrated;
  const onDraftFrom = useCallback((note: { id: string; text: string }) => {
    prefillSeq.current += 1;
    setPrefill({ text: note.text, sourceNoteIds: [note.id], seq: prefillSeq.current });
  }, []);
  const onPrefillUsed = useCallback(() => setPrefill(null), []);

  return (
    <Page title={state.session.title} back={{ to: `/sessions/${state.session.id}`, label: t("back") }}>
      <div className="flex flex-col gap-1">
        <p className="text-sm font-semibold uppercase tracking-wide text-brand">{t("title")}</p>
        <ConnectionStatus state={room.connection} />
        {composer.canWrite && composer.canCurate ? (
          <p>
            {/* A full page load, so that on a dropped network the offline shell answers for it. */}
            <Link to={`/sessions/${state.session.id}/capture`} className="text-sm" reloadDocument>
              {t("notes:capture.link")}
            </Link>
          </p>
        ) : null}
        <noscript>
          <p className="hint">{t("noScript")}</p>
          {can.includes("notes.write") ? (
            <p>
              <a href={`/sessions/${state.session.id}/notes`}>{t("offline:notes.liveLink")}</a>
            </p>
          ) : null}
        </noscript>
      </div>
      {!isLive ? <p className="notice text-base">{t(`roomStatus.${status === "draft" || status === "scheduled" || status === "ended" ? status : "other"}`)}</p> : null}

      <CurrentItem item={current} receivedAt={agendaAt} controls={control && isLive && current ? <ItemControls item={current} room={room} commands={commands} /> : null} />

      <NoteComposer sessionId={state.session.id} composer={composer} clientId={data.clientId} item={current} room={room} outbox={outbox} hydrated={hydrated} />

      {isLive || state.queue.entries.length || state.queue.floor ? (
        staffQueue ? (
          <QueueForStaff queue={state.queue} queueAt={queueAt} manage={can.includes("queue.manage")} live={isLive} hydrated={hydrated} room={room} commands={commands} />
        ) : (
          <QueueForRoom queue={state.queue} queueAt={queueAt} entryId={you.entryId} hasFloor={hasFloor} canRaise={can.includes("queue.raise")} live={isLive} hydrated={hydrated} room={room} commands={commands} />
        )
      ) : null}

      <NotesFeed composer={composer} room={room} notes={notes} items={state.agenda.items} currentItemId={state.agenda.currentItemId} outbox={outbox} timeZone={data.timeZone} hydrated={hydrated} onDraftRecommendation={canDraft ? onDraftFrom : undefined} />

      <RecommendationsPanel
        recs={recs}
        can={can}
        status={status}
        hydrated={hydrated}
        room={room}
        items={state.agenda.items}
        currentItemId={state.agenda.currentItemId}
        themes={data.composer.themes}
        addressees={data.addressees}
        prefill={prefill}
        onPrefillUsed={onPrefillUsed}
      />

      <AgendaList items={state.agenda.items} currentItemId={state.agenda.currentItemId} receivedAt={agendaAt} room={room} commands={commands} canEdit={canEdit} live={isLive && control} />
      {canEdit ? <AddItemForm room={room} commands={commands} /> : null}
      {hydrated ? <Presence presence={live?.presence ?? null} /> : null}
      {control ? <RoomControls status={status} room={room} commands={commands} /> : null}
      <CommandFeedback feedback={commands.feedback} onDismiss={commands.dismiss} dismissLabel={t("dismiss")} floating />
    </Page>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/errors";
