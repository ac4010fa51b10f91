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
export function installSpies() {
  const spies = { notifications: [] as Array<{ title: string; body: string }>, opened: [] as string[], sounds: [] as string[] };
  (window as unknown as { __spies: typeof spies }).__spies = spies;
  const shown: SpyToast[] = [];
  (window as unknown as { __toasts: typeof shown }).__toasts = shown;
  class SpyNotification {
    static permission = 'granted';
    static requestPermission = async () => 'granted';
    onclick: (() => void) | null = null;
    onshow: (() => void) | null = null;
    closed = false;
    readonly tag: string | undefined;
    readonly actions: string[] = [];
    readonly id = null;
    constructor(
      readonly title: string,
      opts?: { body?: string; tag?: string },
    ) {
      this.tag = opts?.tag;
      spies.notifications.push({ title, body: opts?.body ?? '' });
      shown.push(this);
      setTimeout(() => this.onshow?.(), 0);
    }
    closedAt: number | null = null;
    close() {
      this.closed = true;
      this.closedAt ??= Date.now();
    }
  }
  Object.defineProperty(window, 'Notification', { value: SpyNotification, configurable: true, writable: true });
  // The web app's toasts with buttons come from its service worker: recorded the same way; a
  // click or a button reaches the page as the worker's message would (public/notification-worker.js).
  const Registration = (window as unknown as { ServiceWorkerRegistration?: { prototype: ServiceWorkerRegistration } }).ServiceWorkerRegistration;
  if (Registration) {
    Registration.prototype.showNotification = async function showNotification(title: string, opts?: NotificationOptions & { actions?: { action: string }[] }) {
      const data = (opts?.data ?? {}) as { id?: string | null; summary?: boolean };
      const toast: SpyToast = {
        title,
        tag: opts?.tag,
        id: data.id ?? null,
        actions: (opts?.actions ?? []).map((a) => a.action),
        closed: false,
        closedAt: null,
        close() {
          this.closed = true;
          this.closedAt ??= Date.now();
        },
        onclick: () => toast.press!('click'),
        press(action: string) {
          toast.closed = true;
          navigator.serviceWorker.dispatchEvent(
            new MessageEvent('message', { data: { type: 'toast-action', id: data.id ?? null, summary: data.summary === true, action } }),
          );
        },
      };
      spies.notifications.push({ title, body: opts?.body ?? '' });
      shown.push(toast);
    };
    Registration.prototype.getNotifications = async function getNotifications(filter?: { tag?: string }) {
      return shown.filter((t) => !t.closed && (!filter?.tag || t.tag === filter.tag)) as unknown as Notification[];
    };
  }
  window.open = ((url?: string | URL) => {
    spies.opened.push(String(url));
    return null;
  }) as typeof window.open;
  HTMLMediaElement.prototype.play = function play(this: HTMLMediaElement) {
    spies.sounds.push(this.src);
    return Promise.resolve();
  };
}

/** A toast as the spies keep it: page notifications and the service worker's alike. */
export interface SpyToast {
  title: string;
  tag: string | undefined;
  /** The notification it stands for (service worker toasts; null for a summary). */
  id: string | null;
  actions: string[];
  closed: boolean;
  /** When the app closed it (epoch ms), to compare with the server's read_at. */
  closedAt: number | null;
  close(): void;
  onclick: (() => void) | null;
  press?(action: string): void;
}

/** The toasts shown in this page so far (closed ones too), without their functions. */
export async function toasts(page: Page): Promise<Array<Pick<SpyToast, 'title' | 'tag' | 'id' | 'actions' | 'closed' | 'closedAt'>>> {
  return page.evaluate(() =>
    (window as unknown as { __toasts: SpyToast[] }).__toasts.map((t) => ({ title: t.title, tag: t.tag, id: t.id, actions: t.actions, closed: t.closed, closedAt: t.closedAt })),
  );
}

/** The user presses a button (`read`, `snooze`, …) on the latest toast of this title. */
export async function pressToastAction(page: Page, title: string, action: string): Promise<void> {
  await page.evaluate(
    ([t, a]) => {
      const toast = (window as unknown as { __toasts: SpyToast[] }).__toasts.findLast((n) => n.title === t);
      if (!toast?.press) throw new Error(`no toast with buttons titled ${t}`);
      toast.press(a!);
    },
    [title, action],
  );
}

export async function spies(page: Page): Promise<Spies> {
  return page.evaluate(() => (window as unknown as { __spies: Spies }).__spies);
}

/** The user clicks the latest Web Notification shown with this title. */
export async function clickToast(page: Page, title: string): Promise<void> {
  await page.evaluate((t) => {
    const toast = (window as unknown as { __toasts: SpyToast[] }).__toasts.findLast((n) => n.title === t);
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

  async put<T>(url: string, data: unknown): Promise<{ status: number; body: T }> {
    const res = await this.request.put(url, { headers: { Authorization: `Bearer ${this.token}` }, data });
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
