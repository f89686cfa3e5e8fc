/** Log lines as a human at a terminal and a machine reading a pipe see them. */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger, resolveLogFormat } from '../../../server/logger.js';

function capture(): { stream: Writable; lines: () => string[] } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, lines: () => text.split('\n').filter((l) => l !== '') };
}

describe('createLogger', () => {
  it('should pick readable lines at a terminal and JSON in a pipe unless told', () => {
    assert.equal(resolveLogFormat('auto', true), 'pretty');
    assert.equal(resolveLogFormat('auto', false), 'json');
    assert.equal(resolveLogFormat('json', true), 'json');
    assert.equal(resolveLogFormat('pretty', false), 'pretty');
  });

  it('should write one readable line per entry at a terminal, synchronously', () => {
    const out = capture();
    const log = createLogger('info', { tty: true, destination: out.stream });
    log.child({ session: 's1' }).info({ resumed: 3 }, 'resumed sessions from the store');
    log.debug('below the level');
    // No await: pretty runs in this thread, so the line is there before the next tick.
    const lines = out.lines();
    assert.equal(lines.length, 1, lines.join('\n'));
    const plain = (lines[0] ?? '').replace(/\x1b\[[0-9;]*m/g, ''); // eslint-disable-line no-control-regex
    assert.match(plain, /^\[\d\d:\d\d:\d\d\] INFO: resumed sessions from the store /);
    assert.match(plain, /"session":"s1"/);
    assert.match(plain, /"resumed":3/);
    assert.doesNotMatch(plain, /"pid"|"hostname"/);
  });

  it('should write JSON objects for machines', () => {
    const out = capture();
    const log = createLogger('info', { tty: true, format: 'json', destination: out.stream });
    log.info({ resumed: 3 }, 'resumed sessions from the store');
    const entry = JSON.parse(out.lines()[0] ?? '') as Record<string, unknown>;
    assert.equal(entry.msg, 'resumed sessions from the store');
    assert.equal(entry.resumed, 3);
    assert.equal(entry.level, 30);
  });
});
