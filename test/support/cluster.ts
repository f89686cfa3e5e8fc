/**
 * Cluster-mode test rig: a real `redis-server` and two real hub processes ("a" and "b") on the
 * same story, each with its own SQLite file under `dir`, sharing Redis (FRISSON_REDIS_URL) and
 * whatever else `env` sets (secret, operator key…).
 */
import { join } from 'node:path';
import { freePort, ServerProcess } from './processes.js';
import { RedisServer } from './redis.js';

export interface TwoHubs {
  redis: RedisServer;
  hubA: ServerProcess;
  hubB: ServerProcess;
  /** Stops both hubs, then Redis. */
  stop(): Promise<void>;
}

/**
 * @example
 *   const rig = await startTwoHubs({ story, dir, env: { FRISSON_SECRET: SECRET } });
 *   await fetch(`${rig.hubA.url}/api/sessions`, …); // and read it back from rig.hubB.url
 *   await rig.stop();
 */
export async function startTwoHubs(opts: {
  story: string;
  dir: string;
  env?: Record<string, string>;
  /** Settings of one hub only (e.g. its own FRISSON_TRACE_DIR). */
  nodeEnv?: Partial<Record<'a' | 'b', Record<string, string>>>;
}): Promise<TwoHubs> {
  const redis = await RedisServer.start();
  const hub = async (node: 'a' | 'b'): Promise<ServerProcess> =>
    new ServerProcess({
      story: opts.story,
      db: join(opts.dir, `${node}.db`),
      port: await freePort(),
      env: {
        ...opts.env,
        ...opts.nodeEnv?.[node],
        FRISSON_REDIS_URL: redis.url,
        FRISSON_NODE_ID: node,
      },
    });
  const hubA = await hub('a');
  const hubB = await hub('b');
  try {
    await Promise.all([hubA.start(), hubB.start()]);
  } catch (err) {
    await Promise.allSettled([hubA.stop(), hubB.stop()]);
    await redis.down();
    throw err;
  }
  return {
    redis,
    hubA,
    hubB,
    stop: async () => {
      await Promise.all([hubA.stop(), hubB.stop()]);
      await redis.down();
    },
  };
}
