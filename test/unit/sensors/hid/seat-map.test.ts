import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  decodeSeatReport,
  parseSeatMap,
  seatChannelsFor,
  type SeatMap,
} from '../../../../sensors/hid/seat-map.js';
import { hex } from '../fixture.js';

const text = readFileSync(
  new URL('../../../fixtures/sensors/seat-maps/two-seats.yaml', import.meta.url),
  'utf8',
);

function loaded(): SeatMap {
  const r = parseSeatMap(text);
  if (!r.success) assert.fail(r.error.message);
  return r.data;
}

describe('parseSeatMap', () => {
  it('should parse hex ids and apply defaults', () => {
    const m = loaded();
    assert.equal(m.seats.length, 5);
    assert.equal(m.seats[0]!.device.vendorId, 0x1209);
    assert.equal(m.seats[0]!.endianness, 'little');
    assert.equal(m.seats[0]!.signed, false);
    assert.equal(m.seats[0]!.scale, 1);
  });

  it('should reject invalid YAML and invalid entries with a path', () => {
    const bad = parseSeatMap('version: 1\nseats: [ {');
    assert.ok(!bad.success && bad.error.code === 'invalid-yaml');
    const wrong = parseSeatMap(
      'version: 1\nseats:\n  - { seat: A1, device: { vendorId: 1 }, channel: hr, offset: 0, width: 3 }',
    );
    assert.ok(!wrong.success && wrong.error.code === 'invalid-seat-map');
    if (!wrong.success) {
      assert.match(wrong.error.message, /seats\.0\.device/);
      assert.match(wrong.error.message, /seats\.0\.width/);
    }
    const dup = parseSeatMap(
      'version: 1\nseats:\n' +
        '  - { seat: A1, device: { serial: X }, channel: hr, offset: 0, width: 1 }\n' +
        '  - { seat: A1, device: { serial: X }, channel: hr, offset: 1, width: 1 }',
    );
    assert.ok(!dup.success && /duplicate/.test(dup.error.message));
    assert.ok(!parseSeatMap('version: 2\nseats: []').success);
  });
});

describe('decodeSeatReport', () => {
  it('should decode and merge the channels of each seat', () => {
    const ch = seatChannelsFor(loaded(), { vendorId: 0x1209, productId: 0xc0de });
    assert.equal(ch.length, 4);
    const out = decodeSeatReport(ch, hex('03 48 52 03 a0 c8 00'), 10);
    assert.deepEqual(out, [
      { seat: 'A1', sample: { t: 10, bpm: 72, rr: [928], eda: 2 } },
      { seat: 'A2', sample: { t: 10, bpm: 82 } },
    ]);
  });

  it('should skip other report ids and short reports, and flag zero readings as no contact', () => {
    const ch = seatChannelsFor(loaded(), { vendorId: 0x1209, productId: 0xc0de });
    assert.deepEqual(decodeSeatReport(ch, hex('04 48 52 03 a0 c8 00'), 0), []);
    assert.deepEqual(decodeSeatReport(ch, hex('03 48'), 0), [
      { seat: 'A1', sample: { t: 0, bpm: 72 } },
    ]);
    assert.deepEqual(decodeSeatReport(ch, hex('03 00 00 00 00 00 00'), 0), [
      { seat: 'A1', sample: { t: 0, eda: 0, contact: false, rr: [] } },
      { seat: 'A2', sample: { t: 0, contact: false, rr: [] } },
    ]);
  });

  it('should match by serial number and read signed scaled values', () => {
    const m = loaded();
    assert.equal(seatChannelsFor(m, { vendorId: 1, productId: 2, serialNumber: 'nope' }).length, 0);
    const ch = seatChannelsFor(m, { vendorId: 1, productId: 2, serialNumber: 'SEATCTL-0042' });
    assert.deepEqual(decodeSeatReport(ch, hex('90 00'), 0), [
      { seat: 'B7', sample: { t: 0, bpm: 72 } },
    ]);
    assert.deepEqual(decodeSeatReport(ch, hex('fe ff'), 0), [
      { seat: 'B7', sample: { t: 0, contact: false, rr: [] } },
    ]);
  });
});
