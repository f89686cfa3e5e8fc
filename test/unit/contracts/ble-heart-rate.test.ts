import assert from 'node:assert/strict';
import {
  heartRateMeasurementToSample,
  parseHeartRateMeasurement,
} from '../../../contracts/ble-heart-rate.js';
import { fixture, hex } from '../sensors/fixture.js';

describe('parseHeartRateMeasurement', () => {
  it('should decode a uint8 frame with contact detected', () => {
    const r = parseHeartRateMeasurement(fixture('ble/hrm-uint8-contact.bin'));
    assert.ok(r.success);
    assert.equal(r.data.heartRate, 72);
    assert.equal(r.data.format, 'uint8');
    assert.equal(r.data.contact, 'detected');
    assert.equal(r.data.energyExpended, undefined);
    assert.deepEqual(r.data.rrIntervals, []);
  });

  it('should convert RR intervals from 1/1024 s to ms', () => {
    const r = parseHeartRateMeasurement(fixture('ble/hrm-uint8-rr.bin'));
    assert.ok(r.success);
    assert.equal(r.data.heartRate, 63);
    assert.deepEqual(r.data.rrRaw, [858]);
    assert.deepEqual(r.data.rrIntervals, [837.890625]);
  });

  it('should decode every RR interval in a frame, oldest first', () => {
    const r = parseHeartRateMeasurement(fixture('ble/hrm-uint8-rr-multi.bin'));
    assert.ok(r.success);
    assert.equal(r.data.heartRate, 75);
    assert.deepEqual(r.data.rrIntervals, [799.8046875, 812.5, 791.015625]);
  });

  it('should honour the uint16 format and energy expended flags', () => {
    const r = parseHeartRateMeasurement(fixture('ble/hrm-uint16-energy-rr.bin'));
    assert.ok(r.success);
    assert.equal(r.data.flags, 0x1f);
    assert.equal(r.data.format, 'uint16');
    assert.equal(r.data.heartRate, 180);
    assert.equal(r.data.energyExpended, 291);
    assert.deepEqual(r.data.rrRaw, [819, 832]);
  });

  it('should read a uint16 heart rate above 255', () => {
    const r = parseHeartRateMeasurement(hex('01 2c 01'));
    assert.ok(r.success);
    assert.equal(r.data.heartRate, 300);
  });

  it('should distinguish contact not detected from not supported', () => {
    const lost = parseHeartRateMeasurement(fixture('ble/hrm-no-contact.bin'));
    assert.ok(lost.success);
    assert.equal(lost.data.contact, 'not-detected');
    const none = parseHeartRateMeasurement(hex('00 48'));
    assert.ok(none.success);
    assert.equal(none.data.contact, 'unsupported');
    const bit1Only = parseHeartRateMeasurement(hex('02 48'));
    assert.ok(bit1Only.success);
    assert.equal(bit1Only.data.contact, 'unsupported', '0b01: feature not supported');
  });

  it('should accept the RR flag with zero intervals (no beat since the last notification)', () => {
    const r = parseHeartRateMeasurement(hex('10 48'));
    assert.ok(r.success);
    assert.deepEqual(r.data.rrIntervals, []);
  });

  it('should accept a DataView as Web Bluetooth delivers it', () => {
    const buf = new Uint8Array([0xff, 0x16, 0x3f, 0x5a, 0x03]).buffer;
    const r = parseHeartRateMeasurement(new DataView(buf, 1));
    assert.ok(r.success);
    assert.equal(r.data.heartRate, 63);
  });

  it('should return error results for malformed frames, never throw', () => {
    const cases: Array<[Uint8Array, string]> = [
      [new Uint8Array(0), 'empty'],
      [fixture('ble/hrm-truncated-uint16.bin'), 'truncated'],
      [hex('00'), 'truncated'],
      [hex('08 48 01'), 'truncated'],
      [fixture('ble/hrm-rr-odd-length.bin'), 'rr-odd-length'],
    ];
    for (const [bytes, code] of cases) {
      const r = parseHeartRateMeasurement(bytes);
      assert.equal(r.success, false);
      if (!r.success) assert.equal(r.error.code, code, Array.from(bytes).join(' '));
    }
    const bad = parseHeartRateMeasurement('16 48' as unknown as Uint8Array);
    assert.equal(bad.success, false);
  });

  it('should not throw on any random frame', () => {
    let seed = 1;
    for (let n = 0; n < 2000; n++) {
      const len = n % 12;
      const b = new Uint8Array(len);
      for (let i = 0; i < len; i++) b[i] = (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
      const r = parseHeartRateMeasurement(b);
      assert.equal(typeof r.success, 'boolean');
    }
  });
});

describe('heartRateMeasurementToSample', () => {
  it('should map bpm, RR and contact into a HeartSample', () => {
    const r = parseHeartRateMeasurement(fixture('ble/hrm-uint16-energy-rr.bin'));
    assert.ok(r.success);
    assert.deepEqual(heartRateMeasurementToSample(r.data, 1000), {
      t: 1000,
      bpm: 180,
      rr: [799.8046875, 812.5],
      contact: true,
    });
  });

  it('should drop a zero bpm and report lost contact', () => {
    const r = parseHeartRateMeasurement(fixture('ble/hrm-no-contact.bin'));
    assert.ok(r.success);
    assert.deepEqual(heartRateMeasurementToSample(r.data, 5), { t: 5, contact: false });
  });
});

describe('parseHeartRateMeasurement limits', () => {
  it('should refuse frames longer than the 512-byte attribute limit', () => {
    const big = new Uint8Array(514);
    big[0] = 0x10;
    const r = parseHeartRateMeasurement(big);
    assert.ok(!r.success && r.error.code === 'too-long');
  });
});
