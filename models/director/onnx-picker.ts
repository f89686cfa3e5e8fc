/**
 * The learned picker: an MLP (trained by `frisson train`, tools/training/) that predicts, for each
 * (viewer state ⊕ candidate) row, how much the viewer's arousal changes over each of the next
 * `MODEL_HORIZONS_S` seconds if that candidate is held. The score is how close those land to the
 * target curve at the same look-aheads. Inference runs in onnxruntime-node; `pickBatch` scores every candidate of every
 * session due in one tick with ONE `InferenceSession.run`.
 *
 * Loading is asynchronous and may fail (missing or corrupt file, wrong feature spec): until the
 * model is ready, or if it never is, `pick` rejects at once with a coded error so that the deadline
 * picker answers with the rule picker without waiting.
 */
import { readFile } from 'node:fs/promises';
import type * as Ort from 'onnxruntime-node';
import {
  FEATURE_NAMES,
  FEATURE_SPEC_VERSION,
  MODEL_HORIZONS_S,
  buildFeatureRows,
} from '../features/feature-spec.js';
import { type ModelMetadata, ModelMetadataSchema, metadataPathFor } from './model-metadata.js';
import type { PickContext, PickResult, ScenePicker } from '../../contracts/director.js';

export type OnnxPickerErrorCode =
  'FRISSON_ERR_MODEL_LOADING' | 'FRISSON_ERR_MODEL_UNAVAILABLE' | 'FRISSON_ERR_MODEL_INFERENCE';

export class OnnxPickerError extends Error {
  constructor(
    readonly code: OnnxPickerErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'OnnxPickerError';
  }
}

export interface OnnxPickerOptions {
  /** Weight of each horizon's squared error in the score (default all 1). */
  horizonWeights?: number[];
}

export class OnnxPicker implements ScenePicker {
  readonly name = 'onnx';
  private readonly weights: number[];
  private tensorCtor: typeof Ort.Tensor | null = null;
  private session: Ort.InferenceSession | null = null;
  private meta: ModelMetadata | null = null;
  private loadError: Error | null = null;
  /** Resolves when loading has finished (successfully or not); never rejects. */
  readonly ready: Promise<boolean>;

  /**
   * Starts loading `modelPath` (and its metadata `x.json`); returns at once.
   *
   * @example
   *   const picker = new OnnxPicker('models/pacing.onnx');
   *   if (await picker.ready) console.log(picker.metadata?.horizonsS);
   */
  constructor(
    modelPath: string,
    metadataPath = metadataPathFor(modelPath),
    opts: OnnxPickerOptions = {},
  ) {
    this.weights = opts.horizonWeights ?? MODEL_HORIZONS_S.map(() => 1);
    this.ready = this.load(modelPath, metadataPath).then(
      () => true,
      (err: unknown) => {
        this.loadError = err instanceof Error ? err : new Error(String(err));
        return false;
      },
    );
  }

  /** Loads and waits; throws if the model cannot be used. */
  static async open(
    modelPath: string,
    metadataPath?: string,
    opts?: OnnxPickerOptions,
  ): Promise<OnnxPicker> {
    const p = new OnnxPicker(modelPath, metadataPath, opts);
    if (!(await p.ready)) throw p.loadError ?? new Error('model failed to load');
    return p;
  }

  get metadata(): ModelMetadata | null {
    return this.meta;
  }

  /** Why the model is unavailable, if it is. */
  get error(): Error | null {
    return this.loadError;
  }

  private async load(modelPath: string, metadataPath: string): Promise<void> {
    const metaJson: unknown = JSON.parse(await readFile(metadataPath, 'utf8'));
    const meta = ModelMetadataSchema.parse(metaJson);
    if (meta.featureSpecVersion !== FEATURE_SPEC_VERSION) {
      throw new Error(
        `model feature spec v${meta.featureSpecVersion} ≠ runtime v${FEATURE_SPEC_VERSION}`,
      );
    }
    if (meta.horizonsS.join(',') !== MODEL_HORIZONS_S.join(',')) {
      throw new Error(
        `model horizons ${meta.horizonsS.join(',')} ≠ runtime ${MODEL_HORIZONS_S.join(',')}`,
      );
    }
    if (meta.featureNames.join(',') !== FEATURE_NAMES.join(',')) {
      throw new Error('model feature names differ from the runtime feature spec');
    }
    const bytes = await readFile(modelPath);
    // Loaded lazily so that importing the director does not pay for the native module.
    const ort = await import('onnxruntime-node');
    this.session = await ort.InferenceSession.create(bytes, {
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
    });
    this.tensorCtor = ort.Tensor;
    this.meta = meta;
  }

  /**
   * Predicted arousal for every candidate of every context at every model horizon, one ORT run:
   * result[context][candidate][horizon].
   */
  async predict(ctxs: PickContext[]): Promise<number[][][]> {
    const session = this.session;
    const meta = this.meta;
    const Tensor = this.tensorCtor;
    if (!session || !meta || !Tensor) {
      throw this.loadError
        ? new OnnxPickerError('FRISSON_ERR_MODEL_UNAVAILABLE', this.loadError.message, {
            cause: this.loadError,
          })
        : new OnnxPickerError('FRISSON_ERR_MODEL_LOADING', 'model still loading');
    }
    const rows = buildFeatureRows(ctxs, meta.normalisation);
    const n = rows.length / FEATURE_NAMES.length;
    const k = meta.horizonsS.length;
    let out: Float32Array;
    try {
      const result = await session.run({
        [meta.inputName]: new Tensor('float32', rows, [n, FEATURE_NAMES.length]),
      });
      out = result[meta.outputName]?.data as Float32Array;
    } catch (err) {
      throw new OnnxPickerError('FRISSON_ERR_MODEL_INFERENCE', 'inference failed', { cause: err });
    }
    if (!out || out.length !== n * k) {
      throw new OnnxPickerError('FRISSON_ERR_MODEL_INFERENCE', 'unexpected output shape');
    }
    const preds: number[][][] = [];
    let r = 0;
    for (const ctx of ctxs) {
      const a = ctx.viewer.contact > 0 ? ctx.viewer.arousal : ctx.targetArousal;
      preds.push(
        ctx.candidates.map(() => {
          const row = Array.from({ length: k }, (_, h) => a + (out[r * k + h] ?? 0));
          r++;
          return row;
        }),
      );
    }
    return preds;
  }

  pick(ctx: PickContext): Promise<PickResult> {
    return this.pickBatch([ctx]).then((r) => r[0] as PickResult);
  }

  async pickBatch(ctxs: PickContext[]): Promise<PickResult[]> {
    const preds = await this.predict(ctxs);
    return ctxs.map((ctx, c) => {
      const p = preds[c] ?? [];
      const fallbackTarget = ctx.director?.targetArousalAhead ?? ctx.targetArousal;
      const targets = MODEL_HORIZONS_S.map(
        (_, h) => ctx.director?.targetAhead?.[h] ?? fallbackTarget,
      );
      // Receding-horizon control: the candidate whose held effect lands closest to the target
      // curve over all horizons (sum of squared errors), re-decided at every segment.
      const scores = p.map(
        (row) =>
          -row.reduce(
            (acc, x, h) => acc + (this.weights[h] ?? 1) * (x - (targets[h] ?? fallbackTarget)) ** 2,
            0,
          ),
      );
      let best = 0;
      scores.forEach((s, i) => {
        if (s > (scores[best] ?? -Infinity)) best = i;
      });
      const last = MODEL_HORIZONS_S.length - 1;
      return {
        index: best,
        picker: this.name,
        reason: `predicted arousal ${(p[best] ?? []).map((x) => x.toFixed(2)).join('/')} vs target ${targets.map((x) => x.toFixed(2)).join('/')} at ${MODEL_HORIZONS_S.join('/')} s`,
        scores,
        predictions: p.map((row) => row[last] ?? 0),
        predictionsByHorizon: p,
      };
    });
  }

  async destroy(): Promise<void> {
    await this.ready;
    const s = this.session;
    this.session = null;
    if (s) await s.release();
  }
}
