/**
 * `frisson serve --venue-demo [--seats N]`: a venue show in one command. Creates a show through the
 * HTTP API (as an operator would), feeds N simulated seats — each its own physiology drawn from the
 * simulator's population, reacting to what the show's screen shows — through a real sensor agent
 * on `/seats`, and has the seats vote over HTTP with their seat tokens whenever a vote opens.
 */
import { SensorAgent } from '../sensors/agent/sensor-agent.js';
import { SimulatedSeats } from '../sensors/agent/simulated-seats.js';
import { Prng } from '../contracts/random.js';
import type { VoteState } from '../contracts/wire.js';

export interface VenueDemoOptions {
  baseUrl: string;
  operatorKey: string;
  seats: number;
  seed?: number;
  /** Intensity on the show's screen now (the screen session's), once the show exists. */
  screenIntensity: (screenSessionId: string) => number;
}

export interface VenueDemo {
  showId: string;
  dashboardUrl: string;
  screenUrl: string;
  reportUrl: string;
  close(): Promise<void>;
}

interface CreatedShow {
  id: string;
  screenSessionId: string;
  token: string;
  screenUrl: string;
  dashboardUrl: string;
  reportUrl: string;
  seats: Array<{ seat: string; token: string }>;
}

/** How often the seats look for an open vote, ms. */
const VOTE_POLL_MS = 1500;

export async function startVenueDemo(opts: VenueDemoOptions): Promise<VenueDemo> {
  const res = await fetch(`${opts.baseUrl}/api/shows`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-frisson-operator-key': opts.operatorKey },
    body: JSON.stringify({
      title: 'Venue demo',
      seatCount: opts.seats,
      consent: true,
      // Nobody may have the screen open yet: the show advances on the wall clock regardless.
      autoAdvance: true,
    }),
  });
  if (!res.ok) throw new Error(`could not create the venue demo show: HTTP ${res.status}`);
  const show = (await res.json()) as CreatedShow;
  const agent = new SensorAgent({ hub: opts.baseUrl, token: show.token, agentId: 'venue-demo' });
  const seats = new SimulatedSeats({
    seats: opts.seats,
    rateHz: 1,
    seed: opts.seed ?? 21,
    intensity: () => opts.screenIntensity(show.screenSessionId),
    onSample: (seat, s) => agent.add(seat, s),
  });
  agent.start();
  seats.start();

  // Votes: each seat votes once per window with probability 0.8, leaning to the first option.
  const rng = new Prng(opts.seed ?? 21);
  const voted = new Set<string>();
  const seatToken = new Map(show.seats.map((s) => [s.seat, s.token]));
  const anyToken = show.seats[0]?.token;
  let polling = false;
  const poll = async (): Promise<void> => {
    if (polling || !anyToken) return;
    polling = true;
    try {
      const r = await fetch(`${opts.baseUrl}/api/shows/${show.id}/vote`, {
        headers: { authorization: `Bearer ${anyToken}` },
      });
      if (!r.ok) return;
      const { vote } = (await r.json()) as { vote: VoteState | null };
      if (!vote || vote.result || voted.has(vote.id) || vote.options.length === 0) return;
      voted.add(vote.id);
      for (const seat of seatIds(opts.seats)) {
        if (rng.next() > 0.8) continue;
        const pick = rng.next() < 0.6 ? 0 : Math.floor(rng.next() * vote.options.length);
        const option = vote.options[pick]?.scene;
        const token = seatToken.get(seat);
        if (!option || !token) continue;
        await fetch(`${opts.baseUrl}/api/shows/${show.id}/votes`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ seat, option }),
        });
        // Spread the ballots over a few seconds, as people in a room would.
        await new Promise((done) => setTimeout(done, 150));
      }
    } catch {
      // The server is shutting down.
    } finally {
      polling = false;
    }
  };
  const voter = setInterval(() => void poll(), VOTE_POLL_MS);

  return {
    showId: show.id,
    dashboardUrl: `${show.dashboardUrl}#key=${encodeURIComponent(opts.operatorKey)}`,
    screenUrl: show.screenUrl,
    reportUrl: show.reportUrl,
    close: async () => {
      clearInterval(voter);
      seats.stop();
      await agent.stop(0);
    },
  };
}

/** The seat ids the show router numbers `seatCount` seats with (S001, S002, …). */
function seatIds(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `S${String(i + 1).padStart(3, '0')}`);
}
