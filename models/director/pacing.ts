/**
 * Pacing: a per-session state machine in the spirit of the Left 4 Dead AI Director (Valve, "The AI
 * Systems of Left 4 Dead", 2009): Build Up until the viewer's arousal reaches a peak → Sustain Peak
 * for 3–5 s → Peak Fade until arousal falls back → Relax for 30–45 s → Build Up. Where Left 4 Dead
 * steers enemy population, Frisson steers scene intensity, and the author's target curve leads: the
 * desired intensity follows the target arousal a few seconds ahead (the heart lags the screen),
 * and a rising target ends a relax early.
 *
 * Pacing only proposes; the safety cap (safety-cap.ts) is applied after it and cannot be overruled.
 */
import type { PacingPhase } from '../../contracts/director.js';

export interface PacingOptions {
  /** Arousal at which Build Up turns into Sustain Peak regardless of the target (default 0.7). */
  peakArousal?: number;
  /** Seconds to sustain a peak, 3–5 s in Left 4 Dead (default 4). */
  sustainS?: number;
  /** Seconds to relax after a peak, 30–45 s in Left 4 Dead (default 30). */
  relaxS?: number;
  /** Peak Fade ends when arousal falls to this level (default 0.35) or after `maxFadeS`. */
  fadeToArousal?: number;
  maxFadeS?: number;
  /** Highest intensity pacing proposes while relaxing (default 0.4). */
  relaxIntensityCap?: number;
  /** Steady-state arousal per unit intensity assumed by the feed-forward term (default 1). */
  nominalGain?: number;
  /** Proportional correction on the look-ahead error (default 0.5). */
  feedbackGain?: number;
  /** Preferred candidate mood per phase (saliency bonus in the rule picker). */
  moods?: Partial<Record<PacingPhase, string>>;
}

export interface PacingInput {
  /** Story time in seconds. */
  storyTime: number;
  /** Measured arousal 0–1 (pass the target when the sensor has no contact). */
  arousal: number;
  targetArousal: number;
  targetArousalAhead: number;
  currentIntensity: number;
  maxIntensity: number;
}

export interface PacingState {
  phase: PacingPhase;
  /** Seconds spent in the current phase. */
  phaseTimeS: number;
  desiredIntensity: number;
  preferredMood?: string;
}

/**
 * @example
 *   const pacing = new Pacing({ nominalGain: 0.8 });
 *   const { phase, desiredIntensity } = pacing.update({ storyTime: 12, arousal: 0.3, ... });
 */
export class Pacing {
  private readonly opts: Required<Omit<PacingOptions, 'moods'>> & Pick<PacingOptions, 'moods'>;
  private phase: PacingPhase = 'build-up';
  private phaseStart = 0;
  private lastTime: number | null = null;

  constructor(opts: PacingOptions = {}) {
    this.opts = {
      peakArousal: opts.peakArousal ?? 0.7,
      sustainS: opts.sustainS ?? 4,
      relaxS: opts.relaxS ?? 30,
      fadeToArousal: opts.fadeToArousal ?? 0.35,
      maxFadeS: opts.maxFadeS ?? 20,
      relaxIntensityCap: opts.relaxIntensityCap ?? 0.4,
      nominalGain: opts.nominalGain ?? 1,
      feedbackGain: opts.feedbackGain ?? 0.5,
      moods: opts.moods ?? { relax: 'calm', 'sustain-peak': 'scare' },
    };
  }

  get currentPhase(): PacingPhase {
    return this.phase;
  }

  /** Advances the state machine to `input.storyTime` and returns the proposal. */
  update(input: PacingInput): PacingState {
    const t = input.storyTime;
    if (this.lastTime === null) this.phaseStart = t;
    this.lastTime = t;
    const o = this.opts;
    const inPhase = (): number => t - this.phaseStart;
    const go = (p: PacingPhase): void => {
      this.phase = p;
      this.phaseStart = t;
    };
    const rising = input.targetArousalAhead > input.arousal + 0.2;
    switch (this.phase) {
      case 'build-up': {
        const targetPeaked =
          input.targetArousalAhead <= input.targetArousal + 0.01 &&
          input.arousal >= Math.max(0.4, input.targetArousal - 0.05);
        if (input.arousal >= o.peakArousal || targetPeaked) go('sustain-peak');
        break;
      }
      case 'sustain-peak':
        if (inPhase() >= o.sustainS) go('fade');
        break;
      case 'fade':
        if (rising) go('build-up');
        else if (input.arousal <= o.fadeToArousal || inPhase() >= o.maxFadeS) go('relax');
        break;
      case 'relax':
        // The author's curve leads: a clearly rising target ends the relax early.
        if (inPhase() >= o.relaxS || rising) go('build-up');
        break;
    }
    const feedForward = input.targetArousalAhead / Math.max(0.05, o.nominalGain);
    const base = feedForward + o.feedbackGain * (input.targetArousalAhead - input.arousal);
    let desired = base;
    if (this.phase === 'sustain-peak') desired = Math.max(base, input.currentIntensity);
    else if (this.phase === 'fade') desired = Math.min(base, input.currentIntensity - 0.2);
    else if (this.phase === 'relax') desired = Math.min(base, o.relaxIntensityCap);
    desired = Math.min(Math.max(desired, 0), input.maxIntensity, 1);
    const mood = o.moods?.[this.phase];
    return {
      phase: this.phase,
      phaseTimeS: inPhase(),
      desiredIntensity: desired,
      ...(mood !== undefined ? { preferredMood: mood } : {}),
    };
  }
}
