/**
 * The venue operator's dashboard: connects to `/operators` with the show id (`?show=`) and the
 * operator key (`#key=` — a fragment never reaches server logs — or the login form), then shows
 * the live seat map, the audience-vs-target chart (uPlot), the upcoming decision or vote, and the
 * controls. `?lang=zh-CN` (or the language switch) for Simplified Chinese.
 */
import { io, type Socket } from 'socket.io-client';
import uPlot from 'uplot';
import type {
  AudiencePoint,
  AudienceUpdate,
  OperatorClientEvents,
  OperatorServerEvents,
  SeatWire,
  ShowDecision,
  ShowSnapshot,
  ShowStatus,
  VoteState,
} from '../../contracts/wire.js';
import { resolveLocale, t, type Locale } from '../../contracts/i18n.js';
import { levelName } from '../../contracts/decision-why.js';
import { applyTranslations } from '../i18n/apply-translations.js';
import { arousalColour } from './seat-colour.js';

type OperatorSocket = Socket<OperatorServerEvents, OperatorClientEvents>;
type AckResult = { ok: true } | { ok: false; error: { code: string; message: string } };

const CHART_POINTS = 600;

const $ = <T extends HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`missing #${id}`);
  return el as T;
};

interface DashboardState {
  locale: Locale;
  snapshot: ShowSnapshot | null;
  status: ShowStatus | null;
  vote: VoteState | null;
  /** Server clock minus local clock, ms (for countdowns). */
  clockOffset: number;
  xs: number[];
  arousal: Array<number | null>;
  target: number[];
  decisions: ShowDecision[];
  seatsInContact: number;
  seats: number;
  audienceUpdates: number;
}

const state: DashboardState = {
  locale: resolveLocale(new URLSearchParams(location.search).get('lang')),
  snapshot: null,
  status: null,
  vote: null,
  clockOffset: 0,
  xs: [],
  arousal: [],
  target: [],
  decisions: [],
  seatsInContact: 0,
  seats: 0,
  audienceUpdates: 0,
};
(window as unknown as { __dashboard: DashboardState }).__dashboard = state;

let chart: uPlot | null = null;

/** uPlot plugin: a vertical line at every scene change (decision that starts a new scene). */
function decisionMarkers(): uPlot.Plugin {
  return {
    hooks: {
      draw: (u: uPlot) => {
        const ctx = u.ctx;
        ctx.save();
        ctx.strokeStyle = 'rgba(255,255,255,0.35)';
        ctx.setLineDash([4, 4]);
        const px = devicePixelRatio || 1;
        ctx.font = `${11 * px}px system-ui, 'Noto Sans CJK SC', sans-serif`;
        // Scene changes in view, then their titles on alternating rows, each cut to end before the
        // next label of its row: neighbouring labels never overlap.
        const marks: Array<{ x: number; title: string }> = [];
        let prev = '';
        for (const d of state.decisions) {
          const mark = d.scene !== prev;
          prev = d.scene;
          if (!mark) continue;
          const x = u.valToPos(d.at / 1000, 'x', true);
          if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) continue;
          marks.push({ x, title: sceneTitle(d.scene) });
        }
        marks.forEach((m, i) => {
          ctx.beginPath();
          ctx.moveTo(m.x, u.bbox.top);
          ctx.lineTo(m.x, u.bbox.top + u.bbox.height);
          ctx.stroke();
          const nextSameRow = marks[i + 2]?.x ?? u.bbox.left + u.bbox.width;
          const room = nextSameRow - m.x - 8 * px;
          let label = m.title;
          while (label.length > 1 && ctx.measureText(label).width > room)
            label = label.slice(0, -1);
          if (label !== m.title) label = `${label.slice(0, -1)}…`;
          ctx.fillStyle = 'rgba(255,255,255,0.75)';
          ctx.fillText(label, m.x + 3 * px, u.bbox.top + (i % 2 === 0 ? 12 : 26) * px);
        });
        ctx.restore();
      },
    },
  };
}

/** A scene's title from the snapshot (its id until the snapshot arrives). */
function sceneTitle(id: string): string {
  return state.snapshot?.scenes.find((s) => s.id === id)?.title ?? id;
}

function createChart(): uPlot {
  const el = $('chart');
  const opts: uPlot.Options = {
    width: Math.max(320, el.clientWidth || 560),
    height: 260,
    scales: { x: { time: true }, y: { range: [0, 1] } },
    series: [
      { label: t(state.locale, 'report.time') },
      { label: t(state.locale, 'dashboard.arousal'), stroke: '#ff7043', width: 2, spanGaps: false },
      { label: t(state.locale, 'dashboard.target'), stroke: '#64b5f6', width: 1, dash: [6, 4] },
    ],
    axes: [{ stroke: '#aaa' }, { stroke: '#aaa' }],
    plugins: [decisionMarkers()],
  };
  return new uPlot(opts, [state.xs, state.arousal, state.target], el);
}

function pushPoint(p: AudiencePoint): void {
  state.xs.push(p.t);
  state.arousal.push(p.arousal);
  state.target.push(p.target);
  if (state.xs.length > CHART_POINTS) {
    state.xs.shift();
    state.arousal.shift();
    state.target.shift();
  }
}

function renderSeats(seats: SeatWire[]): void {
  const map = $('seat-map');
  state.seats = seats.length;
  for (const s of seats) {
    let el = map.querySelector<HTMLElement>(`[data-seat="${CSS.escape(s.seat)}"]`);
    if (!el) {
      el = document.createElement('div');
      el.className = 'seat';
      el.dataset.seat = s.seat;
      // The seat's label, short enough for its square: "S007" → "7", "A12" stays.
      el.textContent = /^S0*\d+$/.test(s.seat) ? s.seat.replace(/^S0*/, '') : s.seat;
      map.append(el);
    }
    const live = s.contact === 'ok' && s.calibrated;
    el.classList.toggle('no-contact', !live);
    el.style.backgroundColor = live ? arousalColour(s.arousal) : '';
    el.dataset.arousal = s.arousal.toFixed(2);
    el.dataset.contact = s.contact;
    el.title = `${s.seat}: ${s.hr === null ? '–' : Math.round(s.hr)} bpm, ${
      live ? s.arousal.toFixed(2) : t(state.locale, 'dashboard.noContact')
    }`;
  }
  $('contact-summary').textContent = t(state.locale, 'dashboard.inContact', {
    n: state.seatsInContact,
    total: seats.length,
  });
}

function renderStatus(s: ShowStatus): void {
  state.status = s;
  const el = $('status');
  const key = s.ended ? 'dashboard.ended' : s.paused ? 'dashboard.paused' : 'dashboard.live';
  el.textContent = t(state.locale, key) + (s.forced ? ` → ${s.forced}` : '');
  el.className = s.ended ? 'ended' : s.paused ? 'paused' : '';
  $<HTMLInputElement>('cap').value = String(s.maxIntensity);
  $('cap-value').textContent = s.maxIntensity.toFixed(2);
  const list = $('candidates');
  list.replaceChildren(
    ...s.upcoming.candidates.map((c) => {
      const li = document.createElement('li');
      li.textContent = `${sceneTitle(c.scene)} / ${levelName(c.level, state.locale)} (${c.intensity.toFixed(2)})`;
      return li;
    }),
  );
  renderCountdowns();
}

function renderVote(v: VoteState | null): void {
  state.vote = v;
  const box = $('vote');
  box.hidden = v === null;
  if (!v) return;
  state.clockOffset = v.now - Date.now();
  $('vote-title').textContent = t(state.locale, 'dashboard.vote', { branch: v.prompt ?? v.branch });
  $('vote-options').replaceChildren(
    ...v.options.map((o) => {
      const li = document.createElement('li');
      li.textContent = `${o.title}${o.scene === v.defaultOption ? ' *' : ''}: ${o.votes}`;
      return li;
    }),
  );
  $('vote-default-note').textContent = t(state.locale, 'dashboard.defaultNote');
  $('vote-result').textContent = v.result
    ? t(state.locale, 'dashboard.voteResult', {
        winner: v.result.winner,
        rule: t(state.locale, `rule.${v.result.rule}` as Parameters<typeof t>[1]),
      })
    : '';
  renderCountdowns();
}

function renderCountdowns(): void {
  const s = state.status;
  $('upcoming-when').textContent =
    s?.upcoming.inSeconds != null
      ? t(state.locale, 'dashboard.inSeconds', { s: s.upcoming.inSeconds.toFixed(1) })
      : '';
  const v = state.vote;
  if (v && !v.result) {
    const left = Math.max(0, (v.closesAt - (Date.now() + state.clockOffset)) / 1000);
    $('vote-countdown').textContent = t(state.locale, 'dashboard.voteCloses', {
      s: left.toFixed(0),
    });
  } else {
    $('vote-countdown').textContent = '';
  }
}

function applySnapshot(snap: ShowSnapshot): void {
  state.snapshot = snap;
  $('show-title').textContent = snap.title;
  state.decisions = [...snap.decisions];
  for (const p of snap.history.slice(-CHART_POINTS)) pushPoint(p);
  const select = $<HTMLSelectElement>('scene');
  select.replaceChildren(
    ...snap.scenes.map((s) => {
      const o = document.createElement('option');
      o.value = s.id;
      o.textContent = `${s.id} — ${s.title}`;
      return o;
    }),
  );
  renderSeats(snap.seats);
  renderStatus(snap.status);
  renderVote(snap.vote);
  chart?.setData([state.xs, state.arousal, state.target]);
}

function connect(showId: string, key: string): void {
  const socket: OperatorSocket = io('/operators', {
    transports: ['websocket'],
    auth: { showId, key },
  });
  const send = (event: 'force' | 'pause' | 'resume' | 'cap' | 'end', payload: object): void => {
    socket
      .timeout(5000)
      .emitWithAck(event, payload)
      .then((res: unknown) => {
        const r = res as AckResult;
        $('control-error').textContent = r.ok ? '' : `${r.error.code}: ${r.error.message}`;
      })
      .catch((err: unknown) => ($('control-error').textContent = String(err)));
  };
  socket.on('connect', () => {
    $('login').hidden = true;
    socket
      .timeout(5000)
      .emitWithAck('snapshot', {})
      .then((res: unknown) => {
        const r = res as { ok: boolean; snapshot?: ShowSnapshot };
        if (r.ok && r.snapshot) applySnapshot(r.snapshot);
      })
      .catch(() => undefined);
  });
  socket.on('connect_error', (err) => {
    const data = (err as Error & { data?: { code: string } }).data;
    $('status').textContent = data?.code ?? err.message;
    if (data?.code === 'FRISSON_ERR_UNAUTHORIZED') {
      socket.close();
      $('login').hidden = false;
    }
  });
  socket.on('audience', (a: AudienceUpdate) => {
    state.audienceUpdates++;
    state.seatsInContact = a.seatsInContact;
    pushPoint(a);
    renderSeats(a.seats);
    chart?.setData([state.xs, state.arousal, state.target]);
    renderCountdowns();
  });
  socket.on('decision', (d) => {
    state.decisions.push(d);
    if (state.decisions.length > 500) state.decisions.shift();
  });
  socket.on('vote', (v) => renderVote(v));
  socket.on('status', (s) => renderStatus(s));
  socket.on('ended', () => {
    if (state.status) renderStatus({ ...state.status, ended: true });
  });

  $('force').addEventListener('click', () =>
    send('force', { scene: $<HTMLSelectElement>('scene').value }),
  );
  $('pause').addEventListener('click', () => send('pause', {}));
  $('resume').addEventListener('click', () => send('resume', {}));
  $('cap').addEventListener('input', () => {
    $('cap-value').textContent = Number($<HTMLInputElement>('cap').value).toFixed(2);
  });
  $('cap').addEventListener('change', () =>
    send('cap', { maxIntensity: Number($<HTMLInputElement>('cap').value) }),
  );
  $('end').addEventListener('click', () => send('end', {}));
  setInterval(renderCountdowns, 500);
}

function main(): void {
  document.documentElement.lang = state.locale;
  applyTranslations(document, state.locale);
  const lang = $<HTMLSelectElement>('lang');
  lang.value = state.locale;
  lang.addEventListener('change', () => {
    const params = new URLSearchParams(location.search);
    params.set('lang', lang.value);
    location.search = params.toString();
  });
  chart = createChart();
  const showId = new URLSearchParams(location.search).get('show');
  if (!showId) {
    $('status').textContent = '?show=<id>';
    return;
  }
  const key = new URLSearchParams(location.hash.slice(1)).get('key');
  if (key) {
    connect(showId, key);
    return;
  }
  $('login').hidden = false;
  $('login').addEventListener('submit', (e) => {
    e.preventDefault();
    connect(showId, $<HTMLInputElement>('key').value);
  });
}

main();
