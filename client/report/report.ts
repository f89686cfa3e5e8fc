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
        // Scene titles on two alternating rows, each cut to its band: neighbours never overlap.
        const px = devicePixelRatio || 1;
        ctx.font = `${11 * px}px system-ui, 'Noto Sans CJK SC', sans-serif`;
        report.scenes.forEach((s, i) => {
          const x0 = u.valToPos(s.start, 'x', true);
          const x1 = u.valToPos(s.end, 'x', true);
          const w = Math.max(1, x1 - x0);
          ctx.fillStyle = BAND_COLOURS[i % 2] ?? 'transparent';
          ctx.fillRect(x0, u.bbox.top, w, u.bbox.height);
          ctx.fillStyle = 'rgba(255,255,255,0.7)';
          let label = s.title;
          const room = 2 * w - 6 * px; // the band and the next one (the next label is a row lower)
          while (label.length > 1 && ctx.measureText(label).width > room)
            label = label.slice(0, -1);
          if (label !== s.title) label = `${label.slice(0, -1)}…`;
          ctx.fillText(label, x0 + 3 * px, u.bbox.top + (i % 2 === 0 ? 12 : 26) * px);
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
  target?: { label: string; points: Array<[number, number]> },
): void {
  const xs = series.map((p) => p[0]);
  const ys = series.map((p) => p[1]);
  const lines: uPlot.Series[] = [
    { label: TIME_LABEL.text },
    { label, stroke: '#ff7043', width: 2, points: { show: false } },
  ];
  const data: uPlot.AlignedData = [xs, ys];
  if (target) {
    // Same times as the arousal series (both come from the decision log).
    lines.push({
      label: target.label,
      stroke: '#9ccc65',
      width: 1.5,
      dash: [5, 4],
      points: { show: false },
    });
    (data as number[][]).push(target.points.map((p) => p[1]));
  }
  new uPlot(
    {
      width: Math.max(320, el.clientWidth || 900),
      height: 220,
      scales: { x: { time: true }, y: range ? { range } : {} },
      series: lines,
      axes: [{ stroke: '#aaa' }, { stroke: '#aaa' }],
      plugins: [bandsAndMarkers(report)],
    },
    data,
    el,
  );
}

/** The x axis' legend label, in the page's language (set by main). */
const TIME_LABEL = { text: 'Time' };

const mmss = (s: number): string =>
  `${Math.floor(s / 60)}:${String(Math.floor(s % 60)).padStart(2, '0')}`;

async function main(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const locale = resolveLocale(params.get('lang'));
  document.documentElement.lang = locale;
  applyTranslations(document, locale);
  TIME_LABEL.text = t(locale, 'report.time');
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
  // No stored heart data (no sensor, or no consent to store it): the recap says so.
  $('hr-section').hidden = report.heartRate.length === 0;
  if (report.heartRate.length > 0) {
    chart($('hr-chart'), report, report.heartRate, t(locale, 'report.heartRate'));
  }
  chart($('arousal-chart'), report, report.arousal, t(locale, 'report.arousal'), [0, 1], {
    label: t(locale, 'report.target'),
    points: report.target,
  });
  if (report.kind === 'session') $('watch-again').hidden = false;
  const t0 = report.decisions[0]?.t ?? 0;
  const sceneTitle = new Map(report.scenes.map((s) => [s.scene, s.title]));
  $('decisions').replaceChildren(
    ...report.decisions.map((d) => {
      const li = document.createElement('li');
      const at = Object.assign(document.createElement('span'), {
        className: 'at',
        textContent: `${mmss(d.t - t0)} ${sceneTitle.get(d.scene) ?? d.scene}`,
      });
      const what = Object.assign(document.createElement('span'), {
        className: `level-${d.level}`,
        textContent: d.why || `→ ${d.level}`,
      });
      li.append(at, what);
      return li;
    }),
  );
  $('recap').replaceChildren(
    ...report.recap.map((line) =>
      Object.assign(document.createElement('li'), { textContent: line }),
    ),
  );
  // No scores on the page: a number like 0.00 means nothing to a viewer; the tags say why.
  $('recommendations').replaceChildren(
    ...report.recommendations.map((r) =>
      Object.assign(document.createElement('li'), {
        textContent: r.why.length
          ? `${r.title} — ${t(locale, 'report.because', { tags: r.why.join(locale === 'zh-CN' ? '、' : ', ') })}`
          : r.title,
      }),
    ),
  );
  $('no-other-stories').hidden = report.recommendations.length > 0;
  $('votes-section').hidden = report.votes.length === 0;
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
