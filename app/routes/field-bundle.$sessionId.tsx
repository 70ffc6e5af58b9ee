/**
 * Downloads the signed bundle of a session held on this field laptop (docs/field.md): its latest
 * published version in the export format, signed with the laptop's key. A POST (audited); a refusal
 * returns to the laptop page with its message.
 */
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { FIELD_CONTENT_TYPE } from "~/models/field";
import { readForm, signedFileDownload } from "~/utils/http";

export async function loader(_args: LoaderFunctionArgs) {
  return redirect("/field");
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  await readForm(request);
  return signedFileDownload(
    request,
    FIELD_CONTENT_TYPE,
    () => context.domain.field.exportBundle(context.actor, params.sessionId ?? ""),
    (e) => `/field?error=${encodeURIComponent(e.messageKey)}#laptop-sessions`,
  );
}
