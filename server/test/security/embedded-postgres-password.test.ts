import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { pgConfigFromUrl } from '../../src/db/connection.ts';
import { startScratchPostgres } from '../../src/db/embedded-postgres.ts';
import { freePort } from '../global-setup.ts';

describe('the embedded PostgreSQL', () => {
  it('has a random superuser password, not the well-known one', { timeout: 60_000 }, async () => {
    const database = await startScratchPostgres(await freePort());
    try {
      const config = pgConfigFromUrl(database.url);
      expect(config.password).not.toBe('postgres');
      expect(String(config.password).length).toBeGreaterThanOrEqual(24);
      const guess = new pg.Client({ ...config, password: 'postgres' });
      await expect(guess.connect()).rejects.toThrow(/password authentication failed/);
      const owner = new pg.Client(config);
      await owner.connect();
      await owner.end();
    } finally {
      await database.stop();
    }
  });
});
