/**
 * The consolidation workspace (SPEC section 6): a session's staff take up the recommendations adopted
 * by the sessions below it. Filters are a GET form and every action a plain POST, so the page works
 * without JavaScript; the checkboxes belong to the actions form through their `form` attribute, which
 * lets each item keep its own small "remove this link" form.
 */
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useLocation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Pager } from "~/components/pager";
import { useBilingualLabel } from "~/components/bilingual";
import { AppForm, Field, FormError, SelectField, SubmitButton, useErrorText, useFormResult } from "~/components/forms";
import { FieldProvenanceShort } from "~/components/field/provenance";
import { Page } from "~/components/layout";
import { isDomainError } from "~/models/errors";
import { LINK_STATUSES } from "~/models/linking";
import { act, failure, load, readForm } from "~/utils/http";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: "Parley" },
  // While the groups are being worked out, the page refreshes itself (with or without JavaScript).
  ...(data?.grouping?.state === "working" ? [{ httpEquiv: "refresh", content: "2" }] : []),
];

const FILTER_KEYS = ["status", "levelId", "localityId", "themeId", "horizon", "consensus", "q", "page", "view"] as const;
const MAX_BULK = 500;
const HORIZONS = ["immediate", "medium", "long"] as const;

/** Filters from a query string (or from the actions form's hidden copies, prefixed "f_"). */
function filtersFrom(get: (key: string) => string | null, prefix = "") {
  const out: Record<string, string> = {};
  for (const key of FILTER_KEYS) {
    const v = get(prefix + key);
    if (v !== null && v !== "") out[key] = v;
  }
  // Consolidation starts from what nobody has taken up yet.
  if (!out.status) out.status = "unaddressed";
  return out;
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { domain, actor } = context;
  const sessionId = params.sessionId ?? "";
  const url = new URL(request.url);
  return json(
    await load(request, () => {
      const { view, ...initial } = filtersFrom((k) => url.searchParams.get(k));
      let filters = initial;
      let cleared = false;
      let data;
      try {
        data = domain.linking.incoming(actor, sessionId, filters);
      } catch (e) {
        // A hand-edited address with a filter we do not know: show the page without it, and say so.
        if (!isDomainError(e) || e.code !== "invalid") throw e;
        filters = { status: "unaddressed" };
        cleared = true;
        data = domain.linking.incoming(actor, sessionId, filters);
      }
      const groupsView = view === "groups";
      const grouping = groupsView ? domain.linking.groups(actor, sessionId, filters) : null;
      const taxonomy = domain.programmes.taxonomy(data.session.programmeId);
      // Recommendations brought back from a field laptop say so (the key that signed them).
      const shownIds = [...data.items.map((i) => i.id), ...(grouping?.state === "ready" ? grouping.groups.flatMap((g) => g.items.map((i) => i.id)) : [])];
      const field = Object.fromEntries([...domain.field.recommendationProvenance(shownIds)].map(([id, p]) => [id, p]));
      const unaddressed = filters.status === "unaddressed" ? data.matching : domain.linking.incoming(actor, sessionId, { status: "unaddressed" }).matching;
      return {
        session: { id: data.session.id, title: data.session.title, status: data.session.status, timeZone: data.session.timeZone },
        view: groupsView ? ("groups" as const) : ("list" as const),
        grouping,
        filters,
        cleared,
        total: data.total,
        unaddressed,
        matching: data.matching,
        page: data.page,
        pages: data.pages,
        items: data.items,
        options: data.options,
        targets: data.targets,
        field,
        levels: taxonomy.levels.map(({ id, labelEn, labelFr }) => ({ id, labelEn, labelFr })),
        themes: taxonomy.themes.map(({ id, labelEn, labelFr }) => ({ id, labelEn, labelFr })),
        addressees: taxonomy.addressees.map(({ id, labelEn, labelFr }) => ({ id, labelEn, labelFr })),
      };
    }),
  );
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const { domain, actor } = context;
  const sessionId = params.sessionId ?? "";
  const intent = String(form.get("intent") ?? "");
  const text = (name: string) => String(form.get(name) ?? "");
  const selection = () => {
    if (text("scope") !== "matching") return form.getAll("sourceId").map(String);
    const filters = filtersFrom((k) => (form.get(k) === null ? null : String(form.get(k))), "f_");
    const { matchingIds } = domain.linking.incoming(actor, sessionId, { ...filters, page: undefined });
    return matchingIds.length > MAX_BULK ? [...matchingIds, "x"].slice(0, MAX_BULK + 1) : matchingIds;
  };
  /** Domain field names mapped to this form's (two sections both have a "reason"). */
  const rename = (fields: Record<string, string>) => <T,>(fn: () => T): T => {
    try {
      return fn();
    } catch (e) {
      if (isDomainError(e) && e.fields) {
        // Nothing selected (or too much): that is the whole form's problem, said at its top.
        const selected = Object.entries(e.fields).find(([k]) => k === "sourceIds" || k.startsWith("sourceIds."));
        if (selected) throw Object.assign(e, { fields: undefined, messageKey: selected[1][0] });
        const renamed = Object.fromEntries(Object.entries(e.fields).map(([k, v]) => [fields[k] ?? k, v]));
        throw Object.assign(e, { fields: renamed });
      }
      throw e;
    }
  };
  return act(request, form, () => {
    switch (intent) {
      case "merge": {
        const sourceIds = intent === "merge" && form.get("group") ? form.getAll("groupSourceId").map(String) : selection();
        const r = rename({ text: "mergeText", themeId: "mergeThemeId", horizon: "mergeHorizon", addresseeId: "mergeAddresseeId" })(() =>
          domain.linking.merge(actor, sessionId, { sourceIds, text: text("mergeText"), themeId: text("mergeThemeId"), horizon: text("mergeHorizon"), addresseeId: text("mergeAddresseeId") }),
        );
        return { ok: true, intent, data: { count: r.linked, draftId: r.id, again: r.again } };
      }
      case "link": {
        const r = rename({ targetRecommendationId: "targetRecommendationId", relation: "relation", reason: "linkReason" })(() =>
          domain.linking.link(actor, sessionId, { sourceIds: selection(), targetRecommendationId: text("targetRecommendationId"), relation: text("relation"), reason: text("linkReason") }),
        );
        return { ok: true, intent, data: { count: r.linked } };
      }
      case "not_retained": {
        const r = rename({ reason: "notRetainedReason" })(() => domain.linking.notRetained(actor, sessionId, { sourceIds: selection(), reason: text("notRetainedReason") }));
        return { ok: true, intent, data: { count: r.linked } };
      }
      case "unlink":
        domain.linking.unlink(actor, sessionId, text("linkId"));
        return { ok: true, intent };
      default:
        return failure(form, 400, "invalid_input");
    }
  });
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>;
type Item = Data["items"][number];

function Filters() {
  const { t } = useTranslation("consolidation");
  const { t: tr } = useTranslation("recommendations");
  const { t: tc } = useTranslation("consensus");
  const label = useBilingualLabel();
  const data = useLoaderData<typeof loader>();
  const f = data.filters as Record<string, string | undefined>;
  const select = (name: string, text: string, options: { value: string; label: string }[], any = true) => (
    <div className="field">
      <label className="label" htmlFor={`filter-${name}`}>
        {text}
      </label>
      <select id={`filter-${name}`} name={name} className="input" defaultValue={f[name] ?? ""}>
        {any ? <option value="">{t("filters.any")}</option> : null}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
  return (
    <Form method="get" className="flex flex-col gap-3" aria-label={t("filters.heading")}>
      {data.view === "groups" ? <input type="hidden" name="view" value="groups" /> : null}
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
        {select("status", t("filters.status"), LINK_STATUSES.map((s) => ({ value: s, label: t(`filters.statuses.${s}`) })), false)}
        {select("localityId", t("filters.place"), data.options.places.map((p) => ({ value: p.id, label: p.name })))}
        {select("levelId", t("filters.level"), data.levels.filter((l) => data.options.levelIds.includes(l.id)).map((l) => ({ value: l.id, label: label(l) })))}
        {select("themeId", t("filters.theme"), data.themes.filter((th) => data.options.themeIds.includes(th.id)).map((th) => ({ value: th.id, label: label(th) })))}
        {select("horizon", t("filters.horizon"), HORIZONS.filter((h) => data.options.horizons.includes(h)).map((h) => ({ value: h, label: tr(`horizons.${h}`) })))}
        {select("consensus", t("filters.consensus"), data.options.consensus.map((c) => ({ value: c, label: tc(`levels.${c}.label`, { defaultValue: c }) })))}
        <div className="field">
          <label className="label" htmlFor="filter-q">
            {t("filters.q")}
          </label>
          <input id="filter-q" name="q" className="input" type="search" defaultValue={f.q ?? ""} maxLength={200} dir="auto" />
        </div>
      </div>
      <div className="flex flex-wrap gap-3">
        <button type="submit" className="btn-secondary">
          {t("filters.apply")}
        </button>
        <Link to={data.view === "groups" ? "?view=groups" : "?"} className="btn-secondary">
          {t("filters.clear")}
        </Link>
      </div>
    </Form>
  );
}

function ViewSwitch() {
  const { t } = useTranslation("consolidation");
  const data = useLoaderData<typeof loader>();
  const href = (view: "list" | "groups") => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(data.filters)) if (v && k !== "page") q.set(k, v);
    if (view === "groups") q.set("view", "groups");
    return `?${q}`;
  };
  return (
    <nav aria-label={t("views.label")} className="flex flex-wrap gap-2">
      {(["list", "groups"] as const).map((v) => (
        <Link key={v} to={href(v)} className={data.view === v ? "btn-primary" : "btn-secondary"} aria-current={data.view === v ? "page" : undefined}>
          {t(`views.${v}`)}
        </Link>
      ))}
    </nav>
  );
}

function Groups() {
  const { t } = useTranslation("consolidation");
  const data = useLoaderData<typeof loader>();
  const result = useFormResult("merge");
  const grouping = data.grouping;
  if (!grouping) return null;
  if (grouping.state === "working") {
    return (
      <div className="card flex flex-col gap-2" role="status">
        <p>{t("groups.working", { done: grouping.done, total: grouping.total })}</p>
        <progress max={Math.max(1, grouping.total)} value={grouping.done} className="w-full" aria-label={t("groups.working", { done: grouping.done, total: grouping.total })} />
      </div>
    );
  }
  if (!grouping.groups.length) return <p className="notice">{t("groups.none")}</p>;
  return (
    <div className="flex flex-col gap-4">
      <p className="hint">{t("groups.intro")}</p>
      <p role="status">{t("groups.count", { count: grouping.count })}</p>
      {grouping.groups.map((g, n) => {
        const mine = result && !result.ok && result.values.group === g.representativeId ? result : undefined;
        const representative = g.items.find((i) => i.id === g.representativeId) ?? g.items[0];
        const headingId = `group-${g.representativeId}`;
        return (
          <section key={g.representativeId} className="card flex flex-col gap-3" aria-labelledby={headingId}>
            <h2 id={headingId} className="text-base">
              {t("groups.heading", { n: (grouping.page - 1) * 20 + n + 1, count: g.items.length })}
            </h2>
            <ul className="flex flex-col gap-3">
              {g.items.slice(0, 3).map((item) => (
                <ItemCard key={item.id} item={item} />
              ))}
            </ul>
            {g.items.length > 3 ? (
              // Large groups stay short on a phone: the rest opens on demand (and merges all the same).
              <details>
                <summary className="cursor-pointer text-sm font-medium">{t("groups.more", { count: g.items.length - 3 })}</summary>
                <ul className="mt-3 flex flex-col gap-3">
                  {g.items.slice(3).map((item) => (
                    <ItemCard key={item.id} item={item} />
                  ))}
                </ul>
              </details>
            ) : null}
            <AppForm className="flex flex-col gap-3 border-t border-slate-200 pt-3" noValidate>
              <FormError result={mine} />
              <input type="hidden" name="group" value={g.representativeId} />
              {g.items.map((i) => (
                <input key={i.id} type="hidden" name="groupSourceId" value={i.id} />
              ))}
              {representative.themeId && g.items.every((i) => i.themeId === representative.themeId) ? <input type="hidden" name="mergeThemeId" value={representative.themeId} /> : null}
              {representative.horizon && g.items.every((i) => i.horizon === representative.horizon) ? <input type="hidden" name="mergeHorizon" value={representative.horizon} /> : null}
              <Field name="mergeText" label={t("groups.textLabel")} multiline rows={2} maxLength={2000} defaultValue={representative.text} result={mine} />
              <div>
                <SubmitButton name="intent" value="merge">
                  {t("groups.mergeGroup")}
                </SubmitButton>
              </div>
            </AppForm>
          </section>
        );
      })}
    </div>
  );
}

function ItemCard({ item }: { item: Item }) {
  const { t } = useTranslation("consolidation");
  const { t: tr } = useTranslation("recommendations");
  const { t: tc } = useTranslation("consensus");
  const label = useBilingualLabel();
  const data = useLoaderData<typeof loader>();
  const level = data.levels.find((l) => l.id === item.levelId);
  const theme = data.themes.find((th) => th.id === item.themeId);
  const targetText = (id: string | null) => data.targets.find((x) => x.id === id)?.text ?? "";
  const checkbox = `item-${item.id}`;
  return (
    <li className="card flex flex-col gap-2">
      <div className="flex items-start gap-3">
        <input id={checkbox} type="checkbox" name="sourceId" value={item.id} form="bulk" className="mt-1 h-5 w-5 shrink-0" aria-describedby={`${checkbox}-from`} />
        <label htmlFor={checkbox} className="font-medium" dir="auto" lang={item.language}>
          {item.text}
        </label>
      </div>
      <p id={`${checkbox}-from`} className="text-sm text-ink-soft">
        {t("item.from")} <span dir="auto">{item.place.join(" › ")}</span> · <span dir="auto">{item.sessionTitle}</span>
      </p>
      {data.field[item.id] ? <FieldProvenanceShort provenance={data.field[item.id]} timeZone={data.session.timeZone} /> : null}
      <p className="flex flex-wrap gap-2 text-sm">
        {level ? <span className="badge">{label(level)}</span> : null}
        {theme ? <span className="badge">{label(theme)}</span> : null}
        {item.horizon ? <span className="badge">{tr(`horizons.${item.horizon}`)}</span> : null}
        {item.consensus ? <span className="badge">{tc(`levels.${item.consensus}.label`, { defaultValue: item.consensus })}</span> : null}
        <span className={item.outcome === "unaddressed" ? "badge badge-warn" : "badge badge-ok"}>{item.outcome === "unaddressed" ? t("outcome.unaddressed") : t(`relation.${item.outcome}`)}</span>
      </p>
      {item.here.length ? (
        <ul className="flex flex-col gap-2 border-l-4 border-slate-200 pl-3 text-sm">
          {item.here.map((l) => (
            <li key={l.id} className="flex flex-wrap items-center gap-2">
              <span className="font-medium">{l.relation === "not_retained" ? t("item.notRetainedHere") : t(`relation.${l.relation}`)}</span>
              {l.targetRecommendationId ? <span dir="auto">→ {targetText(l.targetRecommendationId)}</span> : null}
              {l.reason ? <span dir="auto">({l.reason})</span> : null}
              <AppForm className="inline">
                <input type="hidden" name="intent" value="unlink" />
                <input type="hidden" name="linkId" value={l.id} />
                <button type="submit" className="btn-secondary btn-small" aria-label={t("item.unlinkLabel", { relation: t(`relation.${l.relation}`) })}>
                  {t("item.unlink")}
                </button>
              </AppForm>
            </li>
          ))}
        </ul>
      ) : null}
      {item.below.length ? (
        <p className="text-sm text-ink-soft">
          {t("item.below")}: {item.below.map((l) => t(`relation.${l.relation}`)).join(", ")}
        </p>
      ) : null}
    </li>
  );
}

function PageLinks() {
  const { t } = useTranslation("consolidation");
  const data = useLoaderData<typeof loader>();
  const { filters } = data;
  const { page, pages } = data.grouping?.state === "ready" ? data.grouping : data.view === "groups" ? { page: 1, pages: 1 } : data;
  const location = useLocation();
  const href = (n: number) => {
    const q = new URLSearchParams(location.search);
    for (const [k, v] of Object.entries(filters)) if (v) q.set(k, v);
    q.set("page", String(n));
    return `?${q}`;
  };
  const current = t("page", { page, pages });
  return <Pager page={page} pages={pages} href={href} label={current} current={current} previous={t("previous")} next={t("next")} />;
}

function Actions() {
  const { t } = useTranslation("consolidation");
  const { t: tr } = useTranslation("recommendations");
  const label = useBilingualLabel();
  const data = useLoaderData<typeof loader>();
  const result = useFormResult();
  const mine = result && ["merge", "link", "not_retained"].includes(result.intent ?? "") && !(!result.ok && result.values.group) ? result : undefined;
  const f = data.filters as Record<string, string | undefined>;
  const targets = data.targets.filter((x) => x.status !== "not_adopted");
  return (
    <AppForm id="bulk" className="flex flex-col gap-5" noValidate aria-labelledby="actions-heading">
      <h2 id="actions-heading">{t("actions.heading")}</h2>
      <FormError result={mine} />
      {Object.entries(f).map(([k, v]) => (v && k !== "page" ? <input key={k} type="hidden" name={`f_${k}`} value={v} /> : null))}
      <fieldset className="flex flex-col gap-2">
        <legend className="label">{t("actions.scope")}</legend>
        <label className="flex items-center gap-2">
          <input type="radio" name="scope" value="checked" defaultChecked className="h-5 w-5" />
          {t("actions.scopeChecked")}
        </label>
        <label className="flex items-center gap-2">
          <input type="radio" name="scope" value="matching" className="h-5 w-5" disabled={data.matching === 0} />
          {data.matching > MAX_BULK ? t("actions.scopeMatchingTooMany", { max: MAX_BULK }) : t("actions.scopeMatching", { count: data.matching })}
        </label>
      </fieldset>

      <section className="flex flex-col gap-3 border-t border-slate-200 pt-4" aria-labelledby="merge-heading">
        <h3 id="merge-heading">{t("actions.merge")}</h3>
        <p className="hint">{t("actions.mergeHint")}</p>
        <Field name="mergeText" label={t("actions.mergeText")} multiline rows={3} maxLength={2000} result={mine} />
        <div className="grid gap-3 sm:grid-cols-3">
          <SelectField name="mergeThemeId" label={t("actions.theme")} options={data.themes.map((th) => ({ value: th.id, label: label(th) }))} includeEmpty={t("actions.none")} result={mine} />
          <SelectField name="mergeHorizon" label={t("actions.horizon")} options={HORIZONS.map((h) => ({ value: h, label: tr(`horizons.${h}`) }))} includeEmpty={t("actions.none")} result={mine} />
          <SelectField name="mergeAddresseeId" label={t("actions.addressee")} options={data.addressees.map((a) => ({ value: a.id, label: label(a) }))} includeEmpty={t("actions.none")} result={mine} />
        </div>
        <div>
          <SubmitButton name="intent" value="merge">
            {t("actions.mergeSubmit")}
          </SubmitButton>
        </div>
      </section>

      <section className="flex flex-col gap-3 border-t border-slate-200 pt-4" aria-labelledby="link-heading">
        <h3 id="link-heading">{t("actions.link")}</h3>
        {targets.length ? (
          <>
            <SelectField name="targetRecommendationId" label={t("actions.linkTarget")} options={targets.map((x) => ({ value: x.id, label: x.text.length > 140 ? `${x.text.slice(0, 139)}…` : x.text }))} includeEmpty="" result={mine} />
            <SelectField name="relation" label={t("actions.linkRelation")} options={(["adopted_as_is", "merged", "adapted", "partly_taken_up"] as const).map((r) => ({ value: r, label: t(`relation.${r}`) }))} defaultValue="merged" result={mine} />
            <Field name="linkReason" label={t("actions.linkReason")} maxLength={500} result={mine} />
            <div>
              <SubmitButton name="intent" value="link" className="btn-secondary">
                {t("actions.linkSubmit")}
              </SubmitButton>
            </div>
          </>
        ) : (
          <p className="hint">{t("actions.noTargets")}</p>
        )}
      </section>

      <section className="flex flex-col gap-3 border-t border-slate-200 pt-4" aria-labelledby="not-retained-heading">
        <h3 id="not-retained-heading">{t("actions.notRetained")}</h3>
        <Field name="notRetainedReason" label={t("actions.notRetainedReason")} multiline rows={2} maxLength={500} result={mine} />
        <div>
          <SubmitButton name="intent" value="not_retained" className="btn-secondary">
            {t("actions.notRetainedSubmit")}
          </SubmitButton>
        </div>
      </section>
    </AppForm>
  );
}

function Done() {
  const { t } = useTranslation("consolidation");
  const errorText = useErrorText();
  const data = useLoaderData<typeof loader>();
  const result = useFormResult();
  if (!result) return null;
  if (!result.ok) {
    return result.intent === "unlink" ? (
      <div role="alert" className="alert">
        {errorText(result.formError ?? "generic")}
      </div>
    ) : null;
  }
  const d = (result.data ?? {}) as { count?: number; draftId?: string; again?: boolean };
  return (
    <p role="status" className="notice">
      {result.intent === "unlink" ? t("done.unlink") : d.again ? t("done.mergeAgain") : t(`done.${result.intent}`, { count: d.count ?? 0 })}{" "}
      {d.draftId ? (
        <Link to={`/sessions/${data.session.id}/live`} reloadDocument>
          {t("done.openDraft")}
        </Link>
      ) : null}
    </p>
  );
}

export default function ConsolidatePage() {
  const { t } = useTranslation("consolidation");
  const data = useLoaderData<typeof loader>();
  const result = useFormResult();
  const activeFilters = Object.entries(data.filters).filter(([k, v]) => v && k !== "status" && k !== "page").length;
  // A new form after each success (the typed wording is spent); after a refusal, what was typed stays.
  const actionsKey = result?.ok ? `${result.intent}-${JSON.stringify(result.data ?? null)}` : "actions";
  return (
    <Page title={t("title")} back={{ to: `/sessions/${data.session.id}`, label: t("back") }}>
      <p dir="auto" className="font-medium">
        {data.session.title}
      </p>
      <p className="hint">{t("intro")}</p>
      {data.total === 0 ? (
        <p className="notice">{t("none")}</p>
      ) : (
        <>
          <p>{t("counts", { count: data.total, unaddressed: data.unaddressed })}</p>
          <Done />
          {data.cleared ? (
            <p role="status" className="notice">
              {t("filters.cleared")}
            </p>
          ) : null}
          <details className="card">
            <summary className="cursor-pointer font-semibold">
              {t("filters.heading")} · {t(`filters.statuses.${data.filters.status}`)}
              {activeFilters > 0 ? ` · ${t("filters.active", { count: activeFilters })}` : ""}
            </summary>
            <div className="mt-4">
              <Filters />
            </div>
          </details>
          <ViewSwitch />
          <p role="status" className="text-sm">
            {t("matching", { count: data.matching })} <a href="#actions-heading">{t("actions.jump")}</a>
          </p>
          {data.view === "groups" ? (
            <Groups />
          ) : (
            <ul className="flex flex-col gap-3" aria-label={t("title")}>
              {data.items.map((item) => (
                <ItemCard key={item.id} item={item} />
              ))}
            </ul>
          )}
          <PageLinks />
          <div className="card">
            <Actions key={actionsKey} />
          </div>
        </>
      )}
    </Page>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/errors";
