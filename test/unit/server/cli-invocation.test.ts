import assert from 'node:assert/strict';
import { cliInvocation } from '../../../server/cli-invocation.js';

describe('cliInvocation', () => {
  it('should print commands the way the user started the CLI', () => {
    const node = '/usr/local/bin/node';
    assert.equal(
      cliInvocation(
        { npm_lifecycle_event: 'start' },
        [node, '/repo/dist/server/cli.js'],
        [],
        '/repo',
      ),
      'npm run frisson --',
    );
    assert.equal(cliInvocation({}, [node, '/usr/local/bin/frisson'], [], '/home/me'), 'frisson');
    assert.equal(
      cliInvocation({}, [node, '/repo/dist/server/cli.js'], [], '/repo'),
      'node dist/server/cli.js',
    );
    assert.equal(
      cliInvocation({}, [node, '/repo/server/cli.ts'], ['--import', 'tsx'], '/repo'),
      'node --import tsx server/cli.ts',
    );
  });
});
