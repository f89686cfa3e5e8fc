import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { parseTrace } from '../../../../sensors/trace/trace-format.js';
import { TraceWriter } from '../../../../sensors/trace/trace-writer.js';

describe('TraceWriter', () => {
  it('should write a header and samples that parseTrace reads back', async () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    const w = new TraceWriter(out, { source: 'test', createdAt: 123 });
    w.write({ t: 1, bpm: 60, seat: 'A1' });
    w.write({ t: 2, rr: [1000, 990], contact: true });
    await w.close();
    w.write({ t: 3, bpm: 1 });
    assert.equal(w.written, 2);
    const r = parseTrace(Buffer.concat(chunks).toString('utf8'));
    assert.ok(r.success);
    assert.deepEqual(r.data.header, {
      format: 'frisson-trace',
      version: 1,
      createdAt: 123,
      source: 'test',
    });
    assert.deepEqual(r.data.samples, [
      { t: 1, bpm: 60, seat: 'A1' },
      { t: 2, rr: [1000, 990], contact: true },
    ]);
  });
});
