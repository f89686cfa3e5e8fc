/**
 * Real Chromium for e2e tests: Debian's /usr/bin/chromium (or CHROMIUM_PATH) driven by
 * playwright-core. Background networking is off because these machines have no internet.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export function chromiumPath(): string {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(path)) {
    throw new Error(
      `Chromium not found at ${path}: install Debian's chromium or set CHROMIUM_PATH`,
    );
  }
  return path;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
}

/** Colour of the demo's variant marker (top-left 64×64 block), read from the frame on screen. */
export type Marker = 'calm' | 'tense' | 'scare' | 'unknown';

/** Runs in the page: samples the pixel at (16,16) of the current video frame. */
export const READ_MARKER = `(() => {
  const v = document.querySelector('video');
  if (!v || v.videoWidth === 0) return null;
  const c = document.createElement('canvas');
  c.width = v.videoWidth; c.height = v.videoHeight;
  const g = c.getContext('2d', { willReadFrequently: true });
  g.drawImage(v, 0, 0);
  const d = g.getImageData(16, 16, 1, 1).data;
  return [d[0], d[1], d[2], v.currentTime];
})()`;

export function classifyMarker(rgb: [number, number, number]): Marker {
  const [r, g, b] = rgb;
  if (b > 160 && r < 90 && g < 90) return 'calm';
  if (r > 160 && g > 160 && b < 90) return 'tense';
  if (r > 160 && g < 90 && b < 90) return 'scare';
  return 'unknown';
}
