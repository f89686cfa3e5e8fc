/**
 * The built-in populations, each range with where it comes from. "physio" is the six real people
 * of `../shared/physio` measured by `frisson sensors compare-physio` (docs/sensors.md); their
 * figures are per person (mean ± SD across people).
 *
 * The same populations are shipped as YAML in `populations/*.yaml` for `--population <file>` to
 * start from; a unit test keeps the two identical.
 */
import type { PopulationSpec } from './population-types.js';

/** The training and evaluation audience: broad, reactive and unreactive people alike. */
const DEFAULT: PopulationSpec = {
  name: 'default',
  description:
    'Training and evaluation audience: broad ranges that include reactive and unreactive people.',
  params: {
    // Latent: no device shows σ; a design range, not a measurement. Intensity is authored on the
    // scale of the target curve (peaks ≈ 0.9 at full intensity for the typical viewer), so the
    // median viewer is moved as the author meant (σ ≈ 0.85); some barely react (σ 0.3: never above
    // ≈ 0.3 from the film), some a lot (σ 1.8: saturated from intensity ≈ 0.55 up).
    susceptibility: { dist: 'lognormal', median: 0.85, sdLog: 0.35, min: 0.3, max: 1.8 },
    // Most viewers' tonic fear habituates over repeated scares, some sensitise (exposure
    // literature; the one-session exposure treatment these recordings come from relies on it).
    sensitisation: { dist: 'uniform', min: -0.12, max: 0.06 },
    // Sympathetic delay 1–3 s, time constant 10–20 s (Mokrane & Nadeau 1998).
    delayS: { dist: 'uniform', min: 1, max: 3 },
    tauS: { dist: 'uniform', min: 10, max: 20 },
    // Not every sudden onset startles; the reflex is narrower across people than σ (×2 vs ×7)
    // and independent of it (Lykken & Venables 1971 range correction rests on that).
    startleProb: { dist: 'uniform', min: 0.5, max: 0.95 },
    startleReflex: { dist: 'uniform', min: 0.25, max: 0.5 },
    // Startle habituates with repetition (reference.md, "Affective adaptation").
    habituation: { dist: 'uniform', min: 0.05, max: 0.3 },
    // Arousal from outside the film: a design range (0–0.5 episodes per minute, small).
    extRatePerMin: { dist: 'uniform', min: 0, max: 0.5 },
    extAmp: { dist: 'uniform', min: 0.05, max: 0.25 },
    // Resting heart rate of adults at rest; physio: 54–85 bpm at rest.
    restingHr: { dist: 'normal', mean: 70, sd: 9, min: 50, max: 100 },
    // Kreibig 2010: fear films raise heart rate by a few bpm on average, phobics facing their
    // object by more; physio shows ≈ 0. Broad on purpose: 0 (invisible) to 15 bpm at a = 1.
    cardiacReactivity: { dist: 'uniform', min: 0, max: 15 },
    // Sympathetic 1–3 s delay (Mokrane & Nadeau 1998); lag 3–8 s.
    cardiacDelayS: { dist: 'uniform', min: 1, max: 3 },
    cardiacTauS: { dist: 'uniform', min: 3, max: 8 },
    // Slow wander of heart rate (issue 20: ±2–4 bpm over 10 min; physio: one person's per-clip
    // means differ by 1–10 bpm).
    hrDriftBpm: { dist: 'uniform', min: 1, max: 4 },
    // Breathing 6–20 per minute (physio RR spectra peak at 0.10–0.17 Hz).
    breathHz: { dist: 'uniform', min: 0.1, max: 0.33 },
    // Resting RMSSD of adults: median ≈ 50 ms, 5–95 % ≈ 20–130 ms (physio 25–123, reference.md
    // 24–128); with the (70 / HR)² coupling this lognormal gives resting RMSSD 53 ± 31 ms.
    vagalToneMs: { dist: 'lognormal', median: 50, sdLog: 0.5, min: 15, max: 150 },
    // Vagal withdrawal under stress: RSA 0–60 % smaller at a = 1.
    vagalReactivity: { dist: 'uniform', min: 0, max: 0.6 },
    // Mayer waves (≈ 0.1 Hz), a few tens of ms: with them and the drift, SDNN exceeds RMSSD as
    // in physio (74 vs 64 ms).
    lfMs: { dist: 'uniform', min: 15, max: 60 },
    noiseMs: { dist: 'uniform', min: 2, max: 8 },
    // Premature beats: most people a few per hour, some more (physio VP82: ≈ 1 %).
    ectopicRate: { dist: 'loguniform', min: 0.0002, max: 0.01 },
    // Detection errors: physio filter changes 3.6 ± 2.4 % of intervals.
    artifactRate: { dist: 'uniform', min: 0, max: 0.02 },
    burstRatePerMin: { dist: 'uniform', min: 0, max: 0.3 },
    contactLossRate: { dist: 'uniform', min: 0, max: 0.005 },
    // Settling strap: 5–25 s, heart rate 5–15 bpm high (issue 20; one real person of nine).
    badStartS: { dist: 'uniform', min: 5, max: 25 },
    badStartHrBpm: { dist: 'uniform', min: 5, max: 15 },
    // Skin conductance level 2–20 µS (physio 4.7–19.7), drifting 2–6 µS over 10 min.
    edaLevelUs: { dist: 'loguniform', min: 2, max: 20 },
    edaTrendUsPerMin: { dist: 'uniform', min: -0.5, max: 0.3 },
    edaWalkUs: { dist: 'uniform', min: 0.5, max: 3 },
    edaTonicReactivity: { dist: 'uniform', min: 0, max: 3 },
    edaTonicTauS: { dist: 'uniform', min: 20, max: 40 },
    // SCRs to a startling stimulus 0.1–1 µS: per unit of latent pulse (κ ≈ 0.25–0.5).
    edaPhasicReactivity: { dist: 'uniform', min: 0.3, max: 2.5 },
    // Boucsein 2012: latency 1–3 s, rise 1–2 s, recovery (half) 2–10 s.
    scrLatencyS: { dist: 'uniform', min: 1, max: 3 },
    scrRiseS: { dist: 'uniform', min: 1, max: 2 },
    scrRecoveryS: { dist: 'uniform', min: 4, max: 10 },
    // Non-specific SCRs 0–3 per minute at rest (Boucsein 2012).
    nsScrPerMin: { dist: 'uniform', min: 0, max: 3 },
    // Electrode steps: physio 3 in 60 person-minutes.
    edaStepRatePerMin: { dist: 'uniform', min: 0, max: 0.1 },
  },
  // Straps carry no EDA; seats may.
  edaProbability: 0.5,
  badStartProb: 0.1,
  // About one person in ten shows no skin conductance responses.
  edaNonResponderProb: 0.1,
};

/** People like the real recordings: a tiny heart response, real-like HRV, EDA present. */
const LOW_REACTIVITY: PopulationSpec = {
  name: 'low-reactivity',
  description:
    'People like the real recordings (../shared/physio): tiny heart response, real-like HRV, EDA.',
  params: {
    ...DEFAULT.params,
    // The point of this population: arousal barely shows in the heart (physio heart rate, clips −
    // rest: −0.6 ± 4.0 bpm; RMSSD clips ÷ rest 1.01 ± 0.17). σ stays as in default: they may
    // feel as much, it just does not show.
    cardiacReactivity: { dist: 'uniform', min: 0, max: 3 },
    vagalReactivity: { dist: 'uniform', min: 0, max: 0.1 },
    // HRV like the six: resting RMSSD 64 ± 36, SDNN 74 ± 25 ms, RR spectra peaking at 0.10–0.17
    // Hz, their heart rate wandering 1–10 bpm between clips. Their vagal tone at 70 bpm is
    // 37–74 ms (RMSSD × (HR / 70)²), hence the narrow lognormal.
    vagalToneMs: { dist: 'lognormal', median: 60, sdLog: 0.3, min: 20, max: 120 },
    breathHz: { dist: 'uniform', min: 0.1, max: 0.25 },
    lfMs: { dist: 'uniform', min: 20, max: 60 },
    hrDriftBpm: { dist: 'uniform', min: 1.5, max: 4 },
    // Filter changes 3.6 ± 2.4 % in physio.
    artifactRate: { dist: 'uniform', min: 0, max: 0.015 },
    burstRatePerMin: { dist: 'uniform', min: 0, max: 0.2 },
    // Skin like theirs: level 5.4–13.2 µS, last − first minute −1.3 ± 3.9 µS, and many
    // non-specific responses (4.9 ± 2.5 per minute at rest: spider-fearful people waiting for
    // more spiders; Boucsein's 1–3 is for calm people).
    edaLevelUs: { dist: 'lognormal', median: 8, sdLog: 0.35, min: 3, max: 20 },
    edaTrendUsPerMin: { dist: 'uniform', min: -0.6, max: 0.5 },
    edaWalkUs: { dist: 'uniform', min: 1, max: 3 },
    nsScrPerMin: { dist: 'uniform', min: 3, max: 10 },
  },
  edaProbability: 1,
  badStartProb: 0.1,
  edaNonResponderProb: 0.1,
};

/** Default people behind bad sensors: artifacts, bursts, contact loss and bad starts × 3–5. */
const NOISY_SENSORS: PopulationSpec = {
  name: 'noisy-sensors',
  description:
    'Default people, sensors 3–5× worse: artifacts, movement bursts, contact loss, bad starts.',
  params: {
    ...DEFAULT.params,
    artifactRate: { dist: 'uniform', min: 0.02, max: 0.08 },
    burstRatePerMin: { dist: 'uniform', min: 0.3, max: 1.2 },
    contactLossRate: { dist: 'uniform', min: 0.005, max: 0.02 },
    edaStepRatePerMin: { dist: 'uniform', min: 0.1, max: 0.4 },
  },
  edaProbability: 0.5,
  badStartProb: 0.4,
  edaNonResponderProb: 0.1,
};

export const BUILT_IN_POPULATIONS = {
  default: DEFAULT,
  'low-reactivity': LOW_REACTIVITY,
  'noisy-sensors': NOISY_SENSORS,
} as const satisfies Record<string, PopulationSpec>;

export type PopulationName = keyof typeof BUILT_IN_POPULATIONS;
