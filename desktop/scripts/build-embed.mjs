// Builds the embeddable bell (<tray-notify-bell>) into the web root, where the server serves it
// as /embed/bell.js. Run after `vite build`, which empties dist/web.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/embed/bell.ts'],
  outfile: 'dist/web/embed/bell.js',
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  sourcemap: true,
  logLevel: 'info',
});
