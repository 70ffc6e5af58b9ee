import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { isLanguage } from "~/i18n";
import { readForm, safeReturnTo } from "~/utils/http";

/** The language picker posts here (works without JavaScript); the choice is kept in a cookie. */
export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const lang = form.get("lang");
  const returnTo = safeReturnTo(form.get("returnTo"));
  if (!isLanguage(lang)) return redirect(returnTo);
  context.domain.accounts.setLocale(context.actor, lang);
  return redirect(returnTo, { headers: { "Set-Cookie": context.cookies.language(lang) } });
}

export async function loader() {
  return redirect("/");
}
