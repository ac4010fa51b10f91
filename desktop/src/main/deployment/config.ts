// Machine-wide configuration: what IT sets without rebuilding the app.
//
// Pure functions only (no fs, no Electron) so every precedence rule and every
// bad value is unit-tested; load-config.ts does the reading.
//
// Precedence, highest first: command-line flags, environment variables, the
// machine-wide JSON file, the user's own settings, defaults. One deliberate
// refinement for the two settings a user can edit (server URL, start at login):
// while IT has NOT locked them, the machine file's value is only a default and
// the user's saved choice beats it; while locked, the file wins and Settings shows
// it read-only. Without that, "users may change the server URL" would let a user
// edit a value the machine file silently restores at the next start (Chrome's
// "recommended" vs "mandatory" policies work the same way). Flags and environment
// variables are set for a run on purpose and beat the user's choice either way.
import type { DeploymentInfo } from '../../shared/ipc.ts';

// What the `deployment:get` IPC channel returns: defined once, with the channel.
export type { DeploymentInfo };

export type SettingSource = 'flag' | 'env' | 'machine-file' | 'user' | 'default';

/** DeploymentInfo plus what the main process needs internally. */
export interface DeploymentConfig extends DeploymentInfo {
  updateFeedUrl: string | null;
  /** Where each effective value came from; logged for support. */
  sources: Record<'serverUrl' | 'webAppBaseUrl' | 'startAtLogin' | 'autoUpdate' | 'updateFeedUrl', SettingSource>;
}

/** Settings IT can provide through flags, environment variables or the machine file. */
export interface MachineSettings {
  serverUrl?: string;
  serverUrlLocked?: boolean;
  webAppBaseUrl?: string;
  autoUpdate?: boolean;
  updateFeedUrl?: string;
  startAtLogin?: boolean;
  startAtLoginLocked?: boolean;
}

/** Settings the user changes in the app and the app saves per user. */
export interface UserSettings {
  serverUrl?: string;
  startAtLogin?: boolean;
}

export type MachineKey = keyof MachineSettings;

interface KeySpec {
  kind: 'url' | 'boolean';
  flag: string;
  env: string;
}

/** One table for every key so flags, environment and file can never drift apart. */
export const MACHINE_KEYS: Readonly<Record<MachineKey, KeySpec>> = {
  serverUrl: { kind: 'url', flag: 'server-url', env: 'TRAY_NOTIFY_SERVER_URL' },
  serverUrlLocked: { kind: 'boolean', flag: 'server-url-locked', env: 'TRAY_NOTIFY_SERVER_URL_LOCKED' },
  webAppBaseUrl: { kind: 'url', flag: 'web-app-base-url', env: 'TRAY_NOTIFY_WEB_APP_BASE_URL' },
  autoUpdate: { kind: 'boolean', flag: 'auto-update', env: 'TRAY_NOTIFY_AUTO_UPDATE' },
  updateFeedUrl: { kind: 'url', flag: 'update-feed-url', env: 'TRAY_NOTIFY_UPDATE_FEED_URL' },
  startAtLogin: { kind: 'boolean', flag: 'start-at-login', env: 'TRAY_NOTIFY_START_AT_LOGIN' },
  startAtLoginLocked: { kind: 'boolean', flag: 'start-at-login-locked', env: 'TRAY_NOTIFY_START_AT_LOGIN_LOCKED' },
};

const MACHINE_KEY_NAMES = Object.keys(MACHINE_KEYS) as MachineKey[];

export interface SourceResult<T> {
  settings: T;
  problems: string[];
}

type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

/**
 * Accepts absolute http(s) URLs and normalises them without a trailing slash.
 * Credentials, query strings and fragments are refused: none of these URLs
 * needs them, and credentials in a world-readable file would leak.
 */
export function parseHttpUrl(raw: string): Parsed<string> {
  const text = raw.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, reason: `${JSON.stringify(raw)} is not a valid URL (expected e.g. "https://notify.example.com")` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, reason: `${JSON.stringify(raw)} must start with https:// or http://` };
  }
  if (url.username !== '' || url.password !== '') {
    return { ok: false, reason: `${JSON.stringify(redactUrlCredentials(url))} must not contain a user name or password` };
  }
  if (url.search !== '' || url.hash !== '') {
    return { ok: false, reason: `${JSON.stringify(raw)} must not contain a query string (?...) or fragment (#...)` };
  }
  return { ok: true, value: `${url.origin}${url.pathname.replace(/\/+$/, '')}` };
}

function redactUrlCredentials(url: URL): string {
  const copy = new URL(url.href);
  copy.username = copy.username === '' ? '' : '***';
  copy.password = copy.password === '' ? '' : '***';
  return copy.href;
}

const TRUE_WORDS = new Set(['true', '1', 'yes', 'on']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'off']);

/** Boolean text as flags and environment variables carry it. */
export function parseBooleanText(raw: string): Parsed<boolean> {
  const word = raw.trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return { ok: true, value: true };
  if (FALSE_WORDS.has(word)) return { ok: true, value: false };
  return { ok: false, reason: `${JSON.stringify(raw)} is not a boolean (use true or false)` };
}

function parseText(kind: KeySpec['kind'], raw: string): Parsed<string | boolean> {
  return kind === 'url' ? parseHttpUrl(raw) : parseBooleanText(raw);
}

function assign(settings: MachineSettings, key: MachineKey, value: string | boolean): void {
  (settings as Record<MachineKey, string | boolean>)[key] = value;
}

/**
 * Reads `--server-url=https://x`, `--server-url https://x`, `--auto-update`,
 * `--auto-update=false` and `--no-auto-update`. Unknown arguments are left
 * alone: Chromium switches and the app's own arguments share argv.
 */
export function parseFlags(argv: readonly string[]): SourceResult<MachineSettings> {
  const settings: MachineSettings = {};
  const problems: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (!arg.startsWith('--')) continue;
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    const inlineValue = eq === -1 ? undefined : arg.slice(eq + 1);

    const negated = name.startsWith('no-') ? MACHINE_KEY_NAMES.find((k) => MACHINE_KEYS[k].flag === name.slice(3)) : undefined;
    if (negated !== undefined && MACHINE_KEYS[negated].kind === 'boolean') {
      if (inlineValue !== undefined) {
        problems.push(`Command-line flag --${name} takes no value; ignored.`);
        continue;
      }
      assign(settings, negated, false);
      continue;
    }

    const key = MACHINE_KEY_NAMES.find((k) => MACHINE_KEYS[k].flag === name);
    if (key === undefined) continue;
    const spec = MACHINE_KEYS[key];
    let raw = inlineValue;
    if (raw === undefined && spec.kind === 'boolean') raw = 'true';
    if (raw === undefined) {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) {
        problems.push(`Command-line flag --${name} needs a value, e.g. --${name}=https://notify.example.com; ignored.`);
        continue;
      }
      raw = next;
      i++;
    }
    const parsed = parseText(spec.kind, raw);
    if (parsed.ok) assign(settings, key, parsed.value);
    else problems.push(`Command-line flag --${name}: ${parsed.reason}; ignored.`);
  }
  return { settings, problems };
}

/** Reads TRAY_NOTIFY_* variables. An empty variable counts as unset (Windows `set X=`). */
export function parseEnv(env: Readonly<Record<string, string | undefined>>): SourceResult<MachineSettings> {
  const settings: MachineSettings = {};
  const problems: string[] = [];
  for (const key of MACHINE_KEY_NAMES) {
    const spec = MACHINE_KEYS[key];
    const raw = env[spec.env];
    if (raw === undefined || raw.trim() === '') continue;
    const parsed = parseText(spec.kind, raw);
    if (parsed.ok) assign(settings, key, parsed.value);
    else problems.push(`Environment variable ${spec.env}: ${parsed.reason}; ignored.`);
  }
  return { settings, problems };
}

function describeJsonValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  if (typeof value === 'object') return 'an object';
  return `the ${typeof value} ${String(value)}`;
}

/** Validates typed JSON values (the machine file, the user's settings file) key by key. */
function parseJsonObject<K extends MachineKey>(
  text: string,
  label: string,
  keys: readonly K[],
): SourceResult<Pick<MachineSettings, K>> {
  const settings: MachineSettings = {};
  const problems: string[] = [];
  let data: unknown;
  try {
    // Notepad and PowerShell 5 write UTF-8 with a byte-order mark; JSON.parse rejects it.
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    problems.push(`${label} is not valid JSON (${(error as Error).message}); the whole file is ignored.`);
    return { settings, problems };
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    problems.push(`${label} must contain a JSON object like {"serverUrl": "https://notify.example.com"}, not ${describeJsonValue(data)}; the whole file is ignored.`);
    return { settings, problems };
  }
  for (const [name, value] of Object.entries(data)) {
    if (name === '$schema' || name.startsWith('//')) continue; // room for editors' schema hints and comments
    const key = keys.find((k) => k === name);
    if (key === undefined) {
      const nearly = keys.find((k) => k.toLowerCase() === name.toLowerCase());
      const hint = nearly === undefined ? `known keys: ${keys.join(', ')}` : `did you mean "${nearly}"?`;
      problems.push(`${label}: unknown key "${name}" (${hint}); ignored.`);
      continue;
    }
    const spec = MACHINE_KEYS[key];
    if (spec.kind === 'boolean') {
      if (typeof value === 'boolean') assign(settings, key, value);
      else problems.push(`${label}: "${name}" must be true or false, not ${describeJsonValue(value)}; ignored.`);
    } else if (typeof value !== 'string') {
      problems.push(`${label}: "${name}" must be a string with an https:// or http:// URL, not ${describeJsonValue(value)}; ignored.`);
    } else {
      const parsed = parseHttpUrl(value);
      if (parsed.ok) assign(settings, key, parsed.value);
      else problems.push(`${label}: "${name}" ${parsed.reason}; ignored.`);
    }
  }
  return { settings: settings as Pick<MachineSettings, K>, problems };
}

export function parseMachineFile(text: string, filePath: string): SourceResult<MachineSettings> {
  return parseJsonObject(text, `Machine configuration file ${filePath}`, MACHINE_KEY_NAMES);
}

export const USER_KEYS = ['serverUrl', 'startAtLogin'] as const satisfies readonly (keyof UserSettings & MachineKey)[];

export function parseUserSettings(text: string, filePath: string): SourceResult<UserSettings> {
  return parseJsonObject(text, `Your settings file ${filePath}`, USER_KEYS);
}

export interface ResolveInput {
  flags: SourceResult<MachineSettings>;
  env: SourceResult<MachineSettings>;
  machineFile: SourceResult<MachineSettings>;
  user: SourceResult<UserSettings>;
}

type ItSource = Extract<SettingSource, 'flag' | 'env' | 'machine-file'>;

export function resolveDeploymentConfig(input: ResolveInput): DeploymentConfig {
  const problems = [...input.flags.problems, ...input.env.problems, ...input.machineFile.problems, ...input.user.problems];
  const itSources: [ItSource, MachineSettings][] = [
    ['flag', input.flags.settings],
    ['env', input.env.settings],
    ['machine-file', input.machineFile.settings],
  ];
  function fromIt<K extends MachineKey>(key: K): { value: NonNullable<MachineSettings[K]>; source: ItSource } | undefined {
    for (const [source, settings] of itSources) {
      const value = settings[key];
      if (value !== undefined) return { value: value as NonNullable<MachineSettings[K]>, source };
    }
    return undefined;
  }
  const user = input.user.settings;

  /** For a setting the user may also choose; undefined when nobody set it. */
  function userEditable<K extends keyof UserSettings>(key: K, locked: boolean): { value: NonNullable<UserSettings[K]>; source: SettingSource } | undefined {
    const override = fromIt(key);
    if (override !== undefined && override.source !== 'machine-file') return override;
    const mine = user[key];
    if (!locked && mine !== undefined) return { value: mine as NonNullable<UserSettings[K]>, source: 'user' };
    return override;
  }

  let serverUrlLocked = fromIt('serverUrlLocked')?.value ?? false;
  if (serverUrlLocked && fromIt('serverUrl') === undefined) {
    problems.push('serverUrlLocked is true but IT configured no serverUrl, so the lock is ignored and users may choose the server.');
    serverUrlLocked = false;
  }
  const server = userEditable('serverUrl', serverUrlLocked);
  const serverUrl = server?.value ?? null;
  const serverUrlSource: SettingSource = server?.source ?? 'default';
  // A value from a flag or the environment cannot be changed in Settings either.
  const isOverride = (source: SettingSource) => source === 'flag' || source === 'env';
  serverUrlLocked ||= isOverride(serverUrlSource);

  let startAtLoginLocked = fromIt('startAtLoginLocked')?.value ?? false;
  const start = userEditable('startAtLogin', startAtLoginLocked);
  // On by default: a tray app that does not start is a missed notification.
  const startAtLogin = start?.value ?? true;
  const startAtLoginSource: SettingSource = start?.source ?? 'default';
  startAtLoginLocked ||= isOverride(startAtLoginSource);

  // Notification targets are pages of the web app, which the server itself serves
  // at `/`: when IT names the server but not the web app, the web app is there. A
  // server the user chose says nothing about it; the app's own setting applies.
  const itWebApp = fromIt('webAppBaseUrl');
  const serverFromIt = serverUrlSource !== 'user' && serverUrlSource !== 'default';
  const webAppBaseUrl = itWebApp?.value ?? (serverFromIt ? serverUrl : null);
  const webAppBaseUrlSource: SettingSource = itWebApp?.source ?? (serverFromIt ? serverUrlSource : 'default');

  const itFeed = fromIt('updateFeedUrl');
  const itAutoUpdate = fromIt('autoUpdate');
  if (itAutoUpdate?.value === true && itFeed === undefined) {
    problems.push('autoUpdate is true but no updateFeedUrl is configured, so the app cannot check for updates.');
  }
  // Off unless IT says where updates come from: a build must never phone a host IT did not choose.
  const autoUpdate = (itAutoUpdate?.value ?? true) && itFeed !== undefined;

  return {
    serverUrl,
    serverUrlLocked,
    webAppBaseUrl,
    startAtLogin,
    startAtLoginLocked,
    autoUpdate,
    problems,
    updateFeedUrl: itFeed?.value ?? null,
    sources: {
      serverUrl: serverUrlSource,
      webAppBaseUrl: webAppBaseUrlSource,
      startAtLogin: startAtLoginSource,
      autoUpdate: itAutoUpdate?.source ?? 'default',
      updateFeedUrl: itFeed?.source ?? 'default',
    },
  };
}

/** Exactly the `deployment:get` shape, without internal fields. */
export function toDeploymentInfo(config: DeploymentConfig): DeploymentInfo {
  const { serverUrl, serverUrlLocked, webAppBaseUrl, startAtLogin, startAtLoginLocked, autoUpdate, problems } = config;
  return { serverUrl, serverUrlLocked, webAppBaseUrl, startAtLogin, startAtLoginLocked, autoUpdate, problems: [...problems] };
}
