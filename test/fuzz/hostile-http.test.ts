/**
 * Property-based fuzzing (fast-check, fixed seed) of every HTTP route with raw requests: session
 * bodies, session and playlist routes with random ids, tokens and query strings (incl. `_HLS_msn`),
 * path traversal on the media route and the static pages, random methods. Properties: never a 5xx,
 * every refusal a documented code, nothing outside the media directory is ever served (a canary
 * file beside the story and the SQLite database must never leak), and the server logs no error.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { writeFile } from 'node:fs/promises';
import { Agent } from 'node:http';
import { join } from 'node:path';
import { createSession, startTestServer, type TestServer } from '../support/server.js';
import { fuzzBudget } from './fuzz-budget.js';
import {
  assertCodedRefusal,
  countingLogger,
  rawRequest,
  wirePath,
  type RawResponse,
} from './fuzz-support.js';

const budget = fuzzBudget();
const CANARY = 'frisson-canary-6f1d9e';
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'] as const;

const junk = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.constantFrom('', '%', '%ZZ', '%00', '..', '%2e%2e', '..%2f', '%c0%ae', '\u0000', '😱', '[]'),
);
const traversal = fc
  .tuple(
    fc.array(
      fc.oneof(
        fc.constantFrom(
          '..',
          '%2e%2e',
          '.%2e',
          '%2e.',
          '..%2f..',
          '..%5c..',
          '.',
          '',
          '%252e%252e',
        ),
        fc.constantFrom(
          'secret.txt',
          'frisson.db',
          'frisson.db-wal',
          'manifest.json',
          '.env',
          'etc',
        ),
        fc.string({ maxLength: 12 }),
      ),
      { minLength: 1, maxLength: 8 },
    ),
    fc.constantFrom('/', '\\', '%2f', '%5c', '//'),
  )
  .map(([parts, sep]) => parts.join(sep));

const FUZZ_OPERATOR_KEY = 'operator-key-for-the-fuzz-run';

describe('fuzz: HTTP routes (real server, raw requests)', function () {
  this.timeout(0);
  let t: TestServer;
  let errors: () => string[];
  let agent: Agent;
  let s: { id: string; token: string };

  before(async () => {
    const logger = countingLogger();
    errors = logger.errors;
    // Rate limits off: every case must reach validation (rate limiting: fault-tolerance.test.ts).
    t = await startTestServer(
      { rateLimit: 1e9, rateBurst: 1e9, operatorKey: FUZZ_OPERATOR_KEY },
      { log: logger.log },
    );
    // A canary beside the story package: traversal out of the media dir would serve it.
    await writeFile(join(t.dir, 'secret.txt'), CANARY);
    await writeFile(join(t.dir, 'story', 'secret.txt'), CANARY);
    agent = new Agent({ keepAlive: true, maxSockets: 4 });
    s = await createSession(t.url);
  });
  after(async () => {
    agent?.destroy();
    await t?.close();
  });
  afterEach(() => assert.deepEqual(errors(), [], 'the server logged errors while fuzzed'));

  const check = (res: RawResponse, method: string, what: string): void => {
    assert.ok(res.status < 500, `${what}: HTTP ${res.status} ${res.body.toString().slice(0, 200)}`);
    const text = res.body.toString('latin1');
    assert.ok(!text.includes(CANARY), `${what}: served a file outside the media directory`);
    assert.ok(!text.startsWith('SQLite format 3'), `${what}: served the database`);
    if (res.status >= 400) assertCodedRefusal(res, method, what);
  };

  it(`should answer ${budget.runs(0.1)} hostile POST /api/sessions bodies with 201 or a coded 4xx`, async () => {
    const body = fc.oneof(
      fc
        .record(
          {
            maxIntensity: fc.oneof(fc.double(), fc.string(), fc.constant(null)),
            consent: fc.oneof(fc.boolean(), fc.integer(), fc.string()),
            locale: fc.oneof(fc.string({ maxLength: 20 }), fc.integer()),
            extra: fc.anything({ maxDepth: 2 }),
          },
          { requiredKeys: [] },
        )
        .map((o) => JSON.stringify(o)),
      fc.json({ maxDepth: 3 }),
      fc.string({ maxLength: 300 }),
      fc.constantFrom('', '{', '[]', 'null', '"x"', '{"locale":"' + 'x'.repeat(20_000) + '"}'),
    );
    const type = fc.constantFrom(
      'application/json',
      'application/json; charset=utf-16',
      'text/plain',
      'application/x-www-form-urlencoded',
      'application/json; charset=latin1',
    );
    await fc.assert(
      fc.asyncProperty(body, type, async (b, ct) => {
        const res = await rawRequest(agent, t.url, {
          method: 'POST',
          path: '/api/sessions',
          headers: { 'content-type': ct },
          body: b,
        });
        check(res, 'POST', `POST /api/sessions ${ct} ${b.slice(0, 80)}`);
        if (res.status === 201) {
          const created = JSON.parse(res.body.toString()) as { id?: unknown; token?: unknown };
          assert.equal(typeof created.id, 'string');
          assert.equal(typeof created.token, 'string');
        }
      }),
      budget.params(0.1),
    );
  });

  it(`should answer ${budget.runs(0.15)} hostile session and playlist requests without a 5xx`, async () => {
    const id = fc.oneof(fc.constant(s.id), fc.uuid(), junk);
    const token = fc.oneof(fc.constant(s.token), junk, fc.constant(undefined));
    // With the right token only msns already published (or not integers): a future msn is a
    // legitimate 3 s blocking reload answered 503, tested in test/integration.
    const msn = fc.oneof(
      fc.constant(undefined),
      fc.constantFrom('0', '1', '-1', '1.5', 'NaN', 'Infinity', '1e400', '', ' 0', '0x1', 'a'),
      junk,
    );
    const extra = fc.array(fc.tuple(junk, junk), { maxLength: 3 });
    const route = fc.constantFrom('/api/sessions/', '/sessions/', 'playlist');
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...METHODS),
        route,
        id,
        token,
        msn,
        extra,
        fc.boolean(),
        async (method, r, sid, tok, m, params, bearer) => {
          const q = new URLSearchParams();
          if (tok !== undefined && !bearer) q.append('token', tok);
          if (m !== undefined) q.append('_HLS_msn', m);
          for (const [k, v] of params) q.append(k, v);
          const base =
            r === 'playlist' ? `/sessions/${wirePath(sid)}/playlist.m3u8` : `${r}${wirePath(sid)}`;
          const path = `${base}?${q.toString()}`;
          const headers: Record<string, string> = {};
          if (bearer && tok !== undefined) headers.authorization = `Bearer ${wirePath(tok)}`;
          const blocking =
            r === 'playlist' &&
            sid === s.id &&
            tok === s.token &&
            m !== undefined &&
            /^\s*\d+\s*$/.test(m) &&
            Number(m) > 0;
          if (blocking) return; // see above
          const res = await rawRequest(agent, t.url, { method, path, headers });
          check(res, method, `${method} ${path}`);
        },
      ),
      budget.params(0.15),
    );
  });

  it(`should refuse ${budget.runs(0.15)} path traversal attempts on media and pages`, async () => {
    const prefix = fc.constantFrom(
      `/stories/${t?.server.story.id ?? 'fixture'}/`,
      '/stories/',
      '/',
      '/sessions/',
      '/api/',
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'HEAD', 'POST'),
        prefix,
        traversal,
        async (method, p, rest) => {
          const path = `${p}${wirePath(rest)}`;
          const res = await rawRequest(agent, t.url, { method, path });
          check(res, method, `${method} ${path}`);
        },
      ),
      budget.params(0.15),
    );
    // The manifest is still served to the operator, and to nobody else (operations.md, "What is
    // public").
    const manifest = `/stories/${t.server.story.id}/manifest.json`;
    const ok = await rawRequest(agent, t.url, {
      method: 'GET',
      path: manifest,
      headers: { 'x-frisson-operator-key': FUZZ_OPERATOR_KEY },
    });
    assert.equal(ok.status, 200);
    assert.equal((await rawRequest(agent, t.url, { method: 'GET', path: manifest })).status, 404);
  });
});
