import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, type SerializeFrom } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AppForm, Field, FormError, FormSaved, SelectField, SubmitButton, useFormResult } from "~/components/forms";
import { Page, Section } from "~/components/layout";
import { act, failure, load, readForm, type FormResult } from "~/utils/http";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.programme.name} · Parley` : "Parley" }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { actor, domain } = context;
  return load(request, () => {
    const { programme, levels, localities, themes, addressees } = domain.programmes.getForSettings(actor, params.programmeId ?? "");
    return json({
      programme: {
        id: programme.id,
        name: programme.name,
        description: programme.description,
        quorumPercent: programme.quorumPercent,
        consensusPercent: programme.consensusPercent,
        broadSupportPermille: programme.broadSupportPermille,
        retentionDays: programme.retentionDays,
      },
      levels: levels.map((l) => ({ id: l.id, key: l.key, labelEn: l.labelEn, labelFr: l.labelFr, rank: l.rank })),
      localities: localities.map((l) => ({ id: l.id, name: l.name, levelId: l.levelId, parentId: l.parentId })),
      themes: themes.map((e) => ({ id: e.id, labelEn: e.labelEn, labelFr: e.labelFr })),
      addressees: addressees.map((e) => ({ id: e.id, labelEn: e.labelEn, labelFr: e.labelFr })),
    });
  });
}

/** The named fields of a form, as the domain expects them (absent fields stay undefined). */
function pick(form: FormData, names: string[]) {
  return Object.fromEntries(names.map((n) => [n, form.get(n) ?? undefined]));
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const { actor } = context;
  const programmes = context.domain.programmes;
  const programmeId = params.programmeId ?? "";
  const intent = String(form.get("intent") ?? "");
  // Forms acting on one item carry its id in the intent ("removeLevel:<id>"), so each shows its own result.
  const [kind, targetId = ""] = intent.split(":");
  return act(request, form, () => {
    const done = (id?: string) => ({ ok: true as const, intent, data: id ? { id } : undefined });
    switch (kind) {
      case "settings":
        programmes.updateSettings(actor, programmeId, pick(form, ["name", "description", "quorumPercent", "consensusPercent", "broadSupportPermille", "retentionDays"]));
        return done();
      case "addLevel":
        return done(programmes.addLevel(actor, programmeId, pick(form, ["key", "labelEn", "labelFr"])).id);
      case "renameLevel":
        programmes.updateLevel(actor, programmeId, targetId, pick(form, ["labelEn", "labelFr"]));
        return done();
      case "removeLevel":
        programmes.removeLevel(actor, programmeId, targetId);
        return done();
      case "addLocality":
        return done(programmes.addLocality(actor, programmeId, pick(form, ["name", "levelId", "parentId"])).id);
      case "removeLocality":
        programmes.removeLocality(actor, programmeId, targetId);
        return done();
      case "addTheme":
        return done(programmes.addTheme(actor, programmeId, pick(form, ["labelEn", "labelFr"])).id);
      case "removeTheme":
        programmes.removeTheme(actor, programmeId, targetId);
        return done();
      case "addAddressee":
        return done(programmes.addAddressee(actor, programmeId, pick(form, ["labelEn", "labelFr"])).id);
      case "removeAddressee":
        programmes.removeAddressee(actor, programmeId, targetId);
        return done();
      default:
        return failure(form, 400, "invalid");
    }
  });
}

type LoaderData = SerializeFrom<typeof loader>;
type Labelled = { id: string; labelEn: string; labelFr: string };

/** A key that changes after each successful add, so the add form comes back empty. */
function resetKey(result: FormResult | undefined, base: string) {
  if (result?.ok && result.data && typeof result.data === "object" && "id" in result.data) return `${base}-${String(result.data.id)}`;
  return base;
}

/** A status line after a successful removal in this section. */
function Removed({ prefix }: { prefix: string }) {
  const { t } = useTranslation("programmes");
  const last = useActionData<FormResult>();
  if (!last?.ok || !last.intent?.startsWith(`${prefix}:`)) return null;
  return (
    <p role="status" className="notice">
      {t("settings.removed")}
    </p>
  );
}

function RemoveButton({ intent, name }: { intent: string; name: string }) {
  const { t } = useTranslation("programmes");
  const result = useFormResult(intent);
  return (
    <div className="flex flex-col items-start gap-2">
      <AppForm>
        <input type="hidden" name="intent" value={intent} />
        <SubmitButton className="btn-danger btn-small">
          {t("common:remove")}
          <span className="sr-only"> {name}</span>
        </SubmitButton>
      </AppForm>
      <FormError result={result} />
    </div>
  );
}

function Bilingual({ item }: { item: Labelled }) {
  return (
    <span className="break-words">
      <span lang="en" dir="auto">
        {item.labelEn}
      </span>
      <span aria-hidden="true" className="text-ink-soft">
        {" / "}
      </span>
      <span lang="fr" dir="auto">
        {item.labelFr}
      </span>
    </span>
  );
}

function SettingsForm({ programme }: { programme: LoaderData["programme"] }) {
  const { t } = useTranslation("programmes");
  const result = useFormResult("settings");
  return (
    <Section title={t("settings.generalTitle")} id="general-heading">
      <AppForm className="flex flex-col gap-4" noValidate>
        <input type="hidden" name="intent" value="settings" />
        <FormError result={result} />
        <FormSaved result={result} />
        <Field name="name" label={t("fields.name")} required maxLength={120} defaultValue={programme.name} result={result} />
        <Field name="description" label={t("fields.description")} hint={t("fields.descriptionHint")} multiline rows={4} maxLength={4000} defaultValue={programme.description} result={result} />
        <fieldset className="flex flex-col gap-4">
          <legend className="mb-2 font-semibold">{t("settings.thresholdsLegend")}</legend>
          <p className="hint">{t("settings.thresholdsIntro")}</p>
          <Field name="quorumPercent" label={t("settings.quorumPercent")} hint={t("settings.quorumHint")} type="number" inputMode="numeric" min={1} max={100} required defaultValue={programme.quorumPercent} result={result} />
          <Field name="consensusPercent" label={t("settings.consensusPercent")} hint={t("settings.consensusHint")} type="number" inputMode="numeric" min={51} max={100} required defaultValue={programme.consensusPercent} result={result} />
          <Field name="broadSupportPermille" label={t("settings.broadSupportPermille")} hint={t("settings.broadSupportHint")} type="number" inputMode="numeric" min={501} max={1000} required defaultValue={programme.broadSupportPermille} result={result} />
        </fieldset>
        <Field name="retentionDays" label={t("settings.retentionDays")} hint={t("settings.retentionHint")} type="number" inputMode="numeric" min={1} max={3650} required defaultValue={programme.retentionDays} result={result} />
        <div>
          <SubmitButton>{t("common:save")}</SubmitButton>
        </div>
      </AppForm>
    </Section>
  );
}

function LevelRow({ level, label }: { level: LoaderData["levels"][number]; label: string }) {
  const { t } = useTranslation("programmes");
  const renameIntent = `renameLevel:${level.id}`;
  const result = useFormResult(renameIntent);
  return (
    <li className="flex flex-col gap-2 py-3">
      <div className="flex flex-wrap items-baseline gap-2">
        <Bilingual item={level} />
        <span className="badge">
          <span className="sr-only">{t("levels.key")} </span>
          {level.key}
        </span>
      </div>
      <details open={result ? true : undefined}>
        <summary className="cursor-pointer text-sm text-brand">
          {t("levels.rename")}
          <span className="sr-only"> {label}</span>
        </summary>
        <AppForm className="mt-3 flex flex-col gap-3" noValidate>
          <input type="hidden" name="intent" value={renameIntent} />
          <FormError result={result} />
          <FormSaved result={result} />
          <fieldset className="flex flex-col gap-3">
            <legend className="sr-only">{t("levels.renameLegend", { name: label })}</legend>
            <Field name="labelEn" label={t("fields.labelEn")} required maxLength={120} defaultValue={level.labelEn} result={result} />
            <Field name="labelFr" label={t("fields.labelFr")} required maxLength={120} defaultValue={level.labelFr} result={result} />
          </fieldset>
          <div>
            <SubmitButton className="btn-secondary btn-small">{t("common:save")}</SubmitButton>
          </div>
        </AppForm>
      </details>
      <RemoveButton intent={`removeLevel:${level.id}`} name={label} />
    </li>
  );
}

function Levels({ levels }: { levels: LoaderData["levels"] }) {
  const { t, i18n } = useTranslation("programmes");
  const result = useFormResult("addLevel");
  const fr = i18n.language === "fr";
  return (
    <Section title={t("levels.title")} id="levels-heading">
      <p className="hint">{t("levels.intro")}</p>
      <Removed prefix="removeLevel" />
      {levels.length === 0 ? (
        <p className="hint">{t("levels.empty")}</p>
      ) : (
        <ol className="flex flex-col divide-y divide-slate-200">
          {levels.map((l) => (
            <LevelRow key={l.id} level={l} label={fr ? l.labelFr : l.labelEn} />
          ))}
        </ol>
      )}
      <AppForm key={resetKey(result, "addLevel")} className="flex flex-col gap-3 border-t border-slate-200 pt-4" noValidate>
        <h3>{t("levels.addTitle")}</h3>
        <input type="hidden" name="intent" value="addLevel" />
        <FormError result={result} />
        <FormSaved result={result} message={t("settings.added")} />
        <Field name="key" label={t("levels.key")} hint={t("levels.keyHint")} required maxLength={40} result={result} />
        <Field name="labelEn" label={t("fields.labelEn")} required maxLength={120} result={result} />
        <Field name="labelFr" label={t("fields.labelFr")} required maxLength={120} result={result} />
        <div>
          <SubmitButton className="btn-secondary">{t("levels.add")}</SubmitButton>
        </div>
      </AppForm>
    </Section>
  );
}

type LocalityNode = LoaderData["localities"][number] & { children: LocalityNode[] };

function buildTree(localities: LoaderData["localities"]): LocalityNode[] {
  const nodes = new Map(localities.map((l) => [l.id, { ...l, children: [] as LocalityNode[] }]));
  const roots: LocalityNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.parentId ? nodes.get(node.parentId) : undefined;
    if (parent && parent !== node) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

function flatten(nodes: LocalityNode[], depth = 0, seen = new Set<string>()): { node: LocalityNode; depth: number }[] {
  return nodes.flatMap((node) => {
    if (seen.has(node.id)) return [];
    seen.add(node.id);
    return [{ node, depth }, ...flatten(node.children, depth + 1, seen)];
  });
}

function LocalityList({ nodes, levelLabel, nested }: { nodes: LocalityNode[]; levelLabel: Map<string, string>; nested?: boolean }) {
  return (
    <ul className={nested ? "ms-3 flex flex-col border-s-2 border-slate-200 ps-3" : "flex flex-col"}>
      {nodes.map((n) => (
        <li key={n.id} className="flex flex-col">
          <div className="flex flex-wrap items-start justify-between gap-2 py-2">
            <div className="flex min-w-0 flex-wrap items-baseline gap-2">
              <span dir="auto" className="break-words font-medium">
                {n.name}
              </span>
              {levelLabel.has(n.levelId) ? <span className="badge">{levelLabel.get(n.levelId)}</span> : null}
            </div>
            <RemoveButton intent={`removeLocality:${n.id}`} name={n.name} />
          </div>
          {n.children.length > 0 ? <LocalityList nodes={n.children} levelLabel={levelLabel} nested /> : null}
        </li>
      ))}
    </ul>
  );
}

function Localities({ localities, levels }: { localities: LoaderData["localities"]; levels: LoaderData["levels"] }) {
  const { t, i18n } = useTranslation("programmes");
  const result = useFormResult("addLocality");
  const fr = i18n.language === "fr";
  const levelLabel = new Map(levels.map((l) => [l.id, fr ? l.labelFr : l.labelEn]));
  const tree = buildTree(localities);
  const parentOptions = flatten(tree).map(({ node, depth }) => ({
    value: node.id,
    label: `${"\u00a0\u00a0".repeat(depth)}${depth > 0 ? "└ " : ""}${node.name}${levelLabel.has(node.levelId) ? ` (${levelLabel.get(node.levelId)})` : ""}`,
  }));
  return (
    <Section title={t("localities.title")} id="localities-heading">
      <p className="hint">{t("localities.intro")}</p>
      <Removed prefix="removeLocality" />
      {tree.length === 0 ? <p className="hint">{t("localities.empty")}</p> : <LocalityList nodes={tree} levelLabel={levelLabel} />}
      <AppForm key={resetKey(result, "addLocality")} className="flex flex-col gap-3 border-t border-slate-200 pt-4" noValidate>
        <h3>{t("localities.addTitle")}</h3>
        <input type="hidden" name="intent" value="addLocality" />
        <FormError result={result} />
        <FormSaved result={result} message={t("settings.added")} />
        <Field name="name" label={t("localities.name")} required maxLength={120} result={result} />
        <SelectField name="levelId" label={t("localities.level")} required options={levels.map((l) => ({ value: l.id, label: fr ? l.labelFr : l.labelEn }))} result={result} />
        <SelectField name="parentId" label={t("localities.parent")} hint={t("localities.parentHint")} includeEmpty={t("localities.noParent")} options={parentOptions} result={result} />
        <div>
          <SubmitButton className="btn-secondary">{t("localities.add")}</SubmitButton>
        </div>
      </AppForm>
    </Section>
  );
}

function BilingualList({ kind, items }: { kind: "theme" | "addressee"; items: Labelled[] }) {
  const { t, i18n } = useTranslation("programmes");
  const cap = kind === "theme" ? "Theme" : "Addressee";
  const section = kind === "theme" ? "themes" : "addressees";
  const result = useFormResult(`add${cap}`);
  const fr = i18n.language === "fr";
  return (
    <Section title={t(`${section}.title`)} id={`${section}-heading`}>
      <p className="hint">{t(`${section}.intro`)}</p>
      <Removed prefix={`remove${cap}`} />
      {items.length === 0 ? (
        <p className="hint">{t(`${section}.empty`)}</p>
      ) : (
        <ul className="flex flex-col divide-y divide-slate-200">
          {items.map((item) => (
            <li key={item.id} className="flex flex-wrap items-start justify-between gap-2 py-2">
              <Bilingual item={item} />
              <RemoveButton intent={`remove${cap}:${item.id}`} name={fr ? item.labelFr : item.labelEn} />
            </li>
          ))}
        </ul>
      )}
      <AppForm key={resetKey(result, `add${cap}`)} className="flex flex-col gap-3 border-t border-slate-200 pt-4" noValidate>
        <h3>{t(`${section}.addTitle`)}</h3>
        <input type="hidden" name="intent" value={`add${cap}`} />
        <FormError result={result} />
        <FormSaved result={result} message={t("settings.added")} />
        <Field name="labelEn" label={t("fields.labelEn")} required maxLength={120} result={result} />
        <Field name="labelFr" label={t("fields.labelFr")} required maxLength={120} result={result} />
        <div>
          <SubmitButton className="btn-secondary">{t(`${section}.add`)}</SubmitButton>
        </div>
      </AppForm>
    </Section>
  );
}

export default function ProgrammeSettings() {
  const { t } = useTranslation("programmes");
  const data = useLoaderData<typeof loader>();
  // A failure about an item no longer on the page (removed meanwhile, e.g. from another tab) is shown here.
  const last = useActionData<FormResult>();
  const targetId = last && !last.ok ? last.intent?.split(":")[1] : undefined;
  const known = new Set([...data.levels, ...data.localities, ...data.themes, ...data.addressees].map((item) => item.id));
  return (
    <Page title={t("settings.title")} back={{ to: `/programmes/${data.programme.id}`, label: data.programme.name }}>
      {targetId && !known.has(targetId) ? <FormError result={last} /> : null}
      <nav aria-label={t("settings.jumpTo")}>
        <ul className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
          <li>
            <a href="#general-heading">{t("settings.generalTitle")}</a>
          </li>
          <li>
            <a href="#levels-heading">{t("levels.title")}</a>
          </li>
          <li>
            <a href="#localities-heading">{t("localities.title")}</a>
          </li>
          <li>
            <a href="#themes-heading">{t("themes.title")}</a>
          </li>
          <li>
            <a href="#addressees-heading">{t("addressees.title")}</a>
          </li>
        </ul>
      </nav>
      <SettingsForm programme={data.programme} />
      <Levels levels={data.levels} />
      <Localities localities={data.localities} levels={data.levels} />
      <BilingualList kind="theme" items={data.themes} />
      <BilingualList kind="addressee" items={data.addressees} />
    </Page>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/errors";
