import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseTrace, traceLine } from '../../../../sensors/trace/trace-format.js';

const read = (name: string): string =>
  readFileSync(new URL(`../../../fixtures/sensors/traces/${name}`, import.meta.url), 'utf8');

describe('parseTrace', () => {
  it('should parse the header and samples, skipping blank lines', () => {
    const r = parseTrace(read('short.trace.jsonl'));
    assert.ok(r.success);
    assert.equal(r.data.header.version, 1);
    assert.equal(r.data.samples.length, 5);
    assert.deepEqual(r.data.samples[2], {
      t: 3000,
      bpm: 67,
      rr: [898.4375, 880.859375],
      contact: true,
    });
    assert.equal(r.data.samples[4]!.eda, 2.5);
  });

  it('should accept a header without createdAt (a converted recording has none)', () => {
    // Header as in the physio traces (../shared/physio/traces): no createdAt, extra fields kept.
    const r = parseTrace(
      '{"format":"frisson-trace","version":1,"subject":"VP81","segments":[]}\n{"t":1000,"contact":false,"eda":4.738}',
    );
    assert.ok(r.success, r.success ? '' : r.error.message);
    assert.equal(r.data.header.createdAt, undefined);
    assert.equal((r.data.header as Record<string, unknown>).subject, 'VP81');
    assert.deepEqual(r.data.samples, [{ t: 1000, contact: false, eda: 4.738 }]);
  });

  it('should name the line of the first problem', () => {
    const cases: Array<[string, RegExp]> = [
      [read('bad-line.trace.jsonl'), /^line 3: bpm/],
      ['', /^line 1: empty trace/],
      ['{"format":"other","version":1,"createdAt":0}', /^line 1: expected the header/],
      ['{"format":"frisson-trace","version":2,"createdAt":0}', /^line 1:/],
      [
        '{"format":"frisson-trace","version":1,"createdAt":0}\n{"t":5}\n{"t":4}',
        /^line 3: t 4 goes backwards/,
      ],
      ['{"format":"frisson-trace","version":1,"createdAt":0}\n\n{oops', /^line 3: not JSON/],
      [
        '{"format":"frisson-trace","version":1,"createdAt":0}\n{"t":1,"heart":3}',
        /^line 2: .*heart/,
      ],
    ];
    for (const [text, re] of cases) {
      const r = parseTrace(text);
      assert.equal(r.success, false);
      if (!r.success) {
        assert.equal(r.error.code, 'invalid-trace');
        assert.match(r.error.message, re);
      }
    }
  });

  it('should serialise samples in a stable field order', () => {
    assert.equal(
      traceLine({ eda: 1, rr: [800], bpm: 70, seat: 'A1', t: 5, contact: true }),
      '{"t":5,"seat":"A1","bpm":70,"rr":[800],"contact":true,"eda":1}',
    );
  });
});
