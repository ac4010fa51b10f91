// Synthesises the bundled alert sounds (public/sounds/*.wav): short, soft, 16-bit mono 22.05 kHz.
// Run once with `node scripts/make-sounds.mjs`; the output is committed.
import { writeFileSync } from 'node:fs';

const RATE = 22050;

function tone(freqs, durations, { decay = 6, gain = 0.45 } = {}) {
  const parts = [];
  freqs.forEach((f, i) => {
    const n = Math.round(RATE * durations[i]);
    for (let t = 0; t < n; t++) {
      const x = t / RATE;
      const env = Math.min(1, t / (RATE * 0.005)) * Math.exp(-decay * x);
      parts.push(gain * env * (Math.sin(2 * Math.PI * f * x) + 0.25 * Math.sin(4 * Math.PI * f * x)));
    }
  });
  return parts;
}

function wav(samples) {
  const data = Buffer.alloc(samples.length * 2);
  samples.forEach((s, i) => data.writeInt16LE(Math.max(-1, Math.min(1, s)) * 32767, i * 2));
  const h = Buffer.alloc(44);
  h.write('RIFF', 0);
  h.writeUInt32LE(36 + data.length, 4);
  h.write('WAVE', 8);
  h.write('fmt ', 12);
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(1, 22);
  h.writeUInt32LE(RATE, 24);
  h.writeUInt32LE(RATE * 2, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36);
  h.writeUInt32LE(data.length, 40);
  return Buffer.concat([h, data]);
}

writeFileSync('public/sounds/chime.wav', wav(tone([880, 1320], [0.18, 0.45], { decay: 5 })));
writeFileSync('public/sounds/ping.wav', wav(tone([1568], [0.35], { decay: 10, gain: 0.35 })));
writeFileSync('public/sounds/alert.wav', wav(tone([988, 740, 988, 740], [0.12, 0.12, 0.12, 0.3], { decay: 3, gain: 0.5 })));
