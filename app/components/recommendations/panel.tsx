/**
 * Recommendations in the live room (SPEC section 4): drafting and editing (recommendations.draft),
 * revising with a reason, running the rounds of positions (votes.run: open with or without a hidden
 * tally, close, show of hands, the sense of the room without a vote, adopted or not), taking one's own
 * position (positions.take), and for everyone the status, the level and its wording in the page's
 * language, counts only where the server sent them, earlier rounds and revisions.
 */
import { useCallback, useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useBilingualLabel } from "~/components/bilingual";
import { CommandFeedback, useCommandRunner } from "~/components/commands";
import type { SessionAction } from "~/models/permissions";
import type { RecommendationView, ResultView, VoteView } from "~/models/recommendations.server";
import { optionHintKey, optionLabelKey, optionsOf, type ScaleKey } from "~/models/scales";
import { badgeOf, parseHands, type HandsFormError } from "~/recommendations/state";
import type { Ack, RecommendationsState } from "~/realtime/events";
import type { RecInput, Room } from "~/realtime/room";

export type Labelled = { id: string; labelEn: string; labelFr: string };
export type Prefill = { text: string; sourceNoteIds: string[]; seq: number } | null;

const HORIZONS = ["immediate", "medium", "long"] as const;
const DECLARABLE = ["consensus", "broad_support", "divided", "opposed"] as const;
const WORKING = ["draft", "scheduled", "live", "ended"];
const STATUS_STYLE: Record<string, string> = {
  draft: "bg-slate-200 text-ink",
  open: "bg-brand text-white",
  closed: "bg-slate-700 text-white",
  adopted: "bg-ok text-white",
  not_adopted: "bg-danger text-white",
};
const LEVEL_STYLE: Record<string, string> = {
  unanimous: "border-ok bg-ok-light text-ok",
  consensus: "border-ok bg-ok-light text-ok",
  broad_support: "border-ok bg-ok-light text-ok",
  majority: "border-brand bg-brand-light text-brand-dark",
  divided: "border-warn bg-warn-light text-warn",
  opposed: "border-danger bg-danger-light text-danger",
  no_quorum: "border-slate-400 bg-slate-100 text-ink",
};

function useRecCommands() {
  const { t } = useTranslation(["recommendations", "errors"]);
  const errorText = useCallback((code: string) => t(`errors:${code}`, { defaultValue: t("errors:internal") }), [t]);
  const { busy, run, feedback, dismiss } = useCommandRunner(errorText);
  const runRec = useCallback(<T,>(command: () => Promise<Ack<T>>, done?: string) => run("recommendation", command, { done }), [run]);
  return { busy: busy !== null, run: runRec, feedback, errorText, dismiss };
}
type RecCommands = ReturnType<typeof useRecCommands>;


export type PanelProps = {
  recs: RecommendationsState;
  can: readonly SessionAction[];
  status: string;
  hydrated: boolean;
  room: Room;
  items: { id: string; title: string }[];
  currentItemId: string | null;
  themes: Labelled[];
  addressees: Labelled[];
  prefill: Prefill;
  onPrefillUsed: () => void;
};

export function RecommendationsPanel(props: PanelProps) {
  const { t } = useTranslation("recommendations");
  const commands = useRecCommands();
  const { recs, can } = props;
  const canDraft = can.includes("recommendations.draft") && props.hydrated && WORKING.includes(props.status);
  const canRun = can.includes("votes.run") && props.hydrated;
  const canTake = can.includes("positions.take") && props.hydrated && props.status === "live";
  const staff = can.includes("recommendations.draft") || can.includes("votes.run");
  const list = recs.recommendations;
  return (
    <section className="card flex flex-col gap-4" aria-labelledby="recs-heading">
      <h2 id="recs-heading" tabIndex={-1}>
        {t("heading")}
      </h2>
      {list.length === 0 ? <p className="hint">{staff ? t("emptyStaff") : t("empty")}</p> : null}
      {list.length ? (
        <ul className="flex flex-col gap-4">
          {list.map((rec) => (
            <li key={rec.id}>
              <RecommendationCard {...props} rec={rec} commands={commands} canDraft={canDraft} canRun={canRun} canTake={canTake} />
            </li>
          ))}
        </ul>
      ) : null}
      {canDraft ? <DraftForm {...props} commands={commands} /> : null}
      <CommandFeedback feedback={commands.feedback} onDismiss={commands.dismiss} dismissLabel={t("live:dismiss")} />
    </section>
  );
}

// ---- Drafting ----

type DraftValues = { text: string; addresseeId: string; themeId: string; horizon: string; itemId: string };

function DraftFields(props: { values: DraftValues; onChange: (v: DraftValues) => void; themes: Labelled[]; addressees: Labelled[]; items: { id: string; title: string }[]; idPrefix: string; textRef?: React.Ref<HTMLTextAreaElement>; error?: string | null }) {
  const { t } = useTranslation("recommendations");
  const label = useBilingualLabel();
  const { values, idPrefix: id } = props;
  const set = (patch: Partial<DraftValues>) => props.onChange({ ...values, ...patch });
  return (
    <>
      <div className="field">
        <label htmlFor={`${id}-text`} className="label">
          {t("draft.text")}
        </label>
        <p id={`${id}-text-hint`} className="hint">
          {t("draft.textHint")}
        </p>
        <textarea
          ref={props.textRef}
          id={`${id}-text`}
          dir="auto"
          rows={3}
          required
          maxLength={2000}
          className="input"
          value={values.text}
          onChange={(e) => set({ text: e.target.value })}
          aria-invalid={props.error ? true : undefined}
          aria-describedby={`${id}-text-hint${props.error ? ` ${id}-text-error` : ""}`}
        />
        {props.error ? (
          <p id={`${id}-text-error`} className="error">
            {props.error}
          </p>
        ) : null}
      </div>
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        {props.addressees.length ? (
          <div className="field">
            <label htmlFor={`${id}-addressee`} className="label">
              {t("draft.addressee")}
            </label>
            <select id={`${id}-addressee`} className="input" value={values.addresseeId} onChange={(e) => set({ addresseeId: e.target.value })}>
              <option value="">{t("draft.none")}</option>
              {props.addressees.map((a) => (
                <option key={a.id} value={a.id}>
                  {label(a)}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        {props.themes.length ? (
          <div className="field">
            <label htmlFor={`${id}-theme`} className="label">
              {t("draft.theme")}
            </label>
            <select id={`${id}-theme`} className="input" value={values.themeId} onChange={(e) => set({ themeId: e.target.value })}>
              <option value="">{t("draft.none")}</option>
              {props.themes.map((th) => (
                <option key={th.id} value={th.id}>
                  {label(th)}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <div className="field">
          <label htmlFor={`${id}-horizon`} className="label">
            {t("draft.horizon")}
          </label>
          <select id={`${id}-horizon`} className="input" value={values.horizon} onChange={(e) => set({ horizon: e.target.value })}>
            <option value="">{t("draft.none")}</option>
            {HORIZONS.map((h) => (
              <option key={h} value={h}>
                {t(`horizons.${h}`)}
              </option>
            ))}
          </select>
        </div>
        {props.items.length ? (
          <div className="field">
            <label htmlFor={`${id}-item`} className="label">
              {t("draft.item")}
            </label>
            <select id={`${id}-item`} className="input" value={values.itemId} onChange={(e) => set({ itemId: e.target.value })}>
              <option value="">{t("draft.none")}</option>
              {props.items.map((i) => (
                <option key={i.id} value={i.id}>
                  {i.title}
                </option>
              ))}
            </select>
          </div>
        ) : null}
      </div>
    </>
  );
}

const inputOf = (v: DraftValues, sourceNoteIds: string[]): RecInput => ({
  text: v.text,
  addresseeId: v.addresseeId || null,
  themeId: v.themeId || null,
  horizon: v.horizon || null,
  itemId: v.itemId || null,
  sourceNoteIds,
});

function DraftForm(props: PanelProps & { commands: RecCommands }) {
  const { t } = useTranslation("recommendations");
  const id = useId();
  const empty = (): DraftValues => ({ text: "", addresseeId: "", themeId: "", horizon: "", itemId: props.currentItemId ?? "" });
  const [values, setValues] = useState<DraftValues>(empty);
  const [sources, setSources] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const textRef = useRef<HTMLTextAreaElement>(null);
  const touchedItem = useRef(false);
  const { prefill, onPrefillUsed, currentItemId } = props;

  // The agenda item follows the current one until it is chosen by hand.
  useEffect(() => {
    if (!touchedItem.current) setValues((v) => ({ ...v, itemId: currentItemId ?? "" }));
  }, [currentItemId]);
  // "Draft a recommendation from this proposal": the text and the note's id, and the focus here.
  useEffect(() => {
    if (!prefill) return;
    setValues((v) => ({ ...v, text: prefill.text }));
    setSources(prefill.sourceNoteIds);
    onPrefillUsed();
    textRef.current?.focus();
  }, [prefill, onPrefillUsed]);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!values.text.trim()) return setError(t("errors:required"));
    setError(null);
    void props.commands.run(() => props.room.createRec(inputOf(values, sources)), t("draft.created")).then((res) => {
      if (res?.ok) {
        setValues(empty());
        touchedItem.current = false;
        setSources([]);
      } else if (res && !res.ok && res.fields?.text) setError(props.commands.errorText(res.fields.text[0]));
    });
  };
  return (
    <form className="flex flex-col gap-3 rounded-md border border-slate-300 p-3" aria-labelledby={`${id}-heading`} onSubmit={onSubmit} noValidate>
      <h3 id={`${id}-heading`} className="text-base">
        {t("draft.heading")}
      </h3>
      <DraftFields
        values={values}
        onChange={(v) => {
          if (v.itemId !== values.itemId) touchedItem.current = true;
          setValues(v);
        }}
        themes={props.themes}
        addressees={props.addressees}
        items={props.items}
        idPrefix={id}
        textRef={textRef}
        error={error}
      />
      {sources.length ? (
        <p className="flex flex-wrap items-center gap-2 text-sm">
          <span className="badge">{t("draft.sources", { count: sources.length })}</span>
          <button type="button" className="btn-secondary btn-small" onClick={() => setSources([])}>
            {t("draft.dropSources")}
          </button>
        </p>
      ) : null}
      <button type="submit" className="btn-primary self-start" aria-disabled={props.commands.busy || undefined}>
        {t("draft.save")}
      </button>
    </form>
  );
}

// ---- One recommendation ----

type CardProps = PanelProps & { rec: RecommendationView; commands: RecCommands; canDraft: boolean; canRun: boolean; canTake: boolean };
type Mode = "view" | "edit" | "revise" | "hands" | "declare";

function RecommendationCard(props: CardProps) {
  const { t } = useTranslation("recommendations");
  const label = useBilingualLabel();
  const { rec } = props;
  const [mode, setMode] = useState<Mode>("view");
  const headingId = useId();
  const vote = rec.vote;
  const addressee = props.addressees.find((a) => a.id === rec.addresseeId);
  const theme = props.themes.find((th) => th.id === rec.themeId);
  const item = props.items.find((i) => i.id === rec.itemId);
  const back = () => setMode("view");
  return (
    <article aria-labelledby={headingId} className={`flex flex-col gap-3 rounded-md border p-3 ${rec.status === "open" ? "border-2 border-brand" : "border-slate-200"}`}>
      <div id={headingId} className="flex flex-wrap items-center gap-2 text-sm">
        <span className={`badge ${STATUS_STYLE[rec.status] ?? ""}`}>{t(`status.${rec.status}`)}</span>
        {rec.round > 1 ? <span className="badge">{t("round", { round: rec.round })}</span> : null}
        <span className="sr-only">{rec.text}</span>
      </div>
      <p className="whitespace-pre-line break-words text-lg font-medium" dir="auto">
        {rec.text}
      </p>
      {addressee || theme || rec.horizon || item ? (
        <dl className="grid grid-cols-1 gap-x-4 gap-y-1 text-sm sm:grid-cols-2">
          {addressee ? <Meta term={t("addressee")} value={label(addressee)} /> : null}
          {theme ? <Meta term={t("theme")} value={label(theme)} /> : null}
          {rec.horizon ? <Meta term={t("horizon")} value={t(`horizons.${rec.horizon}`)} /> : null}
          {item ? <Meta term={t("item")} value={item.title} /> : null}
        </dl>
      ) : null}
      {rec.sourceNoteIds.length ? <p className="text-sm text-ink-soft">{t("fromNotes", { count: rec.sourceNoteIds.length })}</p> : null}

      {vote ? <ResultBlock vote={vote} /> : null}

      {props.canTake && vote?.open && rec.status === "open" ? <PositionPicker {...props} scale={vote.scale} /> : null}

      {mode === "edit" ? <EditDraft {...props} onDone={back} /> : null}
      {mode === "revise" ? <ReviseForm {...props} onDone={back} /> : null}
      {mode === "hands" && vote ? <HandsForm {...props} vote={vote} onDone={back} /> : null}
      {mode === "declare" ? <DeclareForm {...props} onDone={back} /> : null}
      {mode === "view" ? <StaffControls {...props} setMode={setMode} /> : null}

      {rec.earlier.length ? (
        <details className="rounded-md border border-slate-200 p-2">
          <summary className="cursor-pointer text-sm font-medium">{t("earlier.summary", { count: rec.earlier.length })}</summary>
          <ul className="mt-2 flex flex-col gap-2">
            {rec.earlier.map((v) => (
              <li key={v.id} className="flex flex-col gap-1">
                <p className="text-sm font-semibold">{t("earlier.round", { round: v.round })}</p>
                {/* The wording that round was on (a revision may have changed it since). */}
                {rec.revisions.find((r) => r.round === v.round) ? (
                  <p className="text-sm" dir="auto">
                    {rec.revisions.find((r) => r.round === v.round)?.text}
                  </p>
                ) : null}
                <ResultBlock vote={v} />
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      {rec.revisions.length > 1 ? (
        <details className="rounded-md border border-slate-200 p-2">
          <summary className="cursor-pointer text-sm font-medium">{t("revisions.summary", { count: rec.revisions.length - 1 })}</summary>
          <ol className="mt-2 flex flex-col gap-2">
            {rec.revisions.map((r) => (
              <li key={r.round} className="flex flex-col gap-0.5 text-sm">
                <span className="font-semibold">{r.round === 1 ? t("revisions.original") : t("revisions.round", { round: r.round })}</span>
                <span dir="auto" className="whitespace-pre-line break-words">
                  {r.text}
                </span>
                {r.reason ? <span className="text-ink-soft">{t("revisions.reason", { reason: r.reason })}</span> : null}
              </li>
            ))}
          </ol>
        </details>
      ) : null}
    </article>
  );
}

function Meta({ term, value }: { term: string; value: string }) {
  const { t } = useTranslation("recommendations");
  return (
    <div className="flex flex-wrap gap-1">
      <dt className="font-medium">{t("term", { term })}</dt>
      <dd dir="auto">{value}</dd>
    </div>
  );
}

/** The level badge, the wording in the page's language, and counts only where the server sent them. */
export function ResultBlock({ vote, large }: { vote: VoteView; large?: boolean }) {
  const { t, i18n } = useTranslation(["recommendations", "consensus"]);
  const result = vote.result;
  if (!result) {
    return <p className={`rounded-md border border-slate-300 bg-slate-50 p-2 ${large ? "text-3xl" : "text-sm"}`}>{vote.open && vote.hiddenTally ? t("result.hidden") : t("result.none")}</p>;
  }
  return (
    <div className="flex flex-col gap-1">
      {vote.open ? <p className={`text-ink-soft ${large ? "text-2xl" : "text-sm"}`}>{t("result.running")}</p> : null}
      {/* The summary sentence reads in the past tense: it appears once the round has closed. */}
      <ResultPanel result={result} lang={i18n.language === "fr" ? "fr" : "en"} large={large} wording={!vote.open} />
    </div>
  );
}

export function ResultPanel({
  result,
  lang,
  large,
  wording = true,
}: {
  result: Pick<ResultView, "level" | "declared" | "counts" | "wording"> & { handsIncluded?: boolean };
  lang: "en" | "fr";
  large?: boolean;
  wording?: boolean;
}) {
  const { t } = useTranslation(["recommendations", "consensus"]);
  const badge = badgeOf(result);
  const c = result.counts;
  return (
    <div className={`flex flex-col gap-2 rounded-md border-2 p-3 ${LEVEL_STYLE[result.level] ?? ""}`}>
      <p className="flex flex-wrap items-center gap-2">
        <span className={`font-bold ${large ? "text-5xl" : "text-lg"}`}>{t(`consensus:${badge.label}`)}</span>
        {badge.marker ? <span className={`badge bg-white text-ink ${large ? "text-2xl" : ""}`}>{t(`consensus:${badge.marker}`)}</span> : null}
        {result.handsIncluded ? <span className={`badge bg-white text-ink ${large ? "text-2xl" : ""}`}>{t("consensus:hands")}</span> : null}
      </p>
      {wording ? (
        <p className={`text-ink ${large ? "text-3xl" : ""}`} dir="auto" lang={lang}>
          {result.wording[lang]}
        </p>
      ) : null}
      {c ? (
        <ul className={`flex flex-wrap gap-x-4 gap-y-1 text-ink ${large ? "text-2xl" : "text-sm"}`}>
          <li>{t("result.taken", { taken: c.taken, eligible: c.eligible })}</li>
          <li>{t("result.share", { share: c.sharePercent })}</li>
          <li>
            {t("consensus:mappings.support")}: {c.support}
          </li>
          <li>
            {t("consensus:mappings.neutral")}: {c.neutral}
          </li>
          <li>
            {t("consensus:mappings.oppose")}: {c.oppose}
          </li>
          {c.block ? (
            <li>
              {t("consensus:mappings.block")}: {c.block}
            </li>
          ) : null}
          {!c.quorumReached && result.level !== "no_quorum" ? <li className="font-semibold">{t("result.quorumMissing")}</li> : null}
        </ul>
      ) : null}
    </div>
  );
}

// ---- Taking a position ----

function PositionPicker(props: CardProps & { scale: ScaleKey }) {
  const { t } = useTranslation(["recommendations", "consensus"]);
  const { rec, recs, scale, room, commands } = props;
  const id = useId();
  const mine = recs.mine[rec.id] ?? null;
  const [pending, setPending] = useState<string | null>(null);
  const [said, setSaid] = useState<{ text: string; seq: number } | null>(null);
  const seq = useRef(0);
  const chosen = pending ?? mine;
  const labelOf = (key: string) => t(`consensus:${optionLabelKey(scale, key)}`);
  const choose = (option: string) => {
    if (option === chosen && !pending) return;
    setPending(option);
    void commands.run(() => room.takePosition(rec.id, option)).then((res) => {
      setPending(null);
      if (res?.ok) {
        seq.current += 1;
        setSaid({ text: t("take.recorded", { option: labelOf(res.data.option) }), seq: seq.current });
      }
    });
  };
  // The round's own scale (the session's scale may have changed since the page was loaded).
  const options = optionsOf(scale);
  return (
    <fieldset className="flex flex-col gap-2" aria-describedby={`${id}-hint`}>
      <legend className="label mb-1 text-base">{t("take.legend")}</legend>
      <p id={`${id}-hint`} className="hint">
        {t("take.hint")}
      </p>
      <div className="flex flex-col gap-2">
        {options.map((o) => {
          const selected = chosen === o.key;
          return (
            <label key={o.key} className={`flex min-h-[56px] cursor-pointer items-center gap-3 rounded-lg border-2 px-3 py-2 ${selected ? "border-brand bg-brand-light" : "border-slate-300 bg-white"}`}>
              <input type="radio" name={`${id}-position`} value={o.key} checked={selected} onChange={() => choose(o.key)} className="h-5 w-5 shrink-0" aria-describedby={`${id}-${o.key}-hint`} />
              {o.mark ? (
                <span aria-hidden="true" className="inline-flex h-9 w-9 shrink-0 items-center justify-center rounded-full border-2 border-ink text-lg font-bold">
                  {o.mark}
                </span>
              ) : null}
              <span className="flex flex-col">
                <span className={`text-lg ${selected ? "font-bold" : "font-medium"}`}>
                  {labelOf(o.key)}
                  {selected && !pending ? <span className="badge ml-2 bg-brand text-white">{t("take.yours")}</span> : null}
                </span>
                <span id={`${id}-${o.key}-hint`} className="text-sm text-ink-soft">
                  {t(`consensus:${optionHintKey(scale, o.key)}`)}
                </span>
              </span>
            </label>
          );
        })}
      </div>
      <p aria-live="polite" aria-atomic="true" className="min-h-[1.5rem] text-sm font-medium">
        {said ? <span key={said.seq}>{said.text}</span> : mine ? null : t("take.none")}
      </p>
    </fieldset>
  );
}

// ---- Staff ----

function StaffControls(props: CardProps & { setMode: (m: Mode) => void }) {
  const { t } = useTranslation("recommendations");
  const { rec, room, commands, canDraft, canRun, setMode } = props;
  const id = useId();
  const [hidden, setHidden] = useState(false);
  const live = props.status === "live";
  const busy = commands.busy;
  const open = rec.status === "open";
  const openable = (rec.status === "draft" || rec.status === "closed") && live;
  const decidable = ["closed", "adopted", "not_adopted"].includes(rec.status) && WORKING.includes(props.status);
  const declarable = rec.status !== "open" && WORKING.includes(props.status);
  const items: ReactNode[] = [];
  const btn = (key: string, text: string, onClick: () => void, variant: "primary" | "secondary" | "danger" = "secondary", ariaLabel?: string) =>
    items.push(
      <button key={key} type="button" className={`btn-${variant} btn-small`} aria-label={ariaLabel} aria-disabled={busy || undefined} onClick={() => !busy && onClick()}>
        {text}
      </button>,
    );
  if (canDraft && rec.status === "draft") btn("edit", t("draft.edit"), () => setMode("edit"), "secondary", t("draft.editLabel", { text: rec.text.slice(0, 60) }));
  if (canDraft && rec.status !== "draft") btn("revise", t("revise.open"), () => setMode("revise"));
  if (canRun && open) {
    btn("close", t("run.close"), () => void commands.run(() => room.closeVote(rec.id), t("run.closed")), "primary");
    btn("hands", t("hands.open"), () => setMode("hands"));
  }
  if (canRun && declarable) btn("declare", t("declare.open"), () => setMode("declare"));
  if (canRun && decidable) {
    if (rec.status !== "adopted") btn("adopt", t("run.adopt"), () => void commands.run(() => room.decideRec(rec.id, "adopted"), t("run.decided")));
    if (rec.status !== "not_adopted") btn("reject", t("run.reject"), () => void commands.run(() => room.decideRec(rec.id, "not_adopted"), t("run.decided")), "danger");
  }
  const showOpen = canRun && openable;
  if (!items.length && !showOpen) return null;
  return (
    <div className="flex flex-col gap-2 border-t border-slate-200 pt-3" role="group" aria-label={t("run.controls")}>
      {showOpen ? (
        <div className="flex flex-col gap-2 sm:flex-row sm:items-center">
          <label className="flex min-h-[44px] items-center gap-2 text-sm">
            <input id={`${id}-hidden`} type="checkbox" className="h-4 w-4" checked={hidden} onChange={(e) => setHidden(e.target.checked)} />
            {t("run.hiddenTally")}
          </label>
          <button type="button" className="btn-primary btn-small" aria-disabled={busy || undefined} onClick={() => !busy && void commands.run(() => room.openVote(rec.id, hidden), t("run.opened"))}>
            {rec.status === "closed" ? t("run.reopen") : t("run.open")}
          </button>
        </div>
      ) : null}
      {items.length ? <div className="flex flex-wrap gap-2">{items}</div> : null}
      {rec.vote?.hands ? <p className="text-sm text-ink-soft">{t("hands.current", { headcount: rec.vote.hands.headcount })}</p> : null}
    </div>
  );
}

function EditDraft(props: CardProps & { onDone: () => void }) {
  const { t } = useTranslation("recommendations");
  const id = useId();
  const { rec } = props;
  const [values, setValues] = useState<DraftValues>({ text: rec.text, addresseeId: rec.addresseeId ?? "", themeId: rec.themeId ?? "", horizon: rec.horizon ?? "", itemId: rec.itemId ?? "" });
  const [error, setError] = useState<string | null>(null);
  const ref = useRef<HTMLTextAreaElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <form
      className="flex flex-col gap-3 rounded-md border border-brand p-3"
      aria-labelledby={`${id}-heading`}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (!values.text.trim()) return setError(t("errors:required"));
        void props.commands.run(() => props.room.updateRec(rec.id, inputOf(values, rec.sourceNoteIds)), t("draft.updated")).then((res) => {
          if (res?.ok) props.onDone();
          else if (res && !res.ok && res.fields?.text) setError(props.commands.errorText(res.fields.text[0]));
        });
      }}
    >
      <h3 id={`${id}-heading`} className="text-base">
        {t("draft.editHeading")}
      </h3>
      <DraftFields values={values} onChange={setValues} themes={props.themes} addressees={props.addressees} items={props.items} idPrefix={id} textRef={ref} error={error} />
      <div className="flex flex-wrap gap-2">
        <button type="submit" className="btn-primary btn-small" aria-disabled={props.commands.busy || undefined}>
          {t("draft.saveEdit")}
        </button>
        <button type="button" className="btn-secondary btn-small" onClick={props.onDone}>
          {t("draft.cancel")}
        </button>
      </div>
    </form>
  );
}

function ReviseForm(props: CardProps & { onDone: () => void }) {
  const { t } = useTranslation("recommendations");
  const id = useId();
  const { rec } = props;
  const [text, setText] = useState(rec.text);
  const [reason, setReason] = useState("");
  const [errors, setErrors] = useState<{ text?: string; reason?: string }>({});
  const ref = useRef<HTMLTextAreaElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <form
      className="flex flex-col gap-3 rounded-md border border-brand p-3"
      aria-labelledby={`${id}-heading`}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const local = { text: text.trim() ? undefined : t("errors:required"), reason: reason.trim() ? undefined : t("errors:required") };
        setErrors(local);
        if (local.text || local.reason) return;
        void props.commands.run(() => props.room.reviseRec(rec.id, text, reason), t("revise.done")).then((res) => {
          if (res?.ok) props.onDone();
          else if (res && !res.ok && res.fields) setErrors({ text: res.fields.text && props.commands.errorText(res.fields.text[0]), reason: res.fields.reason && props.commands.errorText(res.fields.reason[0]) });
        });
      }}
    >
      <h3 id={`${id}-heading`} className="text-base">
        {t("revise.heading")}
      </h3>
      {rec.status === "open" ? <p className="notice">{t("revise.openHint")}</p> : null}
      <div className="field">
        <label htmlFor={`${id}-text`} className="label">
          {t("revise.text")}
        </label>
        <textarea ref={ref} id={`${id}-text`} dir="auto" rows={3} className="input" value={text} onChange={(e) => setText(e.target.value)} aria-invalid={errors.text ? true : undefined} aria-describedby={errors.text ? `${id}-text-error` : undefined} />
        {errors.text ? (
          <p id={`${id}-text-error`} className="error">
            {errors.text}
          </p>
        ) : null}
      </div>
      <div className="field">
        <label htmlFor={`${id}-reason`} className="label">
          {t("revise.reason")}
        </label>
        <p id={`${id}-reason-hint`} className="hint">
          {t("revise.reasonHint")}
        </p>
        <input id={`${id}-reason`} type="text" className="input" maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} aria-invalid={errors.reason ? true : undefined} aria-describedby={`${id}-reason-hint${errors.reason ? ` ${id}-reason-error` : ""}`} />
        {errors.reason ? (
          <p id={`${id}-reason-error`} className="error">
            {errors.reason}
          </p>
        ) : null}
      </div>
      <div className="flex flex-wrap gap-2">
        <button type="submit" className="btn-primary btn-small" aria-disabled={props.commands.busy || undefined}>
          {t("revise.save")}
        </button>
        <button type="button" className="btn-secondary btn-small" onClick={props.onDone}>
          {t("draft.cancel")}
        </button>
      </div>
    </form>
  );
}

function HandsForm(props: CardProps & { vote: VoteView; onDone: () => void }) {
  const { t } = useTranslation(["recommendations", "consensus", "errors"]);
  const id = useId();
  const { rec, vote } = props;
  const scale = vote.scale;
  const [headcount, setHeadcount] = useState(vote.hands ? String(vote.hands.headcount) : "");
  const options = optionsOf(scale);
  const [counts, setCounts] = useState<Record<string, string>>(() => Object.fromEntries(options.map((o) => [o.key, vote.hands?.counts[o.key] !== undefined ? String(vote.hands.counts[o.key]) : ""])));
  const [errors, setErrors] = useState<HandsFormError[]>([]);
  const [serverError, setServerError] = useState<string | null>(null);
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => ref.current?.focus(), []);
  const errorOf = (field: string) => errors.find((e) => e.field === field);
  const message = (e: HandsFormError | undefined) => (e ? t(`errors:${e.code}`) : null);
  const headErr = message(errorOf("headcount"));
  return (
    <form
      className="flex flex-col gap-3 rounded-md border border-brand p-3"
      aria-labelledby={`${id}-heading`}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        setServerError(null);
        const parsed = parseHands(headcount, counts);
        if (!parsed.ok) {
          setErrors(parsed.errors);
          const first = parsed.errors[0].field;
          document.getElementById(first === "headcount" ? `${id}-headcount` : `${id}-count-${first}`)?.focus();
          return;
        }
        setErrors([]);
        void props.commands.run(() => props.room.recordHands(rec.id, parsed.headcount, parsed.counts), t("hands.done")).then((res) => {
          if (res?.ok) props.onDone();
          else if (res && !res.ok) setServerError(props.commands.errorText(res.error));
        });
      }}
    >
      <h3 id={`${id}-heading`} className="text-base">
        {t("hands.heading")}
      </h3>
      <p id={`${id}-hint`} className="hint">
        {t("hands.hint")}
      </p>
      <div className="field">
        <label htmlFor={`${id}-headcount`} className="label">
          {t("hands.headcount")}
        </label>
        <input
          ref={ref}
          id={`${id}-headcount`}
          type="text"
          inputMode="numeric"
          autoComplete="off"
          className="input sm:w-40"
          value={headcount}
          onChange={(e) => setHeadcount(e.target.value)}
          aria-invalid={headErr ? true : undefined}
          aria-describedby={`${id}-hint${headErr ? ` ${id}-headcount-error` : ""}`}
        />
        {headErr ? (
          <p id={`${id}-headcount-error`} className="error" role="alert">
            {headErr}
          </p>
        ) : null}
      </div>
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        {options.map((o) => {
          const err = message(errorOf(o.key));
          const optionLabel = `${o.mark ? `${o.mark} · ` : ""}${t(`consensus:${optionLabelKey(scale, o.key)}`)}`;
          return (
            <div key={o.key} className="field">
              <label htmlFor={`${id}-count-${o.key}`} className="label">
                {t("hands.count", { option: optionLabel })}
              </label>
              <input
                id={`${id}-count-${o.key}`}
                type="text"
                inputMode="numeric"
                autoComplete="off"
                className="input"
                value={counts[o.key] ?? ""}
                onChange={(e) => setCounts((c) => ({ ...c, [o.key]: e.target.value }))}
                aria-invalid={err ? true : undefined}
                aria-describedby={err ? `${id}-count-${o.key}-error` : undefined}
              />
              {err ? (
                <p id={`${id}-count-${o.key}-error`} className="error">
                  {err}
                </p>
              ) : null}
            </div>
          );
        })}
      </div>
      {serverError ? (
        <p className="alert" role="alert">
          {serverError}
        </p>
      ) : null}
      <div className="flex flex-wrap gap-2">
        <button type="submit" className="btn-primary btn-small" aria-disabled={props.commands.busy || undefined}>
          {t("hands.save")}
        </button>
        <button type="button" className="btn-secondary btn-small" onClick={props.onDone}>
          {t("hands.cancel")}
        </button>
      </div>
    </form>
  );
}

function DeclareForm(props: CardProps & { onDone: () => void }) {
  const { t } = useTranslation(["recommendations", "consensus"]);
  const id = useId();
  const [level, setLevel] = useState<string>("consensus");
  return (
    <form
      className="flex flex-col gap-3 rounded-md border border-brand p-3"
      aria-labelledby={`${id}-heading`}
      onSubmit={(e) => {
        e.preventDefault();
        void props.commands.run(() => props.room.declareLevel(props.rec.id, level), t("declare.done")).then((res) => res?.ok && props.onDone());
      }}
    >
      <h3 id={`${id}-heading`} className="text-base">
        {t("declare.heading")}
      </h3>
      <p className="hint">{t("declare.hint")}</p>
      <fieldset className="flex flex-col gap-2">
        <legend className="label mb-1">{t("declare.level")}</legend>
        {DECLARABLE.map((l) => (
          <label key={l} className={`flex min-h-[44px] cursor-pointer items-center gap-2 rounded-md border px-3 py-2 ${level === l ? "border-brand bg-brand-light font-semibold" : "border-slate-300 bg-white"}`}>
            <input type="radio" name={`${id}-level`} value={l} checked={level === l} onChange={() => setLevel(l)} className="h-4 w-4 shrink-0" />
            {l === "consensus" ? t("consensus:declared.consensus") : t(`consensus:levels.${l}.label`)}
          </label>
        ))}
      </fieldset>
      <div className="flex flex-wrap gap-2">
        <button type="submit" className="btn-primary btn-small" aria-disabled={props.commands.busy || undefined}>
          {t("declare.save")}
        </button>
        <button type="button" className="btn-secondary btn-small" onClick={props.onDone}>
          {t("declare.cancel")}
        </button>
      </div>
    </form>
  );
}
