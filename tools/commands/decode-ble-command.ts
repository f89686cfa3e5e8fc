/** `frisson sensors decode-ble <hex>`: decodes one Heart Rate Measurement (0x2A37) frame. */
import {
  heartRateMeasurementToSample,
  parseHeartRateMeasurement,
} from '../../contracts/ble-heart-rate.js';
import { parseHex } from '../../sensors/hex.js';
import { json, type CommandOutput } from '../command-output.js';

/** Returns the exit code: 0 decoded, 1 malformed input (the error JSON is printed on stdout). */
export function decodeBleCommand(hexText: string, io: CommandOutput): number {
  const bytes = parseHex(hexText);
  if (!bytes.success) {
    io.out(json({ success: false, error: bytes.error }));
    return 1;
  }
  const r = parseHeartRateMeasurement(bytes.data);
  if (!r.success) {
    io.out(json(r));
    return 1;
  }
  io.out(json({ success: true, data: r.data, sample: heartRateMeasurementToSample(r.data, 0) }));
  return 0;
}
