import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { SETTINGS, plateArgs, plateExpressions } from '../../../../media/render/plate-graph.js';

const balanced = (e: string): boolean => {
  let depth = 0;
  for (const c of e) {
    depth += c === '(' ? 1 : c === ')' ? -1 : 0;
    if (depth < 0) return false;
  }
  return depth === 0;
};

describe('plate graph', () => {
  it('should paint every set with three balanced geq expressions, on one thread, at half size', () => {
    for (const setting of SETTINGS) {
      const e = plateExpressions(setting);
      for (const channel of [e.r, e.g, e.b]) {
        assert.ok(balanced(channel), setting);
        assert.ok(!channel.includes("'"), setting);
        assert.match(channel, /clip\(255\*pow\(/);
      }
      const args = plateArgs({ setting, width: 1382, height: 578, output: '/tmp/p.png' });
      assert.equal(args[args.indexOf('-filter_threads') + 1], '1');
      assert.ok(args.includes('color=c=black:s=692x290:d=1,format=gbrp'));
      assert.match(args[args.indexOf('-vf') + 1] ?? '', /scale=1382:578:flags=bicubic,setsar=1/);
      assert.equal(args.at(-1), '/tmp/p.png');
    }
  });

  it('should colour each set differently (the sets are told apart by their light)', () => {
    const tints = new Set(SETTINGS.map((s) => plateExpressions(s).r));
    assert.equal(tints.size, SETTINGS.length);
  });
});
