import assert from 'node:assert/strict';
import { parseHex, toHex } from '../../../sensors/hex.js';

describe('parseHex', () => {
  it('should accept spaced, colon-separated and 0x-prefixed hex', () => {
    for (const s of ['16 3f 5a 03', '163F5A03', '16:3f:5a:03', '0x16,0x3f,0x5a,0x03']) {
      const r = parseHex(s);
      assert.ok(r.success);
      assert.deepEqual(Array.from(r.data), [0x16, 0x3f, 0x5a, 0x03]);
    }
  });

  it('should reject odd lengths, non-hex digits and empty input', () => {
    for (const s of ['163', 'zz', '', '   ']) {
      const r = parseHex(s);
      assert.equal(r.success, false);
      if (!r.success) assert.equal(r.error.code, 'invalid-hex');
    }
  });

  it('should format bytes as spaced lower-case hex', () => {
    assert.equal(toHex(Uint8Array.of(1, 0xab)), '01 ab');
  });
});
