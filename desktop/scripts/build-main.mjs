// Builds the Electron main process (ESM) and the preload (CommonJS: sandboxed preloads cannot be ESM).
import { build } from 'esbuild';

const common = { bundle: true, platform: 'node', target: 'node22', sourcemap: true, external: ['electron'], logLevel: 'info' };

await build({ ...common, entryPoints: ['src/main/index.ts'], outfile: 'dist/main/index.js', format: 'esm',
  // Bundled CommonJS dependencies (axios' Node adapter) may call require().
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" } });
await build({ ...common, entryPoints: ['src/preload/index.ts'], outfile: 'dist/preload/index.cjs', format: 'cjs' });
