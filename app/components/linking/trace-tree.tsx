/**
 * A trace as nested lists: up (what became of a recommendation, level after level, in sentences:
 * "Merged into a recommendation of …, which was in turn adapted in a recommendation of …") or down
 * (the local recommendations it draws on, each with how it was taken up). Recommendations the viewer
 * may not see are only counted. Server-rendered; no script needed.
 */
import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { TraceLink } from "~/models/linking.server";
import type { PageNode as TraceNode } from "~/models/traceability.server";

export type LevelLabels = Map<string, string>;
/** Above this many, the recommendations a linked one draws on are folded (a <details>, open on request). */
const FOLD_OVER = 5;
type Ctx = { levels: LevelLabels; published: Set<string>; signedIn: boolean };

/** "Phase régionale de Mopti · Region · Mali › Mopti", with a link to its published summary. */
export function SessionLine({ session, ctx }: { session: { id: string; title: string; levelId: string; place: string[] }; ctx: Ctx }) {
  const { t } = useTranslation("linking");
  const level = ctx.levels.get(session.levelId);
  return (
    <p className="flex flex-wrap items-baseline gap-x-2 text-sm text-ink-soft">
      <span className="font-medium text-ink" dir="auto">
        {session.title}
      </span>
      {level ? (
        <span>
          <span className="sr-only">{t("trace.sessionLevel")} </span>
          {level}
        </span>
      ) : null}
      {session.place.length ? (
        <span dir="auto">
          <span className="sr-only">{t("trace.place")} </span>
          {session.place.join(" › ")}
        </span>
      ) : null}
      {ctx.published.has(session.id) ? (
        <Link to={`/summaries/${session.id}`} className="no-print">
          {t("trace.readSummary", { session: session.title })}
        </Link>
      ) : null}
    </p>
  );
}

function Consensus({ level }: { level: string | null }) {
  const { t } = useTranslation("linking");
  if (!level) return null;
  return <p className="text-sm">{t("trace.level", { level: t(`consensus:levels.${level}.label`, { defaultValue: level }) })}</p>;
}

export function RecommendationText({ node }: { node: Pick<TraceNode, "text" | "status"> }) {
  const { t } = useTranslation("linking");
  return (
    <>
      <blockquote className="break-words border-s-4 border-slate-300 ps-3" dir="auto">
        {node.text}
      </blockquote>
      {node.status !== "adopted" ? <p className="text-sm">{t("trace.status", { status: t(`recommendations:status.${node.status}`, { defaultValue: node.status }) })}</p> : null}
    </>
  );
}

export function Hidden({ count, signedIn }: { count: number; signedIn: boolean }) {
  const { t } = useTranslation("linking");
  if (!count) return null;
  return <p className="hint">{t(signedIn ? "trace.hiddenSignedIn" : "trace.hiddenPublic", { count })}</p>;
}

function Reason({ link }: { link: Pick<TraceLink, "reason"> }) {
  const { t } = useTranslation("linking");
  return link.reason ? (
    <p className="text-sm" dir="auto">
      {t("relation.reason", { reason: link.reason })}
    </p>
  ) : null;
}

/** What became of `node`: each link up, in words, and what became of that in turn. */
export function UpTree({ node, ctx, depth = 0 }: { node: TraceNode; ctx: Ctx; depth?: number }) {
  const { t } = useTranslation("linking");
  return (
    <TreeLevel node={node} ctx={ctx} depth={depth}>
      {(link) => (
        <>
          <p className="font-medium">{t(`trace.up.${depth ? "then" : "first"}.${link.relation}`)}</p>
          <SessionLine session={link.session} ctx={ctx} />
          <Reason link={link} />
          {link.node ? (
            <>
              <RecommendationText node={link.node} />
              <Consensus level={link.node.consensus} />
              <p className="text-sm">
                <Link to={`/recommendations/${link.node.id}/trace`}>{t("trace.reader.follow")}</Link>
              </p>
              <UpTree node={link.node} ctx={ctx} depth={depth + 1} />
            </>
          ) : null}
        </>
      )}
    </TreeLevel>
  );
}

/** What `node` draws on: each local recommendation linked to it, and what that one drew on in turn. */
export function DownTree({ node, ctx, depth = 0 }: { node: TraceNode; ctx: Ctx; depth?: number }) {
  const { t } = useTranslation("linking");
  return (
    <TreeLevel node={node} ctx={ctx} depth={depth}>
      {(link) => (
        <>
          <p>
            <span className="badge">{t(`relation.badge.${link.relation}`)}</span>
          </p>
          <Reason link={link} />
          {link.node ? (
            <>
              <RecommendationText node={link.node} />
              <SessionLine session={link.node.session} ctx={ctx} />
              <Consensus level={link.node.consensus} />
              <p className="text-sm">
                <Link to={`/recommendations/${link.node.id}/trace`}>{t("trace.reader.follow")}</Link>
              </p>
              {link.node.links.length > FOLD_OVER ? (
                // Long lists (a region drawing on dozens of communes) fold away, without a script.
                <details className="mt-1">
                  <summary className="cursor-pointer text-sm text-brand underline">{t("trace.down.show", { count: link.node.links.length })}</summary>
                  <DownTree node={link.node} ctx={ctx} depth={depth + 1} />
                </details>
              ) : (
                <DownTree node={link.node} ctx={ctx} depth={depth + 1} />
              )}
            </>
          ) : (
            <SessionLine session={link.session} ctx={ctx} />
          )}
        </>
      )}
    </TreeLevel>
  );
}

/** One level of a tree: its links, each drawn by `children`, then what was left off or hidden. */
function TreeLevel({ node, ctx, depth, children }: { node: TraceNode; ctx: Ctx; depth: number; children: (link: TraceNode["links"][number]) => ReactNode }) {
  if (!node.links.length && !node.hidden && !node.omitted) return null;
  return (
    // Below the first level, a rule down the side keeps what is counted with what it belongs to.
    <div className={depth ? "ms-1 mt-2 flex flex-col gap-2 border-s-2 border-slate-200 ps-3" : "flex flex-col gap-3"}>
      {node.links.length ? (
        <ul className={depth ? "flex flex-col gap-3" : "flex flex-col gap-4"}>
          {node.links.map((link) => (
            <li key={link.id} className="flex flex-col gap-1" data-relation={link.relation}>
              {children(link)}
            </li>
          ))}
        </ul>
      ) : null}
      <Omitted node={node} depth={depth} />
      <Hidden count={node.hidden} signedIn={ctx.signedIn} />
    </div>
  );
}

/** Links left off this page (a very large tree): counted, with the way to see them. */
function Omitted({ node, depth }: { node: TraceNode; depth: number }) {
  const { t } = useTranslation("linking");
  if (!node.omitted) return null;
  return (
    <p className="hint">
      {depth ? (
        <>
          {t("trace.more", { count: node.omitted })} <Link to={`/recommendations/${node.id}/trace`}>{t("trace.reader.follow")}</Link>
        </>
      ) : (
        t("trace.moreHere", { count: node.omitted })
      )}
    </p>
  );
}

export { Consensus };
