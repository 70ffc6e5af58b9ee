import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

export function Page({ title, children, actions, back }: { title: string; children: ReactNode; actions?: ReactNode; back?: { to: string; label: string } }) {
  return (
    <div className="mx-auto flex max-w-4xl flex-col gap-6 px-4 py-6">
      {back ? (
        <Link to={back.to} className="text-sm">
          ← {back.label}
        </Link>
      ) : null}
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 dir="auto">{title}</h1>
        {actions ? <div className="flex flex-wrap gap-2">{actions}</div> : null}
      </div>
      {children}
    </div>
  );
}

export function Section({ title, children, id }: { title: string; children: ReactNode; id?: string }) {
  return (
    <section className="card flex flex-col gap-4" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

export function StatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  return <span className="badge">{t(`status.${status}`)}</span>;
}

export function RoleBadge({ role }: { role: string }) {
  const { t } = useTranslation();
  return <span className="badge">{t(`roles.${role}`)}</span>;
}
