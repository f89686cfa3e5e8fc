import assert from 'node:assert/strict';
import * as sensors from '../../../sensors/index.js';

describe('frisson/sensors public API', () => {
  it('should export the decoders, signal stage and simulator', () => {
    for (const name of [
      'parseHeartRateMeasurement',
      'parseReportDescriptor',
      'createHeartRateReportDecoder',
      'parseSeatMap',
      'ViewerSignalProcessor',
      'cleanRrIntervals',
      'rmssd',
      'ViewerSimulator',
      'samplePopulation',
      'loadPopulationSpec',
      'findPopulation',
      'parseTrace',
      'TraceWriter',
    ]) {
      assert.equal(typeof (sensors as Record<string, unknown>)[name], 'function', name);
    }
  });

  it('should export the built-in populations by name', () => {
    assert.deepEqual(Object.keys(sensors.BUILT_IN_POPULATIONS), [
      'default',
      'low-reactivity',
      'noisy-sensors',
    ]);
  });

  it('should run a frame end to end through the public API', () => {
    const r = sensors.parseHeartRateMeasurement(Uint8Array.of(0x16, 0x48, 0x00, 0x04));
    assert.ok(r.success);
    const sig = new sensors.ViewerSignalProcessor();
    assert.deepEqual(sig.push(sensors.heartRateMeasurementToSample(r.data, 1000)), { ok: true });
    assert.equal(sig.snapshot(1000).heartRate, 60);
  });
});
