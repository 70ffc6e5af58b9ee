/**
 * Form building blocks: every form carries the CSRF fallback token; every field has a label, shows
 * its error in the user's language (aria-invalid, aria-describedby) and keeps what was typed.
 */
import { Form, useActionData, useNavigation, useRouteLoaderData, type FormProps } from "@remix-run/react";
import { useId, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { FormResult } from "~/utils/http";

type RootData = { csrfToken: string };

export function CsrfField() {
  const root = useRouteLoaderData<RootData>("root");
  return <input type="hidden" name="_csrf" value={root?.csrfToken ?? ""} />;
}

export function AppForm({ children, ...props }: FormProps & { children: ReactNode }) {
  return (
    <Form method="post" {...props}>
      <CsrfField />
      {children}
    </Form>
  );
}

/** The last action result, if it belongs to this intent (pages with several forms). */
export function useFormResult(intent?: string): FormResult | undefined {
  const data = useActionData<FormResult>();
  if (!data) return undefined;
  if (intent !== undefined && data.intent !== intent) return undefined;
  return data;
}

export function useErrorText() {
  const { t } = useTranslation("errors");
  return (key: string, values?: Record<string, string | number>) => t(key, { ...values, defaultValue: t("generic") });
}

export function FormError({ result }: { result?: FormResult }) {
  const errorText = useErrorText();
  if (!result || result.ok || !result.formError) return null;
  return (
    <div role="alert" className="alert">
      {errorText(result.formError, result.formErrorValues)}
    </div>
  );
}

export function FormSaved({ result, message }: { result?: FormResult; message?: string }) {
  const { t } = useTranslation();
  if (!result?.ok) return null;
  return (
    <p role="status" className="notice">
      {message ?? t("saved")}
    </p>
  );
}

function valueOf(result: FormResult | undefined, name: string): string | undefined {
  if (!result || result.ok) return undefined;
  const v = result.values[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Label, hint and error around one control, wired for screen readers. */
function FieldFrame(props: { id: string; label: string; hint?: string; errors?: string[]; children: ReactNode }) {
  const errorText = useErrorText();
  return (
    <div className="field">
      <label htmlFor={props.id} className="label">
        {props.label}
      </label>
      {props.hint ? (
        <p id={`${props.id}-hint`} className="hint">
          {props.hint}
        </p>
      ) : null}
      {props.children}
      {props.errors ? (
        <p id={`${props.id}-error`} className="error">
          {props.errors.map((e) => errorText(e)).join(" ")}
        </p>
      ) : null}
    </div>
  );
}

function describedBy(id: string, hint?: string, errors?: string[]) {
  return [hint ? `${id}-hint` : null, errors ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
}

type FieldProps = {
  name: string;
  label: string;
  result?: FormResult;
  hint?: string;
  defaultValue?: string | number | null;
  type?: string;
  required?: boolean;
  autoComplete?: string;
  maxLength?: number;
  min?: number;
  max?: number;
  inputMode?: "text" | "numeric" | "email";
  multiline?: boolean;
  rows?: number;
  autoFocus?: boolean;
  placeholder?: string;
  /** For codes typed on phones: capitalise, no autocorrect or spell check. */
  code?: boolean;
};

export function Field(props: FieldProps) {
  const id = useId();
  const errors = props.result && !props.result.ok ? props.result.fields[props.name] : undefined;
  const typed = valueOf(props.result, props.name);
  const defaultValue = typed ?? (props.defaultValue === null || props.defaultValue === undefined ? undefined : String(props.defaultValue));
  const common = {
    id,
    name: props.name,
    className: "input",
    required: props.required,
    "aria-invalid": errors ? true : undefined,
    "aria-describedby": describedBy(id, props.hint, errors),
    defaultValue,
    maxLength: props.maxLength,
    autoFocus: props.autoFocus,
    placeholder: props.placeholder,
    dir: "auto" as const,
    ...(props.code ? { autoCapitalize: "characters", autoCorrect: "off", spellCheck: false } : {}),
  };
  return (
    <FieldFrame id={id} label={props.label} hint={props.hint} errors={errors}>
      {props.multiline ? (
        <textarea {...common} rows={props.rows ?? 4} />
      ) : (
        <input {...common} type={props.type ?? "text"} autoComplete={props.autoComplete} min={props.min} max={props.max} inputMode={props.inputMode} />
      )}
    </FieldFrame>
  );
}

export function SelectField(props: {
  name: string;
  label: string;
  options: { value: string; label: string }[];
  result?: FormResult;
  defaultValue?: string | null;
  hint?: string;
  required?: boolean;
  includeEmpty?: string;
}) {
  const id = useId();
  const errors = props.result && !props.result.ok ? props.result.fields[props.name] : undefined;
  const defaultValue = valueOf(props.result, props.name) ?? props.defaultValue ?? undefined;
  return (
    <FieldFrame id={id} label={props.label} hint={props.hint} errors={errors}>
      <select id={id} name={props.name} className="input" defaultValue={defaultValue} required={props.required} aria-invalid={errors ? true : undefined} aria-describedby={describedBy(id, props.hint, errors)}>
        {props.includeEmpty !== undefined ? <option value="">{props.includeEmpty}</option> : null}
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}

export function CheckboxField(props: { name: string; label: string; hint?: string; defaultChecked?: boolean; result?: FormResult; value?: string }) {
  const id = useId();
  const errorText = useErrorText();
  const errors = props.result && !props.result.ok ? props.result.fields[props.name] : undefined;
  const typed = props.result && !props.result.ok ? props.result.values[props.name] : undefined;
  const value = props.value ?? "on";
  const checked = props.result && !props.result.ok ? (Array.isArray(typed) ? typed.includes(value) : typed === value) : props.defaultChecked;
  return (
    <div className="flex items-start gap-3">
      <input id={id} type="checkbox" name={props.name} value={value} defaultChecked={checked} className="mt-1 h-5 w-5" aria-describedby={props.hint ? `${id}-hint` : undefined} aria-invalid={errors ? true : undefined} />
      <div>
        <label htmlFor={id} className="label">
          {props.label}
        </label>
        {props.hint ? (
          <p id={`${id}-hint`} className="hint">
            {props.hint}
          </p>
        ) : null}
        {errors ? <p className="error">{errors.map((e) => errorText(e)).join(" ")}</p> : null}
      </div>
    </div>
  );
}

export function SubmitButton({ children, className, name, value }: { children: ReactNode; className?: string; name?: string; value?: string }) {
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" && (name ? navigation.formData?.get(name) === value : true);
  return (
    <button type="submit" className={className ?? "btn-primary"} name={name} value={value} aria-disabled={busy || undefined}>
      {children}
    </button>
  );
}

/** A file's schema problems under its refusal: where in the file (a JSON pointer) and what is wrong. */
export function FileProblems({ problems }: { problems?: { path: string; message: string }[] }) {
  if (!problems?.length) return null;
  return (
    <ul className="list-disc ps-5">
      {problems.map((p) => (
        <li key={p.path} dir="auto">
          <code>{p.path || "/"}</code>: {p.message}
        </li>
      ))}
    </ul>
  );
}
