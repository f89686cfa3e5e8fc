/**
 * The Frisson player: hls.js on a per-session live playlist, a socket.io link to the hub, and a HUD.
 *
 * Sends: `sample` (Web Bluetooth strap), `input` (click/pause/play/seek/visibility), `playhead`
 * (every 500 ms and on stalls). Receives: `state` and `decision` (the HUD, player-hud.ts),
 * `ended` (the end panel: watch again, your report).
 *
 * `/watch/sim/<n>` (server started with `--simulate N`) watches simulated viewer n: the page only
 * listens (the simulator reports its own playhead and heart) and follows the viewer into its next
 * session whenever a film ends.
 *
 * hls.js tuning (see docs/design.md, "Latency"): the server publishes only ~1 s ahead of the
 * playhead (more for a while after this player reports a stall) and answers blocking reloads
 * (`_HLS_msn`) the moment a segment is published, so the player must sit close to the live edge
 * (`liveSyncDurationCount: 1`) and keep little buffer (`maxBufferLength: 3`) — there is never
 * more than the horizon to buffer anyway.
 */
import Hls from 'hls.js';
import { io, type Socket } from 'socket.io-client';
import type {
  ClientToServerEvents,
  CreateSessionResponse,
  DecisionEvent,
  ServerToClientEvents,
  SimulatedViewerInfo,
  StateUpdate,
} from '../../contracts/wire.js';
import { resolveLocale, t, type StringKey } from '../../contracts/i18n.js';
import { PlayerHud } from './player-hud.js';
import { ScreenVote } from './screen-vote.js';
import { applyTranslations } from '../i18n/apply-translations.js';
import { connectHeartRateStrap } from './heart-rate-strap.js';
import { NarrationVoice } from './narration-voice.js';

type HubSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export const HLS_CONFIG = {
  lowLatencyMode: true,
  liveSyncDurationCount: 1,
  maxBufferLength: 3,
  backBufferLength: 30,
  maxLiveSyncPlaybackRate: 1,
} as const;

interface PlayerDiagnostics {
  hls: Hls | null;
  stalls: number;
  playing: boolean;
  decisions: number;
  lastState: StateUpdate | null;
  /** Every decision of the current session, in order (variant sequence and reasons). */
  decisionLog: DecisionEvent[];
  /** The session being played. */
  sessionId: string | null;
  ended: boolean;
  frags: Array<{ sn: number; url: string; at: number }>;
  narration: Array<{ text: string; start: number }>;
}

const $ = <T extends HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`missing #${id}`);
  return el as T;
};

const diag: PlayerDiagnostics = {
  hls: null,
  stalls: 0,
  playing: false,
  decisions: 0,
  lastState: null,
  decisionLog: [],
  sessionId: null,
  ended: false,
  frags: [],
  narration: [],
};
(window as unknown as { __frisson: PlayerDiagnostics }).__frisson = diag;

const PARAMS = new URLSearchParams(location.search);
/** Page language: `?lang=zh-CN`, else the browser's (English and Simplified Chinese). */
const LOCALE = resolveLocale(PARAMS.get('lang') ?? navigator.language);
/** `/watch/sim/<n>`: the simulated viewer this page follows. */
const SIM_INDEX = Number(/^\/watch\/sim\/(\d+)\/?$/.exec(location.pathname)?.[1] ?? Number.NaN);

function setStatus(key: StringKey, params: Record<string, string | number> = {}): void {
  $('status').textContent = t(LOCALE, key, params);
}

async function createSession(): Promise<CreateSessionResponse> {
  const maxIntensity = Number($<HTMLInputElement>('max-intensity').value);
  const consent = $<HTMLInputElement>('consent').checked;
  const res = await fetch('/api/sessions', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ maxIntensity, consent, locale: LOCALE }),
  });
  const body = (await res.json()) as CreateSessionResponse & { error?: { message: string } };
  if (!res.ok) throw new Error(body.error?.message ?? `HTTP ${res.status}`);
  return body;
}

interface PlayOptions {
  sessionId: string;
  token: string;
  playlistUrl: string;
  startAtLiveEdge: boolean;
  /** Only listen: someone else (the simulator) reports playhead, input and heart. */
  watchOnly: boolean;
  /** Called once the film has ended on screen. */
  onEnded: (ending: string) => void;
}

/** One session on screen: hls.js, the hub socket, the HUD. `destroy()` undoes all of it. */
class Playback {
  private readonly socket: HubSocket;
  private readonly hud: PlayerHud;
  private readonly hls: Hls | null = null;
  private readonly timer: ReturnType<typeof setInterval> | null = null;
  private readonly voice: NarrationVoice;
  private readonly cleanups: Array<() => void> = [];
  private ending: string | null = null;
  private videoEnded = false;

  constructor(private readonly opts: PlayOptions) {
    const video = $<HTMLVideoElement>('video');
    diag.sessionId = opts.sessionId;
    diag.ended = false;
    diag.decisionLog = [];
    diag.frags = [];
    this.hud = new PlayerHud(document, LOCALE);
    const socket: HubSocket = io({
      transports: ['websocket'],
      auth: { sessionId: opts.sessionId, token: opts.token },
    });
    this.socket = socket;
    socket.on('state', (s) => {
      diag.lastState = s;
      this.hud.onState(s);
    });
    socket.on('decision', (d) => {
      diag.decisions++;
      diag.decisionLog.push(d);
      this.hud.onDecision(d);
    });
    socket.on('ended', (e) => {
      this.ending = e.ending;
      this.maybeEnded();
    });
    this.voice = new NarrationVoice(video);
    socket.on('narration', (cue) => {
      diag.narration.push({ text: cue.text, start: cue.start });
      this.voice.add(cue);
    });
    socket.on('connect_error', (err) => ($('status').textContent = `hub: ${err.message}`));

    const listen = <K extends keyof HTMLVideoElementEventMap>(
      type: K,
      fn: (e: HTMLVideoElementEventMap[K]) => void,
    ): void => {
      video.addEventListener(type, fn);
      this.cleanups.push(() => video.removeEventListener(type, fn));
    };
    const report = (stalled = false): void => {
      if (opts.watchOnly) return;
      const b = video.buffered;
      const end = b.length > 0 ? b.end(b.length - 1) : video.currentTime;
      socket.emit('playhead', {
        position: video.currentTime,
        buffered: Math.max(0, end - video.currentTime),
        paused: video.paused,
        stalled,
      });
    };
    if (!opts.watchOnly) this.timer = setInterval(() => report(), 500);
    listen('playing', () => {
      diag.playing = true;
      setStatus('player.statusPlaying');
    });
    listen('waiting', () => {
      // A `waiting` after playback started is a stall: report it at once.
      if (diag.playing) {
        diag.stalls++;
        report(true);
      }
    });
    listen('ended', () => {
      this.videoEnded = true;
      this.maybeEnded();
    });
    if (!opts.watchOnly) {
      const input = (kind: 'pause' | 'play' | 'click', value?: number): void => {
        socket.emit('input', value === undefined ? { kind } : { kind, value });
      };
      listen('pause', () => input('pause'));
      listen('play', () => input('play'));
      listen('seeked', () => socket.emit('input', { kind: 'seek', value: video.currentTime }));
      listen('click', () => input('click'));
      const visibility = (): void =>
        void socket.emit('input', {
          kind: 'visibility',
          value: document.visibilityState === 'visible' ? 1 : 0,
        });
      document.addEventListener('visibilitychange', visibility);
      this.cleanups.push(() => document.removeEventListener('visibilitychange', visibility));
    }

    if (Hls.isSupported()) {
      // `?hls=default` plays with hls.js defaults (the classic stitching baseline in the latency bench).
      const tuned = PARAMS.get('hls') !== 'default';
      const hls = new Hls({
        ...(tuned ? HLS_CONFIG : {}),
        startPosition: opts.startAtLiveEdge ? -1 : 0,
      });
      this.hls = hls;
      diag.hls = hls;
      hls.on(Hls.Events.FRAG_CHANGED, (_e, data) => {
        const [scene, level] = (data.frag.title ?? '').split('/');
        this.hud.onFragment(scene ?? '', level ?? '');
        diag.frags.push({ sn: Number(data.frag.sn), url: data.frag.url, at: performance.now() });
        if (diag.frags.length > 500) diag.frags.shift();
      });
      hls.on(Hls.Events.ERROR, (_e, data) => {
        if (data.fatal) $('status').textContent = `playback error: ${data.details}`;
      });
      hls.loadSource(opts.playlistUrl);
      hls.attachMedia(video);
    } else if (video.canPlayType('application/vnd.apple.mpegurl')) {
      video.src = opts.playlistUrl; // Safari plays HLS natively.
    } else {
      setStatus('player.statusUnsupported');
      return;
    }
    video.play().catch(() => setStatus('player.statusPressPlay'));
  }

  /** The film is over once the hub said so and the video played its last frame. */
  private maybeEnded(): void {
    if (this.ending === null || !this.videoEnded) return;
    diag.ended = true;
    setStatus('player.statusEnded');
    this.opts.onEnded(this.ending);
  }

  /** Sends a strap's sample (Web Bluetooth). */
  sample(sample: Parameters<ClientToServerEvents['sample']>[0]): void {
    this.socket.emit('sample', sample);
  }

  setVoice(on: boolean): void {
    this.voice.setEnabled(on);
  }

  get voiceAvailable(): boolean {
    return this.voice.available;
  }

  destroy(): void {
    if (this.timer) clearInterval(this.timer);
    for (const c of this.cleanups.splice(0)) c();
    this.socket.close();
    this.hls?.destroy();
    this.voice.destroy();
    this.hud.destroy();
    diag.playing = false;
  }
}

/** The page's controls and whichever Playback is current. */
class PlayerPage {
  private current: Playback | null = null;

  constructor() {
    $('connect-strap').addEventListener('click', () => {
      connectHeartRateStrap((sample) => this.current?.sample(sample))
        .then((name) => ($('strap-status').textContent = name))
        .catch((err: unknown) => ($('strap-status').textContent = String(err)));
    });
    $('unmute').addEventListener('click', () => {
      const video = $<HTMLVideoElement>('video');
      video.muted = !video.muted;
      $('unmute').textContent = t(LOCALE, video.muted ? 'player.soundOn' : 'player.soundOff');
    });
    $('narrator-voice').addEventListener('click', () => {
      const on = $('narrator-voice').getAttribute('aria-pressed') !== 'true';
      this.current?.setVoice(on);
      $('narrator-voice').setAttribute('aria-pressed', String(on));
    });
  }

  play(opts: Omit<PlayOptions, 'onEnded'>, onEnded: (ending: string) => void): void {
    this.current?.destroy();
    $('end-panel').hidden = true;
    this.current = new Playback({ ...opts, onEnded });
    $('narrator-voice').hidden = !this.current.voiceAvailable;
  }

  /** The end panel: the ending's name, "watch again" and the link to this viewing's report. */
  showEnd(session: { id: string; token: string }, ending: string, again: () => void): void {
    $('end-ending').textContent = t(LOCALE, 'player.endEnding', { ending });
    // A show's screen links the show's report (the show token opens it); a viewer their own.
    const show = PARAMS.get('show');
    const report = new URLSearchParams({
      ...(show ? { show } : { session: session.id }),
      token: session.token,
      lang: LOCALE,
    });
    $<HTMLAnchorElement>('your-report').href = `/report/?${report.toString()}`;
    const button = $('watch-again');
    const fresh = button.cloneNode(true) as HTMLElement;
    button.replaceWith(fresh);
    fresh.addEventListener('click', again);
    fresh.hidden = show !== null;
    $('end-panel').hidden = false;
  }
}

/** A viewer's own session: from the start panel, or joined by URL. */
function playOwn(
  page: PlayerPage,
  s: { id: string; token: string },
  url: string,
  live: boolean,
): void {
  page.play(
    { sessionId: s.id, token: s.token, playlistUrl: url, startAtLiveEdge: live, watchOnly: false },
    (ending) =>
      page.showEnd(s, ending, () => {
        createSession()
          .then((next) => {
            history.replaceState(null, '', playerPath(next));
            playOwn(page, next, next.masterUrl, false);
          })
          .catch((err: unknown) => ($('status').textContent = String(err)));
      }),
  );
}

function playerPath(s: { id: string; token: string }): string {
  const q = new URLSearchParams({ session: s.id, token: s.token });
  if (PARAMS.get('lang')) q.set('lang', LOCALE);
  return `/?${q.toString()}`;
}

async function simInfo(n: number): Promise<SimulatedViewerInfo | null> {
  const res = await fetch(`/api/sim/${n}`, { cache: 'no-store' });
  return res.ok ? ((await res.json()) as SimulatedViewerInfo) : null;
}

/** `/watch/sim/<n>`: follow simulated viewer n from session to session. */
async function followSimulated(page: PlayerPage, n: number): Promise<void> {
  const info = await simInfo(n);
  if (!info) {
    $('status').textContent = t(LOCALE, 'sim.none');
    return;
  }
  const p = info.personality;
  $('sim-label').textContent =
    `${t(LOCALE, 'sim.viewer', { n })} · ${t(LOCALE, `sim.kind.${p.kind}`)}${t(LOCALE, 'why.separator')}${t(LOCALE, `sim.heart.${p.heart}`)} · ${t(LOCALE, 'sim.run', { n: info.run })}`;
  const s = info.session;
  const res = await fetch(`/api/sessions/${s.id}?token=${encodeURIComponent(s.token)}`);
  const segments = res.ok ? ((await res.json()) as { segments: unknown[] }).segments.length : 0;
  page.play(
    {
      sessionId: s.id,
      token: s.token,
      playlistUrl: s.masterUrl,
      startAtLiveEdge: segments > 4,
      watchOnly: true,
    },
    (ending) => {
      page.showEnd(s, ending, () => void followSimulated(page, n));
      // The simulator starts its next session a few seconds after the end: follow it.
      const poll = setInterval(() => {
        void simInfo(n).then((next) => {
          if (next && next.session.id !== s.id) {
            clearInterval(poll);
            setTimeout(() => void followSimulated(page, n), 4000);
          }
        });
      }, 2000);
    },
  );
}

async function main(): Promise<void> {
  document.documentElement.lang = LOCALE;
  applyTranslations(document, LOCALE);
  if (PARAMS.get('compact') === '1') document.body.classList.add('compact');
  const page = new PlayerPage();
  const range = $<HTMLInputElement>('max-intensity');
  range.addEventListener('input', () => {
    $('max-intensity-value').textContent = Number(range.value).toFixed(2);
  });
  if (Number.isInteger(SIM_INDEX)) {
    $('start-panel').hidden = true;
    $('connect-strap').hidden = true;
    await followSimulated(page, SIM_INDEX);
    return;
  }
  const sessionId = PARAMS.get('session');
  const token = PARAMS.get('token');
  if (sessionId && token) {
    $('start-panel').hidden = true;
    const showId = PARAMS.get('show');
    if (showId) {
      // A show's screen: the film for the room and the audience's vote; no personal HUD.
      document.body.classList.add('screen');
      (window as unknown as { __screenVote: ScreenVote }).__screenVote = new ScreenVote(
        showId,
        token,
        LOCALE,
      );
    }
    const res = await fetch(`/api/sessions/${sessionId}?token=${encodeURIComponent(token)}`);
    if (!res.ok) {
      setStatus('player.sessionUnavailable', { status: res.status });
      return;
    }
    const info = (await res.json()) as { segments: unknown[] };
    // The multivariant playlist brings the narration subtitle rendition along with the video.
    const playlistUrl = `/sessions/${sessionId}/master.m3u8?token=${encodeURIComponent(token)}`;
    // Joining a session that is already under way: start at its live edge, not its beginning.
    playOwn(page, { id: sessionId, token }, playlistUrl, info.segments.length > 4);
    return;
  }
  $('start').addEventListener('click', () => {
    createSession()
      .then((s) => {
        $('start-panel').hidden = true;
        history.replaceState(null, '', playerPath(s));
        playOwn(page, s, s.masterUrl, false);
      })
      .catch((err: unknown) => ($('status').textContent = String(err)));
  });
}

void main();
