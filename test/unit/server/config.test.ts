import assert from 'node:assert/strict';
import { loadConfig } from '../../../server/config.js';

describe('loadConfig', () => {
  it('should take the log format from FRISSON_LOG_FORMAT, the flag winning', () => {
    assert.equal(loadConfig({}, {}).logFormat, 'auto');
    assert.equal(loadConfig({}, { FRISSON_LOG_FORMAT: 'pretty' }).logFormat, 'pretty');
    assert.equal(
      loadConfig({ logFormat: 'json' }, { FRISSON_LOG_FORMAT: 'pretty' }).logFormat,
      'json',
    );
    assert.throws(() => loadConfig({ logFormat: 'xml' }, {}), /logFormat \(FRISSON_LOG_FORMAT\)/);
  });
});
