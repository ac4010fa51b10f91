import { EMBED_SCOPE } from './embed-signature.ts';
import type { Role } from './types.ts';
import { forbidden } from '../lib/errors.ts';

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

/** Whose inbox a caller reaches: the user's, all workspaces, or one workspace's part of it. */
export interface Inbox {
  userId: string;
  /** Set: only this workspace's entries (an embedded bell's session, signed by that workspace). */
  workspaceId?: string;
}

/**
 * The inbox a session reaches. An embedded bell was signed by one workspace, so its session
 * sees and changes that workspace's entries only, even for a user of several workspaces.
 */
export function inboxOf(auth: AuthContext): Inbox {
  if (auth.scope !== EMBED_SCOPE) return { userId: auth.user.id };
  if (!auth.workspaceId) throw forbidden('This bell session was signed by a workspace you no longer belong to.');
  return { userId: auth.user.id, workspaceId: auth.workspaceId };
}

/** The workspace a request of `inbox` filters on: the one asked for, which must lie inside the inbox. */
export function inboxWorkspace(inbox: Inbox, requested: string | undefined): string | undefined {
  if (inbox.workspaceId && requested && requested !== inbox.workspaceId) {
    throw forbidden("This bell session belongs to one workspace: it sees and changes that workspace's notifications only.");
  }
  return requested ?? inbox.workspaceId;
}
