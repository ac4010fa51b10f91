import { availableParallelism } from 'node:os';
import path from 'node:path';
import type { DatabaseBounds } from './db/bounded-client.ts';
import type { FairShareLimits } from './lib/fair-share.ts';

/** Everything the server reads from the environment, validated once at start. */
export interface Config {
  port: number;
  /** HOST, else loopback for a demo start (its logins are public knowledge), else every interface. */
  host: string;
  /**
   * Seed the demo workspaces and users into an empty database: SEED_DEMO_DATA=true|false, by
   * default only on the embedded database (a local try-out), never on a DATABASE_URL.
   */
  seedDemoData: boolean;
  /** Set: use this PostgreSQL. Unset: start the embedded one under dataDir. */
  databaseUrl: string | undefined;
  dataDir: string;
  /** DATA_DIR was set: the embedded database stays there or does not start. */
  dataDirChosen: boolean;
  embeddedPgPort: number;
  logLevel: string;
  sessionTtlHours: number;
  /** Failed logins for one account from one address within the window before that pair is throttled. */
  loginMaxFailuresPerAccountAddress: number;
  /** Failed logins for one account from all addresses within the window before it is throttled everywhere. */
  loginMaxFailuresPerAccount: number;
  /** Login attempts from one address within the window before it is throttled. */
  loginMaxAttemptsPerAddress: number;
  loginWindowSeconds: number;
  /** Failed logins for one account within the window that raise a critical `auth.login_failed`. */
  loginAlertAfterFailures: number;
  /** smtp(s)://user:pass@host:port for the email channel; unset: the channel is off. */
  smtpUrl: string | undefined;
  emailFrom: string;
  /** Notifications mailed within this many seconds of the first go out as one digest. */
  emailDigestSeconds: number;
  /** Where people open this server's web app (links to a notification when there is no host app). */
  publicUrl: string;
  /** The host sales app's base URL: notification targets (`/leads/…`) are made absolute on it. */
  appBaseUrl: string | undefined;
  /** How often snoozed notifications that are due are looked for. */
  snoozePollMs: number;
  /** How often unclaimed workspace-level notifications past their escalation time are looked for. */
  escalationPollMs: number;
  /** Serve /embed/demo, a fake host page that signs its own users in: demos and tests only. */
  embedDemo: boolean;
  /** Trust X-Forwarded-For from a reverse proxy (set when one is in front). */
  trustProxy: boolean;
  /** Origins allowed to call the API from a browser (the web app is same-origin). */
  corsOrigins: string[];
  /** Built renderer to serve at `/`, when present. */
  webRoot: string;
  /** Writes (POST/PUT/PATCH/DELETE) allowed per user and per API key within the window. */
  /** Writes per window: per user, per API key, and per address for anonymous ones (log in, bell sign-in). */
  rateLimit: { writesPerUser: number; writesPerApiKey: number; anonymousWritesPerAddress: number; windowSeconds: number };
  /** Days of activity kept, dropped a whole month at a time (0: all of it); a workspace may keep less (set by super admins), never more. */
  activityRetentionDays: number;
  /** Days every workspace keeps its activity at least (0: no minimum): bounds what a workspace may set. */
  activityMinRetentionDays: number;
  /** When each activity chain gets a signed checkpoint: after this many entries, or this long after the last one. */
  auditCheckpoint: { everyEntries: number; everyMs: number };
  /** Read notifications older than this many days are deleted; 0 keeps them all. */
  readNotificationRetentionDays: number;
  /** How often each instance evaluates alert rules (the latency of an alert). */
  alertEvaluationMs: number;
  /** Alert rules one workspace may keep (and, apart, the rules across workspaces): each is evaluated on every tick. */
  alertRulesPerWorkspace: number;
  /** Expensive reads (searches, deep pages, exports, admin listings) running at once in this process, and how long one waits for a place. */
  heavyReads: FairShareLimits;
  /** Rows a second one export streams at most (each is an expensive read as well). */
  exportRowsPerSecond: number;
  /** The server's connections to PostgreSQL: pool size and how long the database may keep a request waiting. */
  database: DatabaseBounds & { poolSize: number };
  /** Operator-tunable stream settings (the rest keep StreamHub's defaults). */
  stream: { heartbeatMs: number; maxStreamsPerUser: number; retentionMs: number };
  /** Streaming the activity log to SIEMs. */
  auditStreams: AuditStreamSettings;
}

export interface AuditStreamSettings {
  /** How often each instance looks for streams with entries to send (the floor of the lag). */
  pollMs: number;
  /** Entries per request at most. */
  batchSize: number;
  /** A receiver that has not answered by then failed the attempt. */
  timeoutMs: number;
  /** How long an instance owns a stream without renewing; longer than a request can take. */
  leaseMs: number;
  /** Failing this long pauses the stream (and tells its admins). */
  pauseAfterMs: number;
  /** The longest wait between retries. */
  backoffMaxMs: number;
  /** Days audit_stream_log keeps: how far back a replay reaches. */
  logRetentionDays: number;
  /** AES-256-GCM key sealing stream secrets at rest; unset: stored as given (never returned). */
  secretKey: Buffer | undefined;
  /** PEM file of extra certificate authorities to trust for receivers (private CAs, tests). */
  trustedCaFile: string | undefined;
}

export class ConfigError extends Error {}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name}=${raw} is not valid: expected a whole number from ${min} to ${max}.`);
  }
  return value;
}

function boolean(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new ConfigError(`${name}=${raw} is not valid: expected true or false.`);
}

function baseUrl(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const raw = env[name];
  if (!raw) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name}=${raw} is not valid: expected an absolute http(s) URL such as https://sales.example.com.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`${name}=${raw} is not valid: expected an http or https URL.`);
  }
  return raw.replace(/\/+$/, '');
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const repoRoot = path.resolve(import.meta.dirname, '../..');
  const databaseUrl = env.DATABASE_URL || undefined;
  const seedDemoData = boolean(env, 'SEED_DEMO_DATA', databaseUrl === undefined);
  const config: Config = {
    port: integer(env, 'PORT', 3000, 0, 65535),
    host: env.HOST || (seedDemoData ? '127.0.0.1' : '0.0.0.0'),
    seedDemoData,
    databaseUrl,
    dataDir: path.resolve(env.DATA_DIR || path.join(repoRoot, '.data')),
    dataDirChosen: Boolean(env.DATA_DIR),
    embeddedPgPort: integer(env, 'PG_PORT', 54320, 1, 65535),
    logLevel: env.LOG_LEVEL || 'info',
    sessionTtlHours: integer(env, 'SESSION_TTL_HOURS', 24 * 30, 1, 24 * 365),
    loginMaxFailuresPerAccountAddress: integer(env, 'LOGIN_MAX_FAILURES_PER_ACCOUNT_ADDRESS', 10, 1, 10_000),
    loginMaxFailuresPerAccount: integer(env, 'LOGIN_MAX_FAILURES_PER_ACCOUNT', 100, 1, 100_000),
    loginMaxAttemptsPerAddress: integer(env, 'LOGIN_MAX_ATTEMPTS_PER_ADDRESS', 50, 1, 100_000),
    loginWindowSeconds: integer(env, 'LOGIN_WINDOW_SECONDS', 15 * 60, 1, 24 * 3600),
    loginAlertAfterFailures: integer(env, 'LOGIN_ALERT_AFTER_FAILURES', 5, 1, 10_000),
    smtpUrl: env.SMTP_URL || undefined,
    emailFrom: env.EMAIL_FROM || 'Tray Notify <notifications@localhost>',
    emailDigestSeconds: integer(env, 'EMAIL_DIGEST_SECONDS', 120, 0, 24 * 3600),
    publicUrl: (env.PUBLIC_URL || `http://localhost:${env.PORT || 3000}`).replace(/\/$/, ''),
    appBaseUrl: baseUrl(env, 'APP_BASE_URL'),
    snoozePollMs: integer(env, 'SNOOZE_POLL_SECONDS', 15, 1, 3600) * 1000,
    escalationPollMs: integer(env, 'ESCALATION_POLL_SECONDS', 30, 1, 3600) * 1000,
    embedDemo: env.EMBED_DEMO === 'true' || env.EMBED_DEMO === '1',
    trustProxy: env.TRUST_PROXY === 'true' || env.TRUST_PROXY === '1',
    corsOrigins: (env.CORS_ORIGINS ?? '').split(',').map((origin) => origin.trim()).filter(Boolean),
    webRoot: path.resolve(env.WEB_ROOT || path.join(repoRoot, 'desktop/dist/web')),
    rateLimit: {
      writesPerUser: integer(env, 'RATE_LIMIT_WRITES_PER_USER', 300, 1, 1_000_000),
      writesPerApiKey: integer(env, 'RATE_LIMIT_WRITES_PER_API_KEY', 1200, 1, 1_000_000),
      anonymousWritesPerAddress: integer(env, 'RATE_LIMIT_ANONYMOUS_WRITES_PER_ADDRESS', 120, 1, 1_000_000),
      windowSeconds: integer(env, 'RATE_LIMIT_WINDOW_SECONDS', 60, 1, 24 * 3600),
    },
    activityRetentionDays: integer(env, 'ACTIVITY_RETENTION_DAYS', 0, 0, 100 * 365),
    activityMinRetentionDays: integer(env, 'ACTIVITY_MIN_RETENTION_DAYS', 0, 0, 100 * 365),
    auditCheckpoint: {
      everyEntries: integer(env, 'AUDIT_CHECKPOINT_ENTRIES', 10_000, 1, 100_000_000),
      everyMs: integer(env, 'AUDIT_CHECKPOINT_SECONDS', 600, 1, 7 * 24 * 3600) * 1000,
    },
    readNotificationRetentionDays: integer(env, 'NOTIFICATION_READ_RETENTION_DAYS', 0, 0, 100 * 365),
    alertEvaluationMs: integer(env, 'ALERT_EVALUATION_SECONDS', 2, 1, 3600) * 1000,
    alertRulesPerWorkspace: integer(env, 'ALERT_RULES_PER_WORKSPACE', 50, 1, 1000),
    heavyReads: {
      perUser: integer(env, 'HEAVY_READS_PER_USER', 1, 1, 1000),
      perWorkspace: integer(env, 'HEAVY_READS_PER_WORKSPACE', 1, 1, 1000),
      // Expensive reads are CPU-bound (here and in PostgreSQL): more at once than cores only queue inside the machine.
      total: integer(env, 'HEAVY_READS_TOTAL', availableParallelism(), 1, 1000),
      maxWaitMs: integer(env, 'HEAVY_READS_MAX_WAIT_MS', 2_000, 0, 60_000),
      maxQueuedPerUser: integer(env, 'HEAVY_READS_MAX_QUEUED_PER_USER', 4, 0, 1000),
    },
    exportRowsPerSecond: integer(env, 'EXPORT_ROWS_PER_SECOND', 20_000, 100, 10_000_000),
    database: {
      poolSize: integer(env, 'DATABASE_POOL_SIZE', 20, 2, 1000),
      connectTimeoutMs: integer(env, 'DATABASE_CONNECT_TIMEOUT_MS', 2_000, 100, 600_000),
      statementTimeoutMs: integer(env, 'DATABASE_STATEMENT_TIMEOUT_MS', 3_000, 100, 3_600_000),
      lockTimeoutMs: integer(env, 'DATABASE_LOCK_TIMEOUT_MS', 2_000, 100, 3_600_000),
      idleInTransactionTimeoutMs: integer(env, 'DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS', 10_000, 1_000, 3_600_000),
    },
    stream: {
      heartbeatMs: integer(env, 'STREAM_HEARTBEAT_SECONDS', 20, 1, 300) * 1000,
      maxStreamsPerUser: integer(env, 'STREAM_MAX_PER_USER', 10, 1, 1000),
      retentionMs: integer(env, 'STREAM_RETENTION_DAYS', 7, 1, 365) * 24 * 3600 * 1000,
    },
    auditStreams: auditStreamSettings(env),
  };
  const { activityRetentionDays: maxDays, activityMinRetentionDays: minDays } = config;
  if (maxDays > 0 && minDays > maxDays) {
    throw new ConfigError(`ACTIVITY_MIN_RETENTION_DAYS=${minDays} is above ACTIVITY_RETENTION_DAYS=${maxDays}: the minimum cannot exceed what is kept at most.`);
  }
  return config;
}

function auditStreamSettings(env: NodeJS.ProcessEnv): AuditStreamSettings {
  const timeoutMs = integer(env, 'AUDIT_STREAM_TIMEOUT_MS', 10_000, 100, 120_000);
  const leaseMs = integer(env, 'AUDIT_STREAM_LEASE_MS', 30_000, 1_000, 600_000);
  // A request must end inside the lease that started it, or two instances could send at once.
  if (leaseMs < 2 * timeoutMs) {
    throw new ConfigError(`AUDIT_STREAM_LEASE_MS=${leaseMs} is not valid: it must be at least twice AUDIT_STREAM_TIMEOUT_MS (${timeoutMs}).`);
  }
  const rawKey = env.AUDIT_STREAM_SECRET_KEY;
  let secretKey: Buffer | undefined;
  if (rawKey) {
    secretKey = /^[0-9a-f]{64}$/i.test(rawKey) ? Buffer.from(rawKey, 'hex') : Buffer.from(rawKey, 'base64');
    if (secretKey.length !== 32) throw new ConfigError('AUDIT_STREAM_SECRET_KEY is not valid: expected 32 bytes as 64 hex digits or base64.');
  }
  return {
    pollMs: integer(env, 'AUDIT_STREAM_POLL_MS', 250, 10, 60_000),
    batchSize: integer(env, 'AUDIT_STREAM_BATCH_SIZE', 500, 1, 10_000),
    timeoutMs,
    leaseMs,
    pauseAfterMs: integer(env, 'AUDIT_STREAM_PAUSE_AFTER_MINUTES', 60, 0, 7 * 24 * 60) * 60_000,
    backoffMaxMs: integer(env, 'AUDIT_STREAM_BACKOFF_MAX_SECONDS', 300, 1, 3600) * 1000,
    logRetentionDays: integer(env, 'AUDIT_STREAM_LOG_RETENTION_DAYS', 7, 1, 365),
    secretKey,
    trustedCaFile: env.AUDIT_STREAM_TRUSTED_CA_FILE || undefined,
  };
}
