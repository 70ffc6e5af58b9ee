/**
 * Downloads a signed field kit (docs/field.md) for the session chosen on the programme's field page.
 * A POST (the export is audited and makes the instance's key on first use); a refusal returns to the
 * field page with its message.
 */
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { FIELD_CONTENT_TYPE } from "~/models/field";
import { readForm, signedFileDownload } from "~/utils/http";

export async function loader({ params }: LoaderFunctionArgs) {
  return redirect(`/programmes/${encodeURIComponent(params.programmeId ?? "")}/field`);
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const programmeId = params.programmeId ?? "";
  return signedFileDownload(
    request,
    FIELD_CONTENT_TYPE,
    () => context.domain.field.exportKit(context.actor, programmeId, form.get("sessionId")),
    (e) => `/programmes/${encodeURIComponent(programmeId)}/field?error=${encodeURIComponent(e.fields ? "invalid_input" : e.messageKey)}#field-kit`,
  );
}
