/**
 * The circulated draft summary, for the session's members: read it, and (participants and panelists)
 * comment or object until the deadline. A plain form that works without JavaScript, on a phone.
 * Comments are non-attributed in non-attributed sessions (the domain tags them under the summary's
 * review secret, destroyed at publication); the page says so next to the form.
 */
import { json, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData, useSearchParams } from "@remix-run/react";
import { useId } from "react";
import { useTranslation } from "react-i18next";
import { AppForm, Field, FormError, SubmitButton, useErrorText, useFormResult } from "~/components/forms";
import { Page, Section } from "~/components/layout";
import { LocalTime } from "~/components/time";
import { renderMarkdown } from "~/summaries/markdown";
import { act, failure, load, readForm } from "~/utils/http";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.session.title} · Parley` : "Parley" }];

/** A person's own comments are on this page: never cached on the device. */
export const headers: HeadersFunction = () => ({ "Cache-Control": "private, no-store" });

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { domain, actor } = context;
  const sessionId = params.sessionId ?? "";
  const data = await load(request, () => {
    const r = domain.summaries.review(actor, sessionId);
    return {
      session: { id: r.session.id, title: r.session.title, timeZone: r.session.timeZone, attributionMode: r.session.attributionMode },
      summary: r.summary ? { html: renderMarkdown(r.summary.markdown), language: r.summary.language, reviewDeadline: r.summary.reviewDeadline } : null,
      comments: r.comments.map((c) => ({ id: c.id, kind: c.kind, text: c.text })),
      canComment: r.canComment,
      open: r.open,
    };
  });
  return json(data, { headers: { "Cache-Control": "private, no-store" } });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const { domain, actor } = context;
  const sessionId = params.sessionId ?? "";
  const str = (name: string) => {
    const v = form.get(name);
    return typeof v === "string" ? v : undefined;
  };
  const intent = form.get("intent");
  return act(request, form, () => {
    if (intent === "comment") {
      domain.summaries.comment(actor, sessionId, { kind: str("kind"), text: str("text") });
      // Post/redirect/get: a reload does not send the comment twice.
      return redirect(`/sessions/${sessionId}/review?sent=1#your-comments`);
    }
    if (intent === "withdraw") {
      domain.summaries.withdrawComment(actor, sessionId, str("commentId"));
      return redirect(`/sessions/${sessionId}/review?withdrawn=1#your-comments`);
    }
    return failure(form, 400, "invalid_input") as never;
  });
}

function CommentForm() {
  const { t } = useTranslation("summaries");
  const result = useFormResult("comment");
  const errorText = useErrorText();
  const id = useId();
  const typedKind = result && !result.ok ? result.values.kind : undefined;
  const kindErrors = result && !result.ok ? result.fields.kind : undefined;
  return (
    <AppForm method="post" className="flex flex-col gap-3">
      <input type="hidden" name="intent" value="comment" />
      <FormError result={result} />
      <fieldset className="flex flex-col gap-2" aria-describedby={kindErrors ? `${id}-err` : undefined}>
        <legend className="label">{t("participant.kind")}</legend>
        {(["comment", "objection"] as const).map((k) => (
          <label key={k} className="flex items-center gap-2">
            <input type="radio" name="kind" value={k} defaultChecked={(typedKind ?? "comment") === k} className="h-5 w-5" />
            {t(`review.kind.${k}`)}
          </label>
        ))}
        {kindErrors ? (
          <p id={`${id}-err`} className="error">
            {kindErrors.map((e) => errorText(e)).join(" ")}
          </p>
        ) : null}
      </fieldset>
      <Field name="text" label={t("participant.text")} multiline rows={5} maxLength={4000} result={result} required />
      <div>
        <SubmitButton name="intent" value="comment">
          {t("participant.submit")}
        </SubmitButton>
      </div>
    </AppForm>
  );
}

export default function ReviewPage() {
  const data = useLoaderData<typeof loader>();
  const { t } = useTranslation("summaries");
  const [params] = useSearchParams();
  const withdraw = useFormResult("withdraw");
  return (
    <Page title={t("participant.title")} back={{ to: `/sessions/${data.session.id}`, label: data.session.title }}>
      {!data.summary ? (
        <p className="notice">{t("participant.nothing")}</p>
      ) : (
        <>
          <p>{t("participant.intro")}</p>
          {data.summary.reviewDeadline ? (
            <p className={data.open ? "notice" : "alert"}>
              {data.open ? (
                <>
                  {t("participant.deadline")} <LocalTime epoch={data.summary.reviewDeadline} timeZone={data.session.timeZone} />.
                </>
              ) : (
                t("participant.closed")
              )}
            </p>
          ) : null}
          <article className="card print-plain">
            {/* markdown-it with raw HTML off: typed tags are text (app/summaries/markdown.ts). */}
            <div className="prose-summary" lang={data.summary.language} dir="auto" dangerouslySetInnerHTML={{ __html: data.summary.html }} />
          </article>
          {data.canComment ? (
            <Section title={t("participant.formHeading")} id="comment-form">
              <p className="hint">{data.session.attributionMode === "on_the_record" ? t("participant.onRecord") : t("participant.nonAttributed")}</p>
              {params.get("sent") ? (
                <p className="notice" role="status">
                  {t("participant.sent")}
                </p>
              ) : null}
              <CommentForm />
            </Section>
          ) : null}
          {data.comments.length ? (
            <Section title={t("participant.yours")} id="your-comments">
              {params.get("withdrawn") ? (
                <p className="notice" role="status">
                  {t("participant.withdrawn")}
                </p>
              ) : null}
              <FormError result={withdraw} />
              <ul className="flex flex-col gap-3">
                {data.comments.map((c) => (
                  <li key={c.id} className="flex flex-col gap-2 rounded-md border border-slate-300 p-3">
                    <span className="badge self-start">{t(`review.kind.${c.kind}`)}</span>
                    <p className="whitespace-pre-wrap break-words" dir="auto">
                      {c.text}
                    </p>
                    {data.open ? (
                      <AppForm method="post">
                        <input type="hidden" name="intent" value="withdraw" />
                        <input type="hidden" name="commentId" value={c.id} />
                        <SubmitButton className="btn-secondary btn-small" name="intent" value="withdraw">
                          {t("participant.withdraw")}
                        </SubmitButton>
                      </AppForm>
                    ) : null}
                  </li>
                ))}
              </ul>
            </Section>
          ) : null}
        </>
      )}
    </Page>
  );
}
