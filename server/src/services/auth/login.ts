import { type Db, inTransaction } from '../../db/prisma.ts';
import { recordActivity } from '../activity/record-activity.ts';
import { AppError, tooManyRequests } from '../../lib/errors.ts';
import { dummyPasswordHash, verifyPassword } from '../../lib/passwords.ts';
import { hashToken, newToken } from '../../lib/tokens.ts';

export interface LoginThrottle {
  maxFailuresPerAccount: number;
  maxAttemptsPerAddress: number;
  windowSeconds: number;
  /** Failures within the window that raise a critical `auth.login_failed` for the account. */
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
 * throttled per account and per address from the login_attempts table, so the limits hold
 * across every server instance.
 */
export async function login(db: Db, input: LoginInput) {
  const email = input.email.trim().toLowerCase();
  const since = new Date(Date.now() - input.throttle.windowSeconds * 1000);
  await assertNotThrottled(db, email, input.ip, since, input.throttle);

  const user = await db.user.findUnique({
    where: { email },
    select: {
      id: true,
      email: true,
      name: true,
      isSuperAdmin: true,
      passwordHash: true,
      memberships: { select: { workspaceId: true }, orderBy: { createdAt: 'asc' }, take: 1 },
    },
  });
  const valid = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), input.password);
  if (!user || !valid) {
    await recordFailedLogin(db, { email, ip: input.ip, userId: user?.id, since, alertAfter: input.throttle.alertAfterFailures });
    throw invalidCredentials();
  }
  await db.loginAttempt.create({ data: { email, ip: input.ip, succeeded: true } });

  const token = newToken();
  const expiresAt = new Date(Date.now() + input.sessionTtlHours * 3600 * 1000);
  await db.session.create({
    data: {
      userId: user.id,
      tokenHash: hashToken(token),
      workspaceId: user.memberships[0]?.workspaceId ?? null,
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

async function assertNotThrottled(db: Db, email: string, ip: string, since: Date, throttle: LoginThrottle) {
  const [accountFailures, addressAttempts] = await Promise.all([
    db.loginAttempt.findMany({
      where: { email, succeeded: false, createdAt: { gte: since } },
      select: { createdAt: true },
      orderBy: { createdAt: 'desc' },
      take: throttle.maxFailuresPerAccount,
    }),
    db.loginAttempt.findMany({
      where: { ip, createdAt: { gte: since } },
      select: { createdAt: true },
      orderBy: { createdAt: 'desc' },
      take: throttle.maxAttemptsPerAddress,
    }),
  ]);
  const retryAfter = (attempts: { createdAt: Date }[]) =>
    (attempts.at(-1)!.createdAt.getTime() + throttle.windowSeconds * 1000 - Date.now()) / 1000;
  if (accountFailures.length >= throttle.maxFailuresPerAccount) {
    throw tooManyRequests('Too many failed logins for this account. Wait, then try again.', retryAfter(accountFailures));
  }
  if (addressAttempts.length >= throttle.maxAttemptsPerAddress) {
    throw tooManyRequests('Too many login attempts from this address. Wait, then try again.', retryAfter(addressAttempts));
  }
}

/**
 * Stores the failed attempt. When an existing account reaches the alert threshold within the
 * window, a critical `auth.login_failed` goes to each of its workspaces (activity belongs to a
 * workspace; their admins and the super admins see it). Once per crossing, not per attempt.
 */
async function recordFailedLogin(
  db: Db,
  attempt: { email: string; ip: string; userId: string | undefined; since: Date; alertAfter: number },
) {
  await inTransaction(db, async (tx) => {
    await tx.loginAttempt.create({ data: { email: attempt.email, ip: attempt.ip, succeeded: false } });
    if (!attempt.userId) return;
    const failures = await tx.loginAttempt.count({
      where: { email: attempt.email, succeeded: false, createdAt: { gte: attempt.since } },
    });
    if (failures !== attempt.alertAfter) return;
    const memberships = await tx.membership.findMany({ where: { userId: attempt.userId }, select: { workspaceId: true } });
    for (const { workspaceId } of memberships) {
      await recordActivity(tx, {
        workspaceId,
        actorUserId: null,
        type: 'auth.login_failed',
        entity: { type: 'user', id: attempt.userId },
        summary: `${failures} failed logins for ${attempt.email}`,
        meta: { email: attempt.email, failures, last_ip: attempt.ip },
        severity: 'critical',
      });
    }
  });
}
