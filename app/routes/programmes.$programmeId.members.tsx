import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, type SerializeFrom } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useId } from "react";
import { useTranslation } from "react-i18next";
import { AppForm, Field, FormError, FormSaved, SelectField, SubmitButton, useFormResult } from "~/components/forms";
import { Page, Section } from "~/components/layout";
import { act, failure, load, publicOrigin, readForm, requireSignedIn, type FormResult } from "~/utils/http";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.programme.name} · Parley` : "Parley" }];

const ROLES = ["organiser", "staff", "member"] as const;

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { domain } = context;
  const actor = requireSignedIn(context.actor, request);
  const programmeId = params.programmeId ?? "";
  return load(request, () => {
    const members = domain.programmes.listMembers(actor, programmeId);
    const { programme } = domain.programmes.get(actor, programmeId);
    return json({ programme: { id: programme.id, name: programme.name }, members, viewerId: actor.userId });
  });
}

type LinkData = { userId: string; link: string | null; purpose: "onboarding" | "reset" };

export async function action({ request, params, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const { actor } = context;
  const programmes = context.domain.programmes;
  const programmeId = params.programmeId ?? "";
  const origin = publicOrigin(request, context.publicOrigin);
  const intent = String(form.get("intent") ?? "");
  // Forms acting on one member carry their id in the intent ("removeMember:<id>"), so each shows its own result.
  const [kind, userId = ""] = intent.split(":");
  return act(request, form, () => {
    switch (kind) {
      case "addMember": {
        const added = programmes.addMember(actor, programmeId, {
          email: form.get("email") ?? undefined,
          displayName: form.get("displayName") ?? undefined,
          role: form.get("role") ?? undefined,
        });
        const data: LinkData = { userId: added.userId, link: added.onboardingToken ? `${origin}/onboard/${added.onboardingToken}` : null, purpose: "onboarding" };
        return { ok: true, intent, data };
      }
      case "resetLink": {
        const token = programmes.issueResetLink(actor, programmeId, userId);
        const data: LinkData = { userId, link: `${origin}/onboard/${token}`, purpose: "reset" };
        return { ok: true, intent, data };
      }
      case "removeMember":
        programmes.removeMember(actor, programmeId, userId);
        return { ok: true, intent };
      default:
        return failure(form, 400, "invalid");
    }
  });
}

function linkData(result: FormResult | undefined): LinkData | null {
  if (!result?.ok || !result.data || typeof result.data !== "object" || !("userId" in result.data)) return null;
  return result.data as LinkData;
}

/** A one-time link, shown once: it is only in this response, never stored in a readable form. */
function OneTimeLink({ link, purpose, email }: { link: string; purpose: LinkData["purpose"]; email: string }) {
  const { t } = useTranslation("programmes");
  const id = useId();
  return (
    <div className="notice flex flex-col gap-2" role="status">
      <p className="font-medium">{purpose === "reset" ? t("members.resetIssued", { email }) : t("members.onboardingIssued", { email })}</p>
      <label htmlFor={id} className="label">
        {purpose === "reset" ? t("members.resetLinkLabel") : t("members.onboardingLinkLabel")}
      </label>
      <input id={id} className="input font-mono text-sm" dir="ltr" readOnly value={link} aria-describedby={`${id}-hint`} onFocus={(e) => e.currentTarget.select()} />
      <p id={`${id}-hint`} className="hint">
        {t("members.linkHint")}
      </p>
    </div>
  );
}

type Member = SerializeFrom<typeof loader>["members"][number];

function MemberRow({ member, isViewer }: { member: Member; isViewer: boolean }) {
  const { t } = useTranslation("programmes");
  const resetIntent = `resetLink:${member.userId}`;
  const removeIntent = `removeMember:${member.userId}`;
  const resetResult = useFormResult(resetIntent);
  const removeResult = useFormResult(removeIntent);
  const who = member.displayName || member.email || member.userId;
  const issued = linkData(resetResult);
  return (
    <li className="flex flex-col gap-2 py-3">
      <div className="flex flex-col gap-1">
        <span className="break-all font-medium">
          {member.email}
          {isViewer ? <span className="font-normal text-ink-soft"> {t("members.you")}</span> : null}
        </span>
        {member.displayName ? (
          <span dir="auto" className="break-words text-sm">
            {member.displayName}
          </span>
        ) : null}
        <div className="flex flex-wrap gap-2">
          <span className="badge">{t(`common:programmeRoles.${member.role}`)}</span>
          <span className="badge">{member.onboarded ? t("members.onboarded") : t("members.notOnboarded")}</span>
        </div>
      </div>
      {issued?.link ? <OneTimeLink link={issued.link} purpose="reset" email={member.email ?? who} /> : null}
      <FormError result={resetResult} />
      <FormError result={removeResult} />
      <div className="flex flex-wrap gap-2">
        <AppForm>
          <input type="hidden" name="intent" value={resetIntent} />
          <SubmitButton className="btn-secondary btn-small">
            {member.onboarded ? t("members.issueReset") : t("members.issueNewLink")}
            <span className="sr-only"> {who}</span>
          </SubmitButton>
        </AppForm>
        <AppForm>
          <input type="hidden" name="intent" value={removeIntent} />
          <SubmitButton className="btn-danger btn-small">
            {t("members.remove")}
            <span className="sr-only"> {who}</span>
          </SubmitButton>
        </AppForm>
      </div>
    </li>
  );
}

export default function ProgrammeMembers() {
  const { t } = useTranslation("programmes");
  const data = useLoaderData<typeof loader>();
  const addResult = useFormResult("addMember");
  const added = linkData(addResult);
  const addedMember = added ? data.members.find((m) => m.userId === added.userId) : undefined;
  const last = useFormResult();
  const showRemoved = last?.ok && last.intent?.startsWith("removeMember:");
  // A failure about a member no longer listed (removed meanwhile, e.g. from another tab) is shown here.
  const targetId = last && !last.ok ? last.intent?.split(":")[1] : undefined;
  const orphanFailure = targetId !== undefined && !data.members.some((m) => m.userId === targetId);
  return (
    <Page title={t("members.title")} back={{ to: `/programmes/${data.programme.id}`, label: data.programme.name }}>
      {orphanFailure ? <FormError result={last} /> : null}
      <Section title={t("members.addTitle")} id="add-member-heading">
        <p className="hint">{t("members.addIntro")}</p>
        {added?.link ? (
          <OneTimeLink link={added.link} purpose="onboarding" email={addedMember?.email ?? ""} />
        ) : (
          <FormSaved result={addResult} message={t("members.addedExisting", { email: addedMember?.email ?? "" })} />
        )}
        <AppForm key={added ? `added-${added.userId}` : "add"} className="flex flex-col gap-4" noValidate>
          <input type="hidden" name="intent" value="addMember" />
          <FormError result={addResult} />
          <Field name="email" label={t("members.email")} type="email" inputMode="email" autoComplete="off" required maxLength={254} result={addResult} />
          <Field name="displayName" label={t("members.displayName")} hint={t("members.displayNameHint")} maxLength={60} autoComplete="off" result={addResult} />
          <SelectField name="role" label={t("members.role")} hint={t("members.roleHint")} defaultValue="member" options={ROLES.map((r) => ({ value: r, label: t(`common:programmeRoles.${r}`) }))} result={addResult} />
          <div>
            <SubmitButton>{t("members.add")}</SubmitButton>
          </div>
        </AppForm>
      </Section>
      <Section title={t("members.listTitle", { count: data.members.length })} id="members-heading">
        {showRemoved ? (
          <p role="status" className="notice">
            {t("members.removed")}
          </p>
        ) : null}
        <ul className="flex flex-col divide-y divide-slate-200">
          {data.members.map((m) => (
            <MemberRow key={m.userId} member={m} isViewer={m.userId === data.viewerId} />
          ))}
        </ul>
      </Section>
    </Page>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/errors";
