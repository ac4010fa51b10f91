// Writes the tray icons as the app draws them (docs/tray-icons/*.png) for the README.
// Run: npx tsx scripts/render-tray-icons.ts
import fs from 'node:fs';
import { renderTrayIcon } from '../src/main/badge-icon.ts';
import { encodePng } from '../src/main/png.ts';

fs.mkdirSync('docs/tray-icons', { recursive: true });
const cases = [
  { name: 'online-0', count: 0, connected: true },
  { name: 'online-3', count: 3, connected: true },
  { name: 'online-42', count: 42, connected: true },
  { name: 'online-120', count: 120, connected: true },
  { name: 'offline-5', count: 5, connected: false },
];
for (const c of cases) {
  const b = renderTrayIcon({ count: c.count, connected: c.connected, size: 64 });
  fs.writeFileSync(`docs/tray-icons/${c.name}.png`, encodePng(b.width, b.height, b.rgba));
}
