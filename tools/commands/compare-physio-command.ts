/**
 * `frisson sensors compare-physio [--real <dir>] [--population a,b,…] [--viewers N] [--seed K]
 * [--json]`: the same statistics on real recordings (every `*.trace.jsonl` in `--real`, segments
 * from each header) and on simulated audiences (built-in population names or population files) run
 * through the same clip protocol (sensors/simulator/physio-compare.ts). Prints a mean ± SD table
 * (one column per group, then the real people one by one), or JSON.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { readTraceFolder } from '../../sensors/trace/trace-folder.js';
import {
  CLIP_PROTOCOL,
  PROTOCOL_SPANS,
  STAT_COLUMNS,
  physioStats,
  simulateSession,
  spansFromHeader,
  summarise,
  type PhysioStats,
  type PhysioSummary,
} from '../../sensors/simulator/physio-compare.js';
import {
  findPopulation,
  samplePopulation,
  type PopulationSpec,
} from '../../sensors/simulator/population-spec.js';
import { ViewerSimulator } from '../../sensors/simulator/viewer-simulator.js';
import { json, type CommandOutput } from '../command-output.js';

export interface ComparePhysioOptions {
  /** Folder of real traces. */
  real: string;
  /** Built-in population names or population files, one column each. */
  populations: readonly string[];
  viewers: number;
  seed: number;
  json?: boolean;
}

export interface RealPerson {
  name: string;
  stats: PhysioStats;
}

export interface ComparePhysioReport {
  protocol: typeof CLIP_PROTOCOL;
  real: { dir: string; persons: RealPerson[]; summary: PhysioSummary };
  simulated: { label: string; viewers: number; seed: number; summary: PhysioSummary }[];
}

/** Reads and measures every trace in `dir`; a problem is one line naming the file. */
export async function measureRealTraces(
  dir: string,
): Promise<{ success: true; data: RealPerson[] } | { success: false; error: string }> {
  const folder = await readTraceFolder(
    dir,
    'the real traces',
    '; pass --real <folder of *.trace.jsonl>',
  );
  if (!folder.success) return folder;
  const persons: RealPerson[] = [];
  for (const { name, path, trace } of folder.data) {
    const spans = spansFromHeader(trace.header);
    if (!spans.success) return { success: false, error: `${path}: ${spans.error}` };
    persons.push({ name, stats: physioStats(trace.samples, spans.data) });
  }
  return { success: true, data: persons };
}

/** Simulated viewers of a population through the clip protocol. */
export function measureSimulated(
  seed: number,
  viewers: number,
  spec?: PopulationSpec,
): PhysioSummary {
  const rows = samplePopulation(seed, viewers, spec).map((p) =>
    physioStats(simulateSession(new ViewerSimulator(p)), PROTOCOL_SPANS),
  );
  return summarise(rows);
}

const fmt = (x: number | null, digits: number): string =>
  x === null ? '—' : x.toFixed(digits).replace(/^-/, '−');

function cell(s: { mean: number | null; sd: number | null }, digits: number): string {
  if (s.mean === null) return '—';
  return s.sd === null ? fmt(s.mean, digits) : `${fmt(s.mean, digits)} ± ${fmt(s.sd, digits)}`;
}

/** The side-by-side table as text: one row per statistic, one column per group. */
export function formatComparison(r: ComparePhysioReport): string {
  const head = [
    'statistic',
    `real (n = ${r.real.persons.length})`,
    ...r.simulated.map((s) => `${s.label} (n = ${s.viewers})`),
  ];
  const rows = STAT_COLUMNS.map(({ key, label, digits }) => [
    label,
    cell(r.real.summary[key], digits),
    ...r.simulated.map((s) => cell(s.summary[key], digits)),
  ]);
  const people = [
    ['statistic', ...r.real.persons.map((p) => p.name)],
    ...STAT_COLUMNS.map(({ key, label, digits }) => [
      label,
      ...r.real.persons.map((p) => fmt(p.stats[key], digits)),
    ]),
  ];
  return `${table([head, ...rows])}\nreal people one by one:\n${table(people)}`;
}

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  return rows
    .map((r) =>
      r.map((x, c) => (c === 0 ? x.padEnd(widths[c] ?? 0) : x.padStart(widths[c] ?? 0))).join('  '),
    )
    .join('\n')
    .concat('\n');
}

export async function comparePhysioCommand(
  opts: ComparePhysioOptions,
  io: CommandOutput,
): Promise<number> {
  const specs: PopulationSpec[] = [];
  for (const name of opts.populations) {
    const r = findPopulation(name);
    if (!r.success) {
      io.err(`frisson: ${r.error.message}\n`);
      return 1;
    }
    specs.push(r.data);
  }
  const real = await measureRealTraces(opts.real);
  if (!real.success) {
    io.err(`frisson: ${real.error}\n`);
    return 1;
  }
  const report: ComparePhysioReport = {
    protocol: CLIP_PROTOCOL,
    real: {
      dir: opts.real,
      persons: real.data,
      summary: summarise(real.data.map((p) => p.stats)),
    },
    simulated: specs.map((spec) => ({
      label: spec.name,
      viewers: opts.viewers,
      seed: opts.seed,
      summary: measureSimulated(opts.seed, opts.viewers, spec),
    })),
  };
  io.out(opts.json ? json(report) : formatComparison(report));
  return 0;
}

/** Default `--real`: the physio folder beside the repository (FRISSON_PHYSIO_TRACES overrides). */
export const DEFAULT_REAL_TRACES = '../shared/physio/traces';

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

/** Registers `frisson sensors compare-physio` under `sensors`. */
export function registerComparePhysio(
  sensors: Command,
  setExit: (code: number) => void,
  io: CommandOutput,
): void {
  sensors
    .command('compare-physio')
    .description('the same statistics on real recordings and on simulated viewers (table or JSON)')
    .option(
      '--real <dir>',
      'folder of real *.trace.jsonl (default $FRISSON_PHYSIO_TRACES or ../shared/physio/traces)',
    )
    .option(
      '--population <list>',
      'comma-separated populations: default, low-reactivity, noisy-sensors or .yaml/.json files',
      'low-reactivity,default',
    )
    .option('--viewers <n>', 'simulated viewers per audience', positiveInt, 200)
    .option('--seed <n>', 'population seed', positiveInt, 1)
    .option('--json', 'print JSON')
    .action(
      async (o: {
        real?: string;
        population: string;
        viewers: number;
        seed: number;
        json?: boolean;
      }) => {
        const real = o.real ?? process.env.FRISSON_PHYSIO_TRACES ?? DEFAULT_REAL_TRACES;
        const populations = o.population
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean);
        setExit(await comparePhysioCommand({ ...o, real, populations }, io));
      },
    );
}
