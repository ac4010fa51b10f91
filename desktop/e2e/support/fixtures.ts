import { AxeBuilder } from '@axe-core/playwright';
import { test as base, expect, type APIRequestContext, type Page } from '@playwright/test';
import type { NotificationItem, UnreadCount } from '../../src/shared/types.ts';

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
  const shown: Array<{ title: string; onclick: (() => void) | null }> = [];
  (window as unknown as { __toasts: typeof shown }).__toasts = shown;
  class SpyNotification {
    static permission = 'granted';
    static requestPermission = async () => 'granted';
    onclick: (() => void) | null = null;
    constructor(
      readonly title: string,
      opts?: { body?: string },
    ) {
      spies.notifications.push({ title, body: opts?.body ?? '' });
      shown.push(this);
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

/** The user clicks the latest Web Notification shown with this title. */
export async function clickToast(page: Page, title: string): Promise<void> {
  await page.evaluate((t) => {
    const toast = (window as unknown as { __toasts: Array<{ title: string; onclick: (() => void) | null }> }).__toasts.findLast((n) => n.title === t);
    if (!toast?.onclick) throw new Error(`no clickable notification titled ${t}`);
    toast.onclick();
  }, title);
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

  async post<T>(url: string, data: unknown): Promise<{ status: number; body: T }> {
    const res = await this.request.post(url, { headers: { Authorization: `Bearer ${this.token}` }, data });
    return { status: res.status(), body: (await res.json().catch(() => null)) as T };
  }

  /**
   * A new notification for `assigneeId` the way the product makes one: a lead and a task
   * assigned to them, through the API (the server notifies the assignee: task_assigned).
   */
  async assignTask(assigneeId: string, title: string): Promise<{ leadName: string }> {
    const leadName = `Ada Lovelace ${Date.now()}`;
    const lead = await this.post<{ id: string }>('/api/leads', { name: leadName });
    expect(lead.status, 'create lead').toBe(201);
    const task = await this.post('/api/tasks', { lead_id: lead.body.id, title, assignee_user_id: assigneeId });
    expect(task.status, 'create task').toBeLessThan(300);
    return { leadName };
  }

  async unread(): Promise<UnreadCount> {
    return (await this.get<UnreadCount>('/api/notifications/unread-count')).body;
  }

  async notifications(query = 'limit=30'): Promise<NotificationItem[]> {
    return (await this.get<{ items: NotificationItem[] }>(`/api/notifications?${query}`)).body.items;
  }
}

/** axe-core on the page as it is: no serious or critical violation. */
export async function expectAccessible(page: Page, what: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`), what).toEqual([]);
}

/**
 * axe-core on the page as it is: no violation of any impact, with the rule that checks a
 * control's accessible name contains its visible label (off by default in axe) switched on.
 */
export async function expectNoAxeViolations(page: Page, what: string) {
  const results = await new AxeBuilder({ page }).options({ rules: { 'label-content-name-mismatch': { enabled: true } } }).analyze();
  expect(
    results.violations.map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`),
    what,
  ).toEqual([]);
}

export function titleFor(count: number): string {
  return count > 0 ? `(${count > 99 ? '99+' : count}) Notifications` : 'Notifications';
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
