import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';

describe('loadConfig', () => {
  it('has working defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 3000, databaseUrl: undefined, embeddedPgPort: 54320 });
    expect(config.stream).toEqual({ heartbeatMs: 20_000, maxStreamsPerUser: 10, retentionMs: 7 * 24 * 3600 * 1000 });
  });

  it('reads the environment', () => {
    const config = loadConfig({ PORT: '8080', STREAM_MAX_PER_USER: '3', STREAM_HEARTBEAT_SECONDS: '5', CORS_ORIGINS: 'https://a.example, https://b.example' });
    expect(config.port).toBe(8080);
    expect(config.stream).toMatchObject({ maxStreamsPerUser: 3, heartbeatMs: 5000 });
    expect(config.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
  });

  it('caps alert rules per workspace at 50 unless ALERT_RULES_PER_WORKSPACE says otherwise', () => {
    expect(loadConfig({}).alertRulesPerWorkspace).toBe(50);
    expect(loadConfig({ ALERT_RULES_PER_WORKSPACE: '10' }).alertRulesPerWorkspace).toBe(10);
    expect(() => loadConfig({ ALERT_RULES_PER_WORKSPACE: '0' })).toThrow(/ALERT_RULES_PER_WORKSPACE=0 .* from 1 to 1000/);
  });

  it('knows whether DATA_DIR was chosen (a chosen folder is never replaced by another)', () => {
    expect(loadConfig({}).dataDirChosen).toBe(false);
    expect(loadConfig({ DATA_DIR: '/srv/tray-notify' })).toMatchObject({ dataDir: '/srv/tray-notify', dataDirChosen: true });
  });

  it('refuses a bad value with the variable, the value and what is allowed', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(new ConfigError('PORT=eighty is not valid: expected a whole number from 0 to 65535.'));
    expect(() => loadConfig({ STREAM_MAX_PER_USER: '0' })).toThrow(/STREAM_MAX_PER_USER=0 .* from 1 to 1000/);
  });
});
