import { describe, expect, it } from 'vitest';
import {
  type MachineSettings,
  type SourceResult,
  type UserSettings,
  parseBooleanText,
  parseEnv,
  parseFlags,
  parseHttpUrl,
  parseMachineFile,
  parseUserSettings,
  resolveDeploymentConfig,
  toDeploymentInfo,
} from './config.ts';

const FILE = '/etc/tray-notify/config.json';

function source<T>(settings: T, problems: string[] = []): SourceResult<T> {
  return { settings, problems };
}

function resolve(layers: { flags?: MachineSettings; env?: MachineSettings; file?: MachineSettings; user?: UserSettings }) {
  return resolveDeploymentConfig({
    flags: source(layers.flags ?? {}),
    env: source(layers.env ?? {}),
    machineFile: source(layers.file ?? {}),
    user: source(layers.user ?? {}),
  });
}

describe('parseHttpUrl', () => {
  it('accepts http and https URLs and drops trailing slashes', () => {
    expect(parseHttpUrl(' https://notify.acme.com/ ')).toEqual({ ok: true, value: 'https://notify.acme.com' });
    expect(parseHttpUrl('http://10.0.0.5:3000/tray//')).toEqual({ ok: true, value: 'http://10.0.0.5:3000/tray' });
  });

  it.each([
    ['notify.acme.com', 'is not a valid URL'],
    ['', 'is not a valid URL'],
    ['ftp://notify.acme.com', 'must start with https:// or http://'],
    ['file:///etc/passwd', 'must start with https:// or http://'],
    ['https://notify.acme.com/?tenant=1', 'must not contain a query string'],
    ['https://notify.acme.com/#x', 'must not contain a query string (?...) or fragment'],
    ['https://admin@notify.acme.com', 'must not contain a user name or password'],
  ])('refuses %j', (raw, reason) => {
    const result = parseHttpUrl(raw);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toContain(reason);
  });

  it('does not repeat a password it refuses', () => {
    const result = parseHttpUrl('https://admin:s3cret@notify.acme.com');
    expect(!result.ok && result.reason).toContain('https://***:***@notify.acme.com/');
    expect(JSON.stringify(result)).not.toContain('s3cret');
  });
});

describe('parseBooleanText', () => {
  it.each([
    ['true', true], ['TRUE', true], [' 1 ', true], ['yes', true], ['on', true],
    ['false', false], ['0', false], ['No', false], ['off', false],
  ])('reads %j as %s', (raw, value) => {
    expect(parseBooleanText(raw)).toEqual({ ok: true, value });
  });

  it('refuses anything else with the value in the message', () => {
    expect(parseBooleanText('maybe')).toEqual({ ok: false, reason: '"maybe" is not a boolean (use true or false)' });
  });
});

describe('parseFlags', () => {
  it('reads every flag in --name=value form', () => {
    const result = parseFlags([
      '/opt/Tray Notify/tray-notify',
      '--server-url=https://a.example.com',
      '--server-url-locked=true',
      '--web-app-base-url=https://app.example.com/',
      '--auto-update=off',
      '--update-feed-url=https://updates.example.com/tray',
      '--start-at-login=false',
      '--start-at-login-locked=yes',
    ]);
    expect(result).toEqual(source({
      serverUrl: 'https://a.example.com',
      serverUrlLocked: true,
      webAppBaseUrl: 'https://app.example.com',
      autoUpdate: false,
      updateFeedUrl: 'https://updates.example.com/tray',
      startAtLogin: false,
      startAtLoginLocked: true,
    }));
  });

  it('reads a URL given as the next argument, bare booleans and --no- negations', () => {
    expect(parseFlags(['--server-url', 'https://b.example.com', '--server-url-locked', '--no-auto-update'])).toEqual(
      source({ serverUrl: 'https://b.example.com', serverUrlLocked: true, autoUpdate: false }),
    );
  });

  it('leaves Chromium switches and unknown arguments alone', () => {
    expect(parseFlags(['--disable-gpu', '--lang=de', 'some-file.txt', '--no-sandbox'])).toEqual(source({}));
  });

  it('reports a URL flag without a value and does not swallow the next flag', () => {
    const result = parseFlags(['--server-url', '--auto-update=false']);
    expect(result.settings).toEqual({ autoUpdate: false });
    expect(result.problems).toEqual([
      'Command-line flag --server-url needs a value, e.g. --server-url=https://notify.example.com; ignored.',
    ]);
  });

  it('reports bad values and keeps the good ones', () => {
    const result = parseFlags(['--server-url=notify.acme.com', '--auto-update=sometimes', '--no-auto-update=1', '--start-at-login=0']);
    expect(result.settings).toEqual({ startAtLogin: false });
    expect(result.problems).toEqual([
      'Command-line flag --server-url: "notify.acme.com" is not a valid URL (expected e.g. "https://notify.example.com"); ignored.',
      'Command-line flag --auto-update: "sometimes" is not a boolean (use true or false); ignored.',
      'Command-line flag --no-auto-update takes no value; ignored.',
    ]);
  });
});

describe('parseEnv', () => {
  it('reads every TRAY_NOTIFY_ variable', () => {
    expect(parseEnv({
      TRAY_NOTIFY_SERVER_URL: 'https://env.example.com',
      TRAY_NOTIFY_SERVER_URL_LOCKED: '1',
      TRAY_NOTIFY_WEB_APP_BASE_URL: 'https://web.example.com',
      TRAY_NOTIFY_AUTO_UPDATE: 'true',
      TRAY_NOTIFY_UPDATE_FEED_URL: 'https://updates.example.com',
      TRAY_NOTIFY_START_AT_LOGIN: 'no',
      TRAY_NOTIFY_START_AT_LOGIN_LOCKED: 'false',
      PATH: '/usr/bin',
    })).toEqual(source({
      serverUrl: 'https://env.example.com',
      serverUrlLocked: true,
      webAppBaseUrl: 'https://web.example.com',
      autoUpdate: true,
      updateFeedUrl: 'https://updates.example.com',
      startAtLogin: false,
      startAtLoginLocked: false,
    }));
  });

  it('treats empty variables as unset', () => {
    expect(parseEnv({ TRAY_NOTIFY_SERVER_URL: '', TRAY_NOTIFY_AUTO_UPDATE: '  ' })).toEqual(source({}));
  });

  it('names the variable and the value it refuses', () => {
    expect(parseEnv({ TRAY_NOTIFY_UPDATE_FEED_URL: 'updates', TRAY_NOTIFY_START_AT_LOGIN_LOCKED: 'locked' }).problems).toEqual([
      'Environment variable TRAY_NOTIFY_UPDATE_FEED_URL: "updates" is not a valid URL (expected e.g. "https://notify.example.com"); ignored.',
      'Environment variable TRAY_NOTIFY_START_AT_LOGIN_LOCKED: "locked" is not a boolean (use true or false); ignored.',
    ]);
  });
});

describe('parseMachineFile', () => {
  const full = {
    serverUrl: 'https://notify.acme.com/',
    serverUrlLocked: true,
    webAppBaseUrl: 'https://app.acme.com',
    autoUpdate: false,
    updateFeedUrl: 'https://files.acme.com/tray-notify',
    startAtLogin: true,
    startAtLoginLocked: false,
  };

  it('reads every key', () => {
    expect(parseMachineFile(JSON.stringify(full), FILE)).toEqual(source({ ...full, serverUrl: 'https://notify.acme.com' }));
  });

  it('reads a file saved with a UTF-8 byte-order mark (Notepad)', () => {
    expect(parseMachineFile(`\uFEFF{"serverUrl": "https://notify.acme.com"}`, FILE).settings).toEqual({ serverUrl: 'https://notify.acme.com' });
  });

  it('skips $schema and // comment keys', () => {
    expect(parseMachineFile('{"$schema": "x", "// owner": "IT desk", "autoUpdate": false}', FILE)).toEqual(source({ autoUpdate: false }));
  });

  it('reports invalid JSON with the parser message and ignores the file', () => {
    const result = parseMachineFile('{"serverUrl": "https://a.example.com",}', FILE);
    expect(result.settings).toEqual({});
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatch(/^Machine configuration file \/etc\/tray-notify\/config\.json is not valid JSON \(.+\); the whole file is ignored\.$/);
  });

  it.each([
    ['[]', 'not an array'],
    ['null', 'not null'],
    ['"https://a.example.com"', 'not the string "https://a.example.com"'],
    ['', 'is not valid JSON'],
  ])('refuses a file containing %j', (text, reason) => {
    const result = parseMachineFile(text, FILE);
    expect(result.settings).toEqual({});
    expect(result.problems[0]).toContain(reason);
  });

  it('reports each bad value by key and keeps the valid ones', () => {
    const result = parseMachineFile(JSON.stringify({
      serverUrl: 42,
      serverUrlLocked: 'true',
      webAppBaseUrl: 'app.acme.com',
      autoUpdate: null,
      updateFeedUrl: 'https://files.acme.com/updates',
      startAtLogin: 1,
      startAtLoginLocked: ['yes'],
    }), FILE);
    expect(result.settings).toEqual({ updateFeedUrl: 'https://files.acme.com/updates' });
    expect(result.problems).toEqual([
      `Machine configuration file ${FILE}: "serverUrl" must be a string with an https:// or http:// URL, not the number 42; ignored.`,
      `Machine configuration file ${FILE}: "serverUrlLocked" must be true or false, not the string "true"; ignored.`,
      `Machine configuration file ${FILE}: "webAppBaseUrl" "app.acme.com" is not a valid URL (expected e.g. "https://notify.example.com"); ignored.`,
      `Machine configuration file ${FILE}: "autoUpdate" must be true or false, not null; ignored.`,
      `Machine configuration file ${FILE}: "startAtLogin" must be true or false, not the number 1; ignored.`,
      `Machine configuration file ${FILE}: "startAtLoginLocked" must be true or false, not an array; ignored.`,
    ]);
  });

  it('reports unknown keys, suggesting the key that differs only in case', () => {
    expect(parseMachineFile('{"serverURL": "https://a.example.com", "proxy": "x"}', FILE).problems).toEqual([
      `Machine configuration file ${FILE}: unknown key "serverURL" (did you mean "serverUrl"?); ignored.`,
      `Machine configuration file ${FILE}: unknown key "proxy" (known keys: serverUrl, serverUrlLocked, webAppBaseUrl, autoUpdate, updateFeedUrl, startAtLogin, startAtLoginLocked); ignored.`,
    ]);
  });
});

describe('parseUserSettings', () => {
  it('reads the two settings a user may change', () => {
    expect(parseUserSettings('{"serverUrl": "https://mine.example.com", "startAtLogin": false}', '/home/u/settings.json')).toEqual(
      source({ serverUrl: 'https://mine.example.com', startAtLogin: false }),
    );
  });

  it('refuses IT-only keys in a user file, so a user cannot lift a lock or switch updates', () => {
    const result = parseUserSettings('{"serverUrlLocked": false, "autoUpdate": false}', '/home/u/settings.json');
    expect(result.settings).toEqual({});
    expect(result.problems).toEqual([
      'Your settings file /home/u/settings.json: unknown key "serverUrlLocked" (known keys: serverUrl, startAtLogin); ignored.',
      'Your settings file /home/u/settings.json: unknown key "autoUpdate" (known keys: serverUrl, startAtLogin); ignored.',
    ]);
  });
});

describe('resolveDeploymentConfig', () => {
  it('uses the defaults when nothing is configured', () => {
    expect(resolve({})).toEqual({
      serverUrl: null,
      serverUrlLocked: false,
      webAppBaseUrl: null,
      startAtLogin: true,
      startAtLoginLocked: false,
      autoUpdate: false,
      problems: [],
      updateFeedUrl: null,
      sources: { serverUrl: 'default', webAppBaseUrl: 'default', startAtLogin: 'default', autoUpdate: 'default', updateFeedUrl: 'default' },
    });
  });

  describe('precedence: flags, then environment, then machine file, then defaults', () => {
    const flags = { updateFeedUrl: 'https://flag.example.com', webAppBaseUrl: 'https://flag-web.example.com', autoUpdate: true };
    const env = { updateFeedUrl: 'https://env.example.com', webAppBaseUrl: 'https://env-web.example.com', autoUpdate: false };
    const file = { updateFeedUrl: 'https://file.example.com', webAppBaseUrl: 'https://file-web.example.com', autoUpdate: false };

    it('a flag beats the environment and the file', () => {
      const config = resolve({ flags, env, file });
      expect([config.updateFeedUrl, config.webAppBaseUrl, config.autoUpdate]).toEqual(['https://flag.example.com', 'https://flag-web.example.com', true]);
      expect(config.sources).toMatchObject({ updateFeedUrl: 'flag', webAppBaseUrl: 'flag', autoUpdate: 'flag' });
    });

    it('the environment beats the file', () => {
      const config = resolve({ env, file });
      expect([config.updateFeedUrl, config.webAppBaseUrl]).toEqual(['https://env.example.com', 'https://env-web.example.com']);
      expect(config.sources).toMatchObject({ updateFeedUrl: 'env', webAppBaseUrl: 'env', autoUpdate: 'env' });
    });

    it('the file beats the defaults', () => {
      const config = resolve({ file: { ...file, autoUpdate: true } });
      expect([config.updateFeedUrl, config.autoUpdate]).toEqual(['https://file.example.com', true]);
      expect(config.sources).toMatchObject({ updateFeedUrl: 'machine-file', autoUpdate: 'machine-file' });
    });

    it('a value refused in a higher source falls through to the next one', () => {
      const config = resolveDeploymentConfig({
        flags: parseFlags(['--update-feed-url=nonsense']),
        env: parseEnv({ TRAY_NOTIFY_UPDATE_FEED_URL: 'also nonsense' }),
        machineFile: parseMachineFile('{"updateFeedUrl": "https://file.example.com"}', FILE),
        user: source({}),
      });
      expect(config.updateFeedUrl).toBe('https://file.example.com');
      expect(config.problems).toHaveLength(2);
      expect(config.problems[0]).toContain('--update-feed-url');
      expect(config.problems[1]).toContain('TRAY_NOTIFY_UPDATE_FEED_URL');
    });
  });

  describe('server URL', () => {
    it('the user\'s own choice beats the defaults', () => {
      const config = resolve({ user: { serverUrl: 'https://mine.example.com' } });
      expect([config.serverUrl, config.sources.serverUrl]).toEqual(['https://mine.example.com', 'user']);
    });

    it('unlocked, an IT value is the default until the user chooses another server', () => {
      expect(resolve({ file: { serverUrl: 'https://it.example.com' } }).serverUrl).toBe('https://it.example.com');
      const config = resolve({ file: { serverUrl: 'https://it.example.com' }, user: { serverUrl: 'https://mine.example.com' } });
      expect([config.serverUrl, config.serverUrlLocked, config.sources.serverUrl]).toEqual(['https://mine.example.com', false, 'user']);
    });

    it('a flag or environment variable beats the user\'s choice even when unlocked, and locks it for the run', () => {
      const mine = { serverUrl: 'https://mine.example.com' };
      const byFlag = resolve({ flags: { serverUrl: 'https://flag.example.com' }, env: { serverUrl: 'https://env.example.com' }, user: mine });
      expect([byFlag.serverUrl, byFlag.sources.serverUrl, byFlag.serverUrlLocked]).toEqual(['https://flag.example.com', 'flag', true]);
      const byEnv = resolve({ env: { serverUrl: 'https://env.example.com' }, file: { serverUrl: 'https://it.example.com' }, user: mine });
      expect([byEnv.serverUrl, byEnv.sources.serverUrl, byEnv.serverUrlLocked]).toEqual(['https://env.example.com', 'env', true]);
    });

    it('locked, the IT value beats the user\'s choice, taken by precedence among IT sources', () => {
      const config = resolve({
        flags: { serverUrl: 'https://flag.example.com' },
        env: { serverUrl: 'https://env.example.com' },
        file: { serverUrl: 'https://it.example.com', serverUrlLocked: true },
        user: { serverUrl: 'https://mine.example.com' },
      });
      expect([config.serverUrl, config.serverUrlLocked, config.sources.serverUrl]).toEqual(['https://flag.example.com', true, 'flag']);
    });

    it('a lock without an IT server URL is reported and ignored', () => {
      const config = resolve({ file: { serverUrlLocked: true }, user: { serverUrl: 'https://mine.example.com' } });
      expect([config.serverUrl, config.serverUrlLocked]).toEqual(['https://mine.example.com', false]);
      expect(config.problems).toEqual([
        'serverUrlLocked is true but IT configured no serverUrl, so the lock is ignored and users may choose the server.',
      ]);
    });
  });

  describe('web app base URL', () => {
    it('defaults to the server URL IT configured, which serves the web app', () => {
      const config = resolve({ env: { serverUrl: 'https://it.example.com' } });
      expect([config.webAppBaseUrl, config.sources.webAppBaseUrl]).toEqual(['https://it.example.com', 'env']);
    });

    it('is left to the app\'s own setting when the user chose the server', () => {
      const config = resolve({ file: { serverUrl: 'https://it.example.com' }, user: { serverUrl: 'https://mine.example.com' } });
      expect([config.webAppBaseUrl, config.sources.webAppBaseUrl]).toEqual([null, 'default']);
    });

    it('an IT value beats the server URL', () => {
      const config = resolve({ env: { webAppBaseUrl: 'https://web.example.com' }, file: { serverUrl: 'https://it.example.com' } });
      expect([config.webAppBaseUrl, config.sources.webAppBaseUrl]).toEqual(['https://web.example.com', 'env']);
    });
  });

  describe('start at login', () => {
    it('is on by default', () => {
      expect(resolve({}).startAtLogin).toBe(true);
    });

    it('IT sets the default, and the user may switch it when not locked', () => {
      expect(resolve({ file: { startAtLogin: false } }).startAtLogin).toBe(false);
      const config = resolve({ file: { startAtLogin: false }, user: { startAtLogin: true } });
      expect([config.startAtLogin, config.sources.startAtLogin]).toEqual([true, 'user']);
    });

    it('a flag beats the user\'s choice and locks it for the run', () => {
      const config = resolve({ flags: { startAtLogin: false }, user: { startAtLogin: true } });
      expect([config.startAtLogin, config.sources.startAtLogin, config.startAtLoginLocked]).toEqual([false, 'flag', true]);
    });

    it('locked, the IT value wins over the user', () => {
      const config = resolve({ env: { startAtLogin: false, startAtLoginLocked: true }, user: { startAtLogin: true } });
      expect([config.startAtLogin, config.startAtLoginLocked, config.sources.startAtLogin]).toEqual([false, true, 'env']);
    });

    it('locked without an IT value, it is locked on', () => {
      const config = resolve({ file: { startAtLoginLocked: true }, user: { startAtLogin: false } });
      expect([config.startAtLogin, config.startAtLoginLocked, config.sources.startAtLogin]).toEqual([true, true, 'default']);
    });
  });

  describe('auto-update', () => {
    it('is on when a feed URL is configured and IT does not turn it off', () => {
      expect(resolve({ file: { updateFeedUrl: 'https://u.example.com' } }).autoUpdate).toBe(true);
      expect(resolve({ file: { updateFeedUrl: 'https://u.example.com', autoUpdate: false } }).autoUpdate).toBe(false);
    });

    it('is off without a feed URL, and IT asking for it without one is reported', () => {
      expect(resolve({}).problems).toEqual([]);
      const config = resolve({ file: { autoUpdate: true } });
      expect(config.autoUpdate).toBe(false);
      expect(config.problems).toEqual(['autoUpdate is true but no updateFeedUrl is configured, so the app cannot check for updates.']);
    });
  });

  it('collects problems from every source in precedence order', () => {
    const config = resolveDeploymentConfig({
      flags: source({}, ['flag problem']),
      env: source({}, ['env problem']),
      machineFile: source({}, ['file problem']),
      user: source({}, ['user problem']),
    });
    expect(config.problems).toEqual(['flag problem', 'env problem', 'file problem', 'user problem']);
  });
});

describe('toDeploymentInfo', () => {
  it('returns exactly the deployment:get shape', () => {
    const info = toDeploymentInfo(resolve({ file: { serverUrl: 'https://it.example.com', updateFeedUrl: 'https://u.example.com' } }));
    expect(info).toStrictEqual({
      serverUrl: 'https://it.example.com',
      serverUrlLocked: false,
      webAppBaseUrl: 'https://it.example.com',
      startAtLogin: true,
      startAtLoginLocked: false,
      autoUpdate: true,
      problems: [],
    });
  });
});
