/**
 * Learns the scorer with @tensorflow/tfjs (pure-JS CPU backend; tfjs-node is not installable
 * here): a small MLP (state ⊕ candidate → arousal change over the horizon), Adam on mean squared
 * error, 10 % held out for validation. Training/bench/test only — never imported by the server.
 */
import * as tf from '@tensorflow/tfjs';
import { Prng } from '../../contracts/random.js';
import type { DenseLayer } from './onnx-export.js';

export interface TrainScorerOptions {
  inputDim: number;
  /** Output width (one arousal change per horizon), default 1. */
  outputDim?: number;
  hidden?: number[];
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  seed?: number;
  onEpoch?(epoch: number, loss: number, valLoss: number): void;
}

export interface TrainedScorer {
  layers: DenseLayer[];
  trainLoss: number;
  valLoss: number;
  epochs: number;
  /** The tfjs model itself (dispose when done). */
  model: tf.Sequential;
}

/** Selects the pure-JS CPU backend (idempotent; tfjs keeps its own engine). */
export function useCpuBackend(): Promise<boolean> {
  return tf.getBackend() === 'cpu' ? Promise.resolve(true) : tf.setBackend('cpu');
}

/** Builds an MLP with seeded Glorot initialisation. */
export function buildMlp(
  inputDim: number,
  hidden: number[],
  seed: number,
  outputDim = 1,
): tf.Sequential {
  const model = tf.sequential();
  hidden.forEach((units, i) => {
    model.add(
      tf.layers.dense({
        units,
        activation: 'relu',
        kernelInitializer: tf.initializers.glorotUniform({ seed: seed + i }),
        ...(i === 0 ? { inputShape: [inputDim] } : {}),
      }),
    );
  });
  model.add(
    tf.layers.dense({
      units: outputDim,
      activation: 'linear',
      kernelInitializer: tf.initializers.glorotUniform({ seed: seed + hidden.length }),
      ...(hidden.length === 0 ? { inputShape: [inputDim] } : {}),
    }),
  );
  return model;
}

/** Builds a tfjs MLP holding exactly these dense layers (e.g. read back from ONNX). */
export function mlpFromLayers(layers: DenseLayer[]): tf.Sequential {
  const model = tf.sequential();
  layers.forEach((l, i) => {
    model.add(
      tf.layers.dense({
        units: l.outDim,
        activation: l.activation,
        ...(i === 0 ? { inputShape: [l.inDim] } : {}),
      }),
    );
  });
  model.layers.forEach((layer, i) => {
    const l = layers[i] as DenseLayer;
    tf.tidy(() =>
      layer.setWeights([tf.tensor2d(l.kernel, [l.inDim, l.outDim]), tf.tensor1d(l.bias)]),
    );
  });
  return model;
}

/** Reads the dense layers of a tfjs MLP for ONNX export. */
export function extractDenseLayers(model: tf.Sequential): DenseLayer[] {
  return model.layers.map((layer, i) => {
    const [kernel, bias] = layer.getWeights();
    if (!kernel || !bias) throw new Error(`layer ${i} has no weights`);
    const [inDim, outDim] = kernel.shape as [number, number];
    const act = (layer.getConfig().activation as string | undefined) ?? 'linear';
    return {
      kernel: Float32Array.from(kernel.dataSync()),
      bias: Float32Array.from(bias.dataSync()),
      inDim,
      outDim,
      activation: act === 'relu' ? 'relu' : act === 'sigmoid' ? 'sigmoid' : 'linear',
    };
  });
}

/** Runs the tfjs model on row-major inputs (for the tfjs ↔ ONNX agreement check and bench). */
export function predictTfjs(model: tf.Sequential, x: Float32Array, inputDim: number): Float32Array {
  return tf.tidy(() => {
    const input = tf.tensor2d(x, [x.length / inputDim, inputDim]);
    const out = model.predict(input) as tf.Tensor;
    return Float32Array.from(out.dataSync());
  });
}

/**
 * @example
 *   const trained = await trainScorer(x, y, { inputDim: FEATURE_DIM, epochs: 30 });
 *   const bytes = exportMlpToOnnx(trained.layers);
 */
export async function trainScorer(
  x: Float32Array,
  y: Float32Array,
  opts: TrainScorerOptions,
): Promise<TrainedScorer> {
  await useCpuBackend();
  const hidden = opts.hidden ?? [32, 32];
  const epochs = opts.epochs ?? 30;
  const outputDim = opts.outputDim ?? 1;
  const model = buildMlp(opts.inputDim, hidden, opts.seed ?? 1, outputDim);
  model.compile({ optimizer: tf.train.adam(opts.learningRate ?? 3e-3), loss: 'meanSquaredError' });
  const n = y.length / outputDim;
  const nVal = Math.max(1, Math.floor(n * 0.1));
  const nTrain = n - nVal;
  // Hold out the last 10 % (later viewers of the population, not random rows of the same viewer).
  const xs = tf.tensor2d(x.subarray(0, nTrain * opts.inputDim), [nTrain, opts.inputDim]);
  const ys = tf.tensor2d(y.subarray(0, nTrain * outputDim), [nTrain, outputDim]);
  const xv = tf.tensor2d(x.subarray(nTrain * opts.inputDim), [nVal, opts.inputDim]);
  const yv = tf.tensor2d(y.subarray(nTrain * outputDim), [nVal, outputDim]);
  let trainLoss = NaN;
  let valLoss = NaN;
  // Seeded per-epoch shuffle (tfjs's own `shuffle` uses Math.random), so a seed reproduces a model.
  const rng = new Prng(opts.seed ?? 1);
  const perm = Int32Array.from({ length: nTrain }, (_, i) => i);
  try {
    for (let epoch = 0; epoch < epochs; epoch++) {
      for (let i = nTrain - 1; i > 0; i--) {
        const j = Math.floor(rng.next() * (i + 1));
        const t = perm[i] as number;
        perm[i] = perm[j] as number;
        perm[j] = t;
      }
      const idx = tf.tensor1d(perm, 'int32');
      const xe = tf.gather(xs, idx);
      const ye = tf.gather(ys, idx);
      try {
        const h = await model.fit(xe, ye, {
          epochs: 1,
          batchSize: opts.batchSize ?? 256,
          shuffle: false,
          validationData: [xv, yv],
          verbose: 0,
        });
        trainLoss = Number(h.history.loss?.[0] ?? NaN);
        valLoss = Number(h.history.val_loss?.[0] ?? NaN);
      } finally {
        tf.dispose([idx, xe, ye]);
      }
      opts.onEpoch?.(epoch + 1, trainLoss, valLoss);
    }
  } finally {
    tf.dispose([xs, ys, xv, yv]);
  }
  return { layers: extractDenseLayers(model), trainLoss, valLoss, epochs, model };
}
