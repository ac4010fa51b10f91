/**
 * npm run bench:ui — how long the inbox takes to answer a keypress and an action with 30, 1,000
 * and 5,000 rows loaded, in real Chromium against the real server (a benchmark, not a test).
 *
 * Starts the server the way the end-to-end tests do (desktop/e2e/support/global-setup.ts: demo
 * data, the built web app, so run `npm run build:web -w desktop` first), gives the Globex admin
 * --rows notifications through the events API, then for each size opens the bell at 1280×800,
 * scrolls until that many rows are loaded (pages of 100 instead of the app's 30, only to load
 * faster), and times inside the page, from the keydown until the change is in the DOM and until
 * the frame after it is painted: `j` (the next row takes the keyboard), `r` (read/unread) and a
 * click on "Mark read".
 *
 * Flags: --rows N (5000), --presses N per measure (60).
 */
import { chromium, type Page } from '@playwright/test';
import globalSetup from '../desktop/e2e/support/global-setup.ts';
import { flag, loadAverage, log, percentile } from './lib.ts';

const ROWS = flag('rows', 5000);
const PRESSES = flag('presses', 60);
const SIZES = [30, 1000, 5000].filter((n) => n <= ROWS);
const PASSWORD = 'demo-password';

const teardown = await globalSetup();
const base = process.env.E2E_BASE_URL!;

async function call<T>(method: string, url: string, headers: Record<string, string>, body?: unknown): Promise<T> {
  const res = await fetch(`${base}${url}`, { method, headers: { 'content-type': 'application/json', ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

const { token } = await call<{ token: string }>('POST', '/api/auth/login', {}, { email: 'admin@globex.test', password: PASSWORD });
const auth = { authorization: `Bearer ${token}` };
const { key } = await call<{ key: string }>('POST', '/api/api-keys', auth, { name: 'bench ui' });
log(`making ${ROWS} notifications…`);
for (let sent = 0; sent < ROWS; sent += 500) {
  const events = Array.from({ length: Math.min(500, ROWS - sent) }, (_, i) => ({
    type: 'playbook.completed',
    summary: `Playbook ${sent + i} completed`,
    entity_type: 'playbook_run',
    entity_id: `bench-${sent + i}`,
    meta: { playbook: `Bench ${sent + i}`, leads_added: i },
  }));
  await call('POST', '/api/events', { 'x-api-key': key }, { events });
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});

/**
 * ms from a keydown (or click) to the frame after the page changed, `n` times, in the page.
 * Sent as source text: tsx would otherwise wrap the nested functions in a helper the page lacks.
 */
const TIMER = `async ({ what, n }) => {
  const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  const focusedRow = () => (document.activeElement && document.activeElement.closest('[data-testid="notification"]')) || null;
  const times = [];
  for (let i = 0; i < n; i++) {
    const row = focusedRow();
    if (!row) throw new Error('no row has the keyboard');
    const before = what === 'j' ? row.dataset.id : row.dataset.unread;
    const changed = () => (what === 'j' ? (focusedRow() || {}).dataset?.id !== before : row.dataset.unread !== before);
    const t0 = performance.now();
    if (what === 'click') row.querySelector('button[aria-label^="Mark "]').click();
    else document.activeElement.dispatchEvent(new KeyboardEvent('keydown', { key: what, bubbles: true, cancelable: true }));
    while (!changed()) {
      if (performance.now() - t0 > 10000) throw new Error(what + ' changed nothing within 10 s (press ' + (i + 1) + ' of ' + n + ')');
      await new Promise((r) => setTimeout(r, 0));
    }
    const inDom = performance.now() - t0;
    await frame();
    times.push([inDom, performance.now() - t0]);
    // A click leaves the keyboard on the button: back to the row.
    if (what === 'click') row.querySelector('.notification-main').focus();
    await frame();
  }
  return times;
}`;

/** Each press: ms until the change is in the DOM, and until the frame after it is painted. */
async function time(page: Page, what: 'j' | 'r' | 'click', n: number): Promise<Array<[number, number]>> {
  return page.evaluate(`(${TIMER})(${JSON.stringify({ what, n })})`) as Promise<Array<[number, number]>>;
}

const stats = (presses: Array<[number, number]>) => {
  const line = (t: number[]) => {
    const s = [...t].sort((a, b) => a - b);
    return `${percentile(s, 50).toFixed(1)} / ${percentile(s, 95).toFixed(1)} / ${s.at(-1)!.toFixed(1)}`;
  };
  return `${line(presses.map(([inDom]) => inDom))} (painted ${line(presses.map(([, painted]) => painted))})`;
};

const results: string[] = [];
try {
  for (const size of SIZES) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.addInitScript((t) => localStorage.setItem('tray-notify.token', t), token);
    // Bigger pages only to get to 5,000 rows sooner; the rendering measured is the app's own.
    if (size > 100) await context.route(/\/api\/notifications\?/, (route) => route.continue({ url: route.request().url().replace(/([?&]limit=)\d+/, '$1100') }));
    const page = await context.newPage();
    await page.goto(`${base}/#/bell`);
    await page.getByTestId('notification').first().waitFor();
    const setSize = () => page.locator('[role="listitem"]').first().getAttribute('aria-setsize').then(Number);
    await page.keyboard.press('j');
    const loadStart = Date.now();
    while ((await setSize()) < size) {
      const before = await setSize();
      await page.keyboard.press('End');
      const until = Date.now() + 20_000;
      while ((await setSize()) === before && Date.now() < until) await page.waitForTimeout(50);
      if ((await setSize()) === before) break; // nothing more to load
    }
    const rows = await setSize();
    log(`${rows} rows loaded in ${Date.now() - loadStart} ms; ${await page.locator('[role="listitem"]').count()} in the page`);
    await page.keyboard.press('Home');
    // j stops at the last row: at most one press fewer than the rows.
    const j = await time(page, 'j', Math.min(PRESSES, rows - 1));
    const r = await time(page, 'r', Math.min(PRESSES, 40));
    const click = await time(page, 'click', Math.min(PRESSES, 40));
    const line = `| ${rows.toLocaleString('en-US')} | ${stats(j)} | ${stats(r)} | ${stats(click)} | ${loadAverage()} |`;
    log(line);
    results.push(line);
    await context.close();
  }
} finally {
  await browser.close();
  await teardown();
}
console.log(
  '\n| rows loaded | `j` ms p50 / p95 / max | `r` ms | "Mark read" click ms | load average |\n| ---: | --- | --- | --- | --- |',
);
for (const line of results) console.log(line);
