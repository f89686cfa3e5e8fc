import assert from 'node:assert/strict';
import {
  createHeartRateReportDecoder,
  type HeartRateReportDecoder,
} from '../../../../sensors/hid/heart-rate-report-decoder.js';
import { parseReportDescriptor } from '../../../../sensors/hid/report-descriptor.js';
import { fixture, hex } from '../fixture.js';

function decoderFor(desc: Uint8Array): HeartRateReportDecoder {
  const d = parseReportDescriptor(desc);
  if (!d.success) assert.fail(JSON.stringify(d.error));
  const r = createHeartRateReportDecoder(d.data);
  if (!r.success) assert.fail(JSON.stringify(r.error));
  return r.data;
}

describe('createHeartRateReportDecoder', () => {
  it('should decode heart rate and a scaled heartbeat interval', () => {
    const dec = decoderFor(fixture('hid/heart-rate-sensor.desc.bin'));
    assert.equal(dec.sensors.length, 1);
    const r = dec.decode(fixture('hid/heart-rate-sensor.report-72bpm.bin'), 123);
    assert.ok(r.success);
    assert.deepEqual(r.data, [{ sensor: 0, reportId: 1, sample: { t: 123, bpm: 72, rr: [1000] } }]);
  });

  it('should find two seats in one descriptor and route by report id', () => {
    const dec = decoderFor(fixture('hid/two-seat-controller.desc.bin'));
    assert.deepEqual(
      dec.sensors.map((s) => [s.index, s.reportId, s.intervals.length]),
      [
        [0, 1, 1],
        [1, 2, 1],
      ],
    );
    const a = dec.decode(fixture('hid/two-seat-controller.report-seat1.bin'), 1);
    assert.ok(a.success);
    assert.deepEqual(a.data[0], { sensor: 0, reportId: 1, sample: { t: 1, bpm: 65, rr: [928] } });
    const b = dec.decode(fixture('hid/two-seat-controller.report-seat2.bin'), 2);
    assert.ok(b.success);
    assert.deepEqual(b.data[0], {
      sensor: 1,
      reportId: 2,
      sample: { t: 2, bpm: 75, rr: [848, 850] },
    });
  });

  it('should report no contact when the report holds no valid reading', () => {
    const dec = decoderFor(fixture('hid/heart-rate-sensor.desc.bin'));
    const r = dec.decode(hex('01 00 00 00'), 9);
    assert.ok(r.success);
    assert.deepEqual(r.data[0]!.sample, { t: 9, contact: false, rr: [] });
  });

  it('should decode a descriptor without report ids', () => {
    const dec = decoderFor(hex('05 20 09 16 a1 01 0a b8 04 15 00 26 ff 00 75 08 95 01 81 02 c0'));
    assert.equal(dec.usesReportIds, false);
    const r = dec.decode(hex('50'), 0);
    assert.ok(r.success);
    assert.equal(r.data[0]!.sample.bpm, 80);
  });

  it('should refuse descriptors without heart-rate fields', () => {
    const d = parseReportDescriptor(fixture('hid/boot-mouse.desc.bin'));
    assert.ok(d.success);
    const r = createHeartRateReportDecoder(d.data);
    assert.ok(!r.success && r.error.code === 'no-heart-rate');
  });

  it('should return error results for empty, unknown and truncated reports', () => {
    const dec = decoderFor(fixture('hid/two-seat-controller.desc.bin'));
    const cases: Array<[Uint8Array, string]> = [
      [new Uint8Array(0), 'empty-report'],
      [hex('07 41 a0 03'), 'unknown-report'],
      [hex('01 41'), 'truncated-report'],
      [hex('02 4b 00 20 21'), 'truncated-report'],
    ];
    for (const [bytes, code] of cases) {
      const r = dec.decode(bytes, 0);
      assert.equal(r.success, false);
      if (!r.success) assert.equal(r.error.code, code);
    }
  });
});
