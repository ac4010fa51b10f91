import path from 'node:path';
import {
  type DeploymentConfig,
  type SourceResult,
  type UserSettings,
  parseEnv,
  parseFlags,
  parseMachineFile,
  parseUserSettings,
  resolveDeploymentConfig,
} from './config.ts';

/** Lets tests (and unusual installs) point at another machine file. */
export const CONFIG_FILE_ENV = 'TRAY_NOTIFY_CONFIG_FILE';

/**
 * The machine-wide file sits where each OS keeps configuration that applies
 * to every user and that only administrators can write.
 */
export function machineConfigPath(platform: NodeJS.Platform, env: Readonly<Record<string, string | undefined>>): string {
  const override = env[CONFIG_FILE_ENV];
  if (override !== undefined && override.trim() !== '') return override;
  switch (platform) {
    case 'win32':
      return path.win32.join(env.ProgramData ?? env.PROGRAMDATA ?? 'C:\\ProgramData', 'TrayNotify', 'config.json');
    case 'darwin':
      return '/Library/Application Support/TrayNotify/config.json';
    default:
      return '/etc/tray-notify/config.json';
  }
}

/** The user's own settings, next to Electron's other per-user data. */
export function userSettingsPath(userDataDir: string): string {
  return path.join(userDataDir, 'user-settings.json');
}

/** Reads a file as UTF-8; throws Node's errors (ENOENT, EACCES, ...). */
export type ReadText = (file: string) => string;

/** A missing file is normal (nothing configured); any other failure is a problem to show. */
export function readOptionalFile(file: string, readText: ReadText, label: string): { text?: string; problem?: string } {
  try {
    return { text: readText(file) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return {};
    if (code === 'EACCES' || code === 'EPERM') {
      return { problem: `${label} ${file} cannot be read (permission denied); it must be readable by every user. It is ignored.` };
    }
    if (code === 'EISDIR') return { problem: `${label} ${file} is a folder, not a file; it is ignored.` };
    return { problem: `${label} ${file} cannot be read (${code ?? 'error'}: ${(error as Error).message}); it is ignored.` };
  }
}

export interface LoadConfigDeps {
  argv: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  platform: NodeJS.Platform;
  userDataDir: string;
  readText: ReadText;
}

export function loadDeploymentConfig(deps: LoadConfigDeps): DeploymentConfig & { machineConfigPath: string } {
  const machinePath = machineConfigPath(deps.platform, deps.env);
  const machineRead = readOptionalFile(machinePath, deps.readText, 'Machine configuration file');
  const machineFile: SourceResult<object> =
    machineRead.text !== undefined ? parseMachineFile(machineRead.text, machinePath) : { settings: {}, problems: machineRead.problem ? [machineRead.problem] : [] };

  const userPath = userSettingsPath(deps.userDataDir);
  const userRead = readOptionalFile(userPath, deps.readText, 'Your settings file');
  const user: SourceResult<UserSettings> =
    userRead.text !== undefined ? parseUserSettings(userRead.text, userPath) : { settings: {}, problems: userRead.problem ? [userRead.problem] : [] };

  const config = resolveDeploymentConfig({
    flags: parseFlags(deps.argv),
    env: parseEnv(deps.env),
    machineFile,
    user,
  });
  return { ...config, machineConfigPath: machinePath };
}
