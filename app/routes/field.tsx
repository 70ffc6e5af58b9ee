/**
 * The field laptop's page (docs/field.md): import a signed field kit from the national instance, read
 * this laptop's key fingerprint to the programme organiser, and download the signed bundle of a
 * session once it is finalised and its summary published. Works over plain http on a local network
 * (no secure-context API is used). Every rule is the domain's (app/models/field.server.ts).
 */
import { MAX_UPLOAD_FILE_BYTES } from "~/utils/limits";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AppForm, FileProblems, SubmitButton } from "~/components/forms";
import { Page, Section, StatusBadge } from "~/components/layout";
import { httpStatusOf, isDomainError } from "~/models/errors";
import { FIELD_ERRORS } from "~/models/field";
import { load, readForm, requireSignedIn, signInRedirect } from "~/utils/http";
import { formatDate } from "~/utils/time";

export const meta: MetaFunction = () => [{ title: "Parley" }];

const MAX_FILE = MAX_UPLOAD_FILE_BYTES;

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireSignedIn(context.actor, request);
  return json(await load(request, () => context.domain.field.laptop(context.actor)));
}

type Outcome =
  | { ok: true; sessionId: string; title: string; national: { fingerprint: string; name: string; pinnedNow: boolean }; laptop: { fingerprint: string } }
  | { ok: false; messageKey: string; values?: Record<string, string>; problems?: { path: string; message: string }[] };

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const file = form.get("file");
  if (!file || typeof file !== "object" || !("text" in file) || (file as Blob).size === 0) return json<Outcome>({ ok: false, messageKey: "no_file" }, { status: 400 });
  if ((file as Blob).size > MAX_FILE) return json<Outcome>({ ok: false, messageKey: "field_too_large" }, { status: 413 });
  try {
    const r = context.domain.field.importKit(context.actor, new Uint8Array(await (file as Blob).arrayBuffer()));
    return json<Outcome>({ ok: true, sessionId: r.sessionId, title: r.title, national: r.national, laptop: r.laptop });
  } catch (e) {
    if (!isDomainError(e)) throw e;
    if (e.code === "unauthenticated") return signInRedirect(request);
    const details = (e as unknown as { details?: { fingerprint?: string; problems?: { path: string; message: string }[] } }).details;
    return json<Outcome>({ ok: false, messageKey: e.messageKey, values: details?.fingerprint ? { fingerprint: details.fingerprint } : undefined, problems: details?.problems?.slice(0, 5) }, { status: httpStatusOf(e) });
  }
}

function useFieldError() {
  const { t } = useTranslation(["field", "errors"]);
  return (key: string, values?: Record<string, string>) =>
    (FIELD_ERRORS as readonly string[]).includes(key) ? t(`field:errors.${key}`, values) : t(`errors:${key}`, { ...values, defaultValue: t("errors:generic") });
}

export default function FieldLaptopPage() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as Outcome | undefined;
  const { t, i18n } = useTranslation(["field", "common"]);
  const errorText = useFieldError();
  const [search] = useSearchParams();
  const bundleError = search.get("error");
  const fingerprint = result?.ok ? result.laptop.fingerprint : data.fingerprint?.display;
  return (
    <Page title={t("laptop.title")}>
      <p>{t("laptop.intro")}</p>
      <Section title={t("laptop.fingerprintHeading")} id="laptop-fingerprint">
        {fingerprint ? (
          <>
            <p className="font-mono text-2xl tracking-wider" data-testid="laptop-fingerprint">
              {fingerprint}
            </p>
            <p className="hint">{t("laptop.fingerprintHint")}</p>
          </>
        ) : (
          <p>{t("laptop.noKey")}</p>
        )}
      </Section>

      <Section title={t("laptop.kitHeading")} id="laptop-kit">
        <p className="hint">{t("laptop.kitHint")}</p>
        {result && !result.ok ? (
          <div className="alert flex flex-col gap-1" role="alert">
            <p>{errorText(result.messageKey, result.values)}</p>
            <FileProblems problems={result.problems} />
          </div>
        ) : null}
        {result?.ok ? (
          <div className="notice flex flex-col gap-1" role="status">
            <p dir="auto">
              {t("laptop.kitDone", { title: result.title })} <Link to={`/sessions/${result.sessionId}`}>{t("laptop.openSession")}</Link>
            </p>
            <p>{t("laptop.national", { fingerprint: result.national.fingerprint, name: result.national.name })}</p>
            {result.national.pinnedNow ? <p>{t("laptop.pinned")}</p> : null}
          </div>
        ) : null}
        <AppForm encType="multipart/form-data" className="flex flex-col gap-3">
          <div className="field">
            <label htmlFor="kit-file" className="label">
              {t("laptop.kitFile")}
            </label>
            <input id="kit-file" type="file" name="file" accept="application/json,.json" required className="input" />
          </div>
          <div>
            <SubmitButton>{t("laptop.kitSubmit")}</SubmitButton>
          </div>
        </AppForm>
      </Section>

      <Section title={t("laptop.sessionsHeading")} id="laptop-sessions">
        {bundleError ? (
          <p className="alert" role="alert">
            {errorText(bundleError)}
          </p>
        ) : null}
        {data.sessions.length ? (
          <ul className="flex flex-col gap-4">
            {data.sessions.map((s) => (
              <li key={s.kitId} className="flex flex-col gap-2">
                <p>
                  <Link to={`/sessions/${s.sessionId}`} className="font-medium" dir="auto">
                    {s.title}
                  </Link>{" "}
                  <StatusBadge status={s.status} />
                </p>
                <p className="text-sm text-ink-soft" dir="auto">
                  {s.programmeName} · {t("laptop.kitFrom", { fingerprint: s.national })} · {formatDate(s.recordedAt, i18n.language, "UTC")}
                </p>
                {s.published !== null && s.canExport ? (
                  <AppForm reloadDocument action={`/field-bundle/${s.sessionId}`} className="flex flex-wrap items-center gap-3">
                    <span className="text-sm">{t("laptop.publishedVersion", { number: s.published })}</span>
                    <button type="submit" className="btn-primary btn-small">
                      {t("laptop.bundleSubmit")}
                    </button>
                  </AppForm>
                ) : s.canExport ? (
                  <p className="text-sm">{t("laptop.needsPublication")}</p>
                ) : null}
              </li>
            ))}
          </ul>
        ) : (
          <p>{t("laptop.none")}</p>
        )}
      </Section>
    </Page>
  );
}
