import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, createWorld, PASSWORD, startTestServer, type ApiClient, type TestServer, type World } from '../../../helper.ts';

let server: TestServer;
let api: ApiClient;
let world: World;

beforeAll(async () => {
  server = await startTestServer({ loginMaxFailuresPerAccount: 3, loginMaxAttemptsPerAddress: 1000 });
  api = apiClient(server.url);
  world = await createWorld(server.db);
});
afterAll(() => server.close());

describe('POST /api/auth/login', () => {
  it('returns a bearer token and the user', async () => {
    const response = await api.post('/api/auth/login', { email: world.users.acmeAdmin.email, password: PASSWORD });
    expect(response.status).toBe(200);
    expect(response.body.user).toEqual({
      id: world.users.acmeAdmin.id,
      email: world.users.acmeAdmin.email,
      name: 'acme-admin',
      is_super_admin: false,
    });
    expect(response.body.token).toMatch(/^[\w-]{40,}$/);
    expect(new Date(response.body.expires_at).getTime()).toBeGreaterThan(Date.now());
  });

  it('accepts the email in any case', async () => {
    const response = await api.post('/api/auth/login', { email: world.users.acmeMember.email.toUpperCase(), password: PASSWORD });
    expect(response.status).toBe(200);
  });

  it('answers a wrong password and an unknown email the same way', async () => {
    const wrong = await api.post('/api/auth/login', { email: world.users.globexMember.email, password: 'nope' });
    const unknown = await api.post('/api/auth/login', { email: 'nobody@test.example', password: 'nope' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body).toEqual({ error: 'invalid_credentials', message: 'Email or password is wrong.' });
  });

  it('stores only a hash of the token', async () => {
    const token = await api.login(world.users.globexAdmin.email);
    const sessions = await server.db.session.findMany({ where: { userId: world.users.globexAdmin.id } });
    expect(sessions.length).toBeGreaterThan(0);
    for (const session of sessions) expect(session.tokenHash).not.toContain(token);
  });

  it('throttles an account after repeated failures with 429 and Retry-After, even with the right password', async () => {
    const email = world.users.both.email;
    for (let i = 0; i < 3; i++) {
      expect((await api.post('/api/auth/login', { email, password: 'wrong' })).status).toBe(401);
    }
    const throttled = await api.post('/api/auth/login', { email, password: PASSWORD });
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(throttled.body.error).toBe('too_many_requests');
    // Other accounts are unaffected.
    expect((await api.post('/api/auth/login', { email: world.users.acmeAdmin2.email, password: PASSWORD })).status).toBe(200);
  });

  it('rejects malformed bodies with 400 and says what is wrong', async () => {
    const missing = await api.post('/api/auth/login', { email: 'a@b.c' });
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({ error: 'invalid_request', message: 'body: `password` is required.' });
    const extra = await api.post('/api/auth/login', { email: 'a@b.c', password: 'x', admin: true });
    expect(extra.status).toBe(400);
    expect(extra.body.message).toContain('unknown field `admin`');
    const wrongType = await api.post('/api/auth/login', { email: 42, password: 'x' });
    expect(wrongType.status).toBe(400);
    const notJson = await api.request('POST', '/api/auth/login', { rawBody: '{"email":' });
    expect(notJson.status).toBe(400);
    expect(notJson.body.error).toBe('invalid_json');
    expect(JSON.stringify(notJson.body)).not.toMatch(/at .*\.(ts|js):\d+/);
  });
});

describe('sessions', () => {
  it('GET /api/me needs a valid token', async () => {
    expect((await api.get('/api/me')).status).toBe(401);
    expect((await api.get('/api/me', 'not-a-token')).status).toBe(401);
    const malformedHeader = await api.request('GET', '/api/me', { headers: { authorization: 'Basic abc' } });
    expect(malformedHeader.status).toBe(401);
  });

  it('GET /api/me shows memberships, the current workspace and the super admin flag', async () => {
    const token = await api.login(world.users.acmeMember.email);
    const me = await api.get('/api/me', token);
    expect(me.status).toBe(200);
    expect(me.body).toEqual({
      id: world.users.acmeMember.id,
      email: world.users.acmeMember.email,
      name: 'acme-member',
      is_super_admin: false,
      current_workspace: { id: world.acme.id, name: 'Acme', role: 'member' },
      memberships: [{ workspace_id: world.acme.id, workspace_name: 'Acme', role: 'member' }],
      // What this server offers, so clients show only what works (no SMTP_URL: no email boxes).
      server: { app_base_url: null, email: false },
    });
    const superMe = await api.get('/api/me', await api.login(world.users.superAdmin.email));
    expect(superMe.body.is_super_admin).toBe(true);
    expect(superMe.body.current_workspace).toBeNull();
  });

  it('logout revokes the token', async () => {
    const token = await api.login(world.users.globexMember.email);
    expect((await api.post('/api/auth/logout', undefined, token)).status).toBe(204);
    const after = await api.get('/api/me', token);
    expect(after.status).toBe(401);
    expect(after.body.message).toMatch(/log in again/i);
  });

  it('an expired session is refused', async () => {
    const token = await api.login(world.users.globexMember.email);
    await server.db.session.updateMany({
      where: { userId: world.users.globexMember.id, revokedAt: null },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect((await api.get('/api/me', token)).status).toBe(401);
  });

  it('switches among the caller’s own workspaces only', async () => {
    const token = await api.login(world.users.both.email).catch(async () => {
      // the throttling test above locked this account: clear its failures
      await server.db.loginAttempt.deleteMany({ where: { email: world.users.both.email } });
      return api.login(world.users.both.email);
    });
    const toGlobex = await api.put('/api/me/current-workspace', { workspace_id: world.globex.id }, token);
    expect(toGlobex.status).toBe(200);
    expect(toGlobex.body.current_workspace).toEqual({ id: world.globex.id, name: 'Globex', role: 'admin' });
    expect((await api.get('/api/me', token)).body.current_workspace.id).toBe(world.globex.id);

    const memberToken = await api.login(world.users.acmeMember.email);
    const foreign = await api.put('/api/me/current-workspace', { workspace_id: world.globex.id }, memberToken);
    expect(foreign.status).toBe(404);
    expect((await api.get('/api/me', memberToken)).body.current_workspace.id).toBe(world.acme.id);
    const malformed = await api.put('/api/me/current-workspace', { workspace_id: 'globex' }, memberToken);
    expect(malformed.status).toBe(400);
  });
});
