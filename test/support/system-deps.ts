/**
 * One rule for the system pieces some tests need (redis-server, Chromium, espeak-ng, libusb, and
 * `root-mount`: mounting a small tmpfs, which needs root — a real full filesystem):
 *
 * - present: the test runs;
 * - absent, `CI` not `true`: the test (or, from a `before` hook, its whole suite) is pending, with one
 *   line naming the Debian package, and the run ends with a list of what was skipped and why;
 * - absent, `CI=true`: the test fails with that line, so CI (`.ci/run`, which installs them all)
 *   never passes by skipping.
 *
 * The end-of-run list comes from `mochaHooks` below, loaded through `require` in package.json's
 * mocha config. Skip reasons are stored on mocha's own test/suite objects, so nothing here is
 * module state.
 */
import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { REPO_DIR } from './processes.js';
import { REDIS_SERVER } from './redis.js';

export interface SystemPiece {
  /** What the test needs, as the skip line names it: `redis-server`, `chromium`… */
  name: string;
  /** Debian packages that provide it. */
  debian: readonly string[];
  /** Resolves to null when the piece is present, else to why not (one short line). */
  probe(): Promise<string | null>;
}

export type Verdict =
  { status: 'present' } | { status: 'skip' | 'fail'; line: string; debian: readonly string[] };

/** Where `name` resolves on `PATH` (or `name` itself when it is a path), null when nowhere. */
export async function findExecutable(
  name: string,
  path = process.env.PATH ?? '',
): Promise<string | null> {
  const candidates = name.includes('/')
    ? [name]
    : path
        .split(delimiter)
        .filter(Boolean)
        .map((dir) => join(dir, name));
  for (const file of candidates) {
    try {
      await access(file, constants.X_OK);
      if ((await stat(file)).isFile()) return file;
    } catch {
      /* not here */
    }
  }
  return null;
}

/**
 * A program that must be on PATH (or at `binary`, when that is a path). Only presence is checked:
 * an installed but broken program fails its test rather than skipping it.
 */
export function executablePiece(
  name: string,
  debian: readonly string[],
  binary = name,
): SystemPiece {
  return {
    name,
    debian,
    probe: async () => {
      if (await findExecutable(binary)) return null;
      if (binary.includes('/')) return `${binary} is not an executable file`;
      return binary === name ? 'not on PATH' : `${binary} is not on PATH`;
    },
  };
}

/** node-hid's native module loads (in a child, so a failed dlopen leaves this process clean). */
function probeNodeHid(): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['-e', "require('node-hid').devices()"],
      { cwd: REPO_DIR, timeout: 20_000 },
      (err, _stdout, stderr) => {
        if (!err) return resolve(null);
        const lib = /([^\s:/]+\.so[.\d]*): cannot open shared object file/.exec(stderr)?.[1];
        if (lib) return resolve(`node-hid's native module cannot load ${lib}`);
        const first = stderr.split('\n').find((l) => /Error/.test(l)) ?? err.message.split('\n')[0];
        const cause = first?.trim() ?? '';
        resolve(`node-hid's native module does not load: ${cause}`);
      },
    );
  });
}

/** Runs a command; resolves to null on exit 0, else to its first stderr line. */
function run(cmd: string, args: string[]): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: 10_000 }, (err, _stdout, stderr) => {
      if (!err) return resolve(null);
      const first = stderr.split('\n').find((l) => l.trim() !== '') ?? err.message.split('\n')[0];
      resolve(first?.trim() ?? 'failed');
    });
  });
}

/** A 1 MiB tmpfs can be mounted and unmounted here (root, or CAP_SYS_ADMIN, and `mount`). */
async function probeRootMount(): Promise<string | null> {
  if (process.platform !== 'linux') return 'tmpfs mounts are Linux-only';
  if (!(await findExecutable('mount')) || !(await findExecutable('umount'))) {
    return 'mount/umount are not on PATH';
  }
  const dir = await mkdtemp(join(tmpdir(), 'frisson-mount-probe-'));
  try {
    const why = await run('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir]);
    if (why !== null) return `cannot mount a tmpfs (needs root): ${why}`;
    return await run('umount', [dir]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export const SYSTEM_PIECES = {
  // FRISSON_REDIS_SERVER may name another binary; the tests spawn that one.
  'redis-server': executablePiece('redis-server', ['redis-server'], REDIS_SERVER),
  chromium: {
    name: 'chromium',
    debian: ['chromium'],
    probe: async () => {
      // The very check launchChromium makes (imported lazily: playwright-core is heavy).
      const { chromiumPath } = await import('../../tools/bench/chromium.js');
      try {
        chromiumPath();
        return null;
      } catch {
        return `no Chromium at ${process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'} (or set CHROMIUM_PATH)`;
      }
    },
  },
  'espeak-ng': executablePiece('espeak-ng', ['espeak-ng']),
  libusb: { name: 'libusb', debian: ['libusb-1.0-0', 'libudev1'], probe: probeNodeHid },
  // Root is the usual missing part (CI runs the tests as root); `mount` is util-linux's package.
  'root-mount': { name: 'root-mount', debian: ['mount'], probe: probeRootMount },
} as const satisfies Record<string, SystemPiece>;

export type SystemPieceName = keyof typeof SYSTEM_PIECES;

const CI_NOTE = 'CI=true turns these skips into failures';

/** The one line a skip or failure prints, e.g. `needs redis-server: … (Debian: apt-get install -y redis-server)`. */
function needsLine(piece: SystemPiece, why: string): string {
  return `needs ${piece.name}: ${why} (Debian: apt-get install -y ${piece.debian.join(' ')})`;
}

/** Probes `piece` and decides from `env.CI` whether a missing piece skips or fails. */
export async function checkSystem(
  piece: SystemPiece | SystemPieceName,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Verdict> {
  const p = typeof piece === 'string' ? SYSTEM_PIECES[piece] : piece;
  const why = await p.probe();
  if (why === null) return { status: 'present' };
  return env.CI === 'true'
    ? {
        status: 'fail',
        line: `${needsLine(p, why)}; CI=true fails instead of skipping`,
        debian: p.debian,
      }
    : { status: 'skip', line: `skipped: ${needsLine(p, why)}`, debian: p.debian };
}

/** A failure whose report is its one line: no stack trace for a missing package. */
export class MissingSystemPiece extends Error {
  constructor(line: string) {
    super(line);
    this.name = 'MissingSystemPiece';
    this.stack = `${this.name}: ${line}`;
  }
}

const SKIP_REASON = Symbol('frisson.systemSkip');
interface SkipReason {
  line: string;
  debian: readonly string[];
}
type Marked = { [SKIP_REASON]?: SkipReason };

/**
 * Applies the rule from inside a test or a `before` hook (then the whole suite is pending/failed).
 *
 * @example
 *   before(async function () {
 *     await requireSystem(this, 'redis-server');
 *     rig = await startTwoHubs(…);
 *   });
 */
export async function requireSystem(
  ctx: Mocha.Context,
  piece: SystemPiece | SystemPieceName,
  opts: { env?: NodeJS.ProcessEnv; print?: (line: string) => void } = {},
): Promise<void> {
  const verdict = await checkSystem(piece, opts.env);
  if (verdict.status === 'present') return;
  if (verdict.status === 'fail') throw new MissingSystemPiece(verdict.line);
  const runnable = ctx.runnable();
  // From a `before` hook mocha skips the whole suite; from a test, only that test.
  const target: (Mocha.Runnable | Mocha.Suite) & Marked =
    (runnable as { type?: string }).type === 'hook' && runnable.parent ? runnable.parent : runnable;
  target[SKIP_REASON] = { line: verdict.line, debian: verdict.debian };
  // Indented like the spec reporter's lines for the pending tests that follow it.
  const depth = (runnable.parent?.titlePath().length ?? 0) + 1;
  (opts.print ?? console.log)(`${'  '.repeat(depth)}${verdict.line}`);
  ctx.skip();
}

/** The reason recorded by `requireSystem` for a pending test, from the test or its suites. */
export function skipReason(test: Mocha.Test): SkipReason | undefined {
  for (let r: (Mocha.Test | Mocha.Suite) & Marked = test; ;) {
    if (r[SKIP_REASON]) return r[SKIP_REASON];
    if (!r.parent) return undefined;
    r = r.parent;
  }
}

/** End-of-run lines: each skip reason with how many tests it kept from running; [] when none. */
export function skipSummary(root: Mocha.Suite): string[] {
  const counts = new Map<string, number>();
  const debian = new Set<string>();
  const walk = (suite: Mocha.Suite): void => {
    for (const test of suite.tests) {
      const reason = test.isPending() ? skipReason(test) : undefined;
      if (!reason) continue;
      counts.set(reason.line, (counts.get(reason.line) ?? 0) + 1);
      reason.debian.forEach((d) => debian.add(d));
    }
    suite.suites.forEach(walk);
  };
  walk(root);
  if (counts.size === 0) return [];
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  return [
    `${total} test${total === 1 ? '' : 's'} skipped for missing system pieces (${CI_NOTE}):`,
    ...[...counts].map(([line, n]) => `  ${n} × ${line.replace(/^skipped: /, '')}`),
    `To run them: apt-get install -y ${[...debian].join(' ')}`,
  ];
}

/** Root hook plugin (package.json mocha `require`): prints the skip summary after the run. */
export const mochaHooks = {
  afterAll(this: Mocha.Context): void {
    let root = this.test?.parent;
    while (root?.parent) root = root.parent;
    const lines = root ? skipSummary(root) : [];
    if (lines.length) console.log(`\n${lines.map((l) => `  ${l}`).join('\n')}`);
  },
};
