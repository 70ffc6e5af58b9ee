import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";
import { useTranslation } from "react-i18next";

/** A clear page for an error, in the user's language, never with a stack trace. */
export function ErrorMessage({ error }: { error: unknown }) {
  const { t } = useTranslation();
  let message = t("error.generic");
  if (isRouteErrorResponse(error)) {
    const key = (error.data as { messageKey?: string } | null)?.messageKey;
    if (key) message = t(`errors:${key}`, { defaultValue: message });
    else if (error.status === 404) message = t("error.notFound");
    else if (error.status === 403) message = t("error.forbidden");
    else if (error.status === 401) message = t("error.unauthenticated");
  }
  return (
    <div className="mx-auto max-w-2xl px-4 py-10">
      <div className="card flex flex-col gap-4">
        <h1>{t("error.title")}</h1>
        <p role="alert">{message}</p>
        <p>
          <Link to="/">{t("error.backHome")}</Link>
        </p>
      </div>
    </div>
  );
}

export function RouteErrorBoundary() {
  return <ErrorMessage error={useRouteError()} />;
}
