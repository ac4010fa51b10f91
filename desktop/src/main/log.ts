// The main process logger: electron-log's default instance, the one registerDeployment()
// configures (file in the OS log folder, rotation, tokens and notification bodies redacted).
export { default as appLogger } from 'electron-log/main';
