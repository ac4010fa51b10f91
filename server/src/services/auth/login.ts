import { type Db, inTransaction, type Prisma } from '../../db/prisma.ts';
import { recordActivity } from '../activity/record-activity.ts';
import { AppError, tooManyRequests } from '../../lib/errors.ts';
import { dummyPasswordHash, verifyPassword } from '../../lib/passwords.ts';
import { hashToken, newToken } from '../../lib/tokens.ts';

export interface LoginThrottle {
  /** Failures for one account from one address: a guesser is stopped without locking the owner out elsewhere. */
  maxFailuresPerAccountAddress: number;
  /** Failures for one account from all addresses: the backstop against guessing from many addresses. */
  maxFailuresPerAccount: number;
  maxAttemptsPerAddress: number;
  windowSeconds: number;
  /** Failures for one account within the window that raise a critical `auth.login_failed`, once per window. */
  alertAfterFailures: number;
}

export interface LoginInput {
  email: string;
  password: string;
  ip: string;
  userAgent: string | undefined;
  sessionTtlHours: number;
  throttle: LoginThrottle;
}

export const invalidCredentials = () => new AppError(401, 'invalid_credentials', 'Email or password is wrong.');

/**
 * Checks the password and opens a session in the user's first workspace. Attempts are
 * throttled per (account, address), per account and per address from the login_attempts
 * table, so the limits hold across every server instance; an attempt is counted (as a
 * failure until proven otherwise) before its password is checked, under a lock, so
 * concurrent attempts cannot all pass the check.
 *
 * An unknown email takes the same path, statement for statement, as a wrong password: the
 * password is checked against a dummy hash and the alert check runs for a nil user.
 */
export async function login(db: Db, input: LoginInput) {
  const email = input.email.trim().toLowerCase();
  const since = new Date(Date.now() - input.throttle.windowSeconds * 1000);
  const attemptId = await recordAttempt(db, email, input.ip, since, input.throttle);

  const user = await db.user.findUnique({
    where: { email },
    select: {
      id: true,
      email: true,
      name: true,
      isSuperAdmin: true,
      passwordHash: true,
    },
  });
  const valid = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), input.password);
  if (!user || !valid) {
    await alertIfDue(db, { email, ip: input.ip, userId: user?.id ?? NIL_UUID, since, alertAfter: input.throttle.alertAfterFailures });
    throw invalidCredentials();
  }
  await db.loginAttempt.update({ where: { id: attemptId }, data: { succeeded: true } });
  const firstMembership = await db.membership.findFirst({
    where: { userId: user.id },
    select: { workspaceId: true },
    orderBy: { createdAt: 'asc' },
  });

  const token = newToken();
  const expiresAt = new Date(Date.now() + input.sessionTtlHours * 3600 * 1000);
  await db.session.create({
    data: {
      userId: user.id,
      tokenHash: hashToken(token),
      workspaceId: firstMembership?.workspaceId ?? null,
      expiresAt,
      ip: input.ip,
      userAgent: input.userAgent?.slice(0, 500) ?? null,
    },
  });
  return {
    token,
    expiresAt,
    user: { id: user.id, email: user.email, name: user.name, isSuperAdmin: user.isSuperAdmin },
  };
}

const NIL_UUID = '00000000-0000-0000-0000-000000000000';

/**
 * A burst of attempts on one account queues on its lock, each holding a pooled connection
 * for a few milliseconds: wait for a connection longer than the default 2 s rather than fail.
 */
const QUEUED = { maxWait: 10_000 };

/** Serialises the attempts on one account (and, separately, one address) across instances. */
const lockAccount = (tx: Prisma.TransactionClient, email: string) =>
  tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`login:account:${email}`}))`;

/**
 * Counts the recent attempts and, if no limit is reached, records this one as a failure, in
 * one transaction under the account's and the address's locks (always taken in that order).
 */
async function recordAttempt(db: Db, email: string, ip: string, since: Date, throttle: LoginThrottle): Promise<bigint> {
  return inTransaction(db, async (tx) => {
    await lockAccount(tx, email);
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`login:address:${ip}`}))`;
    // For each limit, the attempt whose expiry frees a slot: the limit-th newest.
    const [counts] = await tx.$queryRaw<
      { pair: number; account: number; address: number; pair_at: Date | null; account_at: Date | null; address_at: Date | null }[]
    >`
      SELECT count(*) FILTER (WHERE email = ${email} AND ip = ${ip} AND NOT succeeded)::int AS pair,
             count(*) FILTER (WHERE email = ${email} AND NOT succeeded)::int AS account,
             count(*) FILTER (WHERE ip = ${ip})::int AS address,
             (array_agg(created_at ORDER BY created_at DESC) FILTER (WHERE email = ${email} AND ip = ${ip} AND NOT succeeded))[${throttle.maxFailuresPerAccountAddress}::int] AS pair_at,
             (array_agg(created_at ORDER BY created_at DESC) FILTER (WHERE email = ${email} AND NOT succeeded))[${throttle.maxFailuresPerAccount}::int] AS account_at,
             (array_agg(created_at ORDER BY created_at DESC) FILTER (WHERE ip = ${ip}))[${throttle.maxAttemptsPerAddress}::int] AS address_at
        FROM login_attempts
       WHERE (email = ${email} OR ip = ${ip}) AND created_at >= ${since}`;
    const retryAfter = (at: Date | null) => ((at?.getTime() ?? Date.now()) + throttle.windowSeconds * 1000 - Date.now()) / 1000;
    if (counts!.pair >= throttle.maxFailuresPerAccountAddress) {
      throw tooManyRequests('Too many failed logins for this account from this address. Wait, then try again.', retryAfter(counts!.pair_at));
    }
    if (counts!.account >= throttle.maxFailuresPerAccount) {
      throw tooManyRequests('Too many failed logins for this account. Wait, then try again.', retryAfter(counts!.account_at));
    }
    if (counts!.address >= throttle.maxAttemptsPerAddress) {
      throw tooManyRequests('Too many login attempts from this address. Wait, then try again.', retryAfter(counts!.address_at));
    }
    const created = await tx.loginAttempt.create({ data: { email, ip, succeeded: false }, select: { id: true } });
    return created.id;
  }, QUEUED);
}

/**
 * When an account's failures within the window reach the alert threshold and no alert was
 * raised in this window yet, a critical `auth.login_failed` goes to each of its workspaces
 * (activity belongs to a workspace; their admins and the super admins see it). Under the
 * account's lock, so concurrent failures raise it once. An unknown email (nil user) has no
 * workspace: the same statements run and find nothing to tell.
 */
async function alertIfDue(db: Db, attempt: { email: string; ip: string; userId: string; since: Date; alertAfter: number }) {
  await inTransaction(db, async (tx) => {
    await lockAccount(tx, attempt.email);
    const [state] = await tx.$queryRaw<{ failures: number; alerted: boolean; workspace_ids: string[] }[]>`
      SELECT (SELECT count(*)::int FROM login_attempts
               WHERE email = ${attempt.email} AND NOT succeeded AND created_at >= ${attempt.since}) AS failures,
             EXISTS (SELECT 1 FROM activities
                      WHERE entity_type = 'user' AND entity_id = ${attempt.userId} AND type = 'auth.login_failed'
                        AND created_at >= ${attempt.since}) AS alerted,
             ARRAY(SELECT workspace_id::text FROM memberships WHERE user_id = ${attempt.userId}::uuid) AS workspace_ids`;
    if (state!.alerted || state!.failures < attempt.alertAfter) return;
    for (const workspaceId of state!.workspace_ids) {
      await recordActivity(tx, {
        workspaceId,
        actorUserId: null,
        type: 'auth.login_failed',
        entity: { type: 'user', id: attempt.userId },
        summary: `${state!.failures} failed logins for ${attempt.email}`,
        meta: { email: attempt.email, failures: state!.failures, last_ip: attempt.ip },
        severity: 'critical',
      });
    }
  }, QUEUED);
}
