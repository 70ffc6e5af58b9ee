/**
 * Previous / next links for a long list shown a page at a time (plain links: works without
 * JavaScript). The page supplies the address of a page and its own words.
 */
import { Link } from "@remix-run/react";

export function Pager({ page, pages, href, label, current, previous, next }: { page: number; pages: number; href: (page: number) => string; label: string; current: string; previous: string; next: string }) {
  if (pages <= 1) return null;
  return (
    <nav aria-label={label} className="flex flex-wrap items-center justify-between gap-3 border-t border-slate-200 pt-3">
      {page > 1 ? (
        <Link to={href(page - 1)} className="btn-secondary btn-small" rel="prev">
          {previous}
        </Link>
      ) : (
        <span />
      )}
      <span className="text-sm text-ink-soft" aria-current="page">
        {current}
      </span>
      {page < pages ? (
        <Link to={href(page + 1)} className="btn-secondary btn-small" rel="next">
          {next}
        </Link>
      ) : (
        <span />
      )}
    </nav>
  );
}
