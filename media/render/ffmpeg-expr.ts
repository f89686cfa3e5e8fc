/**
 * Small helpers for writing ffmpeg expressions (libavutil/eval.c) and filtergraph options.
 */

/** A number as ffmpeg expression text: at most 4 decimals, no exponent, no trailing zeros. */
export function num(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
  const text = value.toFixed(4).replace(/\.?0+$/, '');
  return text === '-0' ? '0' : text;
}

/** Quotes a value inside a filtergraph option (only `'` needs care inside quotes). */
export function quote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * A smooth window in time: 0 outside [start, end], 1 inside [start + ramp, end − ramp], with
 * linear ramps (ffmpeg's `clip` keeps it within 0–1).
 */
export function windowExpr(variable: string, start: number, end: number, ramp: number): string {
  const r = Math.max(ramp, 1e-3);
  return `clip(min((${variable}-${num(start)})/${num(r)},(${num(end)}-${variable})/${num(r)}),0,1)`;
}

/** Sum of expressions, `0` when empty. */
export function sum(terms: readonly string[]): string {
  return terms.length ? terms.join('+') : '0';
}
