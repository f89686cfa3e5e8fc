/**
 * Public API of the sensors stage, exported as `frisson/sensors`.
 *
 * @example
 * import { parseHeartRateMeasurement, ViewerSignalProcessor } from 'frisson/sensors';
 * const sig = new ViewerSignalProcessor();
 * const r = parseHeartRateMeasurement(frame);
 * if (r.success) sig.push(heartRateMeasurementToSample(r.data, Date.now()));
 */
export type { ParseError, ParseResult } from '../contracts/parse-result.js';
export { parseHex, toHex } from './hex.js';

// Bluetooth LE Heart Rate Measurement (0x2A37)
export {
  heartRateMeasurementToSample,
  parseHeartRateMeasurement,
  type HeartRateMeasurement,
  type HeartRateMeasurementErrorCode,
  type SensorContact,
} from '../contracts/ble-heart-rate.js';

// USB HID: descriptors, heart-rate reports, seat maps, devices
export {
  parseReportDescriptor,
  type HidCollection,
  type HidField,
  type HidItem,
  type HidReportDescriptor,
  type HidReportLayout,
  type ReportDescriptorErrorCode,
  type ReportType,
} from './hid/report-descriptor.js';
export { readBits, readReportField } from './hid/read-report-field.js';
export {
  createHeartRateReportDecoder,
  timeOnlyExponent,
  USAGE_HEART_RATE,
  USAGE_HEART_RATE_SENSOR,
  USAGE_HEARTBEAT_INTERVAL,
  USAGE_HRV_SENSOR,
  type HeartRateReportDecoder,
  type HidDecodeErrorCode,
  type HidFieldUnit,
  type HidHeartRateReading,
  type HidHeartRateSensor,
  type HidImplausibleValue,
} from './hid/heart-rate-report-decoder.js';
export {
  decodeSeatReport,
  parseSeatMap,
  seatChannelsFor,
  SeatMapSchema,
  type HidDeviceIdentity,
  type SeatChannel,
  type SeatMap,
  type HidSeatReading,
} from './hid/seat-map.js';
export {
  loadNodeHidBackend,
  type HidBackend,
  type HidDevice,
  type HidDeviceInfo,
} from './hid/node-hid-backend.js';
export {
  HidDeviceSource,
  hidSensorSeatId,
  type HidDeviceSourceOptions,
  type HidSourceEvent,
} from './hid/hid-device-source.js';

// Signal
export type {
  ContactState,
  HeartSample,
  PushResult,
  SignalSnapshot,
  ViewerSignal,
} from '../contracts/heart.js';
export {
  ViewerSignalProcessor,
  type ViewerSignalOptions,
} from './signal/viewer-signal-processor.js';
export {
  ArtifactFilter,
  cleanRrIntervals,
  type ArtifactFilterOptions,
  type BeatKind,
} from './signal/artifact-filter.js';
export { rmssd } from './signal/rmssd.js';
export { arousalIndex, type ArousalInputs } from './signal/arousal-index.js';
export { BaselineTracker, type BaselineOptions } from './signal/baseline-tracker.js';

// Simulator
export type {
  ArousalParts,
  SimulatedViewerParams,
  ViewerSimulatorLike,
} from './simulator/simulator-types.js';
export { samplePopulation, ViewerSimulator } from './simulator/viewer-simulator.js';
export {
  findPopulation,
  loadPopulationSpec,
  parsePopulationSpec,
  type PopulationSpec,
} from './simulator/population-spec.js';
export { BUILT_IN_POPULATIONS } from './simulator/population-presets.js';

// Traces
export {
  parseTrace,
  TRACE_VERSION,
  type Trace,
  type TraceHeader,
  type TraceSample,
} from './trace/trace-format.js';
export { TraceWriter } from './trace/trace-writer.js';
export { replayTrace, type ReplayOptions, type ReplayReport } from './trace/trace-replayer.js';
