/**
 * Web Bluetooth heart-rate strap: Heart Rate Service 0x180D, Heart Rate Measurement 0x2A37
 * notifications (~1 Hz), decoded with the same parser the server and CLI use.
 */
import { parseHeartRateMeasurement } from '../../contracts/ble-heart-rate.js';

export interface StrapSample {
  bpm: number;
  rr?: number[];
  contact?: boolean;
}

interface BluetoothLike {
  requestDevice(opts: { filters: Array<{ services: string[] }> }): Promise<{
    name?: string;
    gatt?: {
      connect(): Promise<{
        getPrimaryService(s: string): Promise<{
          getCharacteristic(
            c: string,
          ): Promise<EventTarget & { startNotifications(): Promise<unknown>; value?: DataView }>;
        }>;
      }>;
    };
  }>;
}

export async function connectHeartRateStrap(onSample: (s: StrapSample) => void): Promise<string> {
  const bluetooth = (navigator as unknown as { bluetooth?: BluetoothLike }).bluetooth;
  if (!bluetooth) throw new Error('Web Bluetooth is not available in this browser');
  const device = await bluetooth.requestDevice({ filters: [{ services: ['heart_rate'] }] });
  if (!device.gatt) throw new Error('device has no GATT server');
  const server = await device.gatt.connect();
  const service = await server.getPrimaryService('heart_rate');
  const ch = await service.getCharacteristic('heart_rate_measurement');
  ch.addEventListener('characteristicvaluechanged', () => {
    const v = ch.value;
    if (!v) return;
    const parsed = parseHeartRateMeasurement(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
    if (!parsed.success) return;
    const d = parsed.data;
    onSample({
      bpm: d.heartRate,
      ...(d.rrIntervals.length > 0 ? { rr: d.rrIntervals } : {}),
      ...(d.contact !== 'unsupported' ? { contact: d.contact === 'detected' } : {}),
    });
  });
  await ch.startNotifications();
  return device.name ?? 'heart-rate strap';
}
