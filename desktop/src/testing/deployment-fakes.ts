// Fakes shared by the deployment unit tests, typed against the real interfaces.
import { EventEmitter } from 'node:events';
import type { Logger, UpdateDownloadedEvent } from 'electron-updater';
import { vi } from 'vitest';
import type { ConfigurableLogger } from '../main/deployment/logging.ts';
import type { AutoUpdater } from '../main/deployment/updater.ts';

export class FakeUpdater implements AutoUpdater {
  autoDownload = false;
  autoInstallOnAppQuit = false;
  logger: Logger | null = null;
  readonly events = new EventEmitter();
  setFeedURL = vi.fn<AutoUpdater['setFeedURL']>();
  checkForUpdates = vi.fn<AutoUpdater['checkForUpdates']>(async () => null);
  quitAndInstall = vi.fn<AutoUpdater['quitAndInstall']>();
  // any: one signature that satisfies both overloads of AutoUpdater["on"]
  on(event: 'update-downloaded' | 'error', listener: (...args: any[]) => void): this {
    this.events.on(event, listener);
    return this;
  }
  downloaded(version: string): void {
    this.events.emit('update-downloaded', { version } as UpdateDownloadedEvent);
  }
}

export function fakeLogger() {
  return {
    hooks: [] as ConfigurableLogger['hooks'],
    initialize: vi.fn(),
    errorHandler: { startCatching: vi.fn() },
    transports: {
      file: {
        resolvePathFn: (() => '') as ConfigurableLogger['transports']['file']['resolvePathFn'],
        maxSize: 0,
        archiveLogFn: (() => {}) as ConfigurableLogger['transports']['file']['archiveLogFn'],
        level: 'silly' as ConfigurableLogger['transports']['file']['level'],
      },
    },
    info: vi.fn<(...params: unknown[]) => void>(),
    warn: vi.fn<(...params: unknown[]) => void>(),
    error: vi.fn<(...params: unknown[]) => void>(),
  };
}
