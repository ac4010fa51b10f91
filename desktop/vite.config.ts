import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// One renderer bundle for every window (#/bell, #/activity, ...), used by Electron (app://bundle)
// and served by the server at `/`; base './' so it works under either.
export default defineConfig({
  root: 'src/renderer',
  base: './',
  publicDir: '../../public',
  plugins: [react()],
  build: {
    outDir: '../../dist/web',
    emptyOutDir: true,
    sourcemap: true,
  },
});
