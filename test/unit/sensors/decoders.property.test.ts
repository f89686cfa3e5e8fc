/** Property-based checks (fast-check) for the byte decoders: round trips and "never throws". */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseHeartRateMeasurement } from '../../../contracts/ble-heart-rate.js';
import { createHeartRateReportDecoder } from '../../../sensors/hid/heart-rate-report-decoder.js';
import { parseReportDescriptor } from '../../../sensors/hid/report-descriptor.js';
import { cleanRrIntervals } from '../../../sensors/signal/artifact-filter.js';

/** Independent encoder following the HRS §3.1.1 field layout. */
function encodeHrm(m: {
  hr: number;
  uint16: boolean;
  contact: 0 | 1 | 2 | 3;
  energy: number | null;
  rr: number[] | null;
}): Uint8Array {
  const out: number[] = [];
  let flags = (m.uint16 ? 1 : 0) | (m.contact << 1);
  if (m.energy !== null) flags |= 0x08;
  if (m.rr !== null) flags |= 0x10;
  out.push(flags);
  if (m.uint16) out.push(m.hr & 0xff, m.hr >> 8);
  else out.push(m.hr);
  if (m.energy !== null) out.push(m.energy & 0xff, m.energy >> 8);
  for (const v of m.rr ?? []) out.push(v & 0xff, v >> 8);
  return Uint8Array.from(out);
}

describe('decoder properties', () => {
  it('should round-trip every valid Heart Rate Measurement', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.integer({ min: 0, max: 0xffff }),
        fc.constantFrom(0, 1, 2, 3),
        fc.option(fc.integer({ min: 0, max: 0xffff })),
        fc.option(fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 9 })),
        (uint16, hrRaw, contact, energy, rr) => {
          const hr = uint16 ? hrRaw : hrRaw & 0xff;
          const r = parseHeartRateMeasurement(
            encodeHrm({ hr, uint16, contact: contact, energy, rr }),
          );
          assert.ok(r.success);
          assert.equal(r.data.heartRate, hr);
          assert.equal(r.data.energyExpended, energy ?? undefined);
          assert.deepEqual(r.data.rrRaw, rr ?? []);
          assert.deepEqual(
            r.data.rrIntervals,
            (rr ?? []).map((v) => (v * 1000) / 1024),
          );
          assert.equal(
            r.data.contact,
            contact === 3 ? 'detected' : contact === 2 ? 'not-detected' : 'unsupported',
          );
        },
      ),
    );
  });

  it('should never throw on arbitrary descriptor and report bytes', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 80 }),
        fc.uint8Array({ maxLength: 16 }),
        (desc, report) => {
          const d = parseReportDescriptor(desc);
          if (!d.success) return;
          const dec = createHeartRateReportDecoder(d.data);
          if (dec.success) assert.equal(typeof dec.data.decode(report, 0).success, 'boolean');
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('should pass on every plausible 8-bit heart rate and 16-bit interval and report the rest', () => {
    const desc = Uint8Array.from(
      '05 20 09 16 a1 01 85 07 0a b8 04 15 00 26 ff 00 75 08 95 01 81 02 0a ba 04 15 00 27 ff ff 00 00 75 10 95 01 81 02 c0'
        .split(' ')
        .map((b) => parseInt(b, 16)),
    );
    const d = parseReportDescriptor(desc);
    assert.ok(d.success);
    const dec = createHeartRateReportDecoder(d.data);
    assert.ok(dec.success);
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 255 }),
        fc.integer({ min: 1, max: 0xffff }),
        (hr, ibi) => {
          const r = dec.data.decode(Uint8Array.of(7, hr, ibi & 0xff, ibi >> 8), 0);
          assert.ok(r.success);
          const { sample, implausible = [] } = r.data[0]!;
          // Whole bpm and whole ms (no exponent, no Unit): too coarse for Hz or seconds, so a
          // value is passed on exactly when plausible, and reported otherwise — never dropped.
          const hrOk = hr >= 20 && hr <= 250;
          const ibiOk = ibi >= 200 && ibi <= 3000;
          assert.equal(sample.bpm, hrOk ? hr : undefined);
          assert.deepEqual(sample.rr, ibiOk ? [ibi] : hrOk ? undefined : []);
          assert.deepEqual(
            implausible.map((v) => [v.usage, v.raw]),
            [
              ...(hrOk ? [] : [['heart-rate', hr]]),
              ...(ibiOk ? [] : [['heartbeat-interval', ibi]]),
            ],
          );
        },
      ),
    );
  });

  it('should only ever output beats within the physiological limits', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -100, max: 5000, noNaN: true }), { maxLength: 60 }),
        (rr) => {
          const r = cleanRrIntervals(rr);
          for (const v of r.nn) assert.ok(v >= 300 && v <= 2000, `${v}`);
          assert.ok(r.cleanFraction >= 0 && r.cleanFraction <= 1);
        },
      ),
    );
  });
});
