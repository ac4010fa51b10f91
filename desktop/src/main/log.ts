// Minimal logger for the main process; file logs and rotation are the packaging work (issue 6).
export const appLogger = {
  info(msg: string, meta?: Record<string, unknown>): void {
    console.info(`[tray] ${msg}`, meta ?? '');
  },
  warn(msg: string, meta?: Record<string, unknown>): void {
    console.warn(`[tray] ${msg}`, meta ?? '');
  },
};
