import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { test as base, expect, type APIRequestContext, type Page } from '@playwright/test';
import type { AppNotification, UnreadCount } from '../../src/shared/types.ts';
import { REPO_ROOT } from './global-setup.ts';

export const PASSWORD = 'demo-password';
export const SCREENSHOTS = 'test-results/screenshots';

export interface Spies {
  notifications: Array<{ title: string; body: string }>;
  opened: string[];
  sounds: string[];
}

/**
 * Runs before the app: records Web Notifications (granted), window.open and audio playback,
 * so the tests can see what a user would have seen and heard.
 */
function installSpies() {
  const spies = { notifications: [] as Array<{ title: string; body: string }>, opened: [] as string[], sounds: [] as string[] };
  (window as unknown as { __spies: typeof spies }).__spies = spies;
  class SpyNotification {
    static permission = 'granted';
    static requestPermission = async () => 'granted';
    onclick: (() => void) | null = null;
    constructor(title: string, opts?: { body?: string }) {
      spies.notifications.push({ title, body: opts?.body ?? '' });
    }
    close() {}
  }
  Object.defineProperty(window, 'Notification', { value: SpyNotification, configurable: true, writable: true });
  window.open = ((url?: string | URL) => {
    spies.opened.push(String(url));
    return null;
  }) as typeof window.open;
  HTMLMediaElement.prototype.play = function play(this: HTMLMediaElement) {
    spies.sounds.push(this.src);
    return Promise.resolve();
  };
}

export async function spies(page: Page): Promise<Spies> {
  return page.evaluate(() => (window as unknown as { __spies: Spies }).__spies);
}

export class Api {
  constructor(
    private readonly request: APIRequestContext,
    readonly token: string,
  ) {}

  static async login(request: APIRequestContext, email: string): Promise<Api> {
    const res = await request.post('/api/auth/login', { data: { email, password: PASSWORD } });
    expect(res.status(), `login ${email}`).toBe(200);
    return new Api(request, ((await res.json()) as { token: string }).token);
  }

  async get<T>(url: string): Promise<{ status: number; body: T }> {
    const res = await this.request.get(url, { headers: { Authorization: `Bearer ${this.token}` } });
    return { status: res.status(), body: (await res.json().catch(() => null)) as T };
  }

  async setRead(id: string, read: boolean): Promise<void> {
    const res = await this.request.patch(`/api/notifications/${id}`, { headers: { Authorization: `Bearer ${this.token}` }, data: { read } });
    expect(res.status()).toBe(200);
  }

  async unread(): Promise<UnreadCount> {
    return (await this.get<UnreadCount>('/api/notifications/unread-count')).body;
  }

  async notifications(query = 'limit=30'): Promise<AppNotification[]> {
    return (await this.get<{ items: AppNotification[] }>(`/api/notifications?${query}`)).body.items;
  }
}

export function titleFor(count: number): string {
  return count > 0 ? `(${count > 99 ? '99+' : count}) Notifications` : 'Notifications';
}

const run = promisify(execFile);

/** A new notification for `email`, created by the server's own service (see create-notification.ts). */
export async function createNotification(input: {
  email: string;
  workspaceName: string;
  type: string;
  title: string;
  body: string;
  targetUrl: string | null;
}): Promise<AppNotification> {
  const { stdout } = await run(path.join(REPO_ROOT, 'node_modules/.bin/tsx'), [path.join(REPO_ROOT, 'desktop/e2e/support/create-notification.ts'), JSON.stringify(input)], {
    cwd: REPO_ROOT,
    env: process.env,
  });
  return JSON.parse(stdout) as AppNotification;
}

export const test = base.extend<{ loginAs: (email: string) => Promise<Api>; shot: (name: string) => Promise<void> }>({
  baseURL: async ({}, use) => {
    const url = process.env.E2E_BASE_URL;
    if (!url) throw new Error('E2E_BASE_URL is not set: the global setup did not start the server');
    await use(url);
  },
  page: async ({ page }, use) => {
    await page.addInitScript(installSpies);
    await use(page);
  },
  /** Logs in through the API and hands the token to the web app, as a returning user. */
  loginAs: async ({ page, request }, use) => {
    await use(async (email) => {
      const api = await Api.login(request, email);
      await page.addInitScript((token) => {
        if (!sessionStorage.getItem('e2e-token-set')) {
          localStorage.setItem('tray-notify.token', token);
          sessionStorage.setItem('e2e-token-set', '1');
        }
      }, api.token);
      return api;
    });
  },
  shot: async ({ page }, use) => {
    await use(async (name) => {
      await page.screenshot({ path: `${SCREENSHOTS}/${name}.png` });
    });
  },
});

export { expect };
