import type { AlertDevices, PresenceReport } from '@tray-notify/contract';
import type { Db, Prisma, PrismaClient } from '../../db/prisma.ts';
import { tooManyRequests } from '../../lib/errors.ts';
import { appendStreamEvents, lockStreams } from '../../stream/append-stream-events.ts';

/**
 * How long one "active" report counts. Clients repeat it every 30 s while there is input, so a
 * device that stops reporting (closed, asleep, crashed) stops being active within this.
 */
export const PRESENCE_TTL_SECONDS = 90;
/** Active devices one user may have at once (tabs, tray apps): beyond it reports are refused. */
export const MAX_ACTIVE_DEVICES = 20;

type Tx = Prisma.TransactionClient;

/**
 * The one rule of who alerts: nobody active, or the user asked for every device → every device
 * (null); otherwise only the devices where the user is active, the others show new
 * notifications silently. Read under the user's stream lock by every writer of presence.
 */
async function alertDevicesOf(tx: Tx, userIds: string[]): Promise<Map<string, AlertDevices>> {
  return toAlertDevices(await tx.$queryRawUnsafe<AlertDevicesRow[]>(ALERT_DEVICES_SQL, userIds));
}

const ALERT_DEVICES_SQL = `
  SELECT u.id, u.alert_every_device AS every,
         (SELECT array_agg(p.device_id ORDER BY p.device_id) FROM device_presence p
           WHERE p.user_id = u.id AND p.active_until > now()) AS devices
    FROM users u WHERE u.id = ANY($1::uuid[])`;

type AlertDevicesRow = { id: string; every: boolean; devices: string[] | null };

const toAlertDevices = (rows: AlertDevicesRow[]) =>
  new Map(rows.map((row) => [row.id, { devices: row.every || !row.devices?.length ? null : row.devices }]));

const same = (a: AlertDevices | undefined, b: AlertDevices | undefined) => JSON.stringify(a?.devices ?? null) === JSON.stringify(b?.devices ?? null);

/**
 * Runs `change` under the user's stream lock and announces the new alerting devices on the
 * user's stream (every device, every instance) when the change altered them. The lock makes
 * parallel reports of one user take turns, so each sees the set the previous one left.
 */
async function changePresence(db: PrismaClient, userId: string, change: (tx: Tx) => Promise<void>): Promise<AlertDevices> {
  return db.$transaction(async (tx) => {
    await lockStreams(tx, [userId]);
    const before = (await alertDevicesOf(tx, [userId])).get(userId);
    await change(tx);
    const after = (await alertDevicesOf(tx, [userId])).get(userId) ?? { devices: null };
    if (!same(before, after)) await appendStreamEvents(tx, [{ userId, type: 'alert_devices', data: after }]);
    return after;
  });
}

/** A client says the user is (or stopped being) active on it. */
export async function reportPresence(db: PrismaClient, userId: string, report: PresenceReport): Promise<AlertDevices & { active_for_seconds: number }> {
  const devices = await changePresence(db, userId, async (tx) => {
    if (!report.active) {
      await tx.$executeRawUnsafe('DELETE FROM device_presence WHERE user_id = $1::uuid AND device_id = $2', userId, report.device_id);
      return;
    }
    // Counted under the lock: parallel reports of new devices cannot pass the cap together.
    const [counted] = await tx.$queryRawUnsafe<{ others: number }[]>(
      'SELECT count(*)::int AS others FROM device_presence WHERE user_id = $1::uuid AND device_id <> $2 AND active_until > now()',
      userId,
      report.device_id,
    );
    if ((counted?.others ?? 0) >= MAX_ACTIVE_DEVICES) {
      throw tooManyRequests(`At most ${MAX_ACTIVE_DEVICES} devices can be active at once; report inactive ones first.`, PRESENCE_TTL_SECONDS);
    }
    await tx.$executeRawUnsafe(
      `INSERT INTO device_presence (user_id, device_id, client, active_until)
       VALUES ($1::uuid, $2, $3, now() + make_interval(secs => $4))
       ON CONFLICT (user_id, device_id) DO UPDATE SET client = excluded.client, active_until = excluded.active_until`,
      userId,
      report.device_id,
      report.client,
      PRESENCE_TTL_SECONDS,
    );
  });
  return { ...devices, active_for_seconds: report.active ? PRESENCE_TTL_SECONDS : 0 };
}

/** The "alert on every device" setting. */
export async function setAlertEveryDevice(db: PrismaClient, userId: string, enabled: boolean) {
  const devices = await changePresence(db, userId, async (tx) => {
    await tx.$executeRawUnsafe('UPDATE users SET alert_every_device = $2 WHERE id = $1::uuid', userId, enabled);
  });
  return { ...devices, alert_every_device: enabled };
}

export async function getPresence(db: Db, userId: string) {
  const [row] = await db.$queryRawUnsafe<{ every: boolean }[]>('SELECT alert_every_device AS every FROM users WHERE id = $1::uuid', userId);
  const devices = (await alertDevicesOf(db as Tx, [userId])).get(userId) ?? { devices: null };
  return { ...devices, alert_every_device: row?.every ?? false };
}

/** What a stream starting now is told (hub.ts): one query for several users. */
export async function alertDevicesFor(
  pool: { query<R extends object>(text: string, values: unknown[]): Promise<{ rows: R[] }> },
  userIds: string[],
): Promise<Map<string, AlertDevices>> {
  const { rows } = await pool.query<AlertDevicesRow>(ALERT_DEVICES_SQL, [userIds]);
  return toAlertDevices(rows);
}

/**
 * Forgets devices whose last "active" report has run out (closed, asleep, crashed without saying
 * so) and tells their users' streams who alerts now. Instances run this at once safely: whose
 * rows are due is read first, then those users' stream locks are taken, then the due rows are
 * deleted; the second instance finds nothing left to delete and announces nothing.
 * Returns how many users' alerting devices changed.
 */
export async function expirePresence(db: PrismaClient, batch = 500): Promise<number> {
  return db.$transaction(async (tx) => {
    const due = await tx.$queryRawUnsafe<{ user_id: string }[]>(
      'SELECT DISTINCT user_id FROM (SELECT user_id FROM device_presence WHERE active_until <= now() ORDER BY active_until LIMIT $1) d',
      batch,
    );
    if (due.length === 0) return 0;
    await lockStreams(
      tx,
      due.map((row) => row.user_id),
    );
    const gone = await tx.$queryRawUnsafe<{ user_id: string }[]>(
      'DELETE FROM device_presence WHERE active_until <= now() AND user_id = ANY($1::uuid[]) RETURNING user_id',
      due.map((row) => row.user_id),
    );
    const users = [...new Set(gone.map((row) => row.user_id))];
    if (users.length === 0) return 0;
    const now = await alertDevicesOf(tx, users);
    // The expired rows no longer counted as active, but the streams were last told they did.
    await appendStreamEvents(
      tx,
      users.map((userId) => ({ userId, type: 'alert_devices' as const, data: now.get(userId) ?? { devices: null } })),
    );
    return users.length;
  });
}
