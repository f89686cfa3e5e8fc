/**
 * The site icon: a red heart, drawn once from one outline as SVG (`/favicon.svg`, linked by every
 * page with `<link rel="icon">`) and as a 32 × 32 ICO (`/favicon.ico`, which browsers still ask
 * for on pages without the link — a playlist or JSON opened directly — and which Safari uses
 * instead of SVG). Served by the server rather than the client build, so it answers even before
 * `npm run build`.
 */
import { Router } from 'express';

/** The heart curve x = 16 sin³t, y = 13 cos t − 5 cos 2t − 2 cos 3t − cos 4t, in a 32 × 32 box. */
export function heartOutline(points = 96): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let i = 0; i < points; i++) {
    const t = (2 * Math.PI * i) / points;
    const x = 16 * Math.sin(t) ** 3;
    const y = 13 * Math.cos(t) - 5 * Math.cos(2 * t) - 2 * Math.cos(3 * t) - Math.cos(4 * t);
    // The curve spans x ∈ [−16, 16], y ∈ [−17, 12]; 0.9 leaves a pixel of margin.
    out.push([16 + 0.9 * x, 14.5 - 0.9 * y]);
  }
  return out;
}

const RED = { r: 0xd7, g: 0x26, b: 0x3d };

export function faviconSvg(outline = heartOutline()): string {
  const d = outline.map(([x, y], i) => `${i ? 'L' : 'M'}${x.toFixed(2)} ${y.toFixed(2)}`).join('');
  const fill = `#${[RED.r, RED.g, RED.b].map((c) => c.toString(16).padStart(2, '0')).join('')}`;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><path fill="${fill}" d="${d}Z"/></svg>\n`;
}

function inside(outline: Array<[number, number]>, x: number, y: number): boolean {
  let hit = false;
  for (let i = 0, j = outline.length - 1; i < outline.length; j = i++) {
    const [xi, yi] = outline[i] as [number, number];
    const [xj, yj] = outline[j] as [number, number];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) hit = !hit;
  }
  return hit;
}

/**
 * A 32 × 32 ICO with one 32-bit BMP image (alpha from 4 × 4 supersampling), per the ICO layout:
 * ICONDIR (6 bytes), one ICONDIRENTRY (16), BITMAPINFOHEADER (40, height doubled for the AND mask),
 * BGRA rows bottom-up, then an all-zero 1-bit AND mask (the alpha channel decides).
 */
export function faviconIco(outline = heartOutline()): Buffer {
  const size = 32;
  const pixels = size * size * 4;
  const mask = (size / 8) * size; // 1 bpp, rows already a multiple of 4 bytes
  const image = 40 + pixels + mask;
  const buf = Buffer.alloc(6 + 16 + image);
  buf.writeUInt16LE(0, 0);
  buf.writeUInt16LE(1, 2); // type 1 = icon
  buf.writeUInt16LE(1, 4); // one image
  buf.writeUInt8(size, 6);
  buf.writeUInt8(size, 7);
  buf.writeUInt16LE(1, 10); // colour planes
  buf.writeUInt16LE(32, 12); // bits per pixel
  buf.writeUInt32LE(image, 14);
  buf.writeUInt32LE(22, 18);
  let o = 22;
  buf.writeUInt32LE(40, o);
  buf.writeInt32LE(size, o + 4);
  buf.writeInt32LE(size * 2, o + 8);
  buf.writeUInt16LE(1, o + 12);
  buf.writeUInt16LE(32, o + 14);
  buf.writeUInt32LE(pixels + mask, o + 20);
  o += 40;
  const n = 4;
  for (let row = size - 1; row >= 0; row--) {
    for (let col = 0; col < size; col++) {
      let covered = 0;
      for (let sy = 0; sy < n; sy++)
        for (let sx = 0; sx < n; sx++)
          if (inside(outline, col + (sx + 0.5) / n, row + (sy + 0.5) / n)) covered++;
      buf.writeUInt8(RED.b, o);
      buf.writeUInt8(RED.g, o + 1);
      buf.writeUInt8(RED.r, o + 2);
      buf.writeUInt8(Math.round((255 * covered) / (n * n)), o + 3);
      o += 4;
    }
  }
  return buf;
}

/**
 * GET/HEAD `/favicon.svg` and `/favicon.ico`, cacheable for a day.
 * @example app.use(createFaviconRouter());
 */
export function createFaviconRouter(): Router {
  const outline = heartOutline();
  const svg = faviconSvg(outline);
  const ico = faviconIco(outline);
  const cache = 'public, max-age=86400';
  const router = Router();
  router.get('/favicon.svg', (_req, res) => {
    res.set({ 'content-type': 'image/svg+xml', 'cache-control': cache }).send(svg);
  });
  router.get('/favicon.ico', (_req, res) => {
    res.set({ 'content-type': 'image/x-icon', 'cache-control': cache }).send(ico);
  });
  return router;
}
