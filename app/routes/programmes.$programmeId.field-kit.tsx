/**
 * Downloads a signed field kit (docs/field.md) for the session chosen on the programme's field page.
 * A POST (the export is audited and makes the instance's key on first use); a refusal returns to the
 * field page with its message.
 */
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { isDomainError } from "~/models/errors";
import { FIELD_CONTENT_TYPE } from "~/models/field";
import { load, readForm, signInRedirect } from "~/utils/http";

export async function loader({ params }: LoaderFunctionArgs) {
  return redirect(`/programmes/${encodeURIComponent(params.programmeId ?? "")}/field`);
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const programmeId = params.programmeId ?? "";
  try {
    const { filename, body } = context.domain.field.exportKit(context.actor, programmeId, form.get("sessionId"));
    return new Response(body, {
      headers: { "Content-Type": FIELD_CONTENT_TYPE, "Content-Disposition": `attachment; filename="${filename}"`, "Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff" },
    });
  } catch (e) {
    if (!isDomainError(e)) throw e;
    if (e.code === "unauthenticated") return signInRedirect(request);
    if (e.code === "not_found" || e.code === "forbidden") return load(request, () => { throw e; });
    return redirect(`/programmes/${encodeURIComponent(programmeId)}/field?error=${encodeURIComponent(e.fields ? "invalid_input" : e.messageKey)}#field-kit`);
  }
}
