/**
 * A dependency-free SVG line chart of the evaluation: the target curve with its ±band, and the
 * mean measured arousal over the audience for each policy.
 */
import type { EvalTraces } from './eval-pipeline.js';

const COLOURS = ['#8c8c8c', '#c9a227', '#1f77b4', '#2ca02c', '#d62728', '#9467bd'];

function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * @example
 *   await writeFile('eval.svg', renderTrackingSvg(report.traces, { title: 'seed 7' }));
 */
export function renderTrackingSvg(
  traces: EvalTraces,
  opts: { title?: string; band?: number; width?: number; height?: number } = {},
): string {
  const width = opts.width ?? 960;
  const height = opts.height ?? 420;
  const band = opts.band ?? 0.1;
  const m = { left: 50, right: 170, top: 30, bottom: 40 };
  const w = width - m.left - m.right;
  const h = height - m.top - m.bottom;
  const tMax = Math.max(1, traces.times[traces.times.length - 1] ?? 1);
  const x = (t: number): number => m.left + (t / tMax) * w;
  const y = (a: number): number => m.top + (1 - Math.min(1, Math.max(0, a))) * h;
  const path = (vals: number[]): string =>
    vals
      .map(
        (v, i) => `${i === 0 ? 'M' : 'L'}${x(traces.times[i] ?? 0).toFixed(1)},${y(v).toFixed(1)}`,
      )
      .join('');
  const upper = traces.target.map((v) => v + band);
  const lower = traces.target.map((v) => v - band);
  const bandPath =
    path(upper) +
    lower
      .map((v, i) => ({ v, i }))
      .reverse()
      .map(({ v, i }) => `L${x(traces.times[i] ?? 0).toFixed(1)},${y(v).toFixed(1)}`)
      .join('') +
    'Z';
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="${m.left}" y="18" font-size="14">${escapeXml(opts.title ?? 'Target vs realised arousal (mean over viewers)')}</text>`,
  ];
  for (let a = 0; a <= 1.001; a += 0.25) {
    parts.push(
      `<line x1="${m.left}" x2="${m.left + w}" y1="${y(a)}" y2="${y(a)}" stroke="#eee"/>`,
      `<text x="${m.left - 8}" y="${y(a) + 4}" text-anchor="end">${a.toFixed(2)}</text>`,
    );
  }
  for (let t = 0; t <= tMax; t += 60) {
    parts.push(`<text x="${x(t)}" y="${m.top + h + 18}" text-anchor="middle">${t}s</text>`);
  }
  parts.push(`<path d="${bandPath}" fill="#000" fill-opacity="0.07"/>`);
  parts.push(`<path d="${path(traces.target)}" fill="none" stroke="#000" stroke-width="2.5"/>`);
  const legend: [string, string][] = [['target ±' + band, '#000']];
  Object.entries(traces.arousal).forEach(([name, vals], i) => {
    const colour = COLOURS[i % COLOURS.length] ?? '#333';
    parts.push(`<path d="${path(vals)}" fill="none" stroke="${colour}" stroke-width="1.5"/>`);
    legend.push([name, colour]);
  });
  legend.forEach(([name, colour], i) => {
    const ly = m.top + 10 + i * 18;
    parts.push(
      `<line x1="${m.left + w + 15}" x2="${m.left + w + 35}" y1="${ly}" y2="${ly}" stroke="${colour}" stroke-width="2.5"/>`,
      `<text x="${m.left + w + 40}" y="${ly + 4}">${escapeXml(name)}</text>`,
    );
  });
  parts.push(
    `<text x="${m.left + w / 2}" y="${height - 6}" text-anchor="middle">story time</text>`,
    '</svg>',
  );
  return parts.join('\n') + '\n';
}
