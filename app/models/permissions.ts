/**
 * The role table: the only place where roles are mapped to actions. Pure (no database), so it is
 * unit-tested directly and `docs/permissions.md` is checked against it by the test suite.
 * The domain services resolve a person's roles and call `sessionRoleCan` / `programmeRoleCan`.
 */
import { SESSION_ROLES } from "../../db/schema";

export type SessionRole = (typeof SESSION_ROLES)[number];
export type ProgrammeRole = "organiser" | "staff" | "member";
/** A person's standing towards a session: their session role, or what their programme role gives. */
export type SessionStanding = SessionRole | "programme_staff";

export const SESSION_ACTIONS = {
  "session.view": ["organiser", "moderator", "rapporteur", "panelist", "participant", "observer", "programme_staff"],
  "session.configure": ["organiser"],
  "session.lifecycle": ["organiser"],
  "session.roster.view": ["organiser"],
  "session.roster.manage": ["organiser"],
  "session.members.view": ["organiser"],
  "session.members.manage": ["organiser"],
  "session.invitations.manage": ["organiser"],
  "session.joinCode.view": ["organiser", "moderator"],
  "session.joinCode.rotate": ["organiser"],
  "session.room.join": ["organiser", "moderator", "rapporteur", "panelist", "participant", "observer"],
  "agenda.edit": ["organiser", "moderator"],
  "live.control": ["organiser", "moderator"],
  "queue.raise": ["panelist", "participant"],
  "queue.manage": ["organiser", "moderator"],
  "queue.names": ["organiser", "moderator", "rapporteur"],
  "presence.exact": ["organiser", "moderator", "rapporteur"],
  "projector.view": ["organiser", "moderator"],
  "notes.write": ["organiser", "moderator", "rapporteur", "panelist", "participant"],
  "notes.curate": ["organiser", "moderator", "rapporteur"],
  "recommendations.draft": ["organiser", "moderator", "rapporteur"],
  "recommendations.consolidate": ["organiser", "rapporteur", "programme_staff"],
  "votes.run": ["organiser", "moderator"],
  "positions.take": ["panelist", "participant"],
  "summary.export": ["organiser", "programme_staff"],
  "summary.draft": ["organiser", "rapporteur"],
  "summary.publish": ["organiser"],
  "summary.review": ["organiser", "moderator", "rapporteur", "panelist", "participant", "observer"],
  "summary.comment": ["panelist", "participant"],
} as const satisfies Record<string, readonly SessionStanding[]>;
export type SessionAction = keyof typeof SESSION_ACTIONS;

export const PROGRAMME_ACTIONS = {
  "programme.view": ["organiser", "staff", "member"],
  "programme.configure": ["organiser"],
  "programme.members.manage": ["organiser"],
  "programme.sessions.create": ["organiser"],
  "programme.sessions.list": ["organiser", "staff"],
  "programme.audit.view": ["organiser"],
  "programme.sessions.import": ["organiser"],
  "programme.coverage.view": ["organiser", "staff", "member"],
  "programme.field.kits": ["organiser"],
  "programme.field.keys": ["organiser"],
} as const satisfies Record<string, readonly ProgrammeRole[]>;
export type ProgrammeAction = keyof typeof PROGRAMME_ACTIONS;

export function sessionRoleCan(
  standing: SessionStanding | null,
  action: SessionAction,
  session?: { rosterVisibleToRoom: boolean; attributionMode: string },
): boolean {
  if (!standing) return false;
  if (
    action === "session.roster.view" &&
    session?.rosterVisibleToRoom &&
    session.attributionMode !== "anonymous" &&
    standing !== "programme_staff"
  ) {
    // The session shows the roster to the room; in anonymous mode it is for organisers only.
    return true;
  }
  return (SESSION_ACTIONS[action] as readonly string[]).includes(standing);
}

export function programmeRoleCan(role: ProgrammeRole | null, action: ProgrammeAction): boolean {
  if (!role) return false;
  return (PROGRAMME_ACTIONS[action] as readonly string[]).includes(role);
}

/** Programme organisers act as organisers of every session in their programme; staff may look. */
export function standingFrom(sessionRole: SessionRole | null, programmeRole: ProgrammeRole | null): SessionStanding | null {
  if (programmeRole === "organiser") return "organiser";
  if (sessionRole) return sessionRole;
  if (programmeRole === "staff") return "programme_staff";
  return null;
}

export function sessionActionsFor(
  standing: SessionStanding | null,
  session?: { rosterVisibleToRoom: boolean; attributionMode: string },
): SessionAction[] {
  return (Object.keys(SESSION_ACTIONS) as SessionAction[]).filter((a) => sessionRoleCan(standing, a, session));
}

export type PublicationVisibility = "public" | "programme" | "participants";

/**
 * Who may read a published version of a session's summary (and download it as an export), beyond
 * the staff who hold `summary.export`: public ones anyone, signed out included; programme ones the
 * programme's members (any programme role); participants ones the session's members (any session
 * role) and the programme's organisers and staff.
 */
export function publicationReadable(visibility: PublicationVisibility, roles: { sessionRole: SessionRole | null; programmeRole: ProgrammeRole | null }): boolean {
  if (visibility === "public") return true;
  // The session's own members always read their session's summary.
  if (visibility === "programme") return roles.programmeRole !== null || roles.sessionRole !== null;
  return roles.sessionRole !== null || roles.programmeRole === "organiser" || roles.programmeRole === "staff";
}
