/**
 * Starts the real Frisson server (express + socket.io + SQLite file) on port 0 for a test, and
 * connects real socket.io clients to it.
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io as connect, type Socket } from 'socket.io-client';
import {
  createFrissonServer,
  type FrissonServer,
  type FrissonServerDeps,
} from '../../server/app.js';
import { loadConfig, type Config } from '../../server/config.js';
import type {
  ClientToServerEvents,
  CreateSessionResponse,
  ServerToClientEvents,
} from '../../contracts/wire.js';
import { fixtureStory } from './story-fixture.js';

export type ViewerClient = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface TestServer {
  server: FrissonServer;
  url: string;
  dir: string;
  close(): Promise<void>;
}

/** Writes the fixture manifest (graph only, no media) into a temp story dir. */
export async function writeFixtureStoryDir(dir: string): Promise<string> {
  const storyDir = join(dir, 'story');
  await mkdir(join(storyDir, 'dist'), { recursive: true });
  await writeFile(join(storyDir, 'dist', 'manifest.json'), JSON.stringify(fixtureStory()));
  return storyDir;
}

/** The `/metrics` credential test servers get (FRISSON_METRICS_TOKEN); send `METRICS_AUTH`. */
export const TEST_METRICS_TOKEN = 'test-metrics-token-0123456789';
export const METRICS_AUTH = { authorization: `Bearer ${TEST_METRICS_TOKEN}` };

export async function startTestServer(
  overrides: Partial<Record<keyof Config, unknown>> & { story?: string } = {},
  deps: FrissonServerDeps = {},
): Promise<TestServer> {
  const dir = await mkdtemp(join(tmpdir(), 'frisson-test-'));
  const story = overrides.story ?? (await writeFixtureStoryDir(dir));
  const cfg = loadConfig(
    {
      port: 0,
      host: '127.0.0.1',
      db: join(dir, 'frisson.db'),
      logLevel: 'silent',
      // Tests create many sessions from 127.0.0.1; the limit has its own tests (session-limits).
      sessionCreateRate: 0,
      metricsToken: TEST_METRICS_TOKEN,
      ...overrides,
      story,
    },
    {},
  );
  const server = await createFrissonServer(cfg, deps);
  const url = await server.listen();
  return {
    server,
    url,
    dir,
    close: async () => {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export async function createSession(
  url: string,
  body: object = {},
): Promise<CreateSessionResponse> {
  const res = await fetch(`${url}/api/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status !== 201) throw new Error(`create session: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as CreateSessionResponse;
}

export function connectViewer(
  url: string,
  s: { id: string; token: string },
): Promise<ViewerClient> {
  const socket: ViewerClient = connect(url, {
    transports: ['websocket'],
    auth: { sessionId: s.id, token: s.token },
    reconnection: false,
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) => {
      socket.close();
      reject(err);
    });
  });
}

export type AckResult = { ok: true } | { ok: false; error: { code: string; message: string } };

export function emitWithAck(
  socket: ViewerClient,
  event: 'sample' | 'input' | 'playhead',
  payload: unknown,
): Promise<AckResult> {
  return socket.timeout(5000).emitWithAck(event, payload) as Promise<AckResult>;
}
