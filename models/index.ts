/**
 * `frisson/models`: the runtime director (safety cap, pacing, the rule and ONNX pickers under a
 * deadline, personalisation) and the viewer features it reads. Training and evaluation are tools
 * (`frisson train`, `frisson eval`), not part of this entry.
 *
 * @example
 * import { createDirector } from 'frisson/models';
 * const director = createDirector({ targetCurve: story.targetCurve });
 * const decision = await director.decide(ctx); // ctx: a PickContext (frisson/contracts)
 */
export type {
  Candidate,
  DirectorDecision,
  DirectorHints,
  PickContext,
  PickResult,
  ScenePicker,
  ViewerFeatures,
} from '../contracts/director.js';
export {
  createDirector,
  createDirectorFactory,
  Director,
  type CreateDirectorOptions,
  type DecideContext,
  type DirectorFactory,
  type DirectorOptions,
  type PacedDecision,
} from './director/director.js';
export { DeadlinePicker, type DeadlinePickerOptions } from './director/deadline-picker.js';
export { OnnxPicker, type OnnxPickerOptions } from './director/onnx-picker.js';
export { RulePicker, type RulePickerOptions } from './director/rule-picker.js';
export { ThresholdPicker } from './director/threshold-picker.js';
export { SafetyCap, type SafetyCapOptions } from './director/safety-cap.js';
export { Pacing, type PacingOptions } from './director/pacing.js';
export {
  defaultModelPath,
  ModelMetadataSchema,
  type ModelMetadata,
} from './director/model-metadata.js';
export { FEATURE_NAMES, FEATURE_SPEC_VERSION, buildFeatureRows } from './features/feature-spec.js';
export { targetAt, type TargetPoint } from './features/target-curve.js';
export { ViewerFeatureTracker } from './features/viewer-feature-tracker.js';
