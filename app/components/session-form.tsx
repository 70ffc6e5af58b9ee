/**
 * The session form, shared by "new session" and "edit session". A plain POST form (works without
 * JavaScript); on a 400 it shows each field's error and keeps what was typed.
 */
import { useId, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { AppForm, Field, FormError, SelectField, SubmitButton, useErrorText } from "~/components/forms";
import type { FormResult } from "~/utils/http";
import { ATTRIBUTION_OPTIONS, KIND_OPTIONS, LANGUAGE_OPTIONS, localityTree, NOTE_VISIBILITY_OPTIONS } from "~/utils/session-form";
import { COMMON_TIME_ZONES, epochToZonedWallTime } from "~/utils/time";

export type SessionFormValues = {
  title: string;
  description: string;
  coHosts: string;
  kind: string;
  levelId: string;
  localityId: string | null;
  parentSessionId: string | null;
  languages: string[];
  startsAt: number | null;
  endsAt: number | null;
  timeZone: string;
  attributionMode: string;
  noteVisibility: string;
  rosterVisibleToRoom: boolean;
};

export type SessionFormOptions = {
  levels: { id: string; labelEn: string; labelFr: string }[];
  localities: { id: string; name: string; parentId: string | null; levelId: string }[];
  parentCandidates: { id: string; title: string }[];
};

/** What a new session starts with. */
export function newSessionDefaults(language: string, levelId: string): SessionFormValues {
  return {
    title: "",
    description: "",
    coHosts: "",
    kind: "roundtable",
    levelId,
    localityId: null,
    parentSessionId: null,
    languages: [language === "en" ? "en" : "fr"],
    startsAt: null,
    endsAt: null,
    timeZone: "Africa/Bamako",
    attributionMode: "chatham_house",
    noteVisibility: "participants",
    rosterVisibleToRoom: false,
  };
}

function failed(result: FormResult | undefined) {
  return result && !result.ok ? result : undefined;
}

/** The errors of a field and of its sub-paths ("languages.0"). */
function fieldErrors(result: FormResult | undefined, name: string): string[] {
  const f = failed(result);
  if (!f) return [];
  return Object.entries(f.fields)
    .filter(([key]) => key === name || key.startsWith(`${name}.`))
    .flatMap(([, errors]) => errors);
}

function typedList(result: FormResult | undefined, name: string): string[] | undefined {
  const f = failed(result);
  if (!f) return undefined;
  const v = f.values[name];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

function typed(result: FormResult | undefined, name: string): string | undefined {
  const f = failed(result);
  if (!f) return undefined;
  const v = f.values[name];
  return Array.isArray(v) ? v[0] : v;
}

function Fieldset({ legend, children }: { legend: string; children: ReactNode }) {
  return (
    <fieldset className="card flex flex-col gap-4">
      <legend className="px-1 text-lg font-semibold">{legend}</legend>
      {children}
    </fieldset>
  );
}

function ErrorText({ id, errors }: { id: string; errors: string[] }) {
  const errorText = useErrorText();
  if (!errors.length) return null;
  return (
    <p id={id} className="error">
      {errors.map((e) => errorText(e)).join(" ")}
    </p>
  );
}

/** Radio buttons, each with a one-line explanation. */
function RadioGroup(props: { name: string; legend: string; hint?: string; options: { value: string; label: string; explain: string }[]; defaultValue: string; result?: FormResult }) {
  const id = useId();
  const errors = fieldErrors(props.result, props.name);
  const current = typed(props.result, props.name) ?? props.defaultValue;
  const describedBy = [props.hint ? `${id}-hint` : null, errors.length ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <fieldset className="flex flex-col gap-2" aria-describedby={describedBy}>
      <legend className="label">{props.legend}</legend>
      {props.hint ? (
        <p id={`${id}-hint`} className="hint">
          {props.hint}
        </p>
      ) : null}
      {props.options.map((o) => (
        <div key={o.value} className="flex items-start gap-3 rounded-md border border-slate-200 p-3">
          <input id={`${id}-${o.value}`} type="radio" name={props.name} value={o.value} defaultChecked={current === o.value} className="mt-1 h-5 w-5 shrink-0" aria-describedby={`${id}-${o.value}-explain`} />
          <div>
            <label htmlFor={`${id}-${o.value}`} className="label">
              {o.label}
            </label>
            <p id={`${id}-${o.value}-explain`} className="hint">
              {o.explain}
            </p>
          </div>
        </div>
      ))}
      <ErrorText id={`${id}-error`} errors={errors} />
    </fieldset>
  );
}

function LanguagesField({ defaultValue, result }: { defaultValue: string[]; result?: FormResult }) {
  const { t } = useTranslation("sessions");
  const id = useId();
  const errors = fieldErrors(result, "languages");
  const checked = typedList(result, "languages") ?? defaultValue;
  return (
    <fieldset className="flex flex-col gap-2" aria-describedby={`${id}-hint${errors.length ? ` ${id}-error` : ""}`}>
      <legend className="label">{t("form.languages")}</legend>
      <p id={`${id}-hint`} className="hint">
        {t("form.languagesHint")}
      </p>
      <div className="flex flex-wrap gap-4">
        {LANGUAGE_OPTIONS.map((lang) => (
          <div key={lang} className="flex items-center gap-2">
            <input id={`${id}-${lang}`} type="checkbox" name="languages" value={lang} defaultChecked={checked.includes(lang)} className="h-5 w-5" />
            <label htmlFor={`${id}-${lang}`}>
              <span lang={lang}>{t(`languageNames.${lang}`)}</span>
            </label>
          </div>
        ))}
      </div>
      <ErrorText id={`${id}-error`} errors={errors} />
    </fieldset>
  );
}

function RosterVisibleField({ defaultChecked, result }: { defaultChecked: boolean; result?: FormResult }) {
  const { t } = useTranslation("sessions");
  const id = useId();
  const errors = fieldErrors(result, "rosterVisibleToRoom");
  const f = failed(result);
  const checked = f ? f.values.rosterVisibleToRoom === "on" : defaultChecked;
  return (
    <div className="flex items-start gap-3">
      <input id={id} type="checkbox" name="rosterVisibleToRoom" value="on" defaultChecked={checked} className="mt-1 h-5 w-5 shrink-0" aria-describedby={`${id}-hint`} />
      <div>
        <label htmlFor={id} className="label">
          {t("form.rosterVisible")}
        </label>
        <p id={`${id}-hint`} className="hint">
          {t("form.rosterVisibleHint")}
        </p>
        <ErrorText id={`${id}-error`} errors={errors} />
      </div>
    </div>
  );
}

export function SessionForm({ values, options, result, submitLabel, cancel }: { values: SessionFormValues; options: SessionFormOptions; result?: FormResult; submitLabel: string; cancel?: ReactNode }) {
  const { t, i18n } = useTranslation("sessions");
  const fr = i18n.language === "fr";
  const timeZone = typed(result, "timeZone") ?? values.timeZone;
  const zones = COMMON_TIME_ZONES.includes(timeZone) || !timeZone ? COMMON_TIME_ZONES : [timeZone, ...COMMON_TIME_ZONES];
  const wall = (epoch: number | null) => {
    if (epoch === null) return "";
    try {
      return epochToZonedWallTime(epoch, values.timeZone);
    } catch {
      return "";
    }
  };
  const indent = "\u00A0\u00A0\u00A0";
  const levelLabel = new Map(options.levels.map((l) => [l.id, fr ? l.labelFr : l.labelEn]));
  return (
    <AppForm className="flex flex-col gap-6" noValidate>
      <FormError result={result} />
      <Fieldset legend={t("form.aboutLegend")}>
        <Field name="title" label={t("form.title")} defaultValue={values.title} required maxLength={200} result={result} autoComplete="off" />
        <Field name="description" label={t("form.description")} hint={t("form.descriptionHint")} defaultValue={values.description} multiline rows={5} maxLength={4000} result={result} />
        <Field name="coHosts" label={t("form.coHosts")} hint={t("form.coHostsHint")} defaultValue={values.coHosts} maxLength={500} result={result} autoComplete="off" />
        <SelectField name="kind" label={t("form.kind")} options={KIND_OPTIONS.map((k) => ({ value: k, label: t(`kinds.${k}`) }))} defaultValue={values.kind} required result={result} />
        <LanguagesField defaultValue={values.languages} result={result} />
      </Fieldset>

      <Fieldset legend={t("form.placeLegend")}>
        <SelectField name="levelId" label={t("form.level")} options={options.levels.map((l) => ({ value: l.id, label: fr ? l.labelFr : l.labelEn }))} defaultValue={values.levelId} required result={result} />
        <SelectField
          name="localityId"
          label={t("form.locality")}
          includeEmpty={t("form.localityNone")}
          options={localityTree(options.localities).map(({ item, depth }) => {
            const level = levelLabel.get(item.levelId);
            return { value: item.id, label: `${indent.repeat(depth)}${depth ? "– " : ""}${item.name}${level ? ` (${level})` : ""}` };
          })}
          defaultValue={values.localityId ?? ""}
          result={result}
        />
        <SelectField name="parentSessionId" label={t("form.parent")} hint={t("form.parentHint")} includeEmpty={t("form.parentNone")} options={options.parentCandidates.map((s) => ({ value: s.id, label: s.title }))} defaultValue={values.parentSessionId ?? ""} result={result} />
      </Fieldset>

      <Fieldset legend={t("form.scheduleLegend")}>
        <p className="hint">{t("form.timesHint")}</p>
        <div className="grid gap-4 sm:grid-cols-2">
          <Field name="startsAt" label={t("form.startsAt")} type="datetime-local" defaultValue={wall(values.startsAt)} result={result} />
          <Field name="endsAt" label={t("form.endsAt")} type="datetime-local" defaultValue={wall(values.endsAt)} result={result} />
        </div>
        <SelectField name="timeZone" label={t("form.timeZone")} hint={t("form.timeZoneHint")} options={zones.map((z) => ({ value: z, label: z }))} defaultValue={timeZone} required result={result} />
      </Fieldset>

      <Fieldset legend={t("form.confidentialityLegend")}>
        <RadioGroup
          name="attributionMode"
          legend={t("form.attributionMode")}
          hint={t("form.attributionHint")}
          options={ATTRIBUTION_OPTIONS.map((m) => ({ value: m, label: t(`attribution.${m}.label`), explain: t(`attribution.${m}.explain`) }))}
          defaultValue={values.attributionMode}
          result={result}
        />
        <RadioGroup
          name="noteVisibility"
          legend={t("form.noteVisibility")}
          options={NOTE_VISIBILITY_OPTIONS.map((v) => ({ value: v, label: t(`noteVisibility.${v}.label`), explain: t(`noteVisibility.${v}.explain`) }))}
          defaultValue={values.noteVisibility}
          result={result}
        />
        <RosterVisibleField defaultChecked={values.rosterVisibleToRoom} result={result} />
      </Fieldset>

      <div className="flex flex-wrap items-center gap-3">
        <SubmitButton>{submitLabel}</SubmitButton>
        {cancel}
      </div>
    </AppForm>
  );
}
