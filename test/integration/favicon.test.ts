/**
 * Issue 18: `/favicon.ico` answered 404 on every page. Every page links the icon, and the server
 * answers both links with a real image (checked by its bytes: ICO header, BMP header, pixels).
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { REPO_DIR } from '../support/processes.js';
import { startTestServer, type TestServer } from '../support/server.js';

describe('favicon', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(async () => {
    await t.close();
  });

  it('should serve /favicon.ico as a valid 32 × 32 icon', async () => {
    const res = await fetch(`${t.url}/favicon.ico`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'image/x-icon');
    assert.match(res.headers.get('cache-control') ?? '', /max-age=\d+/);
    const ico = Buffer.from(await res.arrayBuffer());
    // ICONDIR: reserved 0, type 1 (icon), 1 image; ICONDIRENTRY: 32 × 32, 32 bpp, size, offset.
    assert.deepEqual([ico.readUInt16LE(0), ico.readUInt16LE(2), ico.readUInt16LE(4)], [0, 1, 1]);
    assert.deepEqual([ico[6], ico[7], ico.readUInt16LE(12)], [32, 32, 32]);
    assert.equal(ico.readUInt32LE(18), 22);
    assert.equal(ico.readUInt32LE(14) + 22, ico.length);
    // BITMAPINFOHEADER: 40 bytes, 32 wide, 64 high (image + AND mask), uncompressed.
    assert.deepEqual(
      [ico.readUInt32LE(22), ico.readInt32LE(26), ico.readInt32LE(30), ico.readUInt32LE(38)],
      [40, 32, 64, 0],
    );
    // Pixels are BGRA, bottom-up: the centre is the opaque red heart, a corner transparent.
    const alpha = (x: number, y: number): number => ico[62 + ((31 - y) * 32 + x) * 4 + 3] ?? -1;
    assert.equal(alpha(16, 16), 255);
    assert.equal(ico[62 + ((31 - 16) * 32 + 16) * 4 + 2], 0xd7, 'red');
    assert.equal(alpha(0, 0), 0);
    assert.equal(alpha(31, 31), 0);
  });

  it('should serve /favicon.svg and link both from every page', async () => {
    const res = await fetch(`${t.url}/favicon.svg`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^image\/svg\+xml(;|$)/);
    const svg = await res.text();
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 32 32">/);
    assert.match(svg, /<path fill="#d7263d" d="M[\d. LM]+Z"\/><\/svg>/);
    assert.equal((await fetch(`${t.url}/favicon.ico`, { method: 'HEAD' })).status, 200);
    for (const page of ['player', 'dashboard', 'report']) {
      const html = await readFile(join(REPO_DIR, 'client', page, 'index.html'), 'utf8');
      assert.match(html, /<link rel="icon" href="\/favicon\.svg" type="image\/svg\+xml" \/>/, page);
      assert.match(html, /<link rel="icon" href="\/favicon\.ico" sizes="32x32" \/>/, page);
    }
  });
});
