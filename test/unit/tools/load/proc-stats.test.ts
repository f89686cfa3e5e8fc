import assert from 'node:assert/strict';
import { readProcStats } from '../../../../tools/load/proc-stats.js';

describe('readProcStats (procfs)', () => {
  it('should read this process: user time within the total, and it grows with work', () => {
    const a = readProcStats(process.pid);
    assert.ok(a, 'procfs readable');
    let x = 0;
    const until = performance.now() + 60;
    while (performance.now() < until) x += Math.sqrt(x + 1);
    const b = readProcStats(process.pid);
    assert.ok(b && x > 0);
    assert.ok(b.userUs >= 0 && b.userUs <= b.cpuUs, `${b.userUs} > ${b.cpuUs}`);
    assert.ok(b.userUs >= a.userUs && b.cpuUs > a.cpuUs - 1, 'CPU time never decreases');
    assert.ok(b.rssBytes > 10 * 1024 * 1024);
  });

  it('should answer null for a process that does not exist', () => {
    assert.equal(readProcStats(2 ** 22 + 12345), null);
  });
});
