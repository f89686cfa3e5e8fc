/**
 * Populations of simulated viewers: for each parameter a distribution (or a fixed value), plus the
 * share of viewers with an EDA seat, with a bad start, and EDA non-responders. Written as YAML or
 * JSON (`sensors/simulator/populations/*.yaml`), validated with zod, sampled deterministically.
 *
 * ```yaml
 * name: my-audience
 * extends: default            # optional (default: default); parameters left out come from it
 * params:
 *   cardiacReactivity: { dist: uniform, min: 0, max: 5 }          # bpm at a = 1
 *   vagalToneMs: { dist: lognormal, median: 50, sdLog: 0.58, min: 15, max: 160 }
 *   restingHr: { dist: normal, mean: 72, sd: 9, min: 50, max: 100 }
 *   susceptibility: { dist: loguniform, min: 0.2, max: 1.4 }
 *   noiseMs: 4                 # a fixed value
 * edaProbability: 1            # share of viewers whose seat measures skin conductance
 * badStartProb: 0.1            # share with a settling strap at the start (badStartS, badStartHrBpm)
 * edaNonResponderProb: 0.1     # share with no skin conductance responses at all
 * ```
 *
 * `normal` and `lognormal` are truncated to [min, max] (drawn by inverse CDF, no pile-up at the
 * bounds). A range may reach past a parameter's allowed bounds (viewer-params.ts; e.g. a widened
 * range whose minimum dips below 0): draws are clipped to them. A fixed value outside them, or a
 * range entirely outside them, is an error. Every viewer consumes the same number of random draws whatever the distributions, so
 * viewer i of two populations with one seed sits at the same quantile of every parameter.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { fail, ok, type ParseResult } from '../../contracts/parse-result.js';
import { Prng } from '../../contracts/random.js';
import type { SimulatedViewerParams } from './simulator-types.js';
import { NUMERIC_PARAMS, PARAM_BOUNDS, type NumericParamName } from './viewer-params.js';
import { BUILT_IN_POPULATIONS, type PopulationName } from './population-presets.js';
import { ParamRangeSchema, type ParamRange, type PopulationSpec } from './population-types.js';

export { ParamRangeSchema, type ParamRange, type PopulationSpec };

const finite = z.number().finite();

const probability = finite.min(0).max(1);

const paramShape = Object.fromEntries(
  NUMERIC_PARAMS.map((k) => [k, ParamRangeSchema.optional()]),
) as Record<NumericParamName, z.ZodOptional<typeof ParamRangeSchema>>;

/** A population file as written: any parameter may be left to the population it extends. */
export const PopulationFileSchema = z
  .object({
    name: z.string().min(1).max(100).optional(),
    description: z.string().max(2000).optional(),
    extends: z.enum(['default', 'low-reactivity', 'noisy-sensors']).optional(),
    params: z.object(paramShape).strict().optional(),
    edaProbability: probability.optional(),
    badStartProb: probability.optional(),
    edaNonResponderProb: probability.optional(),
  })
  .strict()
  .superRefine((f, ctx) => {
    for (const [name, r] of Object.entries(f.params ?? {}) as [NumericParamName, ParamRange][]) {
      const [lo, hi] = PARAM_BOUNDS[name];
      const path = ['params', name];
      if (typeof r === 'number') {
        if (r < lo || r > hi) {
          ctx.addIssue({
            code: 'custom',
            path,
            message: `${r} is outside the allowed ${lo}–${hi}`,
          });
        }
        continue;
      }
      if (r.max < r.min) {
        ctx.addIssue({ code: 'custom', path: [...path, 'max'], message: 'must be ≥ min' });
      } else if (r.max < lo || r.min > hi) {
        ctx.addIssue({
          code: 'custom',
          path,
          message: `${r.min}–${r.max} lies outside the allowed ${lo}–${hi}`,
        });
      }
    }
  });
export type PopulationFile = z.infer<typeof PopulationFileSchema>;

/** Fills a file's gaps from the built-in population it extends (default: `default`). */
export function resolvePopulation(file: PopulationFile, fallbackName = 'custom'): PopulationSpec {
  const base = BUILT_IN_POPULATIONS[file.extends ?? 'default'];
  const spec: PopulationSpec = {
    name: file.name ?? fallbackName,
    params: { ...base.params, ...(file.params as Partial<PopulationSpec['params']>) },
    edaProbability: file.edaProbability ?? base.edaProbability,
    badStartProb: file.badStartProb ?? base.badStartProb,
    edaNonResponderProb: file.edaNonResponderProb ?? base.edaNonResponderProb,
  };
  if (file.description !== undefined) spec.description = file.description;
  return spec;
}

const issueText = (e: z.ZodError): string =>
  e.issues
    .map((i) => {
      const where = i.path.join('.') || '(root)';
      const msg =
        i.code === 'unrecognized_keys'
          ? `unknown ${i.path.at(-1) === 'params' ? 'parameter' : 'field'} ${i.keys.join(', ')}`
          : i.message;
      return `${where}: ${msg}`;
    })
    .join('; ');

/**
 * Parses a population file's text (YAML or JSON, JSON being YAML). `source` prefixes every
 * message, e.g. `population.yaml: params.cardiacReactivity.max: must be ≥ min`.
 *
 * @example
 * const r = parsePopulationSpec(text, 'crowd.yaml');
 * if (r.success) samplePopulation(7, 200, r.data);
 */
export function parsePopulationSpec(
  text: string,
  source: string,
): ParseResult<PopulationSpec, 'invalid-yaml' | 'invalid-population'> {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    const first = (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';
    return fail('invalid-yaml', `${source}: not YAML/JSON: ${first}`);
  }
  const r = PopulationFileSchema.safeParse(doc ?? {});
  if (!r.success) return fail('invalid-population', `${source}: ${issueText(r.error)}`);
  const stem = source.replace(/^.*[\\/]/, '').replace(/\.(ya?ml|json)$/i, '');
  return ok(resolvePopulation(r.data, stem));
}

/** Reads and parses a population file; every error is one line naming the file. */
export function loadPopulationSpec(
  path: string,
): ParseResult<PopulationSpec, 'unreadable' | 'invalid-yaml' | 'invalid-population'> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as { code?: string }).code;
    const why = code === 'ENOENT' ? 'no such file' : e instanceof Error ? e.message : String(e);
    return fail('unreadable', `${path}: cannot read (${why})`);
  }
  return parsePopulationSpec(text, path);
}

/**
 * A built-in population by name (`default`, `low-reactivity`, `noisy-sensors`) or a file by path.
 *
 * @example
 * const r = findPopulation(opts.population ?? 'default');
 * if (!r.success) { io.err(`frisson: ${r.error.message}\n`); return 1; }
 */
export function findPopulation(
  nameOrPath: string,
): ParseResult<PopulationSpec, 'unreadable' | 'invalid-yaml' | 'invalid-population'> {
  if (Object.hasOwn(BUILT_IN_POPULATIONS, nameOrPath)) {
    return ok(BUILT_IN_POPULATIONS[nameOrPath as PopulationName]);
  }
  if (!/[\\/.]/.test(nameOrPath)) {
    const names = Object.keys(BUILT_IN_POPULATIONS).join(', ');
    return fail(
      'unreadable',
      `unknown population ${nameOrPath}: use ${names} or the path of a .yaml/.json file`,
    );
  }
  return loadPopulationSpec(nameOrPath);
}

/** Standard normal CDF (Abramowitz & Stegun 7.1.26 erf, |error| < 1.5e-7). */
function normCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-z * z);
  return x >= 0 ? 0.5 * (1 + y) : 0.5 * (1 - y);
}

/** Inverse standard normal CDF (Acklam's rational approximation, relative error < 1.2e-9). */
function normInv(p: number): number {
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972,
    -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734,
    4.374664141464968, 2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const q0 = Math.min(Math.max(p, 1e-12), 1 - 1e-12);
  const tail = (q: number): number => {
    const r = Math.sqrt(-2 * Math.log(q));
    return (
      (((((c[0]! * r + c[1]!) * r + c[2]!) * r + c[3]!) * r + c[4]!) * r + c[5]!) /
      ((((d[0]! * r + d[1]!) * r + d[2]!) * r + d[3]!) * r + 1)
    );
  };
  if (q0 < 0.02425) return tail(q0);
  if (q0 > 1 - 0.02425) return -tail(1 - q0);
  const q = q0 - 0.5;
  const r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
}

/** The value of `range` at quantile `u` ∈ [0, 1). */
export function drawFromRange(range: ParamRange, u: number): number {
  if (typeof range === 'number') return range;
  switch (range.dist) {
    case 'uniform':
      return range.min + (range.max - range.min) * u;
    case 'loguniform':
      return range.min * Math.pow(range.max / range.min, u);
    case 'normal':
    case 'lognormal': {
      const [centre, spread, lo, hi] =
        range.dist === 'normal'
          ? [range.mean, range.sd, range.min, range.max]
          : [Math.log(range.median), range.sdLog, Math.log(range.min), Math.log(range.max)];
      let x: number;
      if (spread === 0) {
        x = Math.min(hi, Math.max(lo, centre));
      } else {
        const a = normCdf((lo - centre) / spread);
        const b = normCdf((hi - centre) / spread);
        x = centre + spread * normInv(a + (b - a) * u);
        x = Math.min(hi, Math.max(lo, x));
      }
      return range.dist === 'normal' ? x : Math.exp(x);
    }
  }
}

/** Parameters that EDA non-responders have at zero: no responses, evoked or spontaneous. */
const NON_RESPONDER_ZERO = ['edaPhasicReactivity', 'edaTonicReactivity', 'nsScrPerMin'] as const;

/**
 * Draws `n` viewers from a population (default: the `default` population, see
 * population-presets.ts), deterministically per seed.
 *
 * @example
 * const audience = samplePopulation(7, 50).map((p) => new ViewerSimulator(p));
 * const like_real = samplePopulation(7, 50, BUILT_IN_POPULATIONS['low-reactivity']);
 */
export function samplePopulation(
  seed: number,
  n: number,
  spec: PopulationSpec = BUILT_IN_POPULATIONS.default,
): SimulatedViewerParams[] {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a non-negative integer`);
  const rng = new Prng(seed);
  const out: SimulatedViewerParams[] = [];
  for (let i = 0; i < n; i++) {
    const viewerSeed = rng.nextUint32();
    const values = {} as Record<NumericParamName, number>;
    for (const name of NUMERIC_PARAMS) {
      const [lo, hi] = PARAM_BOUNDS[name];
      const x = drawFromRange(spec.params[name], rng.next());
      values[name] = x < lo ? lo : x > hi ? hi : x;
    }
    const hasEda = rng.next() < spec.edaProbability;
    const badStart = rng.next() < spec.badStartProb;
    const nonResponder = rng.next() < spec.edaNonResponderProb;
    if (!badStart) {
      values.badStartS = 0;
      values.badStartHrBpm = 0;
    }
    if (nonResponder) for (const k of NON_RESPONDER_ZERO) values[k] = 0;
    // An SCR must rise faster than it recovers (the bi-exponential needs it).
    if (values.scrRiseS >= values.scrRecoveryS) values.scrRiseS = values.scrRecoveryS * 0.5;
    out.push({ seed: viewerSeed, ...values, hasEda });
  }
  return out;
}
