/**
 * `frisson bench flood`: a bystander's playlist latency while 200 sockets abuse the hub, side by
 * side in one run (issue 22: "under a flood of any one kind from 200 sockets, a bystander's
 * playlist p50 stays ≤ 2× its idle value").
 *
 * A hub is started in a child process (or `--url`); a bystander home session fetches its media
 * playlist back to back from this process. For each kind of flood (tools/load/flood-child.ts:
 * one seat token on `/seats`, one session on `/`, unauthenticated ~1 MB nested frames) the run
 * alternates an idle phase and a flood phase of `seconds` each, the flood coming from a separate
 * process, and reports the bystander's p50/p99 in both.
 */
import { fork } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FloodSpec } from '../load/flood-child.js';
import { startHub, stopChild } from '../load/load-command.js';
import { quantileOfSorted } from '../quantile.js';

const EXT = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
const FLOOD_CHILD = fileURLToPath(new URL(`../load/flood-child${EXT}`, import.meta.url));
const KINDS: FloodSpec['kind'][] = ['seats', 'viewer', 'frames'];

export interface FloodRow {
  kind: FloodSpec['kind'];
  connected: number;
  idle: { n: number; p50: number; p99: number };
  flood: { n: number; p50: number; p99: number };
  ratio: number;
}

const quantile = (xs: number[], q: number): number =>
  quantileOfSorted(
    [...xs].sort((a, b) => a - b),
    q,
  );

const summary = (xs: number[]) => ({
  n: xs.length,
  p50: Math.round(quantile(xs, 0.5) * 100) / 100,
  p99: Math.round(quantile(xs, 0.99) * 100) / 100,
});

async function post(url: string, body: object, key?: string): Promise<Record<string, unknown>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(key ? { 'x-frisson-operator-key': key } : {}),
    },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`POST ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
}

/** Fetches `playlist` back to back for `ms`, returning each fetch's latency (ms). */
async function bystander(playlist: string, ms: number): Promise<number[]> {
  const out: number[] = [];
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const t0 = performance.now();
    const res = await fetch(playlist);
    await res.text();
    out.push(performance.now() - t0);
    await sleep(20);
  }
  return out;
}

export async function runFloodBench(opts: {
  story: string;
  url?: string;
  operatorKey?: string;
  sockets: number;
  /** Events per second per flooding socket. */
  rate: number;
  seconds: number;
  log: (line: string) => void;
}): Promise<FloodRow[]> {
  const key = opts.operatorKey ?? 'flood-bench-operator-key';
  const dir = await mkdtemp(join(tmpdir(), 'frisson-flood-'));
  const hub = opts.url ? null : await startHub(opts.story, dir, key);
  const url = opts.url ?? hub?.url ?? '';
  try {
    const mine = await post(`${url}/api/sessions`, {});
    const playlist = new URL(String(mine.playlistUrl));
    playlist.search = `?token=${encodeURIComponent(String(mine.token))}`;
    const victim = await post(`${url}/api/sessions`, {});
    const show = (await post(`${url}/api/shows`, { seatCount: 2 }, key)) as {
      seats: Array<{ seat: string; token: string }>;
    };
    const seat = show.seats[0];
    if (!seat) throw new Error('the show has no seat');
    await bystander(playlist.href, 1000); // warm-up
    const rows: FloodRow[] = [];
    for (const kind of KINDS) {
      const idle = await bystander(playlist.href, opts.seconds * 1000);
      const spec: FloodSpec = {
        url,
        kind,
        sockets: opts.sockets,
        rate: opts.rate,
        token: kind === 'seats' ? seat.token : String(victim.token),
        id: kind === 'seats' ? seat.seat : String(victim.id),
      };
      const child = fork(FLOOD_CHILD, ['--frisson-flood-child', JSON.stringify(spec)], {
        stdio: 'inherit',
      });
      const connected = await new Promise<number>((resolve, reject) => {
        child.once('message', (m: { connected: number }) => resolve(m.connected));
        child.once('exit', (code) => reject(new Error(`flood child exited (${code})`)));
      });
      const flood = await bystander(playlist.href, opts.seconds * 1000);
      child.disconnect();
      await stopChild(child);
      const row: FloodRow = {
        kind,
        connected,
        idle: summary(idle),
        flood: summary(flood),
        ratio: Math.round((quantile(flood, 0.5) / quantile(idle, 0.5)) * 100) / 100,
      };
      opts.log(`${kind}: idle p50 ${row.idle.p50} ms, flood p50 ${row.flood.p50} ms`);
      rows.push(row);
      await sleep(1000);
    }
    return rows;
  } finally {
    if (hub) await stopChild(hub.child);
    await rm(dir, { recursive: true, force: true });
  }
}

export function formatFloodTable(rows: FloodRow[], sockets: number, rate: number): string {
  const lines = [
    `bystander playlist latency, idle vs a flood from ${sockets} sockets at ${rate} events/s each (frames: 1 MB/s each)`,
    'target: flood p50 ≤ 2× idle p50',
    '',
    'flood    sockets up  idle p50  idle p99  flood p50  flood p99  ratio  target',
  ];
  for (const r of rows) {
    lines.push(
      [
        r.kind.padEnd(8),
        String(r.connected).padStart(10),
        `${r.idle.p50} ms`.padStart(9),
        `${r.idle.p99} ms`.padStart(9),
        `${r.flood.p50} ms`.padStart(10),
        `${r.flood.p99} ms`.padStart(10),
        `${r.ratio}×`.padStart(6),
        r.ratio <= 2 ? '  met' : '  MISSED',
      ].join(' '),
    );
  }
  return lines.join('\n');
}
