import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AppForm, Field, FormError, FormSaved, SelectField, SubmitButton, useFormResult } from "~/components/forms";
import { Page, RoleBadge, Section } from "~/components/layout";
import type { FormResult } from "~/utils/http";
import { act, failure, load, readForm } from "~/utils/http";
import { joinList, ROLE_OPTIONS, ROSTER_CATEGORY_OPTIONS } from "~/utils/session-form";

export const meta: MetaFunction = () => [{ title: "Parley" }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { domain, actor } = context;
  const sessionId = params.sessionId ?? "";
  return json(
    await load(request, () => {
      const { session, can } = domain.sessions.get(actor, sessionId);
      const entries = domain.roster.list(actor, sessionId);
      return {
        session: { id: session.id, title: session.title },
        canManage: can.includes("session.roster.manage"),
        entries: entries.map(({ id, name, shortForms, organisation, acronyms, title, country, role, category }) => ({ id, name, shortForms, organisation, acronyms, title, country, role, category })),
      };
    }),
  );
}

function entryInput(form: FormData) {
  const field = (name: string) => String(form.get(name) ?? "");
  return {
    name: field("name"),
    shortForms: field("shortForms"),
    organisation: field("organisation"),
    acronyms: field("acronyms"),
    title: field("title"),
    country: field("country"),
    role: field("role"),
    category: field("category"),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const { domain, actor } = context;
  const sessionId = params.sessionId ?? "";
  const intent = String(form.get("intent") ?? "");
  const entryId = String(form.get("entryId") ?? "");
  return act(request, form, () => {
    switch (intent) {
      case "add": {
        const { id } = domain.roster.add(actor, sessionId, entryInput(form));
        return { ok: true, intent, data: { id } };
      }
      case "update":
        domain.roster.update(actor, sessionId, entryId, entryInput(form));
        return redirect(`/sessions/${sessionId}/roster?done=updated`);
      case "remove":
        domain.roster.remove(actor, sessionId, entryId);
        return { ok: true, intent };
      default:
        return failure(form, 400, "invalid_input");
    }
  });
}

type Entry = ReturnType<typeof useLoaderData<typeof loader>>["entries"][number];

function EntryForm({ entry, result, intent }: { entry?: Entry; result?: FormResult; intent: "add" | "update" }) {
  const { t } = useTranslation("sessions");
  const { session } = useLoaderData<typeof loader>();
  return (
    <AppForm className="flex flex-col gap-4" noValidate>
      <input type="hidden" name="intent" value={intent} />
      {entry ? <input type="hidden" name="entryId" value={entry.id} /> : null}
      <FormError result={result} />
      <div className="grid gap-4 sm:grid-cols-2">
        <Field name="name" label={t("roster.name")} defaultValue={entry?.name} required maxLength={120} result={result} autoComplete="off" />
        <Field name="shortForms" label={t("roster.shortForms")} hint={t("roster.shortFormsHint")} defaultValue={joinList(entry?.shortForms)} maxLength={1000} result={result} autoComplete="off" />
        <Field name="organisation" label={t("roster.organisation")} defaultValue={entry?.organisation} maxLength={200} result={result} autoComplete="off" />
        <Field name="acronyms" label={t("roster.acronyms")} hint={t("roster.acronymsHint")} defaultValue={joinList(entry?.acronyms)} maxLength={1000} result={result} autoComplete="off" />
        <Field name="title" label={t("roster.jobTitle")} defaultValue={entry?.title} maxLength={200} result={result} autoComplete="off" />
        <Field name="country" label={t("roster.country")} defaultValue={entry?.country} maxLength={120} result={result} autoComplete="off" />
        <SelectField name="role" label={t("roster.role")} options={ROLE_OPTIONS.map((r) => ({ value: r, label: t(`common:roles.${r}`) }))} defaultValue={entry?.role ?? "participant"} required result={result} />
        <SelectField name="category" label={t("roster.category")} options={ROSTER_CATEGORY_OPTIONS.map((c) => ({ value: c, label: t(`categories.${c}`) }))} defaultValue={entry?.category ?? "other"} required result={result} />
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <SubmitButton>{intent === "add" ? t("roster.add") : t("roster.save")}</SubmitButton>
        {intent === "update" ? (
          <Link to={`/sessions/${session.id}/roster`} className="btn-secondary">
            {t("roster.cancel")}
          </Link>
        ) : null}
      </div>
    </AppForm>
  );
}

function EntryItem({ entry, canManage }: { entry: Entry; canManage: boolean }) {
  const { t } = useTranslation("sessions");
  const organisation = [entry.organisation, entry.acronyms.length ? `(${joinList(entry.acronyms)})` : ""].filter(Boolean).join(" ");
  return (
    <li className="flex flex-col gap-1 py-3">
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-medium" dir="auto">
          {entry.name}
        </span>
        <RoleBadge role={entry.role} />
        <span className="badge">{t(`categories.${entry.category}`)}</span>
      </div>
      {entry.shortForms.length ? (
        <p className="text-sm text-ink-soft">
          {t("roster.alsoKnownAs")} <span dir="auto">{joinList(entry.shortForms)}</span>
        </p>
      ) : null}
      {organisation ? (
        <p className="text-sm" dir="auto">
          {organisation}
        </p>
      ) : null}
      {entry.title || entry.country ? (
        <p className="text-sm text-ink-soft" dir="auto">
          {[entry.title, entry.country].filter(Boolean).join(" · ")}
        </p>
      ) : null}
      {canManage ? (
        <div className="mt-1 flex flex-wrap gap-2">
          <Link to={`?edit=${entry.id}#edit-heading`} className="btn-secondary btn-small" aria-label={t("roster.editLabel", { name: entry.name })}>
            {t("roster.edit")}
          </Link>
          <AppForm>
            <input type="hidden" name="intent" value="remove" />
            <input type="hidden" name="entryId" value={entry.id} />
            <button type="submit" className="btn-danger btn-small" aria-label={t("roster.removeLabel", { name: entry.name })}>
              {t("roster.remove")}
            </button>
          </AppForm>
        </div>
      ) : null}
    </li>
  );
}

export default function RosterPage() {
  const { t } = useTranslation("sessions");
  const { session, entries, canManage } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const added = useFormResult("add");
  const updated = useFormResult("update");
  const removed = useFormResult("remove");
  const editing = canManage ? entries.find((e) => e.id === params.get("edit")) : undefined;
  const addKey = added?.ok ? String((added.data as { id?: string } | undefined)?.id ?? "added") : "add";
  return (
    <Page title={t("roster.title")} back={{ to: `/sessions/${session.id}`, label: t("roster.back") }}>
      <p dir="auto" className="font-medium">
        {session.title}
      </p>
      <p className="notice">{t("roster.intro")}</p>
      {canManage ? null : <p className="hint">{t("roster.readOnly")}</p>}

      {params.get("done") === "updated" && !editing ? (
        <p role="status" className="notice">
          {t("roster.updated")}
        </p>
      ) : null}
      <FormSaved result={removed} message={t("roster.removed")} />
      <FormError result={removed} />

      {editing ? (
        <Section title={t("roster.editHeading")} id="edit-heading">
          <EntryForm key={editing.id} entry={editing} result={updated} intent="update" />
        </Section>
      ) : null}

      <Section title={t("roster.title")} id="entries-heading">
        <p className="text-sm">{t("roster.count", { count: entries.length })}</p>
        {entries.length === 0 ? (
          <p className="hint">{t("roster.none")}</p>
        ) : (
          <ul className="flex flex-col divide-y divide-slate-200">
            {entries.map((e) => (
              <EntryItem key={e.id} entry={e} canManage={canManage} />
            ))}
          </ul>
        )}
      </Section>

      {canManage && !editing ? (
        <Section title={t("roster.addHeading")} id="add-heading">
          <FormSaved result={added} message={t("roster.added")} />
          <EntryForm key={addKey} result={added} intent="add" />
        </Section>
      ) : null}
    </Page>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/errors";
