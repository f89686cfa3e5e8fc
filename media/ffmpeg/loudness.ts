/**
 * Reading ffmpeg's EBU R128 meter (the ebur128 filter: ITU-R BS.1770-4 K-weighted loudness with
 * the R128 gating, loudness range per EBU Tech 3342, true peak by 4× oversampling) and the gain
 * arithmetic of the film's loudness normalisation.
 */

/** One meter's summary (LUFS, LU, dBFS/dBTP). */
export interface LoudnessSummary {
  integrated: number;
  range: number;
  /** True peak (dBTP) when the meter ran with `peak=true`, else undefined. */
  truePeak?: number;
  /** Loudest momentary (400 ms) loudness seen in the per-frame log, when it was logged. */
  maxMomentary?: number;
}

function field(block: string, re: RegExp): number | undefined {
  const m = re.exec(block);
  if (!m?.[1]) return undefined;
  return m[1] === '-inf' ? -Infinity : Number(m[1]);
}

/**
 * The last summary printed by the ebur128 instance `name` (e.g. `ebur128@bed`; any instance when
 * omitted) in ffmpeg's stderr, or undefined when there is none.
 * @example
 * parseEbur128(stderr, 'ebur128@bed') // { integrated: -39.1, range: 2.3 }
 */
export function parseEbur128(stderr: string, name?: string): LoudnessSummary | undefined {
  const lines = stderr.split('\n');
  let start = -1;
  let maxMomentary: number | undefined;
  lines.forEach((line, i) => {
    const head = /^\[([^\s\]]+) @ [^\]]+\] (.*)$/.exec(line);
    if (!head) return;
    const [, instance, rest] = head;
    if (name !== undefined && instance !== name) return;
    if (name === undefined && !instance?.includes('ebur128')) return;
    if (rest?.startsWith('Summary:')) start = i;
    const m = /\bM:\s*(-?[\d.]+)/.exec(rest ?? '');
    if (m?.[1]) maxMomentary = Math.max(maxMomentary ?? -Infinity, Number(m[1]));
  });
  if (start < 0) return undefined;
  const block = lines.slice(start, start + 16).join('\n');
  const integrated = field(block, /I:\s+(-?[\d.]+|-inf) LUFS/);
  const range = field(block, /LRA:\s+(-?[\d.]+) LU/);
  if (integrated === undefined || range === undefined) return undefined;
  const truePeak = field(block, /Peak:\s+(-?[\d.]+|-inf) dBFS/);
  return {
    integrated,
    range,
    ...(truePeak === undefined ? {} : { truePeak }),
    ...(maxMomentary === undefined ? {} : { maxMomentary }),
  };
}

/**
 * Gain (dB) for the variant layers so that bed + layers reach `target` LUFS, given each one's
 * measured loudness and the bed's gain. Loudness of uncorrelated signals adds as power
 * (BS.1770 is an energy measure); gating makes this exact only to a few tenths of a LU.
 * @example layerGainDb({ target: -16, bed: -39, layers: -21 }) // ≈ 5.0
 */
export function layerGainDb(input: { target: number; bed: number; layers: number }): number {
  const power = (lufs: number): number => 10 ** (lufs / 10);
  const rest = power(input.target) - power(input.bed);
  if (!(rest > 0) || !Number.isFinite(input.layers)) {
    throw new Error(
      `cannot reach ${input.target} LUFS over a bed at ${input.bed} LUFS with layers at ${input.layers} LUFS`,
    );
  }
  return 10 * Math.log10(rest) - input.layers;
}
