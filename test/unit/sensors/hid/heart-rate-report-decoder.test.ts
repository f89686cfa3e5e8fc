import assert from 'node:assert/strict';
import {
  createHeartRateReportDecoder,
  timeOnlyExponent,
  type HeartRateReportDecoder,
} from '../../../../sensors/hid/heart-rate-report-decoder.js';
import { parseReportDescriptor } from '../../../../sensors/hid/report-descriptor.js';
import { EDGE_BPM, EDGE_RR_MS, heartValuesInLimits } from '../../../../contracts/limits.js';
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

  describe('units and plausibility', () => {
    it('should read a unitless interval with Unit Exponent −3 as seconds, since only seconds are plausible', () => {
      const dec = decoderFor(fixture('hid/heartbeat-interval-no-unit.desc.bin'));
      assert.deepEqual(dec.sensors[0]!.intervalUnits, [
        { unit: 'ms', from: 'usage-default', fallback: 's' },
      ]);
      const r = dec.decode(fixture('hid/heartbeat-interval-no-unit.report-800.bin'), 5);
      assert.ok(r.success);
      // 800 × 10⁻³ = 0.8: as ms an impossible beat, as s a resting one.
      assert.deepEqual(r.data, [{ sensor: 0, reportId: 1, sample: { t: 5, bpm: 75, rr: [800] } }]);
      assert.ok(heartValuesInLimits(r.data[0]!.sample), 'the hub accepts the beat');
    });

    it('should report an interval plausible in no unit and still deliver the heart rate', () => {
      const dec = decoderFor(fixture('hid/heartbeat-interval-no-unit.desc.bin'));
      const r = dec.decode(hex('01 4b 32 00'), 6); // interval 50 → 0.05: 0.05 ms or 50 ms
      assert.ok(r.success);
      const reading = r.data[0]!;
      assert.deepEqual(reading.sample, { t: 6, bpm: 75 });
      assert.ok(heartValuesInLimits(reading.sample), 'the heart rate is not dropped with it');
      assert.equal(reading.implausible?.length, 1);
      assert.deepEqual(
        { ...reading.implausible[0]!, message: undefined },
        { usage: 'heartbeat-interval', raw: 50, scaled: 0.05, message: undefined },
      );
      assert.match(
        reading.implausible[0]!.message,
        /^Heartbeat Interval 50 \(scaled 0\.05\) is not a plausible RR interval in ms or s \(200–3000 ms\)$/,
      );
    });

    it('should keep a declared unit when it is plausible and fall back to the other one otherwise', () => {
      // heart-rate-sensor.desc.bin declares seconds (Unit 0x1001) with Unit Exponent −3.
      const dec = decoderFor(fixture('hid/heart-rate-sensor.desc.bin'));
      assert.deepEqual(dec.sensors[0]!.intervalUnits, [
        { unit: 's', from: 'unit-item', fallback: 'ms' },
      ]);
      const r = dec.decode(hex('01 48 52 03'), 1); // 850 × 10⁻³ s
      assert.ok(r.success);
      assert.deepEqual(r.data[0]!.sample.rr, [850]);
      // Seconds declared (66 01 10) without an exponent, but 850 s is no heartbeat: 850 ms is.
      const misdeclared = decoderFor(
        hex('05 20 09 16 a1 01 0a ba 04 15 00 27 ff ff 00 00 75 10 95 01 66 01 10 81 02 c0'),
      );
      const m = misdeclared.decode(hex('52 03'), 1);
      assert.ok(m.success);
      assert.deepEqual(m.data[0]!.sample, { t: 1, rr: [850] });
    });

    it('should convert a heart rate in Hz (Unit 0xF001, or plausible only per second) to bpm', () => {
      // Heart Rate, Unit Exponent −2 (55 0E), Unit 0xF001 = s⁻¹ (66 01 F0): 120 → 1.2 Hz.
      const hz = decoderFor(
        hex('05 20 09 16 a1 01 0a b8 04 15 00 26 ff 00 75 08 95 01 55 0e 66 01 f0 81 02 c0'),
      );
      assert.deepEqual(hz.sensors[0]!.heartRateUnit, {
        unit: 'Hz',
        from: 'unit-item',
        fallback: 'bpm',
      });
      const a = hz.decode(hex('78'), 0);
      assert.ok(a.success);
      assert.deepEqual(a.data[0]!.sample, { t: 0, bpm: 72 });
      // No Unit item, Unit Exponent −2: 120 → 1.2, plausible only as beats per second.
      const bare = decoderFor(
        hex('05 20 09 16 a1 01 0a b8 04 15 00 26 ff 00 75 08 95 01 55 0e 81 02 c0'),
      );
      const b = bare.decode(hex('78'), 0);
      assert.ok(b.success);
      assert.deepEqual(b.data[0]!.sample, { t: 0, bpm: 72 });
    });

    it('should not read a field too coarse for the other unit in it', () => {
      // Unit Exponent −1 (55 0F), no Unit: 12 → 1.2 bpm, but one count would be 6 bpm as Hz.
      const coarse = decoderFor(
        hex('05 20 09 16 a1 01 0a b8 04 15 00 26 ff 00 75 08 95 01 55 0f 81 02 c0'),
      );
      assert.equal(coarse.sensors[0]!.heartRateUnit?.fallback, null);
      const r = coarse.decode(hex('0c'), 0);
      assert.ok(r.success);
      assert.deepEqual(r.data[0]!.sample, { t: 0, contact: false, rr: [] });
      assert.match(
        r.data[0]!.implausible![0]!.message,
        /^Heart Rate 12 \(scaled 1\.2\) is not a plausible heart rate in bpm \(20–250 bpm\)$/,
      );
      // A whole-ms interval field: a glitch of 2 is not a 2-second beat.
      const ms = decoderFor(
        hex('05 20 09 16 a1 01 0a ba 04 15 00 27 ff ff 00 00 75 10 95 01 81 02 c0'),
      );
      const g = ms.decode(hex('02 00'), 0);
      assert.ok(g.success);
      assert.deepEqual(g.data[0]!.sample, { t: 0, contact: false, rr: [] });
      assert.equal(g.data[0]!.implausible?.[0]?.raw, 2);
    });

    it('should report an implausible heart rate and still deliver the beats', () => {
      const dec = decoderFor(fixture('hid/heart-rate-sensor.desc.bin'));
      const r = dec.decode(hex('01 ff e8 03'), 2); // 255 bpm (4.25 Hz is no better), 1000 ms
      assert.ok(r.success);
      assert.deepEqual(r.data[0]!.sample, { t: 2, rr: [1000] });
      assert.equal(r.data[0]!.implausible?.[0]?.usage, 'heart-rate');
      assert.equal(r.data[0]!.implausible?.[0]?.raw, 255);
    });

    it('should bound plausibility exactly as the hub edge does', () => {
      const dec = decoderFor(fixture('hid/heart-rate-sensor.desc.bin'));
      // Report 1: heart rate (uint8, bpm), heartbeat interval (uint16 LE, ms).
      const decode = (bpm: number, rr: number) => {
        const r = dec.decode(Uint8Array.of(1, bpm, rr & 0xff, rr >> 8), 7);
        assert.ok(r.success);
        return r.data[0]!;
      };
      for (const [bpm, rr] of [
        [EDGE_BPM.min, EDGE_RR_MS.min],
        [EDGE_BPM.max, EDGE_RR_MS.max],
      ] as const) {
        const reading = decode(bpm, rr);
        assert.deepEqual(reading.sample, { t: 7, bpm, rr: [rr] });
        assert.ok(heartValuesInLimits(reading.sample));
      }
      for (const [bpm, rr] of [
        [EDGE_BPM.min - 1, EDGE_RR_MS.min - 1],
        [EDGE_BPM.max + 1, EDGE_RR_MS.max + 1],
      ] as const) {
        const reading = decode(bpm, rr);
        assert.equal(reading.sample.bpm, undefined);
        assert.deepEqual(reading.sample.rr ?? [], []);
        assert.deepEqual(
          reading.implausible?.map((i) => [i.usage, i.raw]),
          [
            ['heart-rate', bpm],
            ['heartbeat-interval', rr],
          ],
        );
      }
    });

    it('should recognise time-only units', () => {
      assert.equal(timeOnlyExponent(0x1001), 1); // SI linear seconds
      assert.equal(timeOnlyExponent(0x1003), 1); // English linear seconds
      assert.equal(timeOnlyExponent(0xf001), -1); // Hz
      assert.equal(timeOnlyExponent(0x0000), null);
      assert.equal(timeOnlyExponent(0x1000), null); // no system
      assert.equal(timeOnlyExponent(0x0011), null); // cm
      assert.equal(timeOnlyExponent(0xf011), null); // cm/s
      assert.equal(timeOnlyExponent(0x00101001), null); // s·A
    });
  });
});
