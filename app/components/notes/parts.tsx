/**
 * Small pieces shared by the live room's notes panel and the capture screen: kind and theme pickers,
 * the character counter, the attribution guard's findings, labels and times.
 */
import { useId, useMemo, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useBilingualLabel } from "~/components/bilingual";
import type { Finding } from "~/models/guard";
import { countChars, type NoteView } from "~/models/notes";
import { segmentsOf } from "~/notes/feed";

export type ThemeOption = { id: string; labelEn: string; labelFr: string };

/** What the loader's `composer` holds (app/models/notes.server.ts). */
export type ComposerData = {
  kinds: readonly string[];
  themes: ThemeOption[];
  maxChars: number;
  noteVisibility: string;
  canWrite: boolean;
  canCurate: boolean;
  rosterFindings: boolean;
  writable: boolean;
  status: string;
};


/** A minute in the session's time zone ("14:05"). */
export function useMinuteFormat(timeZone: string) {
  const { i18n } = useTranslation();
  const locale = i18n.language === "fr" ? "fr-FR" : "en-GB";
  const format = useMemo(() => new Intl.DateTimeFormat(locale, { timeZone, hour: "2-digit", minute: "2-digit" }), [locale, timeZone]);
  return (epoch: number) => format.format(new Date(epoch));
}

export function KindPicker(props: { kinds: readonly string[]; value: string; onChange: (kind: string) => void; name?: string; shortcuts?: boolean; idPrefix?: string }) {
  const { t } = useTranslation("notes");
  const id = useId();
  return (
    <fieldset className="flex flex-col gap-2">
      <legend className="label mb-1">{t("composer.kind")}</legend>
      <div className="flex flex-wrap gap-2">
        {props.kinds.map((kind, i) => (
          <label key={kind} className={`flex min-h-[44px] cursor-pointer items-center gap-2 rounded-md border px-3 py-2 ${props.value === kind ? "border-brand bg-brand-light font-semibold" : "border-slate-300 bg-white"}`}>
            <input id={`${props.idPrefix ?? id}-kind-${kind}`} type="radio" name={props.name ?? "kind"} value={kind} checked={props.value === kind} onChange={() => props.onChange(kind)} className="h-4 w-4 shrink-0" />
            <span>
              {t(`kinds.${kind}`)}
              {props.shortcuts ? <kbd className="ml-1 hidden text-xs font-normal text-ink-soft sm:inline">Alt+{i + 1}</kbd> : null}
            </span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

export function ThemePicker(props: { themes: ThemeOption[]; value: string[]; onChange: (ids: string[]) => void; name?: string; shortcuts?: boolean; idPrefix?: string; firstRef?: (el: HTMLInputElement | null) => void }) {
  const { t } = useTranslation("notes");
  const label = useBilingualLabel();
  const id = useId();
  if (!props.themes.length) return null;
  const toggle = (themeId: string) => props.onChange(props.value.includes(themeId) ? props.value.filter((v) => v !== themeId) : [...props.value, themeId]);
  return (
    <fieldset className="flex flex-col gap-2">
      <legend className="label mb-1">{t("composer.themes")}</legend>
      <div className="flex flex-wrap gap-2">
        {props.themes.map((theme, i) => (
          <label key={theme.id} className={`flex min-h-[44px] cursor-pointer items-center gap-2 rounded-md border px-3 py-2 ${props.value.includes(theme.id) ? "border-brand bg-brand-light font-semibold" : "border-slate-300 bg-white"}`}>
            <input
              ref={i === 0 ? props.firstRef : undefined}
              id={`${props.idPrefix ?? id}-theme-${theme.id}`}
              type="checkbox"
              name={props.name ?? "themeIds"}
              value={theme.id}
              checked={props.value.includes(theme.id)}
              onChange={() => toggle(theme.id)}
              className="h-4 w-4 shrink-0"
            />
            <span dir="auto">{label(theme)}</span>
            {props.shortcuts && i < 9 ? <kbd className="hidden text-xs font-normal text-ink-soft sm:inline">Alt+Shift+{i + 1}</kbd> : null}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/** "123 / 1000 characters"; over the limit in the danger colour, and said once to screen readers. */
export function CharCounter({ text, max, id }: { text: string; max: number; id: string }) {
  const { t } = useTranslation("notes");
  const n = countChars(text);
  const over = n > max;
  return (
    <>
      <p id={id} className={`text-sm tabular-nums ${over ? "font-semibold text-danger" : "text-ink-soft"}`}>
        {over ? t("composer.overLimit", { count: n, max }) : t("composer.counter", { count: n, max })}
      </p>
      <p className="sr-only" aria-live="polite">
        {over ? t("composer.overLimitSpoken", { max }) : ""}
      </p>
    </>
  );
}

/** What the guard found, with the neutral wording and a button to apply it. Writing is not blocked. */
export function GuardFindings(props: { findings: Finding[]; onNeutral: () => void; id: string; held?: "author" | "curator" }) {
  const { t } = useTranslation("notes");
  const unique = props.findings.filter((f, i, all) => all.findIndex((g) => g.text === f.text && g.suggestion === f.suggestion) === i);
  return (
    <div id={props.id} aria-live="polite" aria-atomic="true">
      {unique.length ? (
        <div className="flex flex-col gap-2 rounded-md border border-warn bg-warn-light p-3 text-sm text-ink">
          <p className="font-semibold text-warn">{t("guard.heading", { count: unique.length })}</p>
          <ul className="flex flex-col gap-1">
            {unique.map((f) => (
              <li key={`${f.start}:${f.end}:${f.text}`}>
                {t("guard.finding", { text: f.text, suggestion: f.suggestion })} <span className="text-ink-soft">({t(`guard.kinds.${f.kind}`)})</span>
              </li>
            ))}
          </ul>
          <p>{props.held === "curator" ? t("guard.curatorExplain") : t("guard.explain")}</p>
          <button type="button" className="btn-secondary self-start" onClick={props.onNeutral}>
            {t("guard.useNeutral")}
          </button>
        </div>
      ) : null}
    </div>
  );
}

/** A note's text, with what the guard found marked (for staff on held notes). */
export function MarkedText({ text, findings }: { text: string; findings?: Finding[] }) {
  const { t } = useTranslation("notes");
  if (!findings?.length) return <p className="whitespace-pre-line break-words" dir="auto">{text}</p>;
  return (
    <p className="whitespace-pre-line break-words" dir="auto">
      {segmentsOf(text, findings).map((s, i) =>
        s.finding ? (
          <mark key={i} className="rounded bg-warn-light px-0.5 font-semibold text-warn underline decoration-dotted" title={t("guard.suggestion", { suggestion: s.finding.suggestion })}>
            <span className="sr-only">{t("guard.markStart")} </span>
            {s.text}
            <span className="sr-only"> {t("guard.markEnd", { suggestion: s.finding.suggestion })}</span>
          </mark>
        ) : (
          <span key={i}>{s.text}</span>
        ),
      )}
    </p>
  );
}

/** The state of one's own note as the author may know it. */
export function OwnState({ note }: { note: Pick<NoteView, "status"> }) {
  const { t } = useTranslation("notes");
  const styles: Record<string, string> = { visible: "bg-ok-light text-ok", flagged: "bg-warn-light text-warn", hidden: "bg-slate-200 text-ink", merged: "bg-slate-200 text-ink" };
  return <span className={`badge ${styles[note.status] ?? ""}`}>{t(`state.${note.status}`)}</span>;
}

export function Badge({ children, className }: { children: ReactNode; className?: string }) {
  return <span className={`badge ${className ?? ""}`}>{children}</span>;
}
