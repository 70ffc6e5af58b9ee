import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AppForm, Field, FormError, FormSaved, SelectField, SubmitButton, useFormResult } from "~/components/forms";
import { Page, Section } from "~/components/layout";
import type { AgendaItemView } from "~/models/live.server";
import type { FormResult } from "~/utils/http";
import { act, failure, load, readForm } from "~/utils/http";
import { ATTRIBUTION_OPTIONS } from "~/utils/session-form";

export const meta: MetaFunction = () => [{ title: "Parley" }];

/** Statuses in which the domain still accepts agenda changes (others answer session_locked). */
const EDITABLE_STATUSES = ["draft", "scheduled", "live"];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { domain, actor } = context;
  const sessionId = params.sessionId ?? "";
  return json(
    await load(request, () => {
      const { session, canEdit, items } = domain.live.listItems(actor, sessionId);
      return {
        session: { id: session.id, title: session.title, attributionMode: session.attributionMode },
        canEdit,
        editable: canEdit && EDITABLE_STATUSES.includes(session.status),
        items: items.map(({ id, title, description, plannedMs, panelists, attributionMode, overridesSession, state }: AgendaItemView) => ({
          id,
          title,
          description,
          plannedMinutes: Math.round(plannedMs / 60_000),
          panelists,
          attributionMode,
          overridesSession,
          state,
        })),
      };
    }),
  );
}

function itemInput(form: FormData) {
  const field = (name: string) => String(form.get(name) ?? "");
  return {
    title: field("title"),
    description: field("description"),
    plannedMinutes: field("plannedMinutes"),
    panelists: field("panelists"),
    attributionMode: field("attributionMode"),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const { domain, actor } = context;
  const sessionId = params.sessionId ?? "";
  const intent = String(form.get("intent") ?? "");
  const itemId = String(form.get("itemId") ?? "");
  return act(request, form, () => {
    switch (intent) {
      case "add": {
        const { id } = domain.live.addItem(actor, sessionId, itemInput(form));
        return { ok: true, intent, data: { id } };
      }
      case "update":
        domain.live.updateItem(actor, sessionId, itemId, itemInput(form));
        return redirect(`/sessions/${sessionId}/agenda?done=updated`);
      case "remove":
        domain.live.removeItem(actor, sessionId, itemId);
        return { ok: true, intent };
      case "move": {
        const direction = form.get("direction");
        if (direction !== "up" && direction !== "down") return failure(form, 400, "invalid_input");
        domain.live.moveItem(actor, sessionId, itemId, direction);
        return { ok: true, intent };
      }
      default:
        return failure(form, 400, "invalid_input");
    }
  });
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;
type Item = LoaderData["items"][number];
type Mode = (typeof ATTRIBUTION_OPTIONS)[number];

/** "45 min", "1 h", "2 h 15 min" (French: "2 h 15"). */
function useDuration() {
  const { t } = useTranslation("agenda");
  return (minutes: number) => {
    const h = Math.floor(minutes / 60);
    const m = minutes % 60;
    if (h === 0) return t("minutes", { count: m });
    return m === 0 ? t("hours", { h }) : t("hoursMinutes", { h, m });
  };
}

function ItemForm({ item, result, intent }: { item?: Item; result?: FormResult; intent: "add" | "update" }) {
  const { t } = useTranslation("agenda");
  const { session } = useLoaderData<typeof loader>();
  return (
    <AppForm className="flex flex-col gap-4" noValidate>
      <input type="hidden" name="intent" value={intent} />
      {item ? <input type="hidden" name="itemId" value={item.id} /> : null}
      <FormError result={result} />
      <Field name="title" label={t("form.title")} defaultValue={item?.title} required maxLength={200} result={result} autoComplete="off" />
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          name="plannedMinutes"
          label={t("form.plannedMinutes")}
          hint={t("form.plannedMinutesHint")}
          type="number"
          inputMode="numeric"
          min={1}
          max={600}
          defaultValue={item?.plannedMinutes}
          required
          result={result}
          autoComplete="off"
        />
        <SelectField
          name="attributionMode"
          label={t("form.attributionMode")}
          hint={t("form.attributionHint", { mode: t(`modes.${session.attributionMode as Mode}`) })}
          includeEmpty={t("form.attributionSame")}
          options={ATTRIBUTION_OPTIONS.map((m) => ({ value: m, label: t(`modes.${m}`) }))}
          defaultValue={item?.overridesSession ? item.attributionMode : ""}
          result={result}
        />
      </div>
      <Field name="panelists" label={t("form.panelists")} hint={t("form.panelistsHint")} defaultValue={item?.panelists} maxLength={500} result={result} autoComplete="off" />
      <Field name="description" label={t("form.description")} hint={t("form.descriptionHint")} defaultValue={item?.description} maxLength={2000} multiline rows={3} result={result} />
      <div className="flex flex-wrap items-center gap-3">
        <SubmitButton>{intent === "add" ? t("add") : t("save")}</SubmitButton>
        {intent === "update" ? (
          <Link to={`/sessions/${session.id}/agenda`} className="btn-secondary">
            {t("cancel")}
          </Link>
        ) : null}
      </div>
    </AppForm>
  );
}

function ItemControls({ item, first, last }: { item: Item; first: boolean; last: boolean }) {
  const { t } = useTranslation("agenda");
  const finished = item.state === "done" || item.state === "skipped";
  const pending = item.state === "pending";
  if (finished) return null;
  return (
    <div className="mt-2 flex flex-wrap gap-2">
      <Link to={`?edit=${item.id}#edit-heading`} className="btn-secondary" aria-label={t("editLabel", { title: item.title })}>
        {t("edit")}
      </Link>
      {pending && (!first || !last) ? (
        <AppForm className="flex flex-wrap gap-2">
          <input type="hidden" name="intent" value="move" />
          <input type="hidden" name="itemId" value={item.id} />
          {first ? null : (
            <button type="submit" name="direction" value="up" className="btn-secondary" aria-label={t("moveUpLabel", { title: item.title })}>
              <span aria-hidden="true">↑</span> {t("moveUp")}
            </button>
          )}
          {last ? null : (
            <button type="submit" name="direction" value="down" className="btn-secondary" aria-label={t("moveDownLabel", { title: item.title })}>
              <span aria-hidden="true">↓</span> {t("moveDown")}
            </button>
          )}
        </AppForm>
      ) : null}
      {pending ? (
        <AppForm>
          <input type="hidden" name="intent" value="remove" />
          <input type="hidden" name="itemId" value={item.id} />
          <button type="submit" className="btn-danger" aria-label={t("removeLabel", { title: item.title })}>
            {t("remove")}
          </button>
        </AppForm>
      ) : null}
    </div>
  );
}

const STATE_CLASS: Record<Item["state"], string> = {
  pending: "badge",
  running: "badge bg-emerald-100 text-emerald-900",
  paused: "badge bg-amber-100 text-amber-900",
  done: "badge",
  skipped: "badge",
};

function AgendaEntry({ item, number, editable, first, last }: { item: Item; number: number; editable: boolean; first: boolean; last: boolean }) {
  const { t } = useTranslation("agenda");
  const duration = useDuration();
  const current = item.state === "running" || item.state === "paused";
  return (
    <li className={`flex gap-3 py-4 ${current ? "-mx-2 rounded-md bg-brand-light px-2" : ""}`} aria-current={current ? "step" : undefined}>
      <span aria-hidden="true" className="flex h-9 w-9 shrink-0 items-center justify-center rounded-full border border-slate-300 font-semibold">
        {number}
      </span>
      <div className="flex min-w-0 flex-1 flex-col gap-1">
        <h3 className="break-words">
          <span className="sr-only">{t("itemNumber", { n: number })}: </span>
          <span dir="auto">{item.title}</span>
        </h3>
        <div className="flex flex-wrap items-center gap-2 text-sm">
          <span>
            <span className="sr-only">{t("plannedLabel")} </span>
            <span aria-hidden="true">⏱ </span>
            {duration(item.plannedMinutes)}
          </span>
          <span className={STATE_CLASS[item.state]}>
            <span className="sr-only">{t("stateLabel")} </span>
            {t(`states.${item.state}`)}
          </span>
        </div>
        {item.panelists ? (
          <p className="text-sm">
            <span className="font-medium">{t("panelistsLabel")}</span> <span dir="auto">{item.panelists}</span>
          </p>
        ) : null}
        {item.description ? (
          <p className="whitespace-pre-line break-words text-sm text-ink-soft" dir="auto">
            {item.description}
          </p>
        ) : null}
        {item.overridesSession ? <p className="notice">{t(`itemMode.${item.attributionMode as Mode}`)}</p> : null}
        {editable ? <ItemControls item={item} first={first} last={last} /> : null}
      </div>
    </li>
  );
}

export default function AgendaPage() {
  const { t } = useTranslation("agenda");
  const duration = useDuration();
  const { session, items, canEdit, editable } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const added = useFormResult("add");
  const updated = useFormResult("update");
  const removed = useFormResult("remove");
  const moved = useFormResult("move");
  const editing = editable ? items.find((i) => i.id === params.get("edit") && i.state !== "done" && i.state !== "skipped") : undefined;
  const addKey = added?.ok ? String((added.data as { id?: string } | undefined)?.id ?? "added") : "add";
  const pendingIds = items.filter((i) => i.state === "pending").map((i) => i.id);
  const totalMinutes = items.reduce((sum, i) => sum + i.plannedMinutes, 0);
  return (
    <Page title={t("title")} back={{ to: `/sessions/${session.id}`, label: t("back") }}>
      <p dir="auto" className="font-medium">
        {session.title}
      </p>
      <p className="notice">{t(`sessionMode.${session.attributionMode as Mode}`)}</p>
      {canEdit ? (editable ? null : <p className="hint">{t("locked")}</p>) : <p className="hint">{t("readOnly")}</p>}

      {params.get("done") === "updated" && !editing && !(added || updated || removed || moved) ? (
        <p role="status" className="notice">
          {t("updated")}
        </p>
      ) : null}
      <FormSaved result={removed} message={t("removed")} />
      <FormError result={removed} />
      <FormSaved result={moved} message={t("moved")} />
      <FormError result={moved} />
      {/* A refused change whose form is no longer on the page (the item finished meanwhile, or no right to edit). */}
      {editing ? null : <FormError result={updated} />}
      {editable ? null : <FormError result={added} />}

      {editing ? (
        <Section title={t("editHeading")} id="edit-heading">
          <ItemForm key={editing.id} item={editing} result={updated} intent="update" />
        </Section>
      ) : null}

      <Section title={t("title")} id="items-heading">
        <p className="hint">{t("intro")}</p>
        {items.length ? (
          <p className="text-sm">
            {t("count", { count: items.length })} · {t("total", { duration: duration(totalMinutes) })}
          </p>
        ) : (
          <p className="hint">{editable ? t("noneEditable") : t("none")}</p>
        )}
        {items.length ? (
          <ol className="flex flex-col divide-y divide-slate-200">
            {items.map((item, index) => (
              <AgendaEntry
                key={item.id}
                item={item}
                number={index + 1}
                editable={editable}
                first={pendingIds[0] === item.id}
                last={pendingIds[pendingIds.length - 1] === item.id}
              />
            ))}
          </ol>
        ) : null}
        {editable && items.length ? <p className="hint">{t("onlyPending")}</p> : null}
      </Section>

      {editable && !editing ? (
        <Section title={t("addHeading")} id="add-heading">
          <FormSaved result={added} message={t("added")} />
          <ItemForm key={addKey} result={added} intent="add" />
        </Section>
      ) : null}
    </Page>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/errors";
