// <tray-notify-bell>: the bell, badge and dropdown inside a host app's own header. The host's
// backend signs the user's id with the workspace's embed secret; the element exchanges that for
// a short-lived inbox session (POST /api/embed/session) and talks to this server with it, live
// through the apps' own stream client. Styles live in a shadow root, so the host page's CSS and
// the bell's never meet.
import { relativeTime } from '../shared/format.ts';
import { StreamClient, type FetchLike, type StreamState } from '../shared/stream-client.ts';
import { hasDotSegment } from '../shared/target-url.ts';
import type { NotificationItem, Page, StreamEvent, UnreadCount } from '../shared/types.ts';
import { toUnreadCount } from '../shared/unread.ts';

/** Only while the stream cannot connect: a slow poll keeps the badge roughly current. */
const FALLBACK_POLL_MS = 30_000;
/** Events of one change (item, then counts) come together: one reload for all of them. */
const RELOAD_AFTER_EVENT_MS = 100;
/** A session is renewed this long before it ends (the page may have slept; a renewal is cheap). */
const RENEW_BEFORE_MS = 5 * 60_000;
/** The dropdown keeps this far from the viewport's edges. */
const EDGE_PX = 8;

/** What a reader of the host page can act on; the server's own wording is for its developers (the console). */
const FRIENDLY = {
  signIn: 'Notifications are unavailable: this page could not sign you in to them. Reload the page; if it keeps happening, tell the site’s administrator.',
  unreachable: 'Can’t reach the notification server right now. New notifications appear as soon as it answers.',
  failed: 'Notifications could not be loaded. They will appear again shortly.',
  ended: 'Your notification session has ended. Reload the page to see new notifications.',
};

class BellRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

const STYLE = `
:host { position: relative; display: inline-block; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; }
button { font: inherit; cursor: pointer; }
.bell { position: relative; display: grid; place-items: center; width: 40px; height: 40px; border-radius: 50%; border: none; background: transparent; color: inherit; }
:host([theme="dark"]) .bell, .bell { color: var(--tray-notify-bell-color, currentColor); }
.bell:hover, .bell:focus-visible { background: rgb(255 255 255 / 18%); outline: 2px solid currentColor; outline-offset: 1px; }
.badge { position: absolute; top: 2px; right: 0; min-width: 18px; height: 18px; padding: 0 5px; border-radius: 9px; background: #b91c1c; color: #fff; font-size: 11px; font-weight: 700; line-height: 18px; text-align: center; box-sizing: border-box; }
.panel { position: fixed; z-index: 2147483000; width: min(360px, calc(100vw - 16px)); max-height: min(480px, calc(100vh - 16px)); box-sizing: border-box; display: flex; flex-direction: column; background: #fff; color: #111827; border: 1px solid #d1d5db; border-radius: 10px; box-shadow: 0 12px 32px rgb(0 0 0 / 18%); overflow: hidden; }
.panel[hidden] { display: none; }
/* Plain blocks, not header/footer: inside the host's own banner those would be nested landmarks. */
.head { display: flex; align-items: center; justify-content: space-between; padding: 10px 14px; border-bottom: 1px solid #e5e7eb; }
.head h2 { margin: 0; font-size: 15px; }
.head .link { white-space: nowrap; }
.foot { border-top: 1px solid #e5e7eb; padding: 8px 14px; text-align: center; }
.foot a { color: #1d4ed8; font-weight: 600; text-decoration: none; }
.foot a:hover, .foot a:focus-visible { text-decoration: underline; }
.link { background: none; border: none; color: #1d4ed8; padding: 4px; }
ul { list-style: none; margin: 0; padding: 0; overflow: auto; }
li { border-bottom: 1px solid #f3f4f6; }
li.unread { background: #eff6ff; }
.item { display: block; width: 100%; text-align: left; background: none; border: none; padding: 10px 14px; color: inherit; }
.item:focus-visible { outline: 2px solid #1d4ed8; outline-offset: -2px; }
.title { display: block; font-weight: 600; }
.body, .meta { display: block; color: #4b5563; font-size: 13px; }
.title, .body { overflow-wrap: anywhere; display: -webkit-box; -webkit-box-orient: vertical; -webkit-line-clamp: 2; overflow: hidden; }
.item:hover :is(.title, .body), .item:focus-visible :is(.title, .body) { -webkit-line-clamp: unset; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.empty, .error { padding: 18px 14px; color: #4b5563; }
.error { color: #991b1b; }
`;

const BELL_ICON =
  '<svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true"><path fill="currentColor" d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2z"/></svg>';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export class TrayNotifyBell extends HTMLElement {
  static observedAttributes = ['signature'];
  private readonly root: ShadowRoot;
  private token: string | null = null;
  private items: NotificationItem[] = [];
  private unread: UnreadCount | null = null;
  private error: string | null = null;
  private open = false;
  private stream: StreamClient | null = null;
  private reloadTimer: ReturnType<typeof setTimeout> | null = null;
  /** The latest load of list and counts, and which load and stream count are the newest. */
  private loading: Promise<void> | null = null;
  private loadSeq = 0;
  private countsSeq = 0;
  private renewTimer: ReturnType<typeof setTimeout> | null = null;
  /** Opened before the list arrived: the first item takes the focus when it does. */
  private focusPending = false;

  constructor() {
    super();
    this.root = this.attachShadow({ mode: 'open' });
  }

  /** The full inbox: the `inbox-url` attribute (the host's own page for it), else the web app's. */
  private get inboxUrl(): string {
    return this.getAttribute('inbox-url') ?? `${this.server}/#/bell`;
  }

  /** The notify server: the `server` attribute, else where this script was loaded from. */
  private get server(): string {
    return (this.getAttribute('server') ?? new URL(import.meta.url).origin).replace(/\/+$/, '');
  }

  connectedCallback() {
    this.render();
    // Moved within the page: the session it has is still good, and its signature opens only one.
    if (this.token) this.startStream();
    else void this.start();
    document.addEventListener('click', this.onOutside, true);
    window.addEventListener('online', this.onOnline);
    window.addEventListener('resize', this.onViewportChange);
    window.addEventListener('scroll', this.onViewportChange, true);
  }

  disconnectedCallback() {
    this.stopStream();
    if (this.renewTimer) clearTimeout(this.renewTimer);
    this.renewTimer = null;
    document.removeEventListener('click', this.onOutside, true);
    window.removeEventListener('online', this.onOnline);
    window.removeEventListener('resize', this.onViewportChange);
    window.removeEventListener('scroll', this.onViewportChange, true);
  }

  /** Back online: reconnect now rather than at the end of the backoff. */
  private onOnline = () => this.stream?.reconnectNow();

  attributeChangedCallback() {
    if (this.isConnected && this.token) {
      this.stopStream();
      if (this.renewTimer) clearTimeout(this.renewTimer);
      this.token = null;
      void this.start();
    }
  }

  private onOutside = (event: Event) => {
    if (this.open && !event.composedPath().includes(this)) this.toggle(false);
  };

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(this.server + path, {
      method,
      headers: { ...(this.token ? { authorization: `Bearer ${this.token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const data = (await res.json().catch(() => null)) as { message?: string; error?: string } | null;
    if (!res.ok) throw new BellRequestError(res.status, data?.error, data?.message ?? `The notification server answered ${res.status}.`);
    return data as T;
  }

  /** A message for the page's reader; the server's own goes to the console for the page's developers. */
  private friendly(err: unknown, signingIn = false): string {
    console.warn('tray-notify-bell:', err instanceof Error ? err.message : err);
    if (!(err instanceof BellRequestError)) return FRIENDLY.unreachable;
    if (signingIn && err.status < 500 && err.status !== 429) return FRIENDLY.signIn;
    if (err.status === 401) return FRIENDLY.ended;
    return FRIENDLY.failed;
  }

  /** Renews the session before it ends, while the page stays open. */
  private scheduleRenewal(expiresAt: string) {
    if (this.renewTimer) clearTimeout(this.renewTimer);
    const wait = Math.max(10_000, Date.parse(expiresAt) - Date.now() - RENEW_BEFORE_MS);
    this.renewTimer = setTimeout(() => void this.renew(), wait);
  }

  private async renew() {
    this.renewTimer = null;
    if (!this.token) return;
    try {
      const session = await this.call<{ token: string; expires_at: string }>('POST', '/api/embed/session/renew');
      this.token = session.token;
      this.scheduleRenewal(session.expires_at);
      // The stream reconnects on its own with the new session when the old one is closed.
    } catch (err) {
      if (err instanceof BellRequestError && err.status === 401) {
        this.sessionEnded();
        return;
      }
      // Not reachable now: try again in a minute, while the old session still lasts.
      this.renewTimer = setTimeout(() => void this.renew(), 60_000);
    }
  }

  /** The session cannot go on: the host page can sign again (it gets an event), else the reader is told. */
  private sessionEnded() {
    this.token = null;
    this.stopStream();
    this.error = FRIENDLY.ended;
    this.dispatchEvent(new CustomEvent('tray-notify:session-ended', { bubbles: true, composed: true }));
    this.render();
  }

  private async start() {
    try {
      const session = await this.call<{ token: string; expires_at: string }>('POST', '/api/embed/session', {
        workspace_id: this.getAttribute('workspace-id'),
        user_id: this.getAttribute('user-id'),
        timestamp: Number(this.getAttribute('timestamp')),
        signature: this.getAttribute('signature'),
      });
      this.token = session.token;
      this.error = null;
      this.scheduleRenewal(session.expires_at);
      this.startStream();
    } catch (err) {
      this.error = this.friendly(err, true);
      this.render();
    }
  }

  /** The same stream as the apps', with the bell's session: new items show at once. */
  private startStream() {
    this.stopStream();
    this.stream = new StreamClient({
      fetch: window.fetch.bind(window) as unknown as FetchLike,
      baseUrl: () => this.server,
      getToken: () => this.token,
      onEvent: (event) => this.onStreamEvent(event),
      onState: (state) => this.onStreamState(state),
      poll: () => this.refresh(),
      pollIntervalMs: FALLBACK_POLL_MS,
    });
    this.stream.start();
  }

  private stopStream() {
    this.stream?.stop();
    this.stream = null;
    if (this.reloadTimer) clearTimeout(this.reloadTimer);
    this.reloadTimer = null;
  }

  private onStreamState(state: StreamState) {
    // Each (re)connection loads what happened meanwhile; the first failure loads what REST can
    // give, then the client polls slowly until the stream is back.
    if (state === 'open' || state === 'down') void this.refresh();
    if (state === 'unauthorized') this.sessionEnded();
  }

  private onStreamEvent(event: StreamEvent) {
    if (event.type === 'unread_count') {
      const counts = toUnreadCount(event.data);
      if (counts) {
        this.countsSeq++;
        this.unread = counts;
        this.render();
      }
      return;
    }
    // New, changed or woken items, or a resync: reload the short list the bell shows.
    if (this.reloadTimer) clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => {
      this.reloadTimer = null;
      void this.refresh();
    }, RELOAD_AFTER_EVENT_MS);
  }

  private refresh(): Promise<void> {
    this.loading = this.load();
    return this.loading;
  }

  /** Loads the list and counts; answers overtaken by a newer load or a stream count are dropped. */
  private async load() {
    if (!this.token) return;
    const seq = ++this.loadSeq;
    const countsSeq = this.countsSeq;
    try {
      const [page, unread] = await Promise.all([
        this.call<Page<NotificationItem>>('GET', '/api/notifications?limit=10'),
        this.call<UnreadCount>('GET', '/api/notifications/unread-count'),
      ]);
      if (seq !== this.loadSeq) return;
      this.items = page.items;
      if (countsSeq === this.countsSeq) this.unread = unread;
      this.error = null;
    } catch (err) {
      if (seq !== this.loadSeq) return;
      this.error = this.friendly(err);
    }
    this.render();
  }

  /** Opening the dropdown shows the list: what it shows has been seen. */
  private async markShownSeen() {
    // An item that just arrived is on its way into the list: let it land first, so the
    // badge it raised goes with it.
    if (this.reloadTimer) {
      clearTimeout(this.reloadTimer);
      this.reloadTimer = null;
      await this.refresh();
    }
    // Then the newest load, whichever started while waiting.
    let current = this.loading;
    while (current) {
      await current;
      current = current === this.loading ? null : this.loading;
    }
    const newest = this.items[0];
    if (!this.open || !this.token || !newest || !this.items.some((n) => !n.seen_at)) return;
    await this.call('POST', '/api/notifications/mark-all-seen', { before: newest.created_at }).then(() => this.refresh(), () => undefined);
  }

  private toggle(open = !this.open) {
    this.open = open;
    this.render();
    if (open) {
      // The first notification, never "Mark all read" (Enter there would clear everything).
      this.focusFirst();
      void this.markShownSeen();
    } else {
      this.focusPending = false;
      (this.root.querySelector('.bell') as HTMLElement | null)?.focus();
    }
  }

  private focusFirst() {
    const first = this.root.querySelector<HTMLElement>('.item') ?? this.root.querySelector<HTMLElement>('.panel');
    first?.focus();
    this.focusPending = !this.root.querySelector('.item');
  }

  /** Keeps the dropdown inside the viewport, under the bell, however near an edge the host put it. */
  private place() {
    const panel = this.root.querySelector<HTMLElement>('.panel');
    const bell = this.root.querySelector<HTMLElement>('.bell');
    if (!panel || !bell || !this.open) return;
    const box = bell.getBoundingClientRect();
    const width = panel.offsetWidth;
    const left = Math.min(Math.max(EDGE_PX, box.right - width), window.innerWidth - width - EDGE_PX);
    panel.style.left = `${Math.max(EDGE_PX, left)}px`;
    panel.style.top = `${box.bottom + 6}px`;
    panel.style.maxHeight = `${Math.max(160, Math.min(480, window.innerHeight - box.bottom - 6 - EDGE_PX))}px`;
  }

  private onViewportChange = () => this.place();

  private async openItem(id: string) {
    const item = this.items.find((n) => n.id === id);
    if (!item || !this.token) return;
    await this.call('PATCH', `/api/notifications/${id}`, { read: true }).catch(() => undefined);
    this.dispatchEvent(new CustomEvent('tray-notify:open', { detail: item, bubbles: true, composed: true }));
    // The host app handles its own links; an absolute target (APP_BASE_URL) is followed otherwise.
    const followable = item.target_url && /^https?:\/\//.test(item.target_url) && !hasDotSegment(item.target_url);
    if (followable) window.location.assign(item.target_url!);
    else await this.refresh();
  }

  private render() {
    // Live updates redraw the panel: keep the keyboard where it was.
    const focused = this.root.activeElement as HTMLElement | null;
    const focusKey = focused?.dataset.id ?? focused?.dataset.action ?? (focused?.classList.contains('bell') ? 'bell' : null);
    const unseen = this.unread?.unseen ?? 0;
    const now = new Date();
    const label = unseen > 0 ? `Notifications, ${unseen} new` : 'Notifications';
    const list = this.error
      ? `<p class="error" role="alert">${escapeHtml(this.error)}</p>`
      : this.items.length === 0
        ? '<p class="empty">No notifications yet.</p>'
        : `<ul aria-label="Notifications">${this.items
            .map(
              (n) =>
                `<li class="${n.read_at ? 'read' : 'unread'}"><button type="button" class="item" data-id="${escapeHtml(n.id)}">` +
                `<span class="title" title="${escapeHtml(n.title)}">${n.read_at ? '' : '<span class="sr-only">Unread: </span>'}${escapeHtml(n.title)}</span>` +
                `<span class="body">${escapeHtml(n.body)}</span>` +
                `<span class="meta">${escapeHtml(relativeTime(n.created_at, now))}</span></button></li>`,
            )
            .join('')}</ul>`;
    this.root.innerHTML =
      `<style>${STYLE}</style>` +
      `<button type="button" class="bell" aria-haspopup="true" aria-expanded="${this.open}" aria-controls="panel" aria-label="${escapeHtml(label)}">${BELL_ICON}` +
      (unseen > 0 ? `<span class="badge" aria-hidden="true" part="badge">${unseen > 99 ? '99+' : unseen}</span>` : '') +
      `</button>` +
      `<div class="panel" id="panel" role="region" aria-label="Notifications" tabindex="-1" ${this.open ? '' : 'hidden'}>` +
      `<div class="head"><h2>Notifications</h2>${(this.unread?.count ?? 0) > 0 ? '<button type="button" class="link" data-action="read-all">Mark all read</button>' : ''}</div>` +
      list +
      (this.token ? `<div class="foot"><a class="see-all" data-action="see-all" href="${escapeHtml(this.inboxUrl)}" target="_blank" rel="noopener">See all notifications</a></div>` : '') +
      `</div>`;
    this.root.querySelector('.bell')!.addEventListener('click', () => this.toggle());
    this.root.querySelector('[data-action="read-all"]')?.addEventListener('click', () => {
      void this.call('POST', '/api/notifications/mark-all-read', {}).then(() => this.refresh(), () => undefined);
    });
    for (const button of this.root.querySelectorAll<HTMLButtonElement>('.item')) {
      button.addEventListener('click', () => void this.openItem(button.dataset.id!));
    }
    this.root.querySelector('.panel')!.addEventListener('keydown', (event) => {
      if ((event as KeyboardEvent).key === 'Escape') this.toggle(false);
    });
    this.place();
    if (this.focusPending && this.open && this.root.querySelector('.item')) {
      this.focusPending = false;
      this.root.querySelector<HTMLElement>('.item')!.focus();
    } else if (focusKey) {
      const again =
        focusKey === 'bell'
          ? this.root.querySelector<HTMLElement>('.bell')
          : [...this.root.querySelectorAll<HTMLElement>('[data-id], [data-action]')].find((el) => (el.dataset.id ?? el.dataset.action) === focusKey);
      again?.focus();
    }
  }
}

if (!customElements.get('tray-notify-bell')) customElements.define('tray-notify-bell', TrayNotifyBell);
