import { beforeEach, describe, expect, it, vi } from 'vitest';
import { notification } from '../testing/fixtures.ts';
import { FakeNotification, resetElectronFake } from '../testing/electron-fake.ts';

vi.mock('electron', async () => (await import('../testing/electron-fake.ts')).electronFake);
const { Notifier } = await import('./notifier.ts');

function setup(platform: NodeJS.Platform) {
  const deps = { platform, openNotification: vi.fn(), openBell: vi.fn(), log: { warn: vi.fn() } };
  return { notifier: new Notifier(deps), deps };
}

describe('Notifier', () => {
  beforeEach(() => resetElectronFake());

  it('shows title, body and workspace, silently (the app plays its own sounds)', () => {
    const { notifier } = setup('linux');
    notifier.show({ kind: 'single', notification: notification({ title: 'Job failed', body: 'Import stopped' }), sound: 'alert' }, () => 'Acme Sales');
    const n = FakeNotification.instances[0]!;
    expect(n.options).toMatchObject({ title: 'Job failed', body: 'Acme Sales · Import stopped', silent: true });
    expect(n.show).toHaveBeenCalled();
  });

  it('uses the subtitle for the workspace on macOS', () => {
    const { notifier } = setup('darwin');
    notifier.show({ kind: 'single', notification: notification({ title: 'T', body: 'B' }), sound: null }, () => 'Globex Outbound');
    expect(FakeNotification.instances[0]!.options).toMatchObject({ title: 'T', body: 'B', subtitle: 'Globex Outbound' });
  });

  it('click on a notification opens it (mark read + target); click on a summary opens the list', () => {
    const { notifier, deps } = setup('win32');
    const n = notification();
    notifier.show({ kind: 'single', notification: n, sound: null }, () => '');
    notifier.show({ kind: 'summary', title: '12 new while you were away', body: '12 Task assigned', count: 12, ids: [], sound: null }, () => '');
    expect(notifier.pending).toBe(2);
    FakeNotification.instances[0]!.emit('click');
    expect(deps.openNotification).toHaveBeenCalledWith(n.id);
    FakeNotification.instances[1]!.emit('click');
    expect(deps.openBell).toHaveBeenCalled();
    expect(notifier.pending).toBe(0);
  });

  it('logs instead of failing where notifications are unsupported', () => {
    FakeNotification.supported = false;
    const { notifier, deps } = setup('linux');
    notifier.show({ kind: 'single', notification: notification(), sound: null }, () => '');
    expect(FakeNotification.instances).toHaveLength(0);
    expect(deps.log.warn).toHaveBeenCalled();
  });
});
