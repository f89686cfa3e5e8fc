import assert from 'node:assert/strict';
import {
  parseReportDescriptor,
  toSigned,
  type HidReportDescriptor,
} from '../../../../sensors/hid/report-descriptor.js';
import { fixture, hex } from '../fixture.js';

function parsed(bytes: Uint8Array): HidReportDescriptor {
  const r = parseReportDescriptor(bytes);
  if (!r.success) assert.fail(JSON.stringify(r.error));
  return r.data;
}

describe('parseReportDescriptor', () => {
  it('should parse the HID 1.11 boot mouse descriptor', () => {
    const d = parsed(fixture('hid/boot-mouse.desc.bin'));
    assert.equal(d.usesReportIds, false);
    assert.deepEqual(
      d.collections.map((c) => [c.type, c.usage, c.parent, c.depth]),
      [
        [1, 0x00010002, -1, 0],
        [0, 0x00010001, 0, 1],
      ],
    );
    assert.equal(d.fields.length, 3);
    const [buttons, pad, axes] = d.fields;
    assert.deepEqual(buttons!.usages, [0x00090001, 0x00090002, 0x00090003]);
    assert.equal(buttons!.usageMinimum, 0x00090001);
    assert.equal(buttons!.bitSize, 1);
    assert.equal(buttons!.count, 3);
    assert.equal(pad!.constant, true);
    assert.equal(pad!.bitOffset, 3);
    assert.equal(axes!.bitOffset, 8);
    assert.deepEqual(axes!.usages, [0x00010030, 0x00010031]);
    assert.equal(axes!.logicalMinimum, -127);
    assert.equal(axes!.logicalMaximum, 127);
    assert.equal(axes!.relative, true);
    assert.equal(axes!.collection, 1);
    assert.deepEqual(d.reports, [{ type: 'input', id: 0, bits: 24 }]);
  });

  it('should parse report ids, 2-byte usages, units and unit exponents', () => {
    const d = parsed(fixture('hid/heart-rate-sensor.desc.bin'));
    assert.equal(d.usesReportIds, true);
    assert.equal(d.collections[0]!.usage, 0x00200016);
    const [interval, hr, ibi] = d.fields;
    assert.equal(interval!.reportType, 'feature');
    assert.deepEqual(interval!.usages, [0x0020030e]);
    assert.equal(interval!.logicalMaximum, 0xffffffff, '4-byte max read unsigned when min ≥ 0');
    assert.deepEqual(hr!.usages, [0x002004b8]);
    assert.equal(hr!.reportId, 1);
    assert.equal(hr!.bitOffset, 0);
    assert.equal(ibi!.bitOffset, 8);
    assert.equal(ibi!.unitExponent, -3);
    assert.equal(ibi!.unit, 0x1001);
    assert.deepEqual(d.reports, [
      { type: 'feature', id: 1, bits: 32 },
      { type: 'input', id: 1, bits: 24 },
    ]);
  });

  it('should handle extended usages, push/pop, several collections and long items', () => {
    const d = parsed(fixture('hid/two-seat-controller.desc.bin'));
    assert.deepEqual(
      d.collections.map((c) => [c.usage, c.parent]),
      [
        [0x00200001, -1],
        [0x00200016, 0],
        [0x00200016, 0],
      ],
    );
    const seat1Hr = d.fields[0]!;
    assert.deepEqual(seat1Hr.usages, [0x002004b8], '4-byte usage carries its own page');
    assert.equal(seat1Hr.logicalMaximum, 250, '25 FA after 15 00 is 250, not −6');
    const seat2Ibi = d.fields.find((f) => f.reportId === 2 && f.count === 2)!;
    assert.equal(seat2Ibi.unitExponent, -4);
    assert.equal(seat2Ibi.bitOffset, 16);
    assert.equal(seat2Ibi.unitExponent, -4);
    // Pop restored the state saved before seat 1 (unit exponent 0, no unit)
    const seat2Hr = d.fields.find((f) => f.reportId === 2)!;
    assert.equal(seat2Hr.unitExponent, 0);
    assert.ok(d.items.some((i) => i.type === 'long' && i.tag === 0x10 && i.size === 2));
    assert.deepEqual(
      d.reports.map((r) => [r.id, r.bits]),
      [
        [1, 24],
        [2, 48],
      ],
    );
  });

  it('should defer the usage page to the main item for 1- and 2-byte usages', () => {
    // Usage before Usage Page: the page in effect at the Main item applies (HID 1.11 §6.2.2.8).
    const d = parsed(hex('09 30 05 01 15 00 25 01 75 01 95 01 81 02 75 07 81 01'));
    assert.deepEqual(d.fields[0]!.usages, [0x00010030]);
  });

  it('should sign-extend negative logical ranges of every size', () => {
    const d = parsed(hex('05 01 09 30 16 00 80 26 ff 7f 75 10 95 01 81 02'));
    assert.equal(d.fields[0]!.logicalMinimum, -32768);
    assert.equal(d.fields[0]!.logicalMaximum, 32767);
    const e = parsed(hex('05 01 09 30 17 00 00 00 80 27 ff ff ff 7f 75 20 95 01 81 02'));
    assert.equal(e.fields[0]!.logicalMinimum, -2147483648);
    assert.equal(e.fields[0]!.logicalMaximum, 2147483647);
    assert.equal(toSigned(0xff, 1), -1);
    assert.equal(toSigned(0x7f, 1), 127);
  });

  it('should reset local items after each main item', () => {
    const d = parsed(hex('05 09 09 01 75 01 95 01 81 02 95 07 81 02'));
    assert.deepEqual(d.fields[0]!.usages, [0x00090001]);
    assert.deepEqual(d.fields[1]!.usages, []);
  });

  it('should return coded errors for malformed descriptors, never throw', () => {
    const cases: Array<[string, string]> = [
      ['', 'empty'],
      ['05', 'truncated-item'],
      ['27 ff ff', 'truncated-item'],
      ['fe 05 10 01', 'truncated-item'],
      ['a1 01', 'unbalanced-collection'],
      ['c0', 'unbalanced-collection'],
      ['b4', 'stack-underflow'],
      ['85 00', 'invalid-report-id'],
      ['75 00', 'invalid-report-size'],
      ['96 00 40', 'invalid-report-count'],
      ['0c', 'invalid-item'],
      ['f4', 'invalid-item'],
      ['d0', 'invalid-item'],
      ['75 ff 96 00 30 81 02', 'report-too-large'],
    ];
    for (const [h, code] of cases) {
      const r = parseReportDescriptor(hex(h));
      assert.equal(r.success, false, h);
      if (!r.success) assert.equal(r.error.code, code, `${h}: ${r.error.message}`);
    }
    const deep = parseReportDescriptor(new Uint8Array(40).fill(0xa4));
    assert.ok(!deep.success && deep.error.code === 'stack-overflow');
  });

  it('should survive random bytes', () => {
    let seed = 7;
    for (let n = 0; n < 3000; n++) {
      const len = 1 + (n % 40);
      const b = new Uint8Array(len);
      for (let i = 0; i < len; i++) b[i] = (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
      const r = parseReportDescriptor(b);
      assert.equal(typeof r.success, 'boolean');
    }
  });
});
