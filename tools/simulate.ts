/**
 * `--simulate N`: N simulated home viewers, each a seeded physiological simulator whose heart
 * answers what its own session actually publishes, connected through the real HTTP API and the
 * real socket.io hub — the same path a wearable in a browser takes. When a viewer's story ends it
 * starts a new session, so the demo keeps adapting for as long as the server runs.
 */
import { io as connect, type Socket } from 'socket.io-client';
import { samplePopulation, ViewerSimulator } from '../sensors/simulator/viewer-simulator.js';
import type { SimulatedViewerParams } from '../sensors/simulator/simulator-types.js';
import type { PackagedStory } from '../contracts/story.js';
import type {
  ClientToServerEvents,
  CreateSessionResponse,
  DecisionEvent,
  ServerToClientEvents,
  SimulatedViewerInfo,
} from '../contracts/wire.js';

export interface SimulatedViewer {
  /** The viewer's current session (replaced when a story ends). */
  readonly session: CreateSessionResponse;
  /** What `/api/sim` lists for this viewer. */
  info(): SimulatedViewerInfo;
  close(): void;
}

/** A simulated viewer's parameters with a name for people. */
export interface Personality {
  params: SimulatedViewerParams;
  label: SimulatedViewerInfo['personality'];
}

/**
 * `count` viewers whose films visibly diverge: drawn from the default population (a pool several
 * times larger than needed), keeping those whose heart shows what they feel (cardiac reactivity
 * ≥ 6 bpm, no settling strap: a viewer nobody can read teaches a newcomer nothing), then taken at
 * evenly spaced quantiles of susceptibility, most susceptible first.
 */
export function pickPersonalities(seed: number, count: number): Personality[] {
  if (count === 0) return [];
  const pool = samplePopulation(seed, Math.max(48, count * 12))
    .filter((p) => p.cardiacReactivity >= 6 && p.badStartS === 0)
    .sort((a, b) => b.susceptibility - a.susceptibility);
  const picked = Array.from({ length: count }, (_, i) => {
    const q = count === 1 ? 0.25 : i / (count - 1);
    return pool[Math.round(q * (pool.length - 1))] ?? pool[0]!;
  });
  return picked.map((params) => ({ params, label: personalityLabel(params) }));
}

function personalityLabel(p: SimulatedViewerParams): SimulatedViewerInfo['personality'] {
  return {
    kind: p.susceptibility >= 1.1 ? 'jumpy' : p.susceptibility <= 0.65 ? 'unflappable' : 'steady',
    heart: p.cardiacReactivity >= 10 ? 'strong' : 'weak',
  };
}

export interface SimulationOptions {
  baseUrl: string;
  story: PackagedStory;
  count: number;
  seed?: number;
  /** Real seconds per simulation step. */
  stepS?: number;
  /** Called with every new session after the first (the previous story ended). */
  onSession?: (index: number, session: CreateSessionResponse) => void;
}

type HubSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

async function createSession(baseUrl: string): Promise<CreateSessionResponse> {
  const res = await fetch(`${baseUrl}/api/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    // No person behind it: its samples are stored, so its report shows the heart rate too.
    body: JSON.stringify({ consent: true }),
  });
  if (!res.ok) throw new Error(`could not create a simulated session: HTTP ${res.status}`);
  return (await res.json()) as CreateSessionResponse;
}

class SimulatedViewerRun implements SimulatedViewer {
  session: CreateSessionResponse;
  private run = 1;
  private socket: HubSocket | null = null;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly sim: ViewerSimulator;

  constructor(
    private readonly opts: SimulationOptions,
    private readonly index: number,
    private readonly personality: Personality,
    first: CreateSessionResponse,
  ) {
    this.sim = new ViewerSimulator(personality.params);
    this.session = first;
    void this.watch(first);
  }

  private async watch(session: CreateSessionResponse): Promise<void> {
    const levelIntensity = new Map(this.opts.story.levels.map((l) => [l.id, l.intensity]));
    // Which intensity is on screen at media time t: the segments published so far, then every
    // decision as it is published.
    const timeline: Array<{ start: number; intensity: number }> = [];
    let published = 0;
    const add = (level: string, duration: number): void => {
      timeline.push({ start: published, intensity: levelIntensity.get(level) ?? 0 });
      published += duration;
    };
    const info = (await fetch(
      `${this.opts.baseUrl}/api/sessions/${session.id}?token=${encodeURIComponent(session.token)}`,
    ).then((r) => r.json())) as { segments?: Array<{ title: string; duration: number }> };
    for (const seg of info.segments ?? []) add(seg.title.split('/')[1] ?? '', seg.duration);
    const socket: HubSocket = connect(this.opts.baseUrl, {
      transports: ['websocket'],
      auth: { sessionId: session.id, token: session.token },
    });
    this.socket = socket;
    socket.on('decision', (d: DecisionEvent) => add(d.level, d.duration));
    socket.on('ended', () => void this.next());
    const stepS = this.opts.stepS ?? 1;
    const started = Date.now();
    this.timer = setInterval(() => {
      const t = (Date.now() - started) / 1000;
      let intensity = 0;
      for (const seg of timeline) if (seg.start <= t) intensity = seg.intensity;
      for (const s of this.sim.step(stepS, intensity)) {
        const sample = {
          ...(s.bpm !== undefined ? { bpm: s.bpm } : {}),
          ...(s.rr && s.rr.length > 0 ? { rr: s.rr } : {}),
          ...(s.contact !== undefined ? { contact: s.contact } : {}),
        };
        if (sample.bpm === undefined && sample.rr === undefined) continue;
        socket.emit('sample', sample);
      }
      socket.emit('playhead', { position: t });
    }, stepS * 1000);
  }

  private async next(): Promise<void> {
    this.stop();
    if (this.closed) return;
    // Let the last segments play out before the next story starts.
    await new Promise((r) => setTimeout(r, 3000));
    if (this.closed) return;
    try {
      this.session = await createSession(this.opts.baseUrl);
      this.run++;
      this.opts.onSession?.(this.index, this.session);
      await this.watch(this.session);
    } catch {
      // The server is shutting down.
    }
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.socket?.close();
    this.socket = null;
  }

  info(): SimulatedViewerInfo {
    return {
      index: this.index + 1,
      personality: this.personality.label,
      susceptibility: Math.round(this.personality.params.susceptibility * 100) / 100,
      cardiacReactivity: Math.round(this.personality.params.cardiacReactivity * 10) / 10,
      run: this.run,
      session: this.session,
    };
  }

  close(): void {
    this.closed = true;
    this.stop();
  }
}

export async function startSimulatedViewers(opts: SimulationOptions): Promise<SimulatedViewer[]> {
  const people = pickPersonalities(opts.seed ?? 1, opts.count);
  const viewers: SimulatedViewer[] = [];
  for (const [i, p] of people.entries()) {
    viewers.push(new SimulatedViewerRun(opts, i, p, await createSession(opts.baseUrl)));
  }
  return viewers;
}
