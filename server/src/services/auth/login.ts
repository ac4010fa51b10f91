import type { Db } from '../../db/prisma.ts';
import { AppError, tooManyRequests } from '../../lib/errors.ts';
import { dummyPasswordHash, verifyPassword } from '../../lib/passwords.ts';
import { hashToken, newToken } from '../../lib/tokens.ts';

export interface LoginThrottle {
  maxFailuresPerAccount: number;
  maxAttemptsPerAddress: number;
  windowSeconds: number;
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
  await db.loginAttempt.create({ data: { email, ip: input.ip, succeeded: Boolean(user && valid) } });
  if (!user || !valid) throw invalidCredentials();

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
