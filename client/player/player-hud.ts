/**
 * The player's HUD: the loop made visible. Calibration state (no sensor / calibrating, 12 s /
 * reading your heart), heart rate, the arousal estimate with its uncertainty band against the
 * author's target as a small live chart (uPlot), and the reason for each decision (`why`).
 *
 * Fed by the hub's `state` and `decision` events; owns no socket. `destroy()` removes the chart.
 */
import uPlot from 'uplot';
import type { DecisionEvent, StateUpdate } from '../../contracts/wire.js';
import { t, type Locale } from '../../contracts/i18n.js';
import { formatWhy, levelName } from '../../contracts/decision-why.js';

/** Seconds of history the chart keeps. */
const WINDOW_S = 150;
/** Decisions whose reasons stay listed. */
const REASONS_SHOWN = 4;

const byId = (root: ParentNode, id: string): HTMLElement => {
  const el = root.querySelector<HTMLElement>(`#${id}, [data-hud="${id}"]`);
  if (!el) throw new Error(`missing HUD element ${id}`);
  return el;
};

export class PlayerHud {
  private readonly xs: number[] = [];
  private readonly arousal: number[] = [];
  private readonly lo: number[] = [];
  private readonly hi: number[] = [];
  private readonly target: number[] = [];
  private readonly started = performance.now();
  private chart: uPlot | null = null;
  private lastState: StateUpdate | null = null;
  private readonly reasons: DecisionEvent[] = [];

  constructor(
    private readonly root: ParentNode,
    private readonly locale: Locale,
  ) {
    this.renderCalibration(null);
    byId(this.root, 'hud-why').replaceChildren(this.line(t(locale, 'hud.waitingDecision')));
  }

  /** A `state` from the hub: numbers, calibration line and one chart point. */
  onState(s: StateUpdate): void {
    this.lastState = s;
    const L = this.locale;
    byId(this.root, 'hud-hr').textContent =
      s.heartRate === null ? '–' : t(L, 'hud.bpm', { bpm: Math.round(s.heartRate) });
    byId(this.root, 'hud-arousal-value').textContent =
      `${s.arousal.toFixed(2)} ± ${s.arousalSd.toFixed(2)}`;
    byId(this.root, 'hud-target').textContent = s.targetArousal.toFixed(2);
    byId(this.root, 'hud-contact').textContent =
      s.calibration.state === 'no-sensor'
        ? t(L, 'hud.contact.unknown')
        : t(L, s.contact === 'ok' ? 'hud.contact.on' : 'hud.contact.off');
    this.renderCalibration(s);
    this.push(s);
  }

  /** A `decision`: its `why` joins the list (newest first). */
  onDecision(d: DecisionEvent): void {
    this.reasons.unshift(d);
    this.reasons.length = Math.min(this.reasons.length, REASONS_SHOWN);
    byId(this.root, 'hud-why').replaceChildren(
      ...this.reasons.map((r) => {
        const li = this.line(formatWhy(r.whyParts, this.locale));
        li.dataset.level = r.level;
        return li;
      }),
    );
  }

  /** Scene and variant of the fragment on screen (hls.js FRAG_CHANGED). */
  onFragment(scene: string, level: string): void {
    byId(this.root, 'hud-scene').textContent = scene || '–';
    const el = byId(this.root, 'hud-level');
    el.textContent = level ? levelName(level, this.locale) : '–';
    el.dataset.level = level;
  }

  destroy(): void {
    this.chart?.destroy();
    this.chart = null;
  }

  private line(text: string): HTMLLIElement {
    return Object.assign(document.createElement('li'), { textContent: text });
  }

  private renderCalibration(s: StateUpdate | null): void {
    const el = byId(this.root, 'hud-calibration');
    const c = s?.calibration ?? { state: 'no-sensor' as const, remainingS: 0 };
    el.dataset.state = c.state;
    el.textContent =
      c.state === 'no-sensor'
        ? t(this.locale, 'hud.noSensor')
        : c.state === 'calibrating'
          ? t(this.locale, 'hud.calibrating', { s: Math.max(1, Math.ceil(c.remainingS)) })
          : t(this.locale, 'hud.ready');
  }

  private push(s: StateUpdate): void {
    const x = (performance.now() - this.started) / 1000;
    this.xs.push(x);
    this.arousal.push(s.arousal);
    this.lo.push(Math.max(0, s.arousal - s.arousalSd));
    this.hi.push(Math.min(1, s.arousal + s.arousalSd));
    this.target.push(s.targetArousal);
    while (this.xs.length > 1 && x - (this.xs[0] ?? x) > WINDOW_S) {
      for (const a of [this.xs, this.arousal, this.lo, this.hi, this.target]) a.shift();
    }
    const data: uPlot.AlignedData = [this.xs, this.arousal, this.lo, this.hi, this.target];
    if (this.chart) this.chart.setData(data);
    else this.chart = this.createChart(data);
  }

  private createChart(data: uPlot.AlignedData): uPlot {
    const el = byId(this.root, 'hud-chart');
    const L = this.locale;
    return new uPlot(
      {
        width: Math.max(200, el.clientWidth || 280),
        height: 110,
        legend: { show: false },
        cursor: { show: false },
        scales: { x: { time: false }, y: { range: [0, 1] } },
        series: [
          {},
          { label: t(L, 'hud.estimate'), stroke: '#ff7043', width: 2, points: { show: false } },
          { stroke: 'transparent', points: { show: false } },
          { stroke: 'transparent', points: { show: false } },
          {
            label: t(L, 'hud.targetCurve'),
            stroke: '#9ccc65',
            width: 1.5,
            dash: [5, 4],
            points: { show: false },
          },
        ],
        // The uncertainty band: between arousal − sd (series 2) and arousal + sd (series 3).
        bands: [{ series: [3, 2], fill: 'rgba(255,112,67,0.22)' }],
        axes: [
          { show: false },
          { stroke: '#a9a59f', size: 28, ticks: { show: false }, splits: [0, 0.5, 1] },
        ],
      },
      data,
      el,
    );
  }

  /** The last `state`, for diagnostics. */
  get state(): StateUpdate | null {
    return this.lastState;
  }
}
