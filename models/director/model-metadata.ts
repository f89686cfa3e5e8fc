/**
 * Metadata stored beside a trained scorer (`models/pacing.json` next to `models/pacing.onnx`):
 * the feature spec version and names it was trained on, the normalisation, the look-ahead of its
 * prediction and how it was trained. Parsed with zod at load; a mismatch refuses the model.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

export const ModelMetadataSchema = z.object({
  format: z.literal('frisson-pacing-model'),
  version: z.literal(1),
  featureSpecVersion: z.number().int(),
  featureNames: z.array(z.string()).min(1),
  normalisation: z.object({ mean: z.array(z.number()), std: z.array(z.number()) }),
  /** ONNX input/output tensor names. */
  inputName: z.string(),
  outputName: z.string(),
  /** The model predicts the arousal change at each of these look-aheads (s) if a candidate is held. */
  horizonsS: z.array(z.number().positive()).min(1),
  /** Population steady-state arousal per unit intensity (seeds pacing's feed-forward). */
  nominalGain: z.number().positive(),
  hidden: z.array(z.number().int().positive()),
  training: z.object({
    seed: z.number().int(),
    viewers: z.number().int(),
    rows: z.number().int(),
    epochs: z.number().int(),
    rounds: z.number().int().optional(),
    seconds: z.number(),
    trainLoss: z.number(),
    valLoss: z.number(),
    createdAt: z.string(),
    arousalSource: z.string(),
  }),
});
export type ModelMetadata = z.infer<typeof ModelMetadataSchema>;

/** Path of the metadata file that belongs to a model file (`x.onnx` → `x.json`). */
export function metadataPathFor(modelPath: string): string {
  return modelPath.replace(/\.onnx$/i, '') + '.json';
}

/**
 * The committed model: `models/pacing.onnx` beside this source tree (also when running from
 * `dist/`), else `./models/pacing.onnx` under the working directory.
 */
export function defaultModelPath(): string {
  const candidates = [
    fileURLToPath(new URL('../pacing.onnx', import.meta.url)),
    fileURLToPath(new URL('../../../models/pacing.onnx', import.meta.url)),
    resolve('models/pacing.onnx'),
  ];
  return candidates.find((p) => existsSync(p)) ?? (candidates[0] as string);
}
