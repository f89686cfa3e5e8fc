/**
 * A dependency-free SVG chart of the evaluation for one policy: one panel per viewer type (all, and
 * each type of `VIEWER_TYPES`), each with the target curve and its ±band, and the mean over that
 * type's viewers of what they felt (latent arousal, the ground truth), what the estimator said, and
 * what the signal stage read — so a good mean cannot hide the viewers it over- or under-served.
 */
import type { EvalTraces, GroupTrace } from './eval-pipeline.js';

const SERIES: Array<{ key: keyof Omit<GroupTrace, 'viewers'>; label: string; style: string }> = [
  { key: 'latent', label: 'felt (latent)', style: 'stroke="#d62728" stroke-width="2"' },
  {
    key: 'estimate',
    label: 'estimate',
    style: 'stroke="#1f77b4" stroke-width="1.8" stroke-dasharray="6 3"',
  },
  {
    key: 'reading',
    label: 'reading',
    style: 'stroke="#8c8c8c" stroke-width="1.2" stroke-dasharray="2 3"',
  },
];

function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * @example
 *   await writeFile('eval.svg', renderTrackingSvg(report.traces, { policy: 'model+personalisation' }));
 */
export function renderTrackingSvg(
  traces: EvalTraces,
  opts: { policy: string; title?: string; band?: number; width?: number; panelHeight?: number },
): string {
  const groups = traces.groups[opts.policy];
  if (!groups) throw new Error(`no traces for policy ${opts.policy}`);
  const width = opts.width ?? 960;
  const panelH = opts.panelHeight ?? 220;
  const band = opts.band ?? 0.1;
  const m = { left: 50, right: 170, top: 40, gap: 36 };
  const names = Object.keys(groups);
  const height = m.top + names.length * (panelH + m.gap);
  const w = width - m.left - m.right;
  const h = panelH - 10;
  const tMax = Math.max(1, traces.times[traces.times.length - 1] ?? 1);
  const x = (t: number): number => m.left + (t / tMax) * w;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="${m.left}" y="20" font-size="14">${escapeXml(opts.title ?? `Target vs felt, estimated and read arousal — ${opts.policy}`)}</text>`,
  ];
  names.forEach((name, p) => {
    const top = m.top + p * (panelH + m.gap);
    const y = (a: number): number => top + (1 - Math.min(1, Math.max(0, a))) * h;
    const path = (vals: readonly number[]): string =>
      vals
        .map(
          (v, i) =>
            `${i === 0 ? 'M' : 'L'}${x(traces.times[i] ?? 0).toFixed(1)},${y(v).toFixed(1)}`,
        )
        .join('');
    const g = groups[name] as GroupTrace;
    parts.push(
      `<text x="${m.left}" y="${top - 8}" font-weight="bold">${escapeXml(name)} (${g.viewers} viewers)</text>`,
    );
    for (let a = 0; a <= 1.001; a += 0.5) {
      parts.push(
        `<line x1="${m.left}" x2="${m.left + w}" y1="${y(a)}" y2="${y(a)}" stroke="#eee"/>`,
        `<text x="${m.left - 8}" y="${y(a) + 4}" text-anchor="end">${a.toFixed(1)}</text>`,
      );
    }
    for (let t = 0; t <= tMax; t += 60) {
      parts.push(`<text x="${x(t)}" y="${top + h + 14}" text-anchor="middle">${t}s</text>`);
    }
    const upper = path(traces.target.map((v) => v + band));
    const lower = traces.target
      .map((v, i) => `L${x(traces.times[i] ?? 0).toFixed(1)},${y(v - band).toFixed(1)}`)
      .reverse()
      .join('');
    parts.push(`<path d="${upper}${lower}Z" fill="#000" fill-opacity="0.07"/>`);
    parts.push(`<path d="${path(traces.target)}" fill="none" stroke="#000" stroke-width="2"/>`);
    for (const s of SERIES) parts.push(`<path d="${path(g[s.key])}" fill="none" ${s.style}/>`);
  });
  const legend: Array<[string, string]> = [
    [`target ±${band}`, 'stroke="#000" stroke-width="2"'],
    ...SERIES.map((s): [string, string] => [s.label, s.style]),
  ];
  legend.forEach(([label, style], i) => {
    const ly = m.top + 10 + i * 18;
    parts.push(
      `<line x1="${m.left + w + 15}" x2="${m.left + w + 40}" y1="${ly}" y2="${ly}" ${style}/>`,
      `<text x="${m.left + w + 45}" y="${ly + 4}">${escapeXml(label)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}
