/**
 * The Frisson player: hls.js on a per-session live playlist, a socket.io link to the hub, and a HUD.
 *
 * Sends: `sample` (Web Bluetooth strap), `input` (click/pause/play/seek/visibility), `playhead`
 * (every 500 ms and on stalls). Receives: `state` (HUD), `decision`, `ended`.
 *
 * hls.js tuning (see docs/design.md, "Latency"): the server publishes only ~1.5 s ahead of the
 * playhead and answers blocking reloads (`_HLS_msn`) the moment a segment is published, so the
 * player must sit close to the live edge (`liveSyncDurationCount: 1`) and keep little buffer
 * (`maxBufferLength: 3`) — there is never more than the horizon to buffer anyway.
 */
import Hls from 'hls.js';
import { io, type Socket } from 'socket.io-client';
import type {
  ClientToServerEvents,
  CreateSessionResponse,
  ServerToClientEvents,
  StateUpdate,
} from '../../contracts/wire.js';
import { resolveLocale, t } from '../../contracts/i18n.js';
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
  frags: [],
  narration: [],
};
(window as unknown as { __frisson: PlayerDiagnostics }).__frisson = diag;

function setStatus(text: string): void {
  $('status').textContent = text;
}

async function createSession(): Promise<CreateSessionResponse> {
  const maxIntensity = Number($<HTMLInputElement>('max-intensity').value);
  const consent = $<HTMLInputElement>('consent').checked;
  const res = await fetch('/api/sessions', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ maxIntensity, consent }),
  });
  const body = (await res.json()) as CreateSessionResponse & { error?: { message: string } };
  if (!res.ok) throw new Error(body.error?.message ?? `HTTP ${res.status}`);
  return body;
}

function renderState(s: StateUpdate): void {
  diag.lastState = s;
  $('hud-hr').textContent = s.heartRate === null ? '–' : `${Math.round(s.heartRate)} bpm`;
  $<HTMLMeterElement>('hud-arousal').value = s.arousal;
  $('hud-arousal-value').textContent = s.arousal.toFixed(2);
  $('hud-target').textContent = s.targetArousal.toFixed(2);
  $('hud-contact').textContent = s.contact;
}

function play(
  sessionId: string,
  token: string,
  playlistUrl: string,
  startAtLiveEdge: boolean,
): void {
  const video = $<HTMLVideoElement>('video');
  const socket: HubSocket = io({ transports: ['websocket'], auth: { sessionId, token } });
  socket.on('state', renderState);
  socket.on('decision', () => {
    diag.decisions++;
  });
  socket.on('ended', () => setStatus('the end'));
  const voice = new NarrationVoice(video);
  socket.on('narration', (cue) => {
    diag.narration.push({ text: cue.text, start: cue.start });
    voice.add(cue);
  });
  $('narrator-voice').hidden = !voice.available;
  $('narrator-voice').addEventListener('click', () => {
    const on = $('narrator-voice').getAttribute('aria-pressed') !== 'true';
    voice.setEnabled(on);
    $('narrator-voice').setAttribute('aria-pressed', String(on));
  });
  socket.on('connect_error', (err) => setStatus(`hub: ${err.message}`));

  const report = (stalled = false): void => {
    const b = video.buffered;
    const end = b.length > 0 ? b.end(b.length - 1) : video.currentTime;
    socket.emit('playhead', {
      position: video.currentTime,
      buffered: Math.max(0, end - video.currentTime),
      paused: video.paused,
      stalled,
    });
  };
  const timer = setInterval(() => report(), 500);

  video.addEventListener('playing', () => {
    diag.playing = true;
    setStatus('playing');
  });
  video.addEventListener('waiting', () => {
    // A `waiting` after playback started is a stall: report it at once.
    if (diag.playing) {
      diag.stalls++;
      report(true);
    }
  });
  video.addEventListener('pause', () => socket.emit('input', { kind: 'pause' }));
  video.addEventListener('play', () => socket.emit('input', { kind: 'play' }));
  video.addEventListener('seeked', () =>
    socket.emit('input', { kind: 'seek', value: video.currentTime }),
  );
  video.addEventListener('click', () => socket.emit('input', { kind: 'click' }));
  document.addEventListener('visibilitychange', () =>
    socket.emit('input', {
      kind: 'visibility',
      value: document.visibilityState === 'visible' ? 1 : 0,
    }),
  );
  video.addEventListener('ended', () => clearInterval(timer));

  $('connect-strap').addEventListener('click', () => {
    connectHeartRateStrap((sample) => socket.emit('sample', sample))
      .then((name) => ($('strap-status').textContent = `connected: ${name}`))
      .catch((err: unknown) => ($('strap-status').textContent = String(err)));
  });
  $('unmute').addEventListener('click', () => {
    video.muted = !video.muted;
    $('unmute').textContent = t(LOCALE, video.muted ? 'player.soundOn' : 'player.soundOff');
  });

  if (Hls.isSupported()) {
    // `?hls=default` plays with hls.js defaults (the classic stitching baseline in the latency bench).
    const tuned = new URLSearchParams(location.search).get('hls') !== 'default';
    const hls = new Hls({ ...(tuned ? HLS_CONFIG : {}), startPosition: startAtLiveEdge ? -1 : 0 });
    diag.hls = hls;
    hls.on(Hls.Events.FRAG_CHANGED, (_e, data) => {
      const title = data.frag.title ?? '';
      const [scene, level] = title.split('/');
      $('hud-scene').textContent = scene ?? '–';
      $('hud-level').textContent = level ?? '–';
      diag.frags.push({ sn: Number(data.frag.sn), url: data.frag.url, at: performance.now() });
      if (diag.frags.length > 500) diag.frags.shift();
    });
    hls.on(Hls.Events.ERROR, (_e, data) => {
      if (data.fatal) setStatus(`playback error: ${data.details}`);
    });
    hls.loadSource(playlistUrl);
    hls.attachMedia(video);
  } else if (video.canPlayType('application/vnd.apple.mpegurl')) {
    video.src = playlistUrl; // Safari plays HLS natively.
  } else {
    setStatus('this browser cannot play HLS');
    return;
  }
  video.play().catch(() => setStatus('press play to start'));
}

/** Page language: `?lang=zh-CN`, else the browser's (English and Simplified Chinese). */
const LOCALE = resolveLocale(
  new URLSearchParams(location.search).get('lang') ?? navigator.language,
);

async function main(): Promise<void> {
  document.documentElement.lang = LOCALE;
  applyTranslations(document, LOCALE);
  const range = $<HTMLInputElement>('max-intensity');
  range.addEventListener('input', () => {
    $('max-intensity-value').textContent = Number(range.value).toFixed(2);
  });
  const params = new URLSearchParams(location.search);
  const sessionId = params.get('session');
  const token = params.get('token');
  if (sessionId && token) {
    $('start-panel').hidden = true;
    const res = await fetch(`/api/sessions/${sessionId}?token=${encodeURIComponent(token)}`);
    if (!res.ok) {
      setStatus(`session unavailable (HTTP ${res.status})`);
      return;
    }
    const info = (await res.json()) as { segments: unknown[] };
    // The multivariant playlist brings the narration subtitle rendition along with the video.
    const playlistUrl = `/sessions/${sessionId}/master.m3u8?token=${encodeURIComponent(token)}`;
    // Joining a session that is already under way: start at its live edge, not its beginning.
    play(sessionId, token, playlistUrl, info.segments.length > 4);
    return;
  }
  $('start').addEventListener('click', () => {
    createSession()
      .then((s) => {
        $('start-panel').hidden = true;
        history.replaceState(null, '', `/?session=${s.id}&token=${encodeURIComponent(s.token)}`);
        play(s.id, s.token, s.masterUrl, false);
      })
      .catch((err: unknown) => setStatus(String(err)));
  });
}

void main();
