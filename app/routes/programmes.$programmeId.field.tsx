/**
 * A programme's field page (docs/field.md), for its organisers: export a signed field kit for a session
 * to be held on a laptop, register (and revoke) the laptops' key fingerprints, and import the signed
 * bundles they bring back. Every rule is the domain's (app/models/field.server.ts); a refused file
 * changes nothing and the page says why.
 */
import { MAX_UPLOAD_FILE_BYTES } from "~/utils/limits";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useId } from "react";
import { useTranslation } from "react-i18next";
import { AppForm, FileProblems, SubmitButton } from "~/components/forms";
import { Page, Section } from "~/components/layout";
import { httpStatusOf, isDomainError } from "~/models/errors";
import { FIELD_ERRORS } from "~/models/field";
import { load, readForm, signInRedirect } from "~/utils/http";
import { formatDate } from "~/utils/time";

export const meta: MetaFunction = () => [{ title: "Parley" }];

/** The largest file read (the server refuses larger request bodies before this). */
const MAX_FILE = MAX_UPLOAD_FILE_BYTES;

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { domain, actor } = context;
  return json(await load(request, () => domain.field.programmeField(actor, params.programmeId ?? "")));
}

type Outcome =
  | { ok: true; intent: "register"; fingerprint: string }
  | { ok: true; intent: "revoke" }
  | { ok: true; intent: "bundle"; sessionId: string; title: string; number: number; fingerprint: string; label: string }
  | { ok: false; intent: string; messageKey: string; values?: Record<string, string>; fields?: Record<string, string[]>; typed?: Record<string, string>; problems?: { path: string; message: string }[] };

export async function action({ request, params, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const { domain, actor } = context;
  const programmeId = params.programmeId ?? "";
  const intent = String(form.get("intent") ?? "");
  const str = (name: string) => {
    const v = form.get(name);
    return typeof v === "string" ? v : "";
  };
  try {
    if (intent === "register") {
      const key = domain.field.registerKey(actor, programmeId, { fingerprint: str("fingerprint"), label: str("label") });
      return json<Outcome>({ ok: true, intent, fingerprint: key.fingerprint });
    }
    if (intent === "revoke") {
      if (form.get("confirm") !== "on") return json<Outcome>({ ok: false, intent, messageKey: "invalid_input", fields: { confirm: ["required"] } }, { status: 400 });
      domain.field.revokeKey(actor, programmeId, str("keyId"));
      return json<Outcome>({ ok: true, intent });
    }
    if (intent === "bundle") {
      const file = form.get("file");
      if (!file || typeof file !== "object" || !("text" in file) || (file as Blob).size === 0) return json<Outcome>({ ok: false, intent, messageKey: "no_file" }, { status: 400 });
      if ((file as Blob).size > MAX_FILE) return json<Outcome>({ ok: false, intent, messageKey: "field_too_large" }, { status: 413 });
      const bytes = new Uint8Array(await (file as Blob).arrayBuffer());
      const r = domain.field.importBundle(actor, bytes, programmeId);
      const title = domain.field.programmeField(actor, programmeId).kits.find((k) => k.sessionId === r.report.sessionId)?.title ?? "";
      return json<Outcome>({ ok: true, intent, sessionId: r.report.sessionId, title, number: r.report.publicationNumber, fingerprint: r.key.fingerprint, label: r.key.label });
    }
    return json<Outcome>({ ok: false, intent, messageKey: "invalid_input" }, { status: 400 });
  } catch (e) {
    if (!isDomainError(e)) throw e;
    if (e.code === "unauthenticated") return signInRedirect(request);
    const details = (e as unknown as { details?: { fingerprint?: string; problems?: { path: string; message: string }[] } }).details;
    return json<Outcome>(
      {
        ok: false,
        intent,
        messageKey: e.messageKey,
        values: details?.fingerprint ? { fingerprint: details.fingerprint } : undefined,
        fields: e.fields,
        typed: intent === "register" ? { fingerprint: str("fingerprint"), label: str("label") } : undefined,
        problems: details?.problems?.slice(0, 5),
      },
      { status: httpStatusOf(e) },
    );
  }
}

/** A message key of the field namespace, or of the shared errors (the importer's, access). */
export function useFieldError() {
  const { t } = useTranslation(["field", "errors"]);
  return (key: string, values?: Record<string, string>) =>
    (FIELD_ERRORS as readonly string[]).includes(key) ? t(`field:errors.${key}`, values) : t(`errors:${key}`, { ...values, defaultValue: t("errors:generic") });
}

function Refusal({ result, intent }: { result: Outcome | undefined; intent: string }) {
  const errorText = useFieldError();
  if (!result || result.ok || result.intent !== intent) return null;
  return (
    <div className="alert flex flex-col gap-1" role="alert">
      <p>{errorText(result.messageKey, result.values)}</p>
      <FileProblems problems={result.problems} />
    </div>
  );
}

function KeyInput({ name, label, hint, result, code }: { name: string; label: string; hint: string; result?: Outcome; code?: boolean }) {
  const id = useId();
  const errorText = useFieldError();
  const errors = result && !result.ok && result.intent === "register" ? result.fields?.[name] : undefined;
  const typed = result && !result.ok && result.intent === "register" ? result.typed?.[name] : undefined;
  return (
    <div className="field">
      <label htmlFor={id} className="label">
        {label}
      </label>
      <p id={`${id}-hint`} className="hint">
        {hint}
      </p>
      <input
        id={id}
        name={name}
        className={code ? "input font-mono" : "input"}
        required
        defaultValue={typed}
        maxLength={code ? 80 : 120}
        aria-invalid={errors ? true : undefined}
        aria-describedby={[`${id}-hint`, errors ? `${id}-error` : null].filter(Boolean).join(" ")}
        {...(code ? { autoCapitalize: "characters", autoCorrect: "off", spellCheck: false, autoComplete: "off" } : { dir: "auto" })}
      />
      {errors ? (
        <p id={`${id}-error`} className="error">
          {errors.map((e) => errorText(e)).join(" ")}
        </p>
      ) : null}
    </div>
  );
}

export default function ProgrammeFieldPage() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as Outcome | undefined;
  const { t, i18n } = useTranslation(["field", "common"]);
  const [search] = useSearchParams();
  const errorText = useFieldError();
  const kitError = search.get("error");
  const base = `/programmes/${data.programme.id}`;
  const date = (ms: number) => formatDate(ms, i18n.language, "UTC");
  return (
    <Page title={t("programme.title")} back={{ to: base, label: data.programme.name }}>
      <p>{t("programme.intro")}</p>
      <Section title={t("programme.fingerprintHeading")} id="field-fingerprint">
        <p>{data.fingerprint ? t("programme.fingerprint", { fingerprint: data.fingerprint.display }) : t("programme.noKeyYet")}</p>
      </Section>

      <Section title={t("kit.heading")} id="field-kit">
        <p className="hint">{t("kit.hint")}</p>
        {kitError ? (
          <p className="alert" role="alert">
            {errorText(kitError)}
          </p>
        ) : null}
        {data.plannable.length ? (
          <AppForm reloadDocument action={`${base}/field-kit`} className="flex flex-col gap-3">
            <div className="field">
              <label htmlFor="kit-session" className="label">
                {t("kit.session")}
              </label>
              <select id="kit-session" name="sessionId" className="input" required>
                {data.plannable.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.title}
                  </option>
                ))}
              </select>
            </div>
            <div>
              <button type="submit" className="btn-primary">
                {t("kit.submit")}
              </button>
            </div>
          </AppForm>
        ) : (
          <p>{t("kit.none")}</p>
        )}
        {data.kits.length ? (
          <>
            <h3>{t("kit.issued")}</h3>
            <ul className="flex flex-col gap-1">
              {data.kits.map((k) => (
                <li key={k.id} dir="auto">
                  <Link to={`/sessions/${k.sessionId}`}>{k.title}</Link> · {t("kit.issuedAt", { date: date(k.signedAt) })} · {k.returned ? t("kit.returned") : t("kit.waiting")}
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </Section>

      <Section title={t("keys.heading")} id="field-keys">
        <p className="hint">{t("keys.hint")}</p>
        <Refusal result={result} intent="register" />
        {result?.ok && result.intent === "register" ? (
          <p className="notice" role="status">
            {t("keys.registered", { fingerprint: result.fingerprint })}
          </p>
        ) : null}
        <AppForm className="flex flex-col gap-3">
          <input type="hidden" name="intent" value="register" />
          <KeyInput name="fingerprint" label={t("keys.fingerprint")} hint={t("keys.fingerprintHint")} result={result} code />
          <KeyInput name="label" label={t("keys.label")} hint={t("keys.labelHint")} result={result} />
          <div>
            <SubmitButton name="intent" value="register">
              {t("keys.submit")}
            </SubmitButton>
          </div>
        </AppForm>
        <h3>{t("keys.listHeading")}</h3>
        <Refusal result={result} intent="revoke" />
        {result?.ok && result.intent === "revoke" ? (
          <p className="notice" role="status">
            {t("keys.revokedNotice")}
          </p>
        ) : null}
        {data.keys.length ? (
          <ul className="flex flex-col gap-3">
            {data.keys.map((k) => (
              <li key={k.id} className="flex flex-col gap-2 rounded-md border border-slate-300 p-3">
                <p>
                  <span className="font-mono">{k.fingerprint}</span> · <span dir="auto">{k.label}</span> · {k.revokedAt ? t("keys.revokedOn", { date: date(k.revokedAt) }) : t("keys.active")}
                  {k.bundlesSeen ? ` · ${t("keys.seen")}` : ""}
                </p>
                {k.revokedAt ? null : (
                  <AppForm className="flex flex-wrap items-center gap-3">
                    <input type="hidden" name="intent" value="revoke" />
                    <input type="hidden" name="keyId" value={k.id} />
                    <div className="flex items-start gap-2">
                      <input id={`revoke-${k.id}`} type="checkbox" name="confirm" value="on" required className="mt-1 h-5 w-5" />
                      <label htmlFor={`revoke-${k.id}`} className="text-sm">
                        {t("keys.revokeConfirm")}
                      </label>
                    </div>
                    <button type="submit" className="btn-danger btn-small" aria-label={t("keys.revokeLabel", { label: k.label })}>
                      {t("keys.revoke")}
                    </button>
                  </AppForm>
                )}
              </li>
            ))}
          </ul>
        ) : (
          <p>{t("keys.none")}</p>
        )}
      </Section>

      <Section title={t("bundle.heading")} id="field-bundle">
        <p className="hint">{t("bundle.hint")}</p>
        <Refusal result={result} intent="bundle" />
        {result?.ok && result.intent === "bundle" ? (
          <p className="notice" role="status">
            {t("bundle.done", { title: result.title, number: result.number, fingerprint: result.fingerprint, label: result.label })} <Link to={`/sessions/${result.sessionId}`}>{t("bundle.open")}</Link>
          </p>
        ) : null}
        <AppForm encType="multipart/form-data" className="flex flex-col gap-3">
          <input type="hidden" name="intent" value="bundle" />
          <div className="field">
            <label htmlFor="bundle-file" className="label">
              {t("bundle.file")}
            </label>
            <input id="bundle-file" type="file" name="file" accept="application/json,.json" required className="input" />
          </div>
          <div>
            <SubmitButton name="intent" value="bundle">
              {t("bundle.submit")}
            </SubmitButton>
          </div>
        </AppForm>
      </Section>
    </Page>
  );
}
