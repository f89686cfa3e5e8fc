/**
 * Machine-readable markers in every rendered frame, so tests and `frisson bench latency` can tell
 * from the picture which variant and scene are on screen: two small grey blocks in the bottom
 * corners of the frame, inside the black letterbox bar (a cinema sees a dim square in the corner of
 * the bar, never over the picture). Grey levels, not colours: luma survives H.264 and 4:2:0 chroma
 * subsampling best, and the blocks stay readable at the low rendition (≥ 8 × 8 px at 360p).
 *
 * | block        | where        | grey                                   |
 * | ------------ | ------------ | -------------------------------------- |
 * | variant      | bottom-left  | 64 + 128 × intensity (calm 64, tense 128, scare 192) |
 * | scene        | bottom-right | 32 + 20 × scene index (0 → 32 … 8 → 192) |
 */

/** Marker block size, as fractions of the frame's width and height. */
export const MARKER_WIDTH = 0.03;
export const MARKER_HEIGHT = 0.04;

/** Grey of the variant block for a level's intensity (0–1). */
export function variantMarkerGrey(intensity: number): number {
  return Math.round(64 + 128 * Math.min(1, Math.max(0, intensity)));
}

/** Grey of the scene block for the scene's position in the film. */
export function sceneMarkerGrey(index: number): number {
  return 32 + 20 * (index % 11);
}

/** The three levels the detectors tell apart, by their marker grey. */
export const LEVEL_MARKER_GREYS = { calm: 64, tense: 128, scare: 192 } as const;
export type MarkerLevel = keyof typeof LEVEL_MARKER_GREYS;

/**
 * The level whose grey is nearest to a sampled pixel, or `unknown` when the pixel is not a grey
 * within 24 of one (not a marker: a frame still loading, or another film).
 * @example classifyMarkerPixel([190, 193, 191]) // 'scare'
 */
export function classifyMarkerPixel(
  rgb: readonly [number, number, number],
): MarkerLevel | 'unknown' {
  const [r, g, b] = rgb;
  if (Math.max(r, g, b) - Math.min(r, g, b) > 24) return 'unknown';
  const y = (r + g + b) / 3;
  for (const [level, grey] of Object.entries(LEVEL_MARKER_GREYS)) {
    if (Math.abs(y - grey) <= 24) return level as MarkerLevel;
  }
  return 'unknown';
}

/**
 * The scene index whose grey is nearest to a sampled pixel, or -1 when none is within 8.
 * @example classifySceneMarkerPixel([73, 71, 72]) // 2
 */
export function classifySceneMarkerPixel(rgb: readonly [number, number, number]): number {
  const [r, g, b] = rgb;
  if (Math.max(r, g, b) - Math.min(r, g, b) > 16) return -1;
  // `|| 0`: a grey just under 32 rounds to −0, which is not the scene index 0.
  const index = Math.round(((r + g + b) / 3 - 32) / 20) || 0;
  if (index < 0 || index > 10) return -1;
  return Math.abs((r + g + b) / 3 - sceneMarkerGrey(index)) <= 8 ? index : -1;
}

/** Pixel centres of the two blocks in a `width`×`height` frame. */
export function markerSamplePoints(
  width: number,
  height: number,
): { variant: [number, number]; scene: [number, number] } {
  const w = Math.round(width * MARKER_WIDTH);
  const h = Math.round(height * MARKER_HEIGHT);
  const y = height - Math.ceil(h / 2);
  return { variant: [Math.floor(w / 2), y], scene: [width - Math.ceil(w / 2), y] };
}

/**
 * Page script (a string for `page.evaluate`): samples both blocks of the current video frame and
 * returns `[r, g, b, sceneR, sceneG, sceneB, currentTime]`, or null before the first frame.
 */
export const READ_MARKER_SCRIPT = `(() => {
  const v = document.querySelector('video');
  if (!v || v.videoWidth === 0) return null;
  const c = document.createElement('canvas');
  c.width = v.videoWidth; c.height = v.videoHeight;
  const g = c.getContext('2d', { willReadFrequently: true });
  g.drawImage(v, 0, 0);
  const w = Math.round(c.width * ${MARKER_WIDTH}), h = Math.round(c.height * ${MARKER_HEIGHT});
  const y = c.height - Math.ceil(h / 2);
  const a = g.getImageData(Math.floor(w / 2), y, 1, 1).data;
  const s = g.getImageData(c.width - Math.ceil(w / 2), y, 1, 1).data;
  return [a[0], a[1], a[2], s[0], s[1], s[2], v.currentTime];
})()`;

/** The same classification as classifyMarkerPixel, as page-script source (`classify(r, g, b)`). */
export const CLASSIFY_MARKER_SOURCE = `(r, gr, b) => {
  if (Math.max(r, gr, b) - Math.min(r, gr, b) > 24) return 'unknown';
  const y = (r + gr + b) / 3;
  ${Object.entries(LEVEL_MARKER_GREYS)
    .map(([level, grey]) => `if (Math.abs(y - ${grey}) <= 24) return '${level}';`)
    .join('\n  ')}
  return 'unknown';
}`;

/**
 * drawbox filters for both blocks (the frame is `width`×`height`).
 * @example markerFilters({ width: 1280, height: 720, intensity: 1, sceneIndex: 2 })
 */
export function markerFilters(input: {
  width: number;
  height: number;
  intensity: number;
  sceneIndex: number;
}): string[] {
  const w = Math.round(input.width * MARKER_WIDTH);
  const h = Math.round(input.height * MARKER_HEIGHT);
  const hex = (grey: number): string => `0x${grey.toString(16).padStart(2, '0').repeat(3)}`;
  const y = input.height - h;
  return [
    `drawbox=x=0:y=${y}:w=${w}:h=${h}:color=${hex(variantMarkerGrey(input.intensity))}@1:t=fill`,
    `drawbox=x=${input.width - w}:y=${y}:w=${w}:h=${h}:color=${hex(sceneMarkerGrey(input.sceneIndex))}@1:t=fill`,
  ];
}
