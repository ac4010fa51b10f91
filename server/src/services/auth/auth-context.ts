import type { Role } from '../../domain/types.ts';

/** Who is calling: resolved from the bearer token on every API request. */
export interface AuthContext {
  sessionId: string;
  user: { id: string; email: string; name: string; isSuperAdmin: boolean };
  /** The session's current workspace; null for a super admin without memberships. */
  workspaceId: string | null;
  /** The caller's role in the current workspace. */
  role: Role | null;
  /** Null: the whole API. "notifications": an embedded bell's session, limited to the inbox. */
  scope: string | null;
}

/** Who is changing something in a workspace: the caller, in their current workspace. */
export interface Actor {
  workspaceId: string;
  userId: string;
  name: string;
  role: Role;
}
