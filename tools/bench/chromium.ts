/**
 * Real Chromium for e2e tests and `frisson bench latency`: Debian's /usr/bin/chromium (or
 * CHROMIUM_PATH) driven by playwright-core (which never downloads a browser). Background
 * networking is off: these machines have no internet and Chromium's probes would only add noise.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export function chromiumPath(): string {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(path)) {
    throw new Error(
      `Chromium not found at ${path}: install Debian's chromium (apt-get install -y chromium) or set CHROMIUM_PATH`,
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

/** Variant encoded by the demo's marker block (top-left 64×64, see docs/stories.md). */
export type Marker = 'calm' | 'tense' | 'scare' | 'unknown';

export function classifyMarker(rgb: [number, number, number]): Marker {
  const [r, g, b] = rgb;
  if (b > 160 && r < 90 && g < 90) return 'calm';
  if (r > 160 && g > 160 && b < 90) return 'tense';
  if (r > 160 && g < 90 && b < 90) return 'scare';
  return 'unknown';
}

/** Page script: samples the pixel at (16,16) of the current video frame → [r, g, b, currentTime]. */
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

/**
 * Page script: watches every presented video frame (requestVideoFrameCallback) and logs each change
 * of the marker colour with the wall-clock time it reached the screen, in `window.__markerLog`.
 */
export const WATCH_MARKER = `(() => {
  const v = document.querySelector('video');
  const c = document.createElement('canvas');
  const g = c.getContext('2d', { willReadFrequently: true });
  const log = (window.__markerLog = []);
  let last = '';
  const classify = (r, gr, b) =>
    b > 160 && r < 90 && gr < 90 ? 'calm' : r > 160 && gr > 160 && b < 90 ? 'tense' : r > 160 && gr < 90 && b < 90 ? 'scare' : 'unknown';
  const onFrame = (now, meta) => {
    if (v.videoWidth > 0) {
      c.width = v.videoWidth; c.height = v.videoHeight;
      g.drawImage(v, 0, 0);
      const d = g.getImageData(16, 16, 1, 1).data;
      const m = classify(d[0], d[1], d[2]);
      if (m !== last && m !== 'unknown') {
        log.push({ at: performance.timeOrigin + (meta && meta.expectedDisplayTime ? meta.expectedDisplayTime : now), marker: m, media: meta ? meta.mediaTime : v.currentTime });
        last = m;
      }
    }
    v.requestVideoFrameCallback(onFrame);
  };
  v.requestVideoFrameCallback(onFrame);
})()`;
