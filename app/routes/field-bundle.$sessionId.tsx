/**
 * Downloads the signed bundle of a session held on this field laptop (docs/field.md): its latest
 * published version in the export format, signed with the laptop's key. A POST (audited); a refusal
 * returns to the laptop page with its message.
 */
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { isDomainError } from "~/models/errors";
import { FIELD_CONTENT_TYPE } from "~/models/field";
import { load, readForm, signInRedirect } from "~/utils/http";

export async function loader(_args: LoaderFunctionArgs) {
  return redirect("/field");
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  await readForm(request);
  try {
    const { filename, body } = context.domain.field.exportBundle(context.actor, params.sessionId ?? "");
    return new Response(body, {
      headers: { "Content-Type": FIELD_CONTENT_TYPE, "Content-Disposition": `attachment; filename="${filename}"`, "Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff" },
    });
  } catch (e) {
    if (!isDomainError(e)) throw e;
    if (e.code === "unauthenticated") return signInRedirect(request);
    if (e.code === "not_found" || e.code === "forbidden") return load(request, () => { throw e; });
    return redirect(`/field?error=${encodeURIComponent(e.messageKey)}#laptop-sessions`);
  }
}
