/**
 * Adapter helpers for Remix routes: turn domain errors into HTTP answers. Loaders throw (the route's
 * ErrorBoundary shows a clear page); form actions return field errors with 400 and echo back what was
 * typed (never passwords), so nothing typed is lost.
 */
import { json, redirect } from "@remix-run/node";
import type { Actor, SignedInActor } from "../models/actor";
import { httpStatusOf, isDomainError, type DomainError, type FieldErrors } from "../models/errors";

export type FormFailure = {
  ok: false;
  formError: string | null;
  formErrorValues?: Record<string, string | number>;
  fields: FieldErrors;
  values: Record<string, string | string[]>;
  intent?: string;
};
export type FormSuccess<T = unknown> = { ok: true; intent?: string; data?: T };
export type FormResult<T = unknown> = FormFailure | FormSuccess<T>;

const SECRET_FIELDS = new Set(["password", "confirm", "_csrf"]);

export function signInRedirect(request: Request) {
  const url = new URL(request.url);
  return redirect(`/sign-in?returnTo=${encodeURIComponent(url.pathname + url.search)}`);
}

export function requireSignedIn(actor: Actor, request: Request): SignedInActor {
  if (!actor) throw signInRedirect(request);
  return actor;
}

/** Runs a domain call in a loader: not found and forbidden become error pages, signed out a redirect. */
export async function load<T>(request: Request, fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (isDomainError(e)) {
      if (e.code === "unauthenticated") throw signInRedirect(request);
      throw json({ messageKey: e.messageKey }, { status: httpStatusOf(e) });
    }
    throw e;
  }
}

export function formValues(form: FormData): Record<string, string | string[]> {
  const values: Record<string, string | string[]> = {};
  for (const key of new Set(form.keys())) {
    if (SECRET_FIELDS.has(key)) continue;
    const all = form.getAll(key).filter((v): v is string => typeof v === "string");
    values[key] = all.length > 1 ? all : (all[0] ?? "");
  }
  return values;
}

export function failure(form: FormData, status: number, formError: string | null, fields: FieldErrors = {}, formErrorValues?: Record<string, string | number>) {
  const intent = form.get("intent");
  return json<FormFailure>(
    { ok: false, formError, formErrorValues, fields, values: formValues(form), intent: typeof intent === "string" ? intent : undefined },
    { status },
  );
}

/** Runs a domain call in an action; domain errors come back as a FormFailure with the right status. */
export async function act(request: Request, form: FormData, fn: () => Response | FormSuccess | Promise<Response | FormSuccess>) {
  try {
    const result = await fn();
    if (result instanceof Response) return result;
    return json(result);
  } catch (e) {
    if (isDomainError(e)) {
      // Signed out: go and sign in. A failed sign-in (bad_credentials) stays on its form.
      if (e.code === "unauthenticated" && e.messageKey === "sign_in_required") return signInRedirect(request);
      // With field errors, the fields say what is wrong and the top of the form says where to look.
      return failure(form, httpStatusOf(e), e.fields ? "invalid_input" : e.messageKey, e.fields ?? {});
    }
    throw e;
  }
}

/**
 * Reads a submitted form. A body that is not a form (JSON, text, broken multipart) is the client's
 * mistake: answer 415/400, never 500.
 */
export async function readForm(request: Request): Promise<FormData> {
  const type = request.headers.get("content-type") ?? "";
  if (!type.startsWith("application/x-www-form-urlencoded") && !type.startsWith("multipart/form-data")) {
    throw json({ messageKey: "invalid_input" }, { status: 415 });
  }
  try {
    return await request.formData();
  } catch {
    throw json({ messageKey: "invalid_input" }, { status: 400 });
  }
}

/**
 * The origin to put in links people copy or scan (invitations, onboarding, the join QR code): the
 * configured public ORIGIN when there is one (behind a proxy), else the request's.
 */
export function publicOrigin(request: Request, configured: string | null): string {
  return configured ?? new URL(request.url).origin;
}

/** A same-site path to return to after sign-in, or the fallback (no open redirects). */
export function safeReturnTo(value: unknown, fallback = "/"): string {
  if (typeof value !== "string" || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return fallback;
  return value;
}

/**
 * A signed file the domain makes on a POST (a field kit, a field bundle), sent as a private download.
 * Signed out: to sign in; not found or forbidden: the error page; any other refusal: back to the page
 * the form was on (`refusedTo`), which shows the message.
 */
export function signedFileDownload(request: Request, contentType: string, produce: () => { filename: string; body: string }, refusedTo: (e: DomainError) => string) {
  try {
    const { filename, body } = produce();
    return new Response(body, {
      headers: { "Content-Type": contentType, "Content-Disposition": `attachment; filename="${filename}"`, "Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff" },
    });
  } catch (e) {
    if (!isDomainError(e)) throw e;
    if (e.code === "unauthenticated") return signInRedirect(request);
    if (e.code === "not_found" || e.code === "forbidden") return load(request, () => { throw e; });
    return redirect(refusedTo(e));
  }
}
