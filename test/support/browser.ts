/**
 * Chromium helpers for e2e tests: the same ones `frisson bench latency` uses. Suites call
 * `requireSystem(this, 'chromium')` (system-deps.ts) in `before` before launching it.
 */
export {
  chromiumPath,
  classifyMarker,
  launchChromium,
  READ_MARKER,
  WATCH_MARKER,
  type Marker,
} from '../../tools/bench/chromium.js';
