import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LogFile, LogMessage } from 'electron-log';
import nodeLog from 'electron-log/node';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeLogger } from '../../testing/deployment-fakes.ts';
import {
  LOG_FILES_KEPT,
  LOG_MAX_BYTES,
  REDACTED,
  configureLogging,
  logDirectory,
  redact,
  redactString,
  redactionHook,
  rotateLogFiles,
} from './logging.ts';

const TOKEN = 'tn_4f9c2a7e1b8d4c3aa0e5';

describe('logDirectory', () => {
  const base = { homedir: '/home/ann', productName: 'Tray Notify', electronLogsPath: () => '/electron/logs' };

  it('Windows: the local, not roaming, app data folder', () => {
    expect(logDirectory({ ...base, platform: 'win32', env: { LOCALAPPDATA: 'C:\\Users\\ann\\AppData\\Local' } })).toBe(
      'C:\\Users\\ann\\AppData\\Local\\Tray Notify\\logs',
    );
    expect(logDirectory({ ...base, platform: 'win32', env: {} })).toBe('/electron/logs');
  });

  it('macOS: Electron\'s ~/Library/Logs folder', () => {
    expect(logDirectory({ ...base, platform: 'darwin', env: { XDG_STATE_HOME: '/state' } })).toBe('/electron/logs');
  });

  it('Linux: $XDG_STATE_HOME when absolute, else ~/.local/state, without asking Electron (which would create its folder)', () => {
    const electronLogsPath = vi.fn(() => '/electron/logs');
    logDirectory({ ...base, electronLogsPath, platform: 'linux', env: {} });
    expect(electronLogsPath).not.toHaveBeenCalled();
    expect(logDirectory({ ...base, platform: 'linux', env: { XDG_STATE_HOME: '/state' } })).toBe('/state/tray-notify/logs');
    expect(logDirectory({ ...base, platform: 'linux', env: { XDG_STATE_HOME: 'rel' } })).toBe('/home/ann/.local/state/tray-notify/logs');
    expect(logDirectory({ ...base, platform: 'linux', env: {} })).toBe('/home/ann/.local/state/tray-notify/logs');
  });
});

describe('redactString', () => {
  it.each([
    [`GET /api/me with Authorization: Bearer ${TOKEN}`, `GET /api/me with Authorization: Bearer ${REDACTED}`],
    [`connecting to https://n.acme.com/api/notifications/stream?ticket=${TOKEN}&last_event_id=42`, `connecting to https://n.acme.com/api/notifications/stream?ticket=${REDACTED}&last_event_id=42`],
    [`https://x/cb?access_token=${TOKEN}#f`, `https://x/cb?access_token=${REDACTED}#f`],
    [`response {"token":"${TOKEN}","expires_at":"2026-12-01"}`, `response {"token":"${REDACTED}","expires_at":"2026-12-01"}`],
    ['{"title":"Reply from Dana","body":"Let\'s \\"sign\\" today"}', `{"title":"Reply from Dana","body":"${REDACTED}"}`],
  ])('%s', (input, expected) => {
    expect(redactString(input)).toBe(expected);
  });

  it('leaves ordinary text alone', () => {
    expect(redactString('Update 1.4.0 downloaded from https://files.acme.com/tray-notify')).toBe('Update 1.4.0 downloaded from https://files.acme.com/tray-notify');
  });
});

describe('redact', () => {
  it('removes tokens and notification bodies at any depth and keeps the rest', () => {
    const notification = { id: 'n1', type: 'reply_received', title: 'Reply from Dana', body: 'Confidential pricing: $40k', read_at: null };
    const logged = {
      event: 'notification.created',
      notification,
      request: { headers: { Authorization: `Bearer ${TOKEN}`, Accept: 'text/event-stream' } },
      session: { token: TOKEN, expires_at: '2026-12-01T00:00:00Z' },
      items: [notification],
      count: 3,
    };
    expect(redact(logged)).toEqual({
      event: 'notification.created',
      notification: { id: 'n1', type: 'reply_received', title: 'Reply from Dana', body: REDACTED, read_at: null },
      request: { headers: { Authorization: REDACTED, Accept: 'text/event-stream' } },
      session: { token: REDACTED, expires_at: '2026-12-01T00:00:00Z' },
      items: [{ id: 'n1', type: 'reply_received', title: 'Reply from Dana', body: REDACTED, read_at: null }],
      count: 3,
    });
    expect(logged.session.token).toBe(TOKEN); // the caller's object is untouched
  });

  it('redacts errors, including their message, stack and own fields, and keeps the error name', () => {
    const error = Object.assign(new TypeError(`fetch failed for ?ticket=${TOKEN}`), {
      config: { headers: { authorization: `Bearer ${TOKEN}` }, url: '/api/me' },
    });
    const copy = redact(error) as TypeError & { config: unknown };
    expect(copy).toBeInstanceOf(Error);
    expect(copy.name).toBe('TypeError');
    expect(copy.message).toBe(`fetch failed for ?ticket=${REDACTED}`);
    expect(copy.config).toEqual({ headers: { authorization: REDACTED }, url: '/api/me' });
    expect(JSON.stringify({ stack: copy.stack, message: copy.message, config: copy.config })).not.toContain(TOKEN);
  });

  it('survives cycles and very deep objects', () => {
    const a: Record<string, unknown> = { name: 'a' };
    a.self = a;
    expect(redact(a)).toEqual({ name: 'a', self: '[Circular]' });
    let deep: Record<string, unknown> = { token: TOKEN };
    for (let i = 0; i < 20; i++) deep = { next: deep };
    expect(JSON.stringify(redact(deep))).not.toContain(TOKEN);
  });

  it('passes primitives, null and dates through', () => {
    const date = new Date('2026-11-26T07:00:00Z');
    expect([redact(42), redact(null), redact(undefined), redact(true), redact(date)]).toEqual([42, null, undefined, true, date]);
  });
});

describe('redactionHook', () => {
  it('redacts every argument of a log call', () => {
    const message: LogMessage = { data: ['login ok', { token: TOKEN }], date: new Date(), level: 'info' };
    expect(redactionHook(message).data).toEqual(['login ok', { token: REDACTED }]);
  });

  it('keeps the secret out of a real log file', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tray-notify-log-'));
    try {
      const logger = nodeLog.create({ logId: 'redaction-test' });
      logger.transports.console.level = false;
      logger.transports.file.resolvePathFn = () => path.join(dir, 'main.log');
      logger.hooks.push(redactionHook);
      logger.info('stream connected', { url: `/api/notifications/stream?ticket=${TOKEN}` }, { body: 'Confidential pricing' });
      logger.warn(new Error(`401 for Bearer ${TOKEN}`));
      const text = readFileSync(path.join(dir, 'main.log'), 'utf8');
      expect(text).toContain('stream connected');
      expect(text).toContain(REDACTED);
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain('Confidential pricing');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('rotateLogFiles', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'tray-notify-rotate-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const file = (name: string) => path.join(dir, name);

  it('shifts older files up by one and drops the oldest', () => {
    writeFileSync(file('main.log'), 'current');
    for (let n = 1; n <= 4; n++) writeFileSync(file(`main.${n}.log`), `old ${n}`);
    rotateLogFiles(file('main.log'), 4);
    expect(readdirSync(dir).sort()).toEqual(['main.1.log', 'main.2.log', 'main.3.log', 'main.4.log']);
    expect(['main.1.log', 'main.2.log', 'main.3.log', 'main.4.log'].map((name) => readFileSync(file(name), 'utf8'))).toEqual([
      'current', 'old 1', 'old 2', 'old 3',
    ]);
  });

  it('works when there are gaps or no older files yet', () => {
    writeFileSync(file('main.log'), 'current');
    writeFileSync(file('main.2.log'), 'old 2');
    rotateLogFiles(file('main.log'), 4);
    expect(readdirSync(dir).sort()).toEqual(['main.1.log', 'main.3.log']);
    expect(readFileSync(file('main.3.log'), 'utf8')).toBe('old 2');
  });
});

describe('configureLogging', () => {
  it('writes main.log in the given folder, rotates at 5 MB, redacts, and catches uncaught errors without a dialog', () => {
    const log = fakeLogger();
    const file = configureLogging(log, '/logs');
    expect(file).toBe(path.join('/logs', 'main.log'));
    expect(log.transports.file.resolvePathFn({} as never)).toBe(file);
    expect(log.transports.file.maxSize).toBe(LOG_MAX_BYTES);
    expect(log.transports.file.level).toBe('info');
    expect(log.hooks).toEqual([redactionHook]);
    expect(log.initialize).not.toHaveBeenCalled(); // no preload injected into the app's renderers
    expect(log.errorHandler.startCatching).toHaveBeenCalledWith({ showDialog: false });
  });

  it('rotates through the archive function, and clears the file when it cannot be moved', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tray-notify-archive-'));
    try {
      const log = fakeLogger();
      configureLogging(log, dir);
      writeFileSync(path.join(dir, 'main.log'), 'full');
      const clear = vi.fn(() => true);
      log.transports.file.archiveLogFn({ path: path.join(dir, 'main.log'), clear } as unknown as LogFile);
      expect(readFileSync(path.join(dir, 'main.1.log'), 'utf8')).toBe('full');
      expect(clear).not.toHaveBeenCalled();

      log.transports.file.archiveLogFn({ path: path.join(dir, 'missing', 'main.log'), clear } as unknown as LogFile);
      expect(clear).toHaveBeenCalledTimes(1);
      expect(existsSync(path.join(dir, `main.${LOG_FILES_KEPT + 1}.log`))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
