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

const STYLE = `
:host { position: relative; display: inline-block; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; }
button { font: inherit; cursor: pointer; }
.bell { position: relative; display: grid; place-items: center; width: 40px; height: 40px; border-radius: 50%; border: none; background: transparent; color: inherit; }
:host([theme="dark"]) .bell, .bell { color: var(--tray-notify-bell-color, currentColor); }
.bell:hover, .bell:focus-visible { background: rgb(255 255 255 / 18%); outline: 2px solid currentColor; outline-offset: 1px; }
.badge { position: absolute; top: 2px; right: 0; min-width: 18px; height: 18px; padding: 0 5px; border-radius: 9px; background: #b91c1c; color: #fff; font-size: 11px; font-weight: 700; line-height: 18px; text-align: center; box-sizing: border-box; }
.panel { position: absolute; right: 0; top: 46px; z-index: 2147483000; width: 360px; max-height: 480px; display: flex; flex-direction: column; background: #fff; color: #111827; border: 1px solid #d1d5db; border-radius: 10px; box-shadow: 0 12px 32px rgb(0 0 0 / 18%); overflow: hidden; }
.panel[hidden] { display: none; }
header { display: flex; align-items: center; justify-content: space-between; padding: 10px 14px; border-bottom: 1px solid #e5e7eb; }
header h2 { margin: 0; font-size: 15px; }
.link { background: none; border: none; color: #1d4ed8; padding: 4px; }
ul { list-style: none; margin: 0; padding: 0; overflow: auto; }
li { border-bottom: 1px solid #f3f4f6; }
li.unread { background: #eff6ff; }
.item { display: block; width: 100%; text-align: left; background: none; border: none; padding: 10px 14px; color: inherit; }
.item:focus-visible { outline: 2px solid #1d4ed8; outline-offset: -2px; }
.title { display: block; font-weight: 600; }
.body, .meta { display: block; color: #4b5563; font-size: 13px; }
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

  constructor() {
    super();
    this.root = this.attachShadow({ mode: 'open' });
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
  }

  disconnectedCallback() {
    this.stopStream();
    document.removeEventListener('click', this.onOutside, true);
    window.removeEventListener('online', this.onOnline);
  }

  /** Back online: reconnect now rather than at the end of the backoff. */
  private onOnline = () => this.stream?.reconnectNow();

  attributeChangedCallback() {
    if (this.isConnected && this.token) {
      this.stopStream();
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
    const data = (await res.json().catch(() => null)) as { message?: string } | null;
    if (!res.ok) throw new Error(data?.message ?? `The notification server answered ${res.status}.`);
    return data as T;
  }

  private async start() {
    try {
      const session = await this.call<{ token: string }>('POST', '/api/embed/session', {
        workspace_id: this.getAttribute('workspace-id'),
        user_id: this.getAttribute('user-id'),
        timestamp: Number(this.getAttribute('timestamp')),
        signature: this.getAttribute('signature'),
      });
      this.token = session.token;
      this.error = null;
      this.startStream();
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
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
    if (state === 'unauthorized') {
      this.token = null;
      this.error = 'This notification session has ended. Reload the page to see new notifications.';
      this.render();
    }
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
      this.error = err instanceof Error ? err.message : String(err);
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
      (this.root.querySelector('.item, .link') as HTMLElement | null)?.focus();
      void this.markShownSeen();
    } else {
      (this.root.querySelector('.bell') as HTMLElement | null)?.focus();
    }
  }

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
                `<span class="title">${n.read_at ? '' : '<span style="position:absolute;left:-9999px">Unread: </span>'}${escapeHtml(n.title)}</span>` +
                `<span class="body">${escapeHtml(n.body)}</span>` +
                `<span class="meta">${escapeHtml(relativeTime(n.created_at, now))}</span></button></li>`,
            )
            .join('')}</ul>`;
    this.root.innerHTML =
      `<style>${STYLE}</style>` +
      `<button type="button" class="bell" aria-haspopup="true" aria-expanded="${this.open}" aria-controls="panel" aria-label="${escapeHtml(label)}">${BELL_ICON}` +
      (unseen > 0 ? `<span class="badge" aria-hidden="true" part="badge">${unseen > 99 ? '99+' : unseen}</span>` : '') +
      `</button>` +
      `<div class="panel" id="panel" role="region" aria-label="Notifications" ${this.open ? '' : 'hidden'}>` +
      `<header><h2>Notifications</h2>${(this.unread?.count ?? 0) > 0 ? '<button type="button" class="link" data-action="read-all">Mark all read</button>' : ''}</header>` +
      list +
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
    if (focusKey) {
      const again =
        focusKey === 'bell'
          ? this.root.querySelector<HTMLElement>('.bell')
          : [...this.root.querySelectorAll<HTMLElement>('[data-id], [data-action]')].find((el) => (el.dataset.id ?? el.dataset.action) === focusKey);
      again?.focus();
    }
  }
}

if (!customElements.get('tray-notify-bell')) customElements.define('tray-notify-bell', TrayNotifyBell);
