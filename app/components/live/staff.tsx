/**
 * The live room's staff controls: running the current item, adding items, the moderator's speaker
 * queue, opening and ending the room. Only staff see them, so their code is loaded after hydration
 * (the route renders them through deferredComponent, app/utils/deferred.tsx).
 */
import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { focusWhenReady } from "~/components/commands";
import type { AgendaCommand } from "~/models/agenda";
import type { AgendaItemView, QueueView } from "~/models/live.server";
import type { Room } from "~/realtime/room";
import { CommandButton, Countdown, MINUTE_MS, type Commands } from "./pieces";

const TURN_MINUTES = [1, 2, 3, 5, 10];
const DEFAULT_TURN_MINUTES = 3;

/** The buttons that run one item, by its state. */
export function ItemControls({ item, room, commands }: { item: AgendaItemView; room: Room; commands: Commands }) {
  const { t } = useTranslation("live");
  const busy = commands.busy !== null;
  const focusAfter: Partial<Record<AgendaCommand, string[]>> = { pause: ["item-resume"], resume: ["item-pause"], end: ["now-heading"] };
  const send = (command: AgendaCommand, extendByMs?: number) => void commands.run(`${item.id}:${command}`, () => room.agendaCommand(item.id, command, extendByMs), { focus: focusAfter[command] });
  const running = item.state === "running";
  const paused = item.state === "paused";
  if (!running && !paused) return null;
  return (
    <div role="group" aria-label={t("agenda.controlsFor", { title: item.title })} className="flex flex-wrap gap-2">
      {running ? <CommandButton id="item-pause" label={t("controls.pause")} onClick={() => send("pause")} busy={busy} /> : null}
      {paused ? <CommandButton id="item-resume" label={t("controls.resume")} onClick={() => send("resume")} busy={busy} variant="primary" /> : null}
      <CommandButton label={t("controls.extendOne")} ariaLabel={t("controls.extendLabel", { minutes: 1, title: item.title })} onClick={() => send("extend", MINUTE_MS)} busy={busy} />
      <CommandButton label={t("controls.extendFive")} ariaLabel={t("controls.extendLabel", { minutes: 5, title: item.title })} onClick={() => send("extend", 5 * MINUTE_MS)} busy={busy} />
      <CommandButton label={t("controls.end")} onClick={() => send("end")} busy={busy} variant="danger" />
    </div>
  );
}

export function AddItemForm({ room, commands }: { room: Room; commands: Commands }) {
  const { t } = useTranslation("live");
  const { t: te } = useTranslation("errors");
  const id = useId();
  const [title, setTitle] = useState("");
  const [minutes, setMinutes] = useState("10");
  const [fields, setFields] = useState<Record<string, string[]>>({});
  const titleRef = useRef<HTMLInputElement>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const plannedMinutes = Number(minutes);
    if (!title.trim()) return setFields({ title: ["required"] });
    if (!Number.isInteger(plannedMinutes) || plannedMinutes < 1 || plannedMinutes > 600) return setFields({ plannedMinutes: ["out_of_range"] });
    const res = await commands.run("add", () => room.addItem({ title: title.trim(), plannedMinutes }), { done: t("add.added") });
    if (!res) return;
    if (res.ok) {
      setTitle("");
      setFields({});
      titleRef.current?.focus();
    } else setFields(res.fields ?? {});
  };
  const fieldError = (name: string) => (fields[name] ? fields[name].map((k) => te(k, { defaultValue: te("generic") })).join(" ") : null);
  const titleError = fieldError("title");
  const minutesError = fieldError("plannedMinutes");
  return (
    <section className="card flex flex-col gap-4" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{t("add.heading")}</h2>
      <form className="flex flex-col gap-3 sm:flex-row sm:items-end" onSubmit={(e) => void submit(e)} noValidate>
        <div className="field sm:flex-1">
          <label htmlFor={`${id}-title`} className="label">
            {t("add.title")}
          </label>
          <input
            ref={titleRef}
            id={`${id}-title`}
            className="input"
            dir="auto"
            maxLength={200}
            required
            value={title}
            onChange={(e) => setTitle(e.target.value)}
            aria-invalid={titleError ? true : undefined}
            aria-describedby={titleError ? `${id}-title-error` : undefined}
          />
          {titleError ? (
            <p id={`${id}-title-error`} className="error">
              {titleError}
            </p>
          ) : null}
        </div>
        <div className="field sm:w-40">
          <label htmlFor={`${id}-minutes`} className="label">
            {t("add.minutes")}
          </label>
          <input
            id={`${id}-minutes`}
            className="input"
            type="number"
            inputMode="numeric"
            min={1}
            max={600}
            required
            value={minutes}
            onChange={(e) => setMinutes(e.target.value)}
            aria-invalid={minutesError ? true : undefined}
            aria-describedby={minutesError ? `${id}-minutes-error` : undefined}
          />
          {minutesError ? (
            <p id={`${id}-minutes-error`} className="error">
              {minutesError}
            </p>
          ) : null}
        </div>
        <button type="submit" className="btn-primary" aria-disabled={commands.busy !== null || undefined}>
          {t("add.submit")}
        </button>
      </form>
    </section>
  );
}

/** The moderator's queue: names, kinds, giving the floor with a turn timer. */
export function QueueForStaff(props: { queue: QueueView; queueAt: number | null; manage: boolean; live: boolean; hydrated: boolean; room: Room; commands: Commands }) {
  const { t } = useTranslation("live");
  const { queue, room, commands } = props;
  const busy = commands.busy !== null;
  const id = useId();
  const [turnMinutes, setTurnMinutes] = useState(DEFAULT_TURN_MINUTES);
  const controls = props.manage && props.hydrated && props.live;
  const nameOf = (name: string | null) => name ?? t("queue.unnamed");
  const give = (entryId: string) => void commands.run(`floor:${entryId}`, () => room.giveFloor(entryId, turnMinutes * 60), { focus: ["end-turn"] });
  const next = queue.entries[0];
  return (
    <section className="card flex flex-col gap-4" aria-labelledby="queue-heading">
      <h2 id="queue-heading" tabIndex={-1}>{props.manage ? t("manage.heading") : t("queue.heading")}</h2>
      <div className="flex flex-col gap-2 rounded-md border border-slate-200 p-3">
        <h3 className="text-base">{t("manage.floorHeading")}</h3>
        {queue.floor ? (
          <>
            <p className="text-lg font-semibold">
              <span dir="auto">{nameOf(queue.floor.name)}</span> <span className="badge">{t(`queue.kinds.${queue.floor.kind}`)}</span>
            </p>
            <Countdown remainingMs={queue.floor.remainingMs} running={queue.floor.running} receivedAt={props.queueAt} label={t("queue.turnLeft")} size="medium" />
            {controls ? <CommandButton id="end-turn" label={t("manage.endTurn")} onClick={() => void commands.run("endTurn", () => room.endTurn(), { focus: ["give-next", "queue-heading"] })} busy={busy} className="self-start" /> : null}
          </>
        ) : (
          <p className="text-ink-soft">{t("manage.nobodyFloor")}</p>
        )}
      </div>
      <p aria-live="polite">{queue.entries.length ? t("queue.waiting", { count: queue.entries.length }) : t("queue.empty")}</p>
      {controls && queue.itemId ? (
        <div className="flex flex-col gap-3 sm:flex-row sm:items-end">
          <div className="field sm:w-40">
            <label htmlFor={`${id}-turn`} className="label">
              {t("manage.turnLength")}
            </label>
            <select id={`${id}-turn`} className="input" value={turnMinutes} onChange={(e) => setTurnMinutes(Number(e.target.value))}>
              {TURN_MINUTES.map((m) => (
                <option key={m} value={m}>
                  {t("manage.turnMinutes", { minutes: m })}
                </option>
              ))}
            </select>
          </div>
          {next ? <CommandButton id="give-next" label={t("manage.next")} ariaLabel={t("manage.nextNamed", { name: nameOf(next.name) })} onClick={() => give(next.id)} busy={busy} variant="primary" /> : null}
        </div>
      ) : null}
      {queue.entries.length ? (
        <ol aria-label={t("manage.list")} className="flex flex-col gap-2">
          {queue.entries.map((e, i) => (
            <li key={e.id} className="flex flex-wrap items-center justify-between gap-2 rounded-md border border-slate-200 p-2">
              <span className="flex items-center gap-2">
                <span className="w-6 text-right tabular-nums text-ink-soft">{i + 1}.</span>
                <span dir="auto" className="font-medium">
                  {nameOf(e.name)}
                </span>
                <span className={`badge ${e.kind === "order" ? "bg-warn-light text-warn" : ""}`}>{t(`queue.kinds.${e.kind}`)}</span>
              </span>
              {controls ? (
                <span className="flex flex-wrap gap-2">
                  <CommandButton label={t("manage.give")} ariaLabel={t("manage.giveTo", { name: nameOf(e.name) })} onClick={() => give(e.id)} busy={busy} />
                  <CommandButton label={t("manage.remove")} ariaLabel={t("manage.removeFrom", { name: nameOf(e.name) })} onClick={() => void commands.run(`remove:${e.id}`, () => room.removeEntry(e.id), { focus: ["queue-heading"] })} busy={busy} variant="danger" />
                </span>
              ) : null}
            </li>
          ))}
        </ol>
      ) : null}
    </section>
  );
}

/** Open the room, or end it after a confirmation step. */
export function RoomControls({ status, room, commands }: { status: string; room: Room; commands: Commands }) {
  const { t } = useTranslation("live");
  const busy = commands.busy !== null;
  const [confirming, setConfirming] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);
  if (status === "draft" || status === "scheduled") {
    return (
      <section className="card flex flex-col gap-3" aria-labelledby="room-controls-heading">
        <h2 id="room-controls-heading">{t("controls.heading")}</h2>
        <p className="hint">{t("controls.openHint")}</p>
        <CommandButton label={t("controls.open")} onClick={() => void commands.run("open", () => room.open(), { done: t("controls.done"), focus: ["end-room"] })} busy={busy} variant="primary" className="self-start" />
      </section>
    );
  }
  if (status !== "live") return null;
  return (
    <section className="card flex flex-col gap-3" aria-labelledby="room-controls-heading">
      <h2 id="room-controls-heading">{t("controls.heading")}</h2>
      {confirming ? (
        <div className="flex flex-col gap-3 rounded-md border border-danger p-3">
          <p>{t("controls.endRoomQuestion")}</p>
          <div className="flex flex-wrap gap-2">
            <button
              ref={confirmRef}
              type="button"
              className="btn-danger"
              aria-disabled={busy || undefined}
              onClick={() => {
                if (busy) return;
                void commands.run("end", () => room.end(), { done: t("controls.done"), focus: ["now-heading"] }).then(() => setConfirming(false));
              }}
            >
              {t("controls.endRoomConfirm")}
            </button>
            <button
              type="button"
              className="btn-secondary"
              onClick={() => {
                setConfirming(false);
                focusWhenReady(["end-room"]);
              }}
            >
              {t("controls.cancel")}
            </button>
          </div>
        </div>
      ) : (
        <button id="end-room" type="button" className="btn-danger self-start" onClick={() => setConfirming(true)}>
          {t("controls.endRoom")}
        </button>
      )}
    </section>
  );
}
