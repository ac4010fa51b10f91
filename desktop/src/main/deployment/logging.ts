import fs from 'node:fs';
import path from 'node:path';
import type { MainLogger, LogMessage } from 'electron-log';

/** Rotate at 5 MB and keep 4 older files: about a week of busy use for support, 25 MB at most. */
export const LOG_MAX_BYTES = 5 * 1024 * 1024;
export const LOG_FILES_KEPT = 4;
export const LOG_FILE_NAME = 'main.log';
export const REDACTED = '[redacted]';

export interface LogDirectoryInput {
  platform: NodeJS.Platform;
  env: Readonly<Record<string, string | undefined>>;
  homedir: string;
  productName: string;
  /** Electron's app.getPath('logs'); called only where it is the answer, since it creates the folder. */
  electronLogsPath: () => string;
}

/**
 * The OS's conventional per-user log folder:
 * - Windows: %LOCALAPPDATA%\<product>\logs. Electron's default is under the
 *   roaming %APPDATA%, which domain profiles copy between machines at every logon.
 * - macOS: ~/Library/Logs/<product> (Electron's default; Console.app shows it).
 * - Linux: $XDG_STATE_HOME/tray-notify/logs, ~/.local/state by default: the XDG
 *   spec names that folder for logs; Electron's default puts them under ~/.config.
 */
export function logDirectory(input: LogDirectoryInput): string {
  const { env } = input;
  if (input.platform === 'win32') {
    const local = env.LOCALAPPDATA;
    return local !== undefined && local !== '' ? path.win32.join(local, input.productName, 'logs') : input.electronLogsPath();
  }
  if (input.platform === 'darwin') return input.electronLogsPath();
  const stateHome = env.XDG_STATE_HOME;
  const base = stateHome !== undefined && path.isAbsolute(stateHome) ? stateHome : path.join(input.homedir, '.local', 'state');
  return path.join(base, 'tray-notify', 'logs');
}

// Keys whose values are secrets or message content. `body` covers notification
// bodies (and any request/response body that might carry one).
const SECRET_KEY = /token|ticket|password|passwd|secret|authorization|cookie|api[-_]?key|session[-_]?id|body$/i;

const STRING_PATTERNS: [RegExp, string][] = [
  // Authorization header values wherever they appear in text.
  [/\b(Bearer|Basic)\s+[^\s"',;]+/gi, `$1 ${REDACTED}`],
  // Secrets in URLs, e.g. the SSE stream's ?ticket=...
  [/([?&](?:[\w-]*token|ticket|password|secret|api[-_]?key)=)[^&#\s"']*/gi, `$1${REDACTED}`],
  // JSON text, e.g. a logged response: "token": "...", "body": "..."
  [/("(?:[\w-]*token|ticket|password|secret|authorization|[\w-]*body)"\s*:\s*)"(?:[^"\\]|\\.)*"/gi, `$1"${REDACTED}"`],
];

export function redactString(text: string): string {
  return STRING_PATTERNS.reduce((out, [pattern, replacement]) => out.replace(pattern, replacement), text);
}

const MAX_DEPTH = 8;

/**
 * A redacted deep copy: secret-looking keys lose their values, strings lose
 * bearer tokens and URL/JSON secrets. Never mutates what the caller logged.
 */
export function redact(value: unknown, depth = 0, ancestors: WeakSet<object> = new WeakSet()): unknown {
  if (typeof value === 'string') return redactString(value);
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return value;
  // Only an ancestor makes a cycle; the same object logged twice side by side is not one.
  if (ancestors.has(value)) return '[Circular]';
  if (depth >= MAX_DEPTH) return '[Object]';
  ancestors.add(value);
  try {
    return redactObject(value, depth, ancestors);
  } finally {
    ancestors.delete(value);
  }
}

function redactObject(value: object, depth: number, ancestors: WeakSet<object>): unknown {
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1, ancestors));
  const fields = (target: Record<string, unknown>) => {
    for (const [key, field] of Object.entries(value)) {
      target[key] = SECRET_KEY.test(key) ? REDACTED : redact(field, depth + 1, ancestors);
    }
  };
  if (value instanceof Error) {
    const copy = new Error(redactString(value.message));
    copy.name = value.name;
    copy.stack = value.stack === undefined ? undefined : redactString(value.stack);
    fields(copy as unknown as Record<string, unknown>); // e.g. an HTTP client's request config with its headers
    return copy;
  }
  const copy: Record<string, unknown> = {};
  fields(copy);
  return copy;
}

/** electron-log hook: runs before every transport, for main and renderer messages alike. */
export function redactionHook(message: LogMessage): LogMessage {
  return { ...message, data: message.data.map((item) => redact(item)) };
}

/**
 * Keeps `keep` older files: main.log -> main.1.log -> ... -> main.<keep>.log,
 * dropping the oldest. electron-log's default keeps one file and overwrites it.
 */
export function rotateLogFiles(file: string, keep: number): void {
  const { dir, name, ext } = path.parse(file);
  const numbered = (n: number) => path.join(dir, `${name}.${n}${ext}`);
  fs.rmSync(numbered(keep), { force: true });
  for (let n = keep - 1; n >= 1; n--) {
    if (fs.existsSync(numbered(n))) fs.renameSync(numbered(n), numbered(n + 1));
  }
  fs.renameSync(file, numbered(1));
}

/** The part of electron-log's main logger this module configures. */
export type ConfigurableLogger = Pick<MainLogger, 'hooks'> & {
  errorHandler: Pick<MainLogger['errorHandler'], 'startCatching'>;
  transports: { file: Pick<MainLogger['transports']['file'], 'resolvePathFn' | 'maxSize' | 'archiveLogFn' | 'level'> };
};

/** Points electron-log at `directory` with rotation and redaction; returns the log file path. */
export function configureLogging(log: ConfigurableLogger, directory: string): string {
  const file = path.join(directory, LOG_FILE_NAME);
  log.transports.file.resolvePathFn = () => file;
  log.transports.file.maxSize = LOG_MAX_BYTES;
  log.transports.file.level = 'info';
  log.transports.file.archiveLogFn = (oldFile) => {
    try {
      rotateLogFiles(oldFile.path, LOG_FILES_KEPT);
    } catch {
      oldFile.clear(); // a locked or read-only file must not grow without bound
    }
  };
  log.hooks.push(redactionHook);
  // No log.initialize(): it would inject electron-log's preload into every renderer,
  // which is the desktop app's preload's job. Renderer logs reach this file only
  // through whatever IPC that preload exposes.
  // Uncaught main-process errors go to the log for support, without a dialog.
  log.errorHandler.startCatching({ showDialog: false });
  return file;
}
