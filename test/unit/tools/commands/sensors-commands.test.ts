import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { Server } from 'socket.io';
import { registerSensorsCommands } from '../../../../tools/commands/sensors-commands.js';
import { fixture } from '../../sensors/fixture.js';

const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

async function run(args: string[]): Promise<{ out: string; err: string; code: number }> {
  let out = '';
  let err = '';
  const program = new Command().name('frisson').exitOverride();
  program.configureOutput({ writeOut: (s) => (out += s), writeErr: (s) => (err += s) });
  const bench = program.command('bench').exitOverride();
  registerSensorsCommands(program, bench, { out: (s) => (out += s), err: (s) => (err += s) });
  for (const c of program.commands) {
    c.exitOverride().configureOutput({ writeOut: (s) => (out += s), writeErr: (s) => (err += s) });
    for (const sub of c.commands) {
      sub
        .exitOverride()
        .configureOutput({ writeOut: (s) => (out += s), writeErr: (s) => (err += s) });
    }
  }
  const before = process.exitCode;
  process.exitCode = 0;
  let code: number;
  try {
    await program.parseAsync(['node', 'frisson', ...args]);
    code = Number(process.exitCode ?? 0);
  } catch (e) {
    code = (e as { exitCode?: number }).exitCode ?? 1;
  } finally {
    process.exitCode = before;
  }
  return { out, err, code };
}

describe('sensors CLI', () => {
  it('should decode a BLE frame to JSON', async () => {
    const r = await run(['sensors', 'decode-ble', '16 3f 5a 03']);
    assert.equal(r.code, 0);
    const j = JSON.parse(r.out);
    assert.equal(j.data.heartRate, 63);
    assert.deepEqual(j.sample.rr, [837.890625]);
  });

  it('should exit 1 with the error JSON on a malformed BLE frame or bad hex', async () => {
    const r = await run(['sensors', 'decode-ble', '01 48']);
    assert.equal(r.code, 1);
    assert.equal(JSON.parse(r.out).error.code, 'truncated');
    const h = await run(['sensors', 'decode-ble', 'xyz']);
    assert.equal(h.code, 1);
    assert.equal(JSON.parse(h.out).error.code, 'invalid-hex');
  });

  it('should decode HID reports with a descriptor', async () => {
    const r = await run([
      'sensors',
      'decode-hid',
      '--descriptor',
      toHex(fixture('hid/two-seat-controller.desc.bin')),
      '02 4b 00 20 21 34 21',
      '01 41 a0 03',
    ]);
    assert.equal(r.code, 0, r.out);
    const j = JSON.parse(r.out);
    assert.equal(j.sensors.length, 2);
    assert.deepEqual(j.reports[0].data[0].sample, { t: 0, bpm: 75, rr: [848, 850] });
    assert.deepEqual(j.reports[1].data[0].sample, { t: 0, bpm: 65, rr: [928] });
  });

  it('should show how decode-hid reads each field and what it left out as implausible', async () => {
    const r = await run([
      'sensors',
      'decode-hid',
      '--descriptor',
      toHex(fixture('hid/heartbeat-interval-no-unit.desc.bin')),
      toHex(fixture('hid/heartbeat-interval-no-unit.report-800.bin')),
      '01 4b 32 00',
    ]);
    assert.equal(r.code, 0, r.out);
    const j = JSON.parse(r.out);
    assert.deepEqual(j.sensors[0].intervals[0].unit, {
      unit: 'ms',
      from: 'usage-default',
      fallback: 's',
    });
    assert.equal(j.sensors[0].intervals[0].unitExponent, -3);
    assert.deepEqual(j.reports[0].data[0].sample, { t: 0, bpm: 75, rr: [800] });
    assert.deepEqual(j.reports[1].data[0].sample, { t: 0, bpm: 75 });
    assert.equal(j.reports[1].data[0].implausible[0].raw, 50);
  });

  it('should exit 1 on a malformed descriptor, a non-heart-rate descriptor or a bad report', async () => {
    const bad = await run(['sensors', 'decode-hid', '--descriptor', 'a1 01', '00']);
    assert.equal(bad.code, 1);
    assert.equal(JSON.parse(bad.out).error.code, 'unbalanced-collection');
    const mouse = await run([
      'sensors',
      'decode-hid',
      '--descriptor',
      toHex(fixture('hid/boot-mouse.desc.bin')),
    ]);
    assert.equal(mouse.code, 1);
    assert.equal(JSON.parse(mouse.out).error.code, 'no-heart-rate');
    const short = await run([
      'sensors',
      'decode-hid',
      '--descriptor',
      toHex(fixture('hid/heart-rate-sensor.desc.bin')),
      '01 48',
    ]);
    assert.equal(short.code, 1);
    assert.equal(JSON.parse(short.out).reports[0].error.code, 'truncated-report');
  });

  it('should print help for every command', async () => {
    for (const args of [
      ['sensors', '--help'],
      ['sensors', 'list', '--help'],
      ['sensors', 'decode-ble', '--help'],
      ['sensors', 'decode-hid', '--help'],
      ['sensors', 'replay', '--help'],
      ['sensors', 'simulate', '--help'],
      ['agent', '--help'],
      ['bench', 'signal', '--help'],
    ]) {
      const r = await run(args);
      assert.match(r.out, /Usage:/, args.join(' '));
    }
    const agent = await run(['agent', '--help']);
    assert.match(
      agent.out,
      /Exit codes: 0 .*\n2 HID devices unavailable .*3 the hub refused the token/s,
    );
  });

  it('should run the signal benchmark and print JSON', async () => {
    const r = await run(['bench', 'signal', '--json', '--viewers', '2', '--seconds', '30']);
    assert.equal(r.code, 0);
    const j = JSON.parse(r.out);
    assert.equal(j.viewers, 2);
    assert.ok(j.samples >= 58);
    assert.ok(j.pushUsPerSample > 0);
  });

  it('should refuse a malformed trace with its line number', async () => {
    const file = new URL('../../../fixtures/sensors/traces/bad-line.trace.jsonl', import.meta.url)
      .pathname;
    const r = await run([
      'sensors',
      'replay',
      file,
      '--hub',
      'http://127.0.0.1:9',
      '--session',
      's',
      '--token',
      't',
    ]);
    assert.equal(r.code, 1);
    assert.match(r.err, /line 3: bpm/);
  });

  it('should write a simulated trace and replay it into a hub', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'frisson-cli-'));
    const http = createServer();
    const io = new Server(http);
    const got: Array<{ bpm?: number }> = [];
    io.use((socket, next) => {
      const a = socket.handshake.auth as { sessionId?: string; token?: string };
      next(a.sessionId === 's1' && a.token === 'tok' ? undefined : new Error('refused'));
    });
    io.on('connection', (socket) => {
      socket.on('sample', (p: { bpm?: number }, ack: (r: unknown) => void) => {
        got.push(p);
        ack({ ok: true });
      });
    });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    try {
      const file = join(dir, 'sim.trace.jsonl');
      const sim = await run([
        'sensors',
        'simulate',
        '--out',
        file,
        '--seconds',
        '20',
        '--seed',
        '3',
      ]);
      assert.equal(sim.code, 0, sim.err);
      assert.equal(JSON.parse(sim.out).samples, 20);
      assert.equal(readFileSync(file, 'utf8').trim().split('\n').length, 21);
      const r = await run([
        'sensors',
        'replay',
        file,
        '--hub',
        url,
        '--session',
        's1',
        '--token',
        'tok',
        '--speed',
        '1000',
      ]);
      assert.equal(r.code, 0, r.err);
      const report = JSON.parse(r.out);
      assert.equal(report.sent, 20);
      assert.equal(report.accepted + report.skipped, 20);
      assert.equal(got.length, report.accepted);
      const refused = await run([
        'sensors',
        'replay',
        file,
        '--hub',
        url,
        '--session',
        's1',
        '--token',
        'bad',
      ]);
      assert.equal(refused.code, 1);
      assert.match(refused.err, /cannot connect/);
    } finally {
      await io.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
