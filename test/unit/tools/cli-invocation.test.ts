import assert from 'node:assert/strict';
import { cliInvocation } from '../../../tools/cli-invocation.js';

describe('cliInvocation', () => {
  it('should print commands the way the user started the CLI', () => {
    const node = '/usr/local/bin/node';
    assert.equal(
      cliInvocation(
        { npm_lifecycle_event: 'start' },
        [node, '/repo/dist/tools/cli.js'],
        [],
        '/repo',
      ),
      'npm run frisson --',
    );
    assert.equal(cliInvocation({}, [node, '/usr/local/bin/frisson'], [], '/home/me'), 'frisson');
    assert.equal(
      cliInvocation({}, [node, '/repo/dist/tools/cli.js'], [], '/repo'),
      'node dist/tools/cli.js',
    );
    assert.equal(
      cliInvocation({}, [node, '/repo/tools/cli.ts'], ['--import', 'tsx'], '/repo'),
      'node --import tsx tools/cli.ts',
    );
  });
});
