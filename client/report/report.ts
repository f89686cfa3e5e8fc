/**
 * Post-show report for a viewer (`?session=…&token=…`) or a show (`?show=…&token=…`): heart rate
 * and arousal over time with scene bands, decisions and votes marked (uPlot), the generated recap
 * and story recommendations. `?lang=zh-CN` for Simplified Chinese.
 */
import uPlot from 'uplot';
import type { ReportData } from '../../contracts/report.js';
import { resolveLocale, t } from '../../contracts/i18n.js';
import { applyTranslations } from '../i18n/apply-translations.js';

const $ = <T extends HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`missing #${id}`);
  return el as T;
};

const BAND_COLOURS = ['rgba(100,181,246,0.10)', 'rgba(255,112,67,0.10)'];

/** uPlot plugin: scene bands behind the series, decision/vote markers on top. */
function bandsAndMarkers(report: ReportData): uPlot.Plugin {
  return {
    hooks: {
      drawClear: (u: uPlot) => {
        const ctx = u.ctx;
        ctx.save();
        report.scenes.forEach((s, i) => {
          const x0 = u.valToPos(s.start, 'x', true);
          const x1 = u.valToPos(s.end, 'x', true);
          ctx.fillStyle = BAND_COLOURS[i % 2] ?? 'transparent';
          ctx.fillRect(x0, u.bbox.top, Math.max(1, x1 - x0), u.bbox.height);
          ctx.fillStyle = 'rgba(255,255,255,0.6)';
          ctx.fillText(s.title, x0 + 3, u.bbox.top + 10);
        });
        ctx.restore();
      },
      draw: (u: uPlot) => {
        const ctx = u.ctx;
        ctx.save();
        ctx.strokeStyle = 'rgba(255,213,79,0.8)';
        for (const v of report.votes) {
          const x = u.valToPos(v.t, 'x', true);
          ctx.beginPath();
          ctx.moveTo(x, u.bbox.top);
          ctx.lineTo(x, u.bbox.top + u.bbox.height);
          ctx.stroke();
          ctx.fillStyle = 'rgba(255,213,79,0.9)';
          ctx.fillText(`▶ ${v.winner}`, x + 3, u.bbox.top + 22);
        }
        ctx.restore();
      },
    },
  };
}

function chart(
  el: HTMLElement,
  report: ReportData,
  series: Array<[number, number]>,
  label: string,
  range?: [number, number],
): void {
  const xs = series.map((p) => p[0]);
  const ys = series.map((p) => p[1]);
  new uPlot(
    {
      width: Math.max(320, el.clientWidth || 900),
      height: 220,
      scales: { x: { time: true }, y: range ? { range } : {} },
      series: [{}, { label, stroke: '#ff7043', width: 2, points: { show: false } }],
      axes: [{ stroke: '#aaa' }, { stroke: '#aaa' }],
      plugins: [bandsAndMarkers(report)],
    },
    [xs, ys],
    el,
  );
}

async function main(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const locale = resolveLocale(params.get('lang'));
  document.documentElement.lang = locale;
  applyTranslations(document, locale);
  const lang = $<HTMLSelectElement>('lang');
  lang.value = locale;
  lang.addEventListener('change', () => {
    params.set('lang', lang.value);
    location.search = params.toString();
  });
  const token = params.get('token') ?? '';
  const session = params.get('session');
  const show = params.get('show');
  const path = session ? `sessions/${session}` : show ? `shows/${show}` : null;
  if (!path) {
    $('status').textContent = '?session=…&token=… | ?show=…&token=…';
    return;
  }
  const res = await fetch(`/api/reports/${path}?lang=${locale}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as { error?: { code: string } };
    $('status').textContent = body.error?.code ?? `HTTP ${res.status}`;
    return;
  }
  const report = (await res.json()) as ReportData;
  (window as unknown as { __report: ReportData }).__report = report;
  $('report-title').textContent = report.title;
  chart($('hr-chart'), report, report.heartRate, t(locale, 'report.heartRate'));
  chart($('arousal-chart'), report, report.arousal, t(locale, 'report.arousal'), [0, 1]);
  $('recap').replaceChildren(
    ...report.recap.map((line) =>
      Object.assign(document.createElement('li'), { textContent: line }),
    ),
  );
  $('recommendations').replaceChildren(
    ...report.recommendations.map((r) =>
      Object.assign(document.createElement('li'), {
        textContent: `${r.title} (${r.score.toFixed(2)})${r.why.length ? ` — ${r.why.join(', ')}` : ''}`,
      }),
    ),
  );
  $('votes').replaceChildren(
    ...report.votes.map((v) =>
      Object.assign(document.createElement('li'), {
        textContent: `${v.branch}: ${v.winner} — ${Object.entries(v.counts)
          .map(([k, n]) => `${k} ${n}`)
          .join(', ')} (${t(locale, `rule.${v.rule}` as Parameters<typeof t>[1])})`,
      }),
    ),
  );
}

main().catch((err: unknown) => {
  $('status').textContent = String(err);
});
