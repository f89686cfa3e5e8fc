/**
 * Issue 18: `npm start` mixed raw pino JSON into its human banner, and a show's lines carried the
 * `show` key twice. A human gets readable lines (a terminal, or FRISSON_LOG_FORMAT=pretty); a
 * machine gets one JSON object per line (a pipe, or --log-format json, which wins over the env).
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createLogger } from '../../server/logger.js';
import { CliProcess } from '../support/cli-process.js';
import { freePort } from '../support/processes.js';
import { startTestServer, writeFixtureStoryDir } from '../support/server.js';

const BANNER = /^(Frisson is serving | {2}Player: |Press Ctrl\+C to stop\.$)/;

function lines(text: string): string[] {
  return text.split('\n').filter((l) => l.trim() !== '');
}

describe('serve logs: readable for humans, JSON for machines', function () {
  this.timeout(60_000);
  let dir: string;
  let story: string;
  let db: string;

  /** Starts `serve`, waits for the banner, optionally creates a session, stops it (SIGTERM). */
  async function serveOnce(
    args: string[],
    env: Record<string, string>,
    createSession = false,
  ): Promise<string> {
    const port = await freePort();
    const cli = new CliProcess(
      ['serve', '--story', story, '--db', db, '--port', String(port), ...args],
      { env },
    );
    try {
      await cli.waitForStdout(/Press Ctrl\+C to stop\./);
      if (createSession) {
        const res = await fetch(`http://127.0.0.1:${port}/api/sessions`, { method: 'POST' });
        assert.equal(res.status, 201);
      }
      cli.child.kill('SIGTERM');
      const r = await cli.exitWithin(10_000);
      assert.ok(r, 'no exit after SIGTERM');
      assert.equal(r.code, 0, r.stderr);
      return r.stdout;
    } finally {
      await cli.stop();
    }
  }

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'frisson-logs-'));
    story = await writeFixtureStoryDir(dir);
    db = join(dir, 'frisson.db');
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('should print JSON lines in a pipe by default', async () => {
    const out = await serveOnce([], {}, true);
    const logs = lines(out).filter((l) => !BANNER.test(l));
    assert.ok(logs.length > 0, out);
    for (const l of logs) assert.equal(typeof JSON.parse(l), 'object', l);
  });

  it('should print readable lines beside the banner with FRISSON_LOG_FORMAT=pretty', async () => {
    // The session created above is resumed from the store: the line the issue saw in the banner.
    const out = await serveOnce([], { FRISSON_LOG_FORMAT: 'pretty' });
    const all = lines(out);
    assert.ok(
      all.some((l) =>
        /^\[\d\d:\d\d:\d\d\] INFO: resumed sessions from the store \{"resumed":1\}$/.test(l),
      ),
      out,
    );
    assert.ok(
      all.some((l) => /^\[\d\d:\d\d:\d\d\] INFO: shutting down /.test(l)),
      out,
    );
    assert.equal(all.filter((l) => l.startsWith('{')).length, 0, out);
  });

  it('should let --log-format json win over FRISSON_LOG_FORMAT', async () => {
    const out = await serveOnce(['--log-format', 'json'], { FRISSON_LOG_FORMAT: 'pretty' });
    const logs = lines(out).filter((l) => !BANNER.test(l));
    const msgs = logs.map((l) => (JSON.parse(l) as { msg: string }).msg);
    assert.deepEqual(msgs, ['resumed sessions from the store', 'shutting down']);
  });

  it('should reject an unknown format with one line naming the variable', async () => {
    const cli = new CliProcess(['serve', '--story', story, '--db', db, '--log-format', 'xml']);
    const r = await cli.exitWithin(15_000);
    assert.ok(r);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /logFormat \(FRISSON_LOG_FORMAT\): .*"auto"\|"json"\|"pretty"/);
  });

  it('should not repeat the show id in a show’s log lines', async () => {
    let text = '';
    const destination = new Writable({
      write(chunk: Buffer, _enc, done) {
        text += chunk.toString();
        done();
      },
    });
    const log = createLogger('info', { format: 'json', destination });
    const key = 'operator-key-for-tests';
    const t = await startTestServer({ operatorKey: key }, { log });
    try {
      const headers = { 'content-type': 'application/json', 'x-frisson-operator-key': key };
      const created = await fetch(`${t.url}/api/shows`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ seatCount: 2, consent: false }),
      });
      assert.equal(created.status, 201);
      const { id } = (await created.json()) as { id: string };
      const forced = await fetch(`${t.url}/api/shows/${id}/control`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ action: 'force', scene: 'c' }),
      });
      assert.equal(forced.status, 200);
    } finally {
      await t.close();
    }
    const forcedLine = lines(text).find((l) => l.includes('operator forced the next scene'));
    assert.ok(forcedLine, text);
    for (const l of lines(text)) {
      // A repeated key survives in the raw line but not through JSON.parse: compare the two.
      assert.equal(JSON.stringify(JSON.parse(l)), l, `duplicate key in ${l}`);
    }
    assert.equal(forcedLine.match(/"show":/g)?.length, 1, forcedLine);
  });
});
