/**
 * Real Chromium for e2e tests and `frisson bench latency`: Debian's /usr/bin/chromium (or
 * CHROMIUM_PATH) driven by playwright-core (which never downloads a browser). Background
 * networking is off: these machines have no internet and Chromium's probes would only add noise.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import {
  CLASSIFY_MARKER_SOURCE,
  MARKER_HEIGHT,
  MARKER_WIDTH,
  READ_MARKER_SCRIPT,
  classifyMarkerPixel,
  type MarkerLevel,
} from '../../media/render/film-markers.js';

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

/** Variant shown by the demo's marker block (bottom-left, see media/render/film-markers.ts). */
export type Marker = MarkerLevel | 'unknown';

/** The variant whose marker grey is nearest to a sampled pixel (docs/stories.md, "The demo"). */
export function classifyMarker(rgb: [number, number, number]): Marker {
  return classifyMarkerPixel(rgb);
}

/**
 * Page script: samples the variant and scene blocks of the current video frame →
 * `[r, g, b, sceneR, sceneG, sceneB, currentTime]` (null before the first frame).
 */
export const READ_MARKER = READ_MARKER_SCRIPT;

/**
 * Page script: watches every presented video frame (requestVideoFrameCallback) and logs each change
 * of the variant marker with the wall-clock time it reached the screen, in `window.__markerLog`.
 */
export const WATCH_MARKER = `(() => {
  const v = document.querySelector('video');
  const c = document.createElement('canvas');
  const g = c.getContext('2d', { willReadFrequently: true });
  const log = (window.__markerLog = []);
  let last = '';
  const classify = ${CLASSIFY_MARKER_SOURCE};
  const onFrame = (now, meta) => {
    if (v.videoWidth > 0) {
      c.width = v.videoWidth; c.height = v.videoHeight;
      g.drawImage(v, 0, 0);
      const w = Math.round(c.width * ${MARKER_WIDTH}), h = Math.round(c.height * ${MARKER_HEIGHT});
      const d = g.getImageData(Math.floor(w / 2), c.height - Math.ceil(h / 2), 1, 1).data;
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
