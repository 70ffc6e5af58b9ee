import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useId } from "react";
import { useTranslation } from "react-i18next";
import { AppForm, Field, FormError, FormSaved, SelectField, SubmitButton, useErrorText, useFormResult } from "~/components/forms";
import { Page, RoleBadge, Section } from "~/components/layout";
import { LocalTime } from "~/components/time";
import { act, failure, load, publicOrigin, readForm } from "~/utils/http";
import { ROLE_OPTIONS } from "~/utils/session-form";

export const meta: MetaFunction = () => [{ title: "Parley" }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { domain, actor } = context;
  const sessionId = params.sessionId ?? "";
  return json(
    await load(request, () => {
      const { session, can } = domain.sessions.get(actor, sessionId);
      const members = domain.sessions.listMembers(actor, sessionId);
      const invitations = domain.invitations.list(actor, sessionId);
      const roster = can.includes("session.roster.view") ? domain.roster.list(actor, sessionId).map(({ id, name }) => ({ id, name })) : [];
      return {
        session: { id: session.id, title: session.title, joinCode: session.joinCode, timeZone: session.timeZone },
        canRotate: can.includes("session.joinCode.rotate"),
        members: members.map(({ userId, displayName, email, isGuest, role }) => ({ userId, displayName, email, isGuest, role })),
        invitations: invitations.map(({ id, role, rosterName, state, expiresAt }) => ({ id, role, rosterName, state, expiresAt })),
        roster,
        origin: publicOrigin(request, context.publicOrigin),
        ttlDays: context.invitationTtlDays,
      };
    }),
  );
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const { domain, actor } = context;
  const sessionId = params.sessionId ?? "";
  const intent = String(form.get("intent") ?? "");
  const field = (name: string) => String(form.get(name) ?? "");
  return act(request, form, () => {
    switch (intent) {
      case "rotateCode":
        domain.sessions.rotateJoinCode(actor, sessionId);
        return { ok: true, intent };
      case "disableCode":
        domain.sessions.disableJoinCode(actor, sessionId);
        return { ok: true, intent };
      case "createInvitations": {
        const role = field("role");
        const created = domain.invitations.create(actor, sessionId, { role, rosterEntryId: field("rosterEntryId"), count: field("count") || "1" });
        const origin = publicOrigin(request, context.publicOrigin);
        // The tokens exist only in this answer: they are shown once and never stored in clear.
        return { ok: true, intent, data: { role, links: created.map((c) => `${origin}/invite/${c.token}`) } };
      }
      case "revokeInvitation":
        domain.invitations.revoke(actor, sessionId, field("invitationId"));
        return { ok: true, intent };
      case "changeRole":
        domain.sessions.changeMemberRole(actor, sessionId, field("userId"), field("role"));
        return { ok: true, intent };
      case "removeMember":
        domain.sessions.removeMember(actor, sessionId, field("userId"));
        return { ok: true, intent };
      default:
        return failure(form, 400, "invalid_input");
    }
  });
}

function ReadOnlyLink({ label, value, hint }: { label: string; value: string; hint?: string }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id} className="label">
        {label}
      </label>
      {hint ? (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      ) : null}
      <input id={id} className="input font-mono text-sm" readOnly value={value} onFocus={(e) => e.currentTarget.select()} aria-describedby={hint ? `${id}-hint` : undefined} />
    </div>
  );
}

function JoinCodeSection() {
  const { t } = useTranslation("sessions");
  const { session, origin, canRotate } = useLoaderData<typeof loader>();
  const rotated = useFormResult("rotateCode");
  const disabled = useFormResult("disableCode");
  const code = session.joinCode;
  return (
    <Section title={t("people.joinCode.heading")} id="join-code-heading">
      <p className="hint">{t("people.joinCode.intro")}</p>
      <FormError result={rotated} />
      <FormError result={disabled} />
      <FormSaved result={rotated} message={t("people.joinCode.rotated")} />
      <FormSaved result={disabled} message={t("people.joinCode.disabled")} />
      {code ? (
        <>
          <div className="flex flex-col gap-1">
            <p className="label">{t("people.joinCode.code")}</p>
            <p className="break-all rounded-md bg-slate-100 px-3 py-4 text-center font-mono text-3xl font-bold tracking-[0.3em] sm:text-4xl" aria-label={code.split("").join(" ")}>
              {code}
            </p>
          </div>
          <ReadOnlyLink label={t("people.joinCode.url")} hint={t("people.joinCode.urlHint")} value={`${origin}/join?code=${encodeURIComponent(code)}`} />
        </>
      ) : (
        <p>{t("people.joinCode.none")}</p>
      )}
      {canRotate ? (
        <div className="flex flex-wrap items-start gap-3">
          <AppForm className="flex flex-col gap-1">
            <input type="hidden" name="intent" value="rotateCode" />
            <SubmitButton className={code ? "btn-secondary" : "btn-primary"}>{code ? t("people.joinCode.rotate") : t("people.joinCode.create")}</SubmitButton>
            {code ? <p className="hint">{t("people.joinCode.rotateHint")}</p> : null}
          </AppForm>
          {code ? (
            <AppForm>
              <input type="hidden" name="intent" value="disableCode" />
              <SubmitButton className="btn-danger">{t("people.joinCode.disable")}</SubmitButton>
            </AppForm>
          ) : null}
        </div>
      ) : null}
    </Section>
  );
}

function InvitationsSection() {
  const { t } = useTranslation("sessions");
  const { invitations, roster, session, ttlDays } = useLoaderData<typeof loader>();
  const created = useFormResult("createInvitations");
  const revoked = useFormResult("revokeInvitation");
  const createdData = created?.ok ? (created.data as { role: string; links: string[] } | undefined) : undefined;
  const roleOptions = ROLE_OPTIONS.map((r) => ({ value: r, label: t(`common:roles.${r}`) }));
  return (
    <Section title={t("people.invitations.heading")} id="invitations-heading">
      <p className="hint">{t("people.invitations.intro", { days: ttlDays })}</p>

      {createdData?.links.length ? (
        <div className="flex flex-col gap-3 rounded-md border border-brand bg-brand-light p-3">
          <h3>{t("people.invitations.createdHeading")}</h3>
          <p role="status" className="text-sm">
            {t("people.invitations.createdHint")}
          </p>
          {createdData.links.map((link, i) => (
            <ReadOnlyLink key={link} label={t("people.invitations.linkLabel", { n: i + 1, role: t(`common:roles.${createdData.role}`) })} value={link} />
          ))}
        </div>
      ) : null}

      <AppForm className="flex flex-col gap-4" noValidate>
        <h3>{t("people.invitations.createHeading")}</h3>
        <input type="hidden" name="intent" value="createInvitations" />
        <FormError result={created} />
        <div className="grid gap-4 sm:grid-cols-3">
          <SelectField name="role" label={t("people.invitations.role")} options={roleOptions} defaultValue="participant" required result={created} />
          {roster.length ? (
            <SelectField name="rosterEntryId" label={t("people.invitations.rosterEntry")} hint={t("people.invitations.rosterHint")} includeEmpty={t("people.invitations.rosterNone")} options={roster.map((r) => ({ value: r.id, label: r.name }))} defaultValue="" result={created} />
          ) : null}
          <Field name="count" label={t("people.invitations.count")} hint={t("people.invitations.countHint")} type="number" min={1} max={200} inputMode="numeric" defaultValue={1} required result={created} />
        </div>
        <div>
          <SubmitButton>{t("people.invitations.submit")}</SubmitButton>
        </div>
      </AppForm>

      <h3>{t("people.invitations.listHeading")}</h3>
      <FormError result={revoked} />
      <FormSaved result={revoked} message={t("people.invitations.revoked")} />
      {invitations.length === 0 ? (
        <p className="hint">{t("people.invitations.none")}</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t("people.invitations.colNumber")}</th>
                <th scope="col">{t("people.invitations.colRole")}</th>
                <th scope="col">{t("people.invitations.colRoster")}</th>
                <th scope="col">{t("people.invitations.colState")}</th>
                <th scope="col">{t("people.invitations.colExpires")}</th>
                <th scope="col">{t("people.invitations.colActions")}</th>
              </tr>
            </thead>
            <tbody>
              {invitations.map((inv, i) => (
                <tr key={inv.id}>
                  <td>{i + 1}</td>
                  <td>{t(`common:roles.${inv.role}`)}</td>
                  <td dir="auto">{inv.rosterName ?? "—"}</td>
                  <td>
                    <span className="badge">{t(`people.invitations.states.${inv.state}`)}</span>
                  </td>
                  <td className="min-w-[10rem]">
                    <LocalTime epoch={inv.expiresAt} timeZone={session.timeZone} />
                  </td>
                  <td>
                    {inv.state === "pending" ? (
                      <AppForm>
                        <input type="hidden" name="intent" value="revokeInvitation" />
                        <input type="hidden" name="invitationId" value={inv.id} />
                        <button type="submit" className="btn-danger btn-small" aria-label={t("people.invitations.revokeLabel", { n: i + 1 })}>
                          {t("people.invitations.revoke")}
                        </button>
                      </AppForm>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Section>
  );
}

function MembersSection() {
  const { t } = useTranslation("sessions");
  const { members } = useLoaderData<typeof loader>();
  const changed = useFormResult("changeRole");
  const removed = useFormResult("removeMember");
  const errorText = useErrorText();
  const roleOptions = ROLE_OPTIONS.map((r) => ({ value: r, label: t(`common:roles.${r}`) }));
  // Field errors of a failed role change, shown in that member's row.
  const rowErrors = (userId: string) => (changed && !changed.ok && changed.values.userId === userId ? Object.values(changed.fields).flat() : []);
  return (
    <Section title={t("people.members.heading")} id="members-heading">
      <p className="hint">{t("people.members.intro")}</p>
      <FormError result={changed} />
      <FormError result={removed} />
      <FormSaved result={changed} message={t("people.members.roleChanged")} />
      <FormSaved result={removed} message={t("people.members.removed")} />
      {members.length === 0 ? (
        <p className="hint">{t("people.members.none")}</p>
      ) : (
        <>
          <p className="text-sm">{t("people.members.count", { count: members.length })}</p>
          <ul className="flex flex-col divide-y divide-slate-200">
            {members.map((m) => {
              const name = m.displayName ?? (m.isGuest ? t("common:anonymousGuest") : (m.email ?? t("common:anonymousGuest")));
              return (
                <li key={m.userId} className="flex flex-col gap-2 py-3">
                  <div className="flex flex-wrap items-center gap-2">
                    <span className="font-medium" dir="auto">
                      {name}
                    </span>
                    {m.isGuest ? <span className="badge">{t("common:guestLabel")}</span> : null}
                    <RoleBadge role={m.role} />
                  </div>
                  {m.email ? (
                    <p className="break-all text-sm text-ink-soft" dir="auto">
                      {m.email}
                    </p>
                  ) : null}
                  {rowErrors(m.userId).length ? <p className="error">{rowErrors(m.userId).map((e) => errorText(e)).join(" ")}</p> : null}
                  <div className="flex flex-wrap items-end gap-3">
                    <AppForm className="flex flex-wrap items-end gap-2">
                      <input type="hidden" name="intent" value="changeRole" />
                      <input type="hidden" name="userId" value={m.userId} />
                      <SelectField name="role" label={t("people.members.role", { name })} options={roleOptions} defaultValue={m.role} />
                      <SubmitButton className="btn-secondary btn-small">{t("people.members.changeRole")}</SubmitButton>
                    </AppForm>
                    <AppForm>
                      <input type="hidden" name="intent" value="removeMember" />
                      <input type="hidden" name="userId" value={m.userId} />
                      <button type="submit" className="btn-danger btn-small" aria-label={t("people.members.removeLabel", { name })}>
                        {t("people.members.remove")}
                      </button>
                    </AppForm>
                  </div>
                </li>
              );
            })}
          </ul>
        </>
      )}
    </Section>
  );
}

export default function People() {
  const { t } = useTranslation("sessions");
  const { session } = useLoaderData<typeof loader>();
  return (
    <Page title={t("people.title")} back={{ to: `/sessions/${session.id}`, label: t("people.back") }}>
      <p dir="auto" className="font-medium">
        {session.title}
      </p>
      <JoinCodeSection />
      <InvitationsSection />
      <MembersSection />
    </Page>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/errors";
