/**
 * Property-based fuzzing (fast-check, fixed seed) of the file and byte formats Frisson reads from
 * outside: trace files (JSON Lines), story package manifests, BLE Heart Rate Measurement frames and
 * HID report descriptors/reports. Properties: the parser never throws, a refusal is a result with
 * a literal code and a readable message (a story is refused with FRISSON_ERR_STORY_INVALID naming
 * the file and the field), and whatever is accepted satisfies the format's invariants.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseHeartRateMeasurement } from '../../contracts/ble-heart-rate.js';
import { createHeartRateReportDecoder } from '../../sensors/hid/heart-rate-report-decoder.js';
import { parseReportDescriptor } from '../../sensors/hid/report-descriptor.js';
import { parseTrace, traceLine } from '../../sensors/trace/trace-format.js';
import { FrissonError } from '../../contracts/errors.js';
import { requirePackagedStory } from '../../server/story-library.js';
import { fixtureStory } from '../support/story-fixture.js';
import { fuzzBudget } from './fuzz-budget.js';

const budget = fuzzBudget();

/** Sets `value` at a random path inside a JSON value (or deletes the key when value is undefined). */
function mutate(root: unknown, path: number[], value: unknown): unknown {
  const copy = structuredClone(root) as Record<string, unknown>;
  let node: unknown = copy;
  for (let i = 0; i < path.length; i++) {
    if (!node || typeof node !== 'object') break;
    const keys = Object.keys(node);
    if (keys.length === 0) break;
    const key = keys[(path[i] ?? 0) % keys.length] as string;
    const child = (node as Record<string, unknown>)[key];
    if (i === path.length - 1 || !child || typeof child !== 'object') {
      if (value === undefined) delete (node as Record<string, unknown>)[key];
      else (node as Record<string, unknown>)[key] = value;
      break;
    }
    node = child;
  }
  return copy;
}

describe('fuzz: files and frames from outside', function () {
  this.timeout(0);
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'frisson-fuzz-files-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it(`should reject ${budget.runs(0.05)} malformed trace files with a line-numbered error and never throw`, () => {
    const header = JSON.stringify({ format: 'frisson-trace', version: 1, createdAt: 1 });
    const sampleLine = fc.oneof(
      fc
        .record(
          {
            t: fc.oneof(fc.nat(), fc.double(), fc.string()),
            seat: fc.oneof(fc.string({ maxLength: 70 }), fc.integer()),
            bpm: fc.oneof(fc.double(), fc.string()),
            rr: fc.oneof(fc.array(fc.double(), { maxLength: 70 }), fc.string()),
            contact: fc.oneof(fc.boolean(), fc.integer()),
            eda: fc.double(),
            x: fc.anything({ maxDepth: 1 }),
          },
          { requiredKeys: [] },
        )
        .map((o) => JSON.stringify(o)),
      fc.string({ maxLength: 80 }),
      fc.json({ maxDepth: 2 }),
    );
    const file = fc.tuple(
      fc.oneof(fc.constant(header), fc.string({ maxLength: 80 }), fc.json({ maxDepth: 2 })),
      fc.array(sampleLine, { maxLength: 12 }),
      fc.constantFrom('\n', '\r\n'),
    );
    fc.assert(
      fc.property(file, ([head, lines, eol]) => {
        const text = [head, ...lines].join(eol);
        const r = parseTrace(text);
        if (r.success) {
          // Accepted: re-serialising gives a trace that parses to the same samples.
          const again = parseTrace([header, ...r.data.samples.map(traceLine)].join('\n'));
          assert.equal(again.success, true);
          for (let i = 1; i < r.data.samples.length; i++) {
            assert.ok((r.data.samples[i]?.t ?? 0) >= (r.data.samples[i - 1]?.t ?? 0));
          }
        } else {
          assert.equal(r.error.code, 'invalid-trace');
          assert.match(r.error.message, /^line \d+: /);
        }
      }),
      budget.params(0.05),
    );
  });

  it(`should refuse ${budget.runs(0.03)} corrupted story manifests with FRISSON_ERR_STORY_INVALID`, async () => {
    const good = fixtureStory();
    const replacement = fc.oneof(
      fc.constant(undefined),
      fc.constant(null),
      fc.string({ maxLength: 20 }),
      fc.double(),
      fc.integer({ min: -5, max: 5 }),
      fc.boolean(),
      fc.constant([]),
      fc.constant({}),
    );
    const content = fc.oneof(
      fc
        .tuple(fc.array(fc.nat({ max: 50 }), { minLength: 1, maxLength: 6 }), replacement)
        .map(([path, v]) => JSON.stringify(mutate(good, path, v))),
      fc.string({ maxLength: 200 }),
      fc.json({ maxDepth: 3 }),
      fc.constantFrom('', '{', 'null', '[]'),
    );
    let n = 0;
    await fc.assert(
      fc.asyncProperty(content, async (text) => {
        const storyDir = join(dir, `story-${n++}`);
        await mkdir(join(storyDir, 'dist'), { recursive: true });
        await writeFile(join(storyDir, 'dist', 'manifest.json'), text);
        try {
          const loaded = await requirePackagedStory(storyDir);
          assert.ok(loaded.story.id.length > 0, 'accepted a story without an id');
        } catch (err) {
          assert.ok(err instanceof FrissonError, `threw ${String(err)}`);
          assert.equal(err.code, 'FRISSON_ERR_STORY_INVALID');
          assert.match(err.message, /manifest\.json: /, 'the error must name the file');
        } finally {
          await rm(storyDir, { recursive: true, force: true });
        }
      }),
      budget.params(0.03),
    );
  });

  it(`should decode or refuse ${budget.runs(0.04)} random BLE 0x2A37 frames without throwing`, () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
        const r = parseHeartRateMeasurement(bytes);
        if (r.success) {
          assert.ok(Number.isInteger(r.data.heartRate) && r.data.heartRate >= 0);
        } else {
          assert.equal(typeof r.error.code, 'string');
          assert.ok(r.error.message.length > 0);
        }
      }),
      budget.params(0.04),
    );
  });

  it(`should parse or refuse ${budget.runs(0.04)} random HID descriptors and reports without throwing`, () => {
    // Half the cases start like a real heart-rate sensor descriptor (usage page 0x20, usage 0x16,
    // collection application), so the parser goes past the first items.
    const prefix = fc.constantFrom(
      new Uint8Array(),
      Uint8Array.of(0x05, 0x20, 0x09, 0x16, 0xa1, 0x01),
    );
    fc.assert(
      fc.property(
        prefix,
        fc.uint8Array({ maxLength: 120 }),
        fc.uint8Array({ maxLength: 64 }),
        (head, body, report) => {
          const bytes = new Uint8Array([...head, ...body]);
          const d = parseReportDescriptor(bytes);
          if (!d.success) {
            assert.ok(d.error.message.length > 0);
            return;
          }
          const dec = createHeartRateReportDecoder(d.data);
          if (!dec.success) {
            assert.ok(dec.error.message.length > 0);
            return;
          }
          const r = dec.data.decode(report, 1000);
          assert.equal(typeof r.success, 'boolean');
        },
      ),
      budget.params(0.04),
    );
  });
});
