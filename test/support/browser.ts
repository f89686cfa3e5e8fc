/** Chromium helpers for e2e tests: the same ones `frisson bench latency` uses. */
export {
  chromiumPath,
  classifyMarker,
  launchChromium,
  READ_MARKER,
  WATCH_MARKER,
  type Marker,
} from '../../server/bench/chromium.js';
