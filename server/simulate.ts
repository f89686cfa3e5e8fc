/**
 * `--simulate N`: N simulated home viewers, each a seeded physiological simulator whose heart
 * answers what its own session actually publishes, connected through the real HTTP API and the
 * real socket.io hub — the same path a wearable in a browser takes.
 */
import { io as connect, type Socket } from 'socket.io-client';
import { samplePopulation, ViewerSimulator } from '../sensors/simulator/viewer-simulator.js';
import type { PackagedStory } from '../media/story/manifest.js';
import type {
  ClientToServerEvents,
  CreateSessionResponse,
  DecisionEvent,
  ServerToClientEvents,
} from './protocol.js';

export interface SimulatedViewer {
  session: CreateSessionResponse;
  close(): void;
}

export interface SimulationOptions {
  baseUrl: string;
  story: PackagedStory;
  count: number;
  seed?: number;
  /** Real seconds per simulation step. */
  stepS?: number;
}

export async function startSimulatedViewers(opts: SimulationOptions): Promise<SimulatedViewer[]> {
  const params = samplePopulation(opts.seed ?? 1, opts.count);
  const levelIntensity = new Map(opts.story.levels.map((l) => [l.id, l.intensity]));
  const stepS = opts.stepS ?? 1;
  const viewers: SimulatedViewer[] = [];
  for (const p of params) {
    const res = await fetch(`${opts.baseUrl}/api/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    if (!res.ok) throw new Error(`could not create a simulated session: HTTP ${res.status}`);
    const session = (await res.json()) as CreateSessionResponse;
    const sim = new ViewerSimulator(p);
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = connect(opts.baseUrl, {
      transports: ['websocket'],
      auth: { sessionId: session.id, token: session.token },
    });
    // Which intensity is on screen at media time t: follow the published decisions.
    const timeline: Array<{ start: number; intensity: number }> = [];
    let published = 0;
    socket.on('decision', (d: DecisionEvent) => {
      timeline.push({ start: published, intensity: levelIntensity.get(d.level) ?? 0 });
      published += d.duration;
    });
    const started = Date.now();
    const timer = setInterval(() => {
      const t = (Date.now() - started) / 1000;
      let intensity = 0;
      for (const seg of timeline) if (seg.start <= t) intensity = seg.intensity;
      for (const s of sim.step(stepS, intensity)) {
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
    viewers.push({
      session,
      close: () => {
        clearInterval(timer);
        socket.close();
      },
    });
  }
  return viewers;
}
