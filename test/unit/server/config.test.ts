import assert from 'node:assert/strict';
import { loadConfig } from '../../../server/config.js';

describe('loadConfig', () => {
  it('should drop a trailing slash from the public URL (links would read "//?session=")', () => {
    assert.equal(
      loadConfig({}, { FRISSON_PUBLIC_URL: 'https://films.example/' }).publicUrl,
      'https://films.example',
    );
    assert.equal(
      loadConfig({}, { FRISSON_PUBLIC_URL: 'https://films.example/frisson' }).publicUrl,
      'https://films.example/frisson',
    );
  });

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
