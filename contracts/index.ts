/**
 * `frisson/contracts`: what the stages share and the browser pages may import — the wire (socket
 * event maps and zod schemas of every inbound payload), the error catalogue, the physiological
 * limits, heart samples and snapshots, the picker seam, the packaged-story schema, report data, the
 * page strings, the BLE Heart Rate Measurement parser and the seeded PRNG. It imports nothing of
 * the stages (only zod) and nothing of Node.
 */
export * from './ble-heart-rate.js';
export * from './director.js';
export * from './errors.js';
export * from './heart.js';
export * from './i18n.js';
export * from './limits.js';
export * from './parse-result.js';
export * from './random.js';
export * from './report.js';
export * from './story.js';
export * from './wire.js';
