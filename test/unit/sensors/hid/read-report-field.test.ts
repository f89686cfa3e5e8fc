import assert from 'node:assert/strict';
import { readBits, readReportField } from '../../../../sensors/hid/read-report-field.js';
import { parseReportDescriptor } from '../../../../sensors/hid/report-descriptor.js';
import { hex } from '../fixture.js';

describe('readBits', () => {
  it('should read little-endian, LSB-first across byte boundaries', () => {
    const d = hex('e8 03 ff');
    assert.equal(readBits(d, 0, 16), 1000);
    assert.equal(readBits(d, 4, 8), 0x3e);
    assert.equal(readBits(d, 0, 1), 0);
    assert.equal(readBits(d, 3, 1), 1);
    assert.equal(readBits(hex('ff ff ff ff'), 0, 32), 0xffffffff);
  });

  it('should return null past the end or for unsupported widths', () => {
    assert.equal(readBits(hex('00'), 4, 8), null);
    assert.equal(readBits(hex('00 00 00 00 00'), 0, 33), null);
  });
});

describe('readReportField', () => {
  it('should sign-extend when the logical minimum is negative and reject out-of-range values', () => {
    const r = parseReportDescriptor(hex('05 01 09 30 09 31 15 81 25 7f 75 08 95 02 81 02'));
    assert.ok(r.success);
    const f = r.data.fields[0]!;
    assert.equal(readReportField(hex('fe 05'), f, 0), -2);
    assert.equal(readReportField(hex('fe 05'), f, 1), 5);
    assert.equal(readReportField(hex('80 05'), f, 0), null, '−128 is below −127: null value');
    assert.equal(readReportField(hex('fe 05'), f, 2), null);
  });
});
