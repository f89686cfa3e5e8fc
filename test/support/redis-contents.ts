/**
 * Everything a Redis holds, as text: every key (SCAN, what `redis-cli --scan` lists) with every
 * value read by its type (strings, hashes, lists, sets, sorted sets, streams). Reading values
 * logically instead of `DUMP`ing them matters for a search: DUMP's RDB encoding may LZF-compress
 * a long string, which would hide a value from a byte search and make "not found" meaningless.
 */
import { Redis } from 'ioredis';

export interface RedisContents {
  /** Every key and every value except stream entries, as text. */
  text: string;
  /** Every stream entry: its key, id (`<ms>-<seq>`) and fields joined as text. */
  entries: Array<{ key: string; id: string; ms: number; text: string }>;
}

export async function redisContents(url: string): Promise<RedisContents> {
  const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  r.on('error', () => undefined);
  await r.connect();
  try {
    const parts: string[] = [];
    const entries: RedisContents['entries'] = [];
    let cursor = '0';
    do {
      const [next, keys] = await r.scan(cursor, 'COUNT', 500);
      cursor = next;
      for (const key of keys) {
        const type = await r.type(key);
        parts.push(`# ${type} ${key}`);
        if (type === 'string') parts.push(String(await r.get(key)));
        else if (type === 'hash') parts.push(JSON.stringify(await r.hgetall(key)));
        else if (type === 'list') parts.push((await r.lrange(key, 0, -1)).join('\n'));
        else if (type === 'set') parts.push((await r.smembers(key)).join('\n'));
        else if (type === 'zset') parts.push((await r.zrange(key, '0', '-1')).join('\n'));
        else if (type === 'stream') {
          for (const [id, fields] of await r.xrange(key, '-', '+')) {
            entries.push({ key, id, ms: Number(id.split('-')[0]), text: fields.join('\n') });
          }
        }
      }
    } while (cursor !== '0');
    return { text: parts.join('\n'), entries };
  } finally {
    r.disconnect();
  }
}
