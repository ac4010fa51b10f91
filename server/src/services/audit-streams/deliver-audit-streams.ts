import http from 'node:http';
import https from 'node:https';
import { rootCertificates } from 'node:tls';
import type { Db } from '../../db/prisma.ts';
import { type Sql, sqlOf, withTransaction } from '../../db/sql.ts';
import type { AuditStreamSettings } from '../../config.ts';
import { recordActivities } from '../activity/record-activity.ts';
import { toActivityItem } from '../activity/activity-item.ts';
import { fromActivitySqlRow, type ActivitySqlRow } from '../activity/activity-sql.ts';
import { createNotification } from '../notifications/create-notification.ts';
import { openSecret, signatureHeader } from './stream-secrets.ts';

type ActivityItem = ReturnType<typeof toActivityItem>;

interface SenderLog {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
}

interface StreamState {
  id: string;
  workspace_id: string | null;
  name: string;
  url: string;
  format: string;
  types: string[];
  min_severity: string | null;
  secret: string;
  token: string | null;
  cursor_xid: string;
  cursor_seq: string;
  generation: number;
  failures: number;
}

const SEVERITY_RANK: Record<string, number> = { info: 0, warning: 1, critical: 2 };
const DELIVERIES_KEPT = 200;
/** The first retry's wait (at most the configured longest one). */
const BACKOFF_BASE_MS = 1000;

/**
 * The next entries of the log after a position, in the order every sender reads it:
 * (inserting transaction id, seq), and only entries of transactions older than the oldest one
 * still running. A sequence alone is assigned at insert, not at commit: a transaction that
 * inserts early and commits late would land behind a cursor that already moved past it. Below
 * that horizon every transaction has committed or rolled back, so no row can appear there
 * any more and the order is final.
 */
const READ_BATCH = (workspace: boolean) => `
  SELECT l.xid::text AS xid, l.seq::text AS seq, l.recorded_at AS logged_at,
         a.id, a.workspace_id, w.name AS workspace_name, a.actor_user_id, u.name AS actor_name, a.type,
         a.entity_type, a.entity_id, a.summary, a.meta, a.severity::text AS severity, a.created_at
    FROM audit_stream_log l
    LEFT JOIN activities a ON a.id = l.activity_id AND a.created_at = l.activity_created_at
    LEFT JOIN workspaces w ON w.id = a.workspace_id
    LEFT JOIN users u ON u.id = a.actor_user_id
   WHERE (l.xid, l.seq) > ($1::bigint, $2::bigint)
     AND l.xid < (SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint)
     ${workspace ? 'AND l.workspace_id = $4::uuid' : ''}
   ORDER BY l.xid, l.seq
   LIMIT $3`;

type LogRow = Omit<ActivitySqlRow, 'id'> & { id: string | null; xid: string; seq: string; logged_at: Date };

/** The request body of a batch in the stream's format, with its content type and SIEM headers. */
export function formatBatch(format: string, items: ActivityItem[], token: string | null): { body: string; headers: Record<string, string> } {
  if (format === 'splunk_hec') {
    const body = items
      .map((item) => JSON.stringify({ time: Date.parse(item.created_at) / 1000, source: 'tray-notify', sourcetype: 'tray-notify:activity', event: item }))
      .join('\n');
    return { body, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Splunk ${token}` } : {}) } };
  }
  if (format === 'datadog') {
    const body = JSON.stringify(
      items.map((item) => ({
        ...item,
        ddsource: 'tray-notify',
        service: 'tray-notify',
        ddtags: `severity:${item.severity},type:${item.type}${item.workspace_id ? `,workspace_id:${item.workspace_id}` : ''}`,
        message: item.summary,
      })),
    );
    return { body, headers: { 'content-type': 'application/json', ...(token ? { 'dd-api-key': token } : {}) } };
  }
  // As the ndjson export writes them: one item per line.
  return { body: items.map((item) => JSON.stringify(item)).join('\n') + '\n', headers: { 'content-type': 'application/x-ndjson' } };
}

class DeliveryError extends Error {
  constructor(
    message: string,
    readonly httpStatus: number | null,
  ) {
    super(message);
  }
}

/**
 * Sends activity entries to SIEM streams from this instance. Each stream has one sender across
 * instances: a lease in its row (owner, expiry) taken atomically, renewed before every request
 * and longer than a request may take, so the request an instance starts ends before anyone
 * else can take the stream; the cursor only moves for the lease holder. Delivery is
 * at-least-once: an instance that dies between a receiver's 2xx and the cursor update leaves
 * that batch to be sent again (receivers de-duplicate on each entry's `id`).
 */
export class AuditStreamSender {
  private readonly sql: Sql;
  private readonly running = new Map<string, Promise<void>>();
  private readonly aborts = new Set<AbortController>();
  private closed = false;
  private readonly httpsAgent: https.Agent;
  private readonly httpAgent = new http.Agent({ keepAlive: true, maxSockets: 4 });

  constructor(
    private readonly db: Db,
    private readonly settings: AuditStreamSettings,
    private readonly instanceId: string,
    private readonly log: SenderLog,
    extraCa?: string,
  ) {
    this.sql = sqlOf(db);
    this.httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 4, ...(extraCa ? { ca: [...rootCertificates, extraCa] } : {}) });
  }

  /** Takes the streams that are due and not held by another instance, and sends for each. */
  async tick() {
    if (this.closed) return;
    const rows = await this.sql.query<{ id: string }>(
      `UPDATE audit_streams SET lease_owner = $1, lease_expires_at = now() + make_interval(secs => $2::double precision)
        WHERE status = 'active' AND next_attempt_at <= now()
          AND (lease_owner IS NULL OR lease_owner = $1 OR lease_expires_at < now())
          AND NOT (id = ANY($3::uuid[]))
        RETURNING id`,
      [this.instanceId, this.settings.leaseMs / 1000, [...this.running.keys()]],
      'audit-stream-claim',
    );
    for (const { id } of rows) {
      if (this.running.has(id)) continue;
      const task = this.run(id)
        .catch((error) => this.log.warn({ err: error, auditStream: id }, 'SIEM stream sender failed; will retry'))
        .finally(() => this.running.delete(id));
      this.running.set(id, task);
    }
  }

  /** Sends batches until the stream is caught up, fails, or is taken away. */
  private async run(id: string) {
    while (!this.closed) {
      const stream = await this.renew(id);
      if (!stream) return;
      const params: unknown[] = [stream.cursor_xid, stream.cursor_seq, this.settings.batchSize];
      if (stream.workspace_id) params.push(stream.workspace_id);
      const rows = await this.sql.query<LogRow>(READ_BATCH(stream.workspace_id !== null), params, stream.workspace_id ? 'audit-stream-read-ws' : 'audit-stream-read-all');
      if (rows.length === 0) return;
      const last = rows.at(-1)!;
      const minRank = stream.min_severity ? SEVERITY_RANK[stream.min_severity]! : 0;
      const wanted = rows.filter(
        (row): row is LogRow & { id: string } =>
          row.id !== null && (stream.types.length === 0 || stream.types.includes(row.type)) && SEVERITY_RANK[row.severity]! >= minRank,
      );
      if (wanted.length > 0 && !(await this.send(stream, wanted))) return;
      if (!(await this.advance(stream, last.xid, last.seq, wanted.length > 0))) return;
      if (rows.length < this.settings.batchSize) return;
    }
  }

  private async renew(id: string): Promise<StreamState | undefined> {
    const [stream] = await this.sql.query<StreamState>(
      `UPDATE audit_streams SET lease_expires_at = now() + make_interval(secs => $3::double precision)
        WHERE id = $1 AND lease_owner = $2 AND status = 'active'
        RETURNING id, workspace_id, name, url, format, types, min_severity::text AS min_severity, secret, token,
                  cursor_xid::text AS cursor_xid, cursor_seq::text AS cursor_seq, generation, failures`,
      [id, this.instanceId, this.settings.leaseMs / 1000],
      'audit-stream-renew',
    );
    return stream;
  }

  private async advance(stream: StreamState, xid: string, seq: string, delivered: boolean) {
    const rows = await this.sql.query<{ id: string }>(
      `UPDATE audit_streams SET cursor_xid = $3::bigint, cursor_seq = $4::bigint,
              last_delivered_at = CASE WHEN $6 THEN now() ELSE last_delivered_at END
        WHERE id = $1 AND lease_owner = $2 AND generation = $5
        RETURNING id`,
      [stream.id, this.instanceId, xid, seq, stream.generation, delivered],
      'audit-stream-advance',
    );
    return rows.length > 0;
  }

  /** One signed request with the batch; true when the receiver took it. */
  private async send(stream: StreamState, rows: (LogRow & { id: string })[]): Promise<boolean> {
    const items = rows.map((row) => toActivityItem(fromActivitySqlRow(row)));
    const startedAt = new Date();
    let httpStatus: number | null = null;
    let error: string | null = null;
    try {
      const secret = openSecret(stream.secret, this.settings.secretKey);
      const token = stream.token === null ? null : openSecret(stream.token, this.settings.secretKey);
      const { body, headers } = formatBatch(stream.format, items, token);
      httpStatus = await this.post(stream.url, body, {
        ...headers,
        'user-agent': 'tray-notify-audit-stream/1',
        'x-signature': signatureHeader(secret, body),
        'x-audit-stream-id': stream.id,
      });
      if (httpStatus < 200 || httpStatus >= 300) throw new DeliveryError(`receiver answered ${httpStatus}`, httpStatus);
    } catch (caught) {
      error = caught instanceof Error ? caught.message : String(caught);
    }
    const durationMs = Date.now() - startedAt.getTime();
    const oldest = Math.min(...rows.map((row) => row.logged_at.getTime()));
    await this.sql.query(
      `INSERT INTO audit_stream_deliveries (stream_id, started_at, duration_ms, status, http_status, error, entries, first_entry_id, last_entry_id, lag_ms)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [stream.id, startedAt, durationMs, error ? 'failed' : 'delivered', httpStatus, error, rows.length, rows[0]!.id, rows.at(-1)!.id, error ? null : Date.now() - oldest],
      'audit-stream-delivery',
    );
    await this.sql.query(
      `DELETE FROM audit_stream_deliveries WHERE stream_id = $1
          AND id < (SELECT id FROM audit_stream_deliveries WHERE stream_id = $1 ORDER BY id DESC OFFSET $2 LIMIT 1)`,
      [stream.id, DELIVERIES_KEPT - 1],
      'audit-stream-deliveries-prune',
    );
    if (!error) {
      await this.sql.query(
        `UPDATE audit_streams SET failures = 0, failing_since = NULL, last_error = NULL WHERE id = $1 AND lease_owner = $2 AND failures > 0`,
        [stream.id, this.instanceId],
        'audit-stream-recovered',
      );
      return true;
    }
    this.log.warn({ auditStream: stream.id, origin: new URL(stream.url).origin, httpStatus, error, entries: rows.length }, 'SIEM stream delivery failed; will retry');
    await this.recordFailure(stream, startedAt, error);
    return false;
  }

  /**
   * Exponential backoff with jitter (half fixed, half random, so instances that failed together
   * do not retry together); a stream failing for longer than pauseAfterMs pauses, audited,
   * and its admins are told.
   */
  private async recordFailure(stream: StreamState, startedAt: Date, error: string) {
    const base = Math.min(BACKOFF_BASE_MS, this.settings.backoffMaxMs);
    const exponential = Math.min(this.settings.backoffMaxMs, base * 2 ** Math.min(stream.failures, 20));
    const delayMs = exponential / 2 + Math.random() * (exponential / 2);
    const reason = `Paused after failing since then: ${error}`;
    await withTransaction(this.db as Parameters<typeof withTransaction>[0], async (tx) => {
      const [row] = await tx.query<{ status: string; failing_since: Date }>(
        `UPDATE audit_streams
            SET failures = failures + 1, failing_since = coalesce(failing_since, $3), last_error = $4,
                next_attempt_at = now() + make_interval(secs => $5::double precision),
                status = CASE WHEN coalesce(failing_since, $3) <= now() - make_interval(secs => $6::double precision) THEN 'paused' ELSE status END,
                paused_reason = CASE WHEN coalesce(failing_since, $3) <= now() - make_interval(secs => $6::double precision) THEN $7 ELSE paused_reason END
          WHERE id = $1 AND lease_owner = $2 AND status = 'active'
          RETURNING status, failing_since`,
        [stream.id, this.instanceId, startedAt, error.slice(0, 500), delayMs / 1000, this.settings.pauseAfterMs / 1000, reason.slice(0, 500)],
      );
      if (row?.status !== 'paused') return;
      this.log.warn({ auditStream: stream.id, origin: new URL(stream.url).origin, failingSince: row.failing_since }, 'SIEM stream paused after failing too long');
      const summary = `SIEM stream “${stream.name}” (${new URL(stream.url).origin}) paused: failing since ${row.failing_since.toISOString()} (${error.slice(0, 200)})`;
      await recordActivities(tx, [
        {
          workspaceId: stream.workspace_id,
          actorUserId: null,
          type: 'audit_stream.paused',
          entity: { type: 'audit_stream', id: stream.id },
          summary,
          meta: { name: stream.name, url_origin: new URL(stream.url).origin, failing_since: row.failing_since.toISOString(), last_error: error.slice(0, 500) },
          severity: 'critical',
        },
      ]);
      if (stream.workspace_id) {
        await createNotification(tx, {
          workspaceId: stream.workspace_id,
          userId: null,
          type: 'audit_stream_paused',
          title: `SIEM stream “${stream.name}” paused`,
          body: `Entries have not reached ${new URL(stream.url).origin} since ${row.failing_since.toISOString()}: ${error.slice(0, 200)}. Fix the receiver, then resume the stream; nothing is lost while it is paused.`,
          meta: { audit_stream_id: stream.id },
        });
      }
    });
  }

  private post(url: string, body: string, headers: Record<string, string>): Promise<number> {
    const target = new URL(url);
    const client = target.protocol === 'https:' ? https : http;
    const controller = new AbortController();
    this.aborts.add(controller);
    return new Promise<number>((resolve, reject) => {
      const request = client.request(
        target,
        {
          method: 'POST',
          agent: target.protocol === 'https:' ? this.httpsAgent : this.httpAgent,
          headers: { ...headers, 'content-length': Buffer.byteLength(body) },
          signal: controller.signal,
        },
        (response) => {
          // Drained, so the connection can be reused; what it says does not matter.
          response.resume();
          response.on('end', () => resolve(response.statusCode ?? 0));
          response.on('error', reject);
        },
      );
      const timer = setTimeout(() => request.destroy(new Error(`no answer within ${this.settings.timeoutMs} ms`)), this.settings.timeoutMs);
      request.on('error', (error) => reject(error));
      request.on('close', () => clearTimeout(timer));
      request.end(body);
    }).finally(() => this.aborts.delete(controller));
  }

  /** Entries every stream has passed and older than the log's retention (the reach of a replay). */
  async pruneLog() {
    await this.sql.query(
      `DELETE FROM audit_stream_log
        WHERE seq IN (
          SELECT l.seq FROM audit_stream_log l
           WHERE l.recorded_at < now() - make_interval(days => $1)
             AND NOT EXISTS (SELECT 1 FROM audit_streams s WHERE (s.cursor_xid, s.cursor_seq) < (l.xid, l.seq))
           LIMIT 10000)`,
      [this.settings.logRetentionDays],
      'audit-stream-log-prune',
    );
  }

  /** Stops: requests in flight are abandoned (sent again by the next holder), leases given back. */
  async close() {
    this.closed = true;
    for (const controller of this.aborts) controller.abort();
    await Promise.allSettled(this.running.values());
    await this.sql.query(`UPDATE audit_streams SET lease_owner = NULL, lease_expires_at = NULL WHERE lease_owner = $1`, [this.instanceId]).catch(() => {});
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}
