/**
 * The shapes of a population (population-spec.ts reads and samples them; population-presets.ts
 * writes the built-in ones): a parameter's distribution and a complete population. Apart so that
 * the presets and the reader do not import each other.
 */
import { z } from 'zod';
import type { NumericParamName } from './viewer-params.js';

const finite = z.number().finite();

const UniformSchema = z.object({ dist: z.literal('uniform'), min: finite, max: finite }).strict();
const LogUniformSchema = z
  .object({ dist: z.literal('loguniform'), min: finite.positive(), max: finite.positive() })
  .strict();
const NormalSchema = z
  .object({
    dist: z.literal('normal'),
    mean: finite,
    sd: finite.nonnegative(),
    min: finite,
    max: finite,
  })
  .strict();
const LogNormalSchema = z
  .object({
    dist: z.literal('lognormal'),
    median: finite.positive(),
    sdLog: finite.nonnegative(),
    min: finite.positive(),
    max: finite.positive(),
  })
  .strict();

/** A parameter's distribution, or a fixed number. */
export const ParamRangeSchema = z.union([
  finite,
  z.discriminatedUnion('dist', [UniformSchema, LogUniformSchema, NormalSchema, LogNormalSchema]),
]);
export type ParamRange = z.infer<typeof ParamRangeSchema>;

/** A complete population: every parameter given. What samplePopulation draws from. */
export interface PopulationSpec {
  name: string;
  description?: string;
  params: Record<NumericParamName, ParamRange>;
  edaProbability: number;
  badStartProb: number;
  edaNonResponderProb: number;
}
