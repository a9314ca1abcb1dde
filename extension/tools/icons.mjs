#!/usr/bin/env node
// Draws the extension's icons (16, 32, 48, 128 px PNG) into the directory given as argument:
// a teal disc with a white rising sprout. No image files are committed; the build makes them.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';

const out = process.argv[2];
if (!out) throw new Error('usage: icons.mjs <out-dir>');
mkdirSync(out, { recursive: true });

const CRC = new Uint32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
function png(size, pixel) {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      const [r, g, b, a] = pixel(x, y);
      const o = y * (size * 4 + 1) + 1 + x * 4;
      raw[o] = r;
      raw[o + 1] = g;
      raw[o + 2] = b;
      raw[o + 3] = a;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

// Coverage of a pixel by a shape, 4×4 supersampled; coordinates in a unit square.
function cover(size, x, y, inside) {
  let n = 0;
  for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) if (inside((x + (i + 0.5) / 4) / size, (y + (j + 0.5) / 4) / size)) n++;
  return n / 16;
}
const disc = (u, v) => (u - 0.5) ** 2 + (v - 0.5) ** 2 <= 0.47 ** 2;
const stem = (u, v) => Math.abs(u - 0.5) <= 0.045 && v >= 0.42 && v <= 0.8;
const leafL = (u, v) => ((u - 0.36) / 0.16) ** 2 + ((v - 0.43) / 0.08) ** 2 <= 1 && u <= 0.5;
const leafR = (u, v) => ((u - 0.64) / 0.17) ** 2 + ((v - 0.33) / 0.085) ** 2 <= 1 && u >= 0.5;
const sprout = (u, v) => stem(u, v) || leafL(u, v) || leafR(u, v);

for (const size of [16, 32, 48, 128]) {
  const img = png(size, (x, y) => {
    const a = cover(size, x, y, disc);
    const w = cover(size, x, y, (u, v) => disc(u, v) && sprout(u, v));
    const mix = (c, white) => Math.round(c * (1 - white) + 255 * white);
    const wf = a ? w / a : 0;
    return [mix(15, wf), mix(118, wf), mix(110, wf), Math.round(255 * a)];
  });
  writeFileSync(join(out, `${size}.png`), img);
}
console.log(`icons: ${out}/{16,32,48,128}.png`);
