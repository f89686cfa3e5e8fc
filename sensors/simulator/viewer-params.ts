/**
 * What a simulated viewer's parameters may be: the hard bounds the simulator accepts (wider than
 * any population: they exclude nonsense, not unusual people), shared by the simulator's
 * validation and the population files' schema.
 */
import type { SimulatedViewerParams } from './simulator-types.js';

export type NumericParamName = Exclude<keyof SimulatedViewerParams, 'seed' | 'hasEda'>;

/**
 * Allowed [min, max] per numeric parameter, in its unit (simulator-types.ts). A negative cardiac
 * reactivity is a heart that slows with fear (attentive bradycardia), which real viewers show.
 */
export const PARAM_BOUNDS: Readonly<Record<NumericParamName, readonly [number, number]>> = {
  susceptibility: [0, 3],
  sensitisation: [-1, 1],
  delayS: [0, 10],
  tauS: [0.1, 120],
  startleProb: [0, 1],
  startleReflex: [0, 1.5],
  habituation: [0, 1],
  extRatePerMin: [0, 10],
  extAmp: [0, 1],
  restingHr: [30, 150],
  cardiacReactivity: [-20, 60],
  cardiacDelayS: [0, 10],
  cardiacTauS: [0.1, 60],
  hrDriftBpm: [0, 20],
  breathHz: [0.05, 0.6],
  vagalToneMs: [1, 300],
  vagalReactivity: [0, 1],
  lfMs: [0, 100],
  noiseMs: [0, 200],
  ectopicRate: [0, 0.2],
  artifactRate: [0, 1],
  burstRatePerMin: [0, 10],
  contactLossRate: [0, 1],
  badStartS: [0, 120],
  badStartHrBpm: [0, 40],
  edaLevelUs: [0.5, 60],
  edaTrendUsPerMin: [-2, 2],
  edaWalkUs: [0, 20],
  edaTonicReactivity: [0, 20],
  edaTonicTauS: [1, 300],
  edaPhasicReactivity: [0, 20],
  scrLatencyS: [0, 10],
  scrRiseS: [0.2, 10],
  scrRecoveryS: [0.5, 60],
  nsScrPerMin: [0, 30],
  edaStepRatePerMin: [0, 5],
};

/** Every numeric parameter, in the fixed order populations draw them. */
export const NUMERIC_PARAMS = Object.keys(PARAM_BOUNDS) as readonly NumericParamName[];

/**
 * Throws a RangeError naming the first parameter outside its bounds (a programmer error: params
 * from a population file were validated already).
 */
export function validateParams(p: SimulatedViewerParams): void {
  const seed = p.seed;
  if (!Number.isFinite(seed) || seed < 0 || seed > 0xffffffff) {
    throw new RangeError(`SimulatedViewerParams.seed must be in [0, 4294967295], got ${seed}`);
  }
  for (const name of NUMERIC_PARAMS) {
    const v = p[name];
    const [lo, hi] = PARAM_BOUNDS[name];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < lo || v > hi) {
      throw new RangeError(`SimulatedViewerParams.${name} must be in [${lo}, ${hi}], got ${v}`);
    }
  }
  if (typeof p.hasEda !== 'boolean') {
    throw new RangeError(`SimulatedViewerParams.hasEda must be a boolean, got ${String(p.hasEda)}`);
  }
  if (p.scrRiseS >= p.scrRecoveryS) {
    throw new RangeError(
      `SimulatedViewerParams.scrRiseS (${p.scrRiseS}) must be shorter than scrRecoveryS (${p.scrRecoveryS})`,
    );
  }
}
