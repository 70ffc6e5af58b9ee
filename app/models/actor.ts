/** The person acting, as resolved from their sign-in session; null when signed out. */
export type Actor = {
  userId: string;
  authSessionId: string;
  isGuest: boolean;
  isAdmin: boolean;
  displayName: string | null;
  email: string | null;
} | null;

export type SignedInActor = NonNullable<Actor>;
