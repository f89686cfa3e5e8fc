/**
 * The authoring schema of `story.yaml` (or `story.json`): what a film-maker writes. The packager
 * compiles it, with measured media, into the runtime manifest (./manifest.ts).
 *
 * Exported as JSON Schema to media/schema/story.schema.json (`frisson story schema`) so editors
 * can complete and check story files.
 */
import { z } from 'zod';
import { ConditionSchema, VariableValueSchema } from '../../contracts/story.js';

/** Identifiers appear in URLs and file names: letters, digits, `-` and `_`. */
export const StoryIdSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_-]*$/,
    'must start with a letter or digit and use only letters, digits, "-" and "_"',
  )
  .describe('Identifier: letters, digits, "-" and "_"');

/** An intensity level every scene is filmed in, e.g. calm / tense / scare. */
export const StoryLevelSchema = z
  .object({
    id: StoryIdSchema,
    intensity: z.number().min(0).max(1).describe('0 = calmest, 1 = most intense'),
    label: z.string().optional(),
  })
  .strict();

/** Levels used when a story does not declare its own. */
export const DEFAULT_LEVELS: readonly { readonly id: string; readonly intensity: number }[] = [
  { id: 'calm', intensity: 0 },
  { id: 'tense', intensity: 0.5 },
  { id: 'scare', intensity: 1 },
];

/** One piece of source media: a path relative to the story directory, optionally trimmed. */
export const ClipPartSchema = z.union([
  z.string().min(1).describe('Media file path, relative to the story directory'),
  z
    .object({
      file: z.string().min(1),
      start: z.number().min(0).optional().describe('In point, seconds'),
      end: z.number().positive().optional().describe('Out point, seconds'),
    })
    .strict(),
]);
export type ClipPart = z.infer<typeof ClipPartSchema>;

/**
 * A level of a scene: one piece of media, or an ordered list of pieces played back to back (e.g.
 * the shots of the scene). Every level of a scene must have the same total duration (± one frame).
 */
export const ClipSourceSchema = z.union([ClipPartSchema, z.array(ClipPartSchema).min(1)]);
export type ClipSource = z.infer<typeof ClipSourceSchema>;

/** Where the story goes after a scene: a scene id, or exactly one of scene / branch / ending. */
export const NextRefSchema = z.union([
  StoryIdSchema.describe('Shorthand for { scene: <id> }'),
  z.object({ scene: StoryIdSchema }).strict(),
  z.object({ branch: StoryIdSchema }).strict(),
  z.object({ ending: StoryIdSchema }).strict(),
]);
export type NextRef = z.infer<typeof NextRefSchema>;

export const StorySceneSchema = z
  .object({
    id: StoryIdSchema,
    title: z.string(),
    description: z.string().optional(),
    tags: z.array(z.string()).optional(),
    mood: z.string().optional(),
    /** Story variables assigned when the scene is entered (Bandersnatch / ink-style state). */
    set: z.record(z.string(), VariableValueSchema).optional(),
    /** Level id → source clip. All levels must be present and time-aligned. */
    variants: z.record(z.string(), ClipSourceSchema),
    /** Omit only if you want the validator to tell you the scene is a dead end. */
    next: NextRefSchema.optional(),
    /** Narration hooks: grammar symbols (`#symbol#`) or literal lines. */
    narration: z.array(z.string()).optional(),
  })
  .strict();
export type StoryScene = z.infer<typeof StorySceneSchema>;

export const StoryCandidateSchema = z
  .object({
    scene: StoryIdSchema,
    label: z.string().optional().describe('Viewer-vote label'),
    intensity: z.number().min(0).max(1),
    mood: z.string().optional(),
    tags: z.array(z.string()).optional(),
    when: ConditionSchema.optional().describe('Precondition on story variables'),
  })
  .strict();

export const StoryBranchSchema = z
  .object({
    id: StoryIdSchema,
    prompt: z.string().optional(),
    candidates: z.array(StoryCandidateSchema).min(1),
    /** Scene id of the candidate taken when nothing else decides. */
    default: StoryIdSchema,
    voteSeconds: z.number().positive().optional(),
  })
  .strict();
export type StoryBranch = z.infer<typeof StoryBranchSchema>;

export const StoryEndingSchema = z
  .object({ id: StoryIdSchema, title: z.string(), description: z.string().optional() })
  .strict();

export const StoryVariableSchema = z
  .object({ initial: VariableValueSchema, description: z.string().optional() })
  .strict();

/** Output settings for `frisson story package` (command-line flags override them). */
export const StoryPackagingSchema = z
  .object({
    segmentDuration: z.number().positive().optional(),
    frameRate: z.number().positive().optional(),
    width: z.number().int().positive().optional(),
    height: z.number().int().positive().optional(),
    renditions: z.array(z.string()).optional(),
  })
  .strict();
export type StoryPackaging = z.infer<typeof StoryPackagingSchema>;

export const StorySchema = z
  .object({
    $schema: z.string().optional(),
    id: StoryIdSchema.optional(),
    title: z.string().min(1),
    locales: z.array(z.string().min(1)).min(1).optional(),
    contentRating: z.string().optional(),
    defaultMaxIntensity: z.number().min(0).max(1).optional(),
    description: z.string().optional(),
    levels: z.array(StoryLevelSchema).min(1).optional(),
    variables: z.record(z.string(), StoryVariableSchema).optional(),
    /** First scene; defaults to the first scene listed. */
    start: StoryIdSchema.optional(),
    scenes: z.array(StorySceneSchema).min(1),
    branches: z.array(StoryBranchSchema).optional(),
    endings: z.array(StoryEndingSchema).min(1),
    /** Target arousal (0–1) over story time in seconds, linearly interpolated. */
    targetCurve: z
      .array(z.object({ t: z.number().min(0), arousal: z.number().min(0).max(1) }).strict())
      .min(1),
    /** Opaque narration grammar (interpreted by media/narration). */
    narration: z.unknown().optional(),
    packaging: StoryPackagingSchema.optional(),
  })
  .strict();
export type Story = z.infer<typeof StorySchema>;

/** The JSON Schema written to media/schema/story.schema.json. */
export function storyJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(StorySchema, {
      target: 'draft-2020-12',
      io: 'input',
      unrepresentable: 'any',
    }),
    $id: 'https://frisson.invalid/schema/story.schema.json',
    title: 'Frisson story package (story.yaml)',
  };
}

/** Normalises a NextRef shorthand. */
export function resolveNextRef(
  next: NextRef,
):
  | { type: 'scene'; scene: string }
  | { type: 'branch'; branch: string }
  | { type: 'ending'; ending: string } {
  if (typeof next === 'string') return { type: 'scene', scene: next };
  if ('scene' in next) return { type: 'scene', scene: next.scene };
  if ('branch' in next) return { type: 'branch', branch: next.branch };
  return { type: 'ending', ending: next.ending };
}

/** A ClipSource as an ordered list of `{ file, start?, end? }` with the path of each in the story. */
export function resolveClipSource(
  source: ClipSource,
): { file: string; start?: number; end?: number; path: (string | number)[] }[] {
  const one = (part: ClipPart, prefix: (string | number)[]) =>
    typeof part === 'string'
      ? { file: part, path: prefix }
      : { ...part, path: [...prefix, 'file'] };
  return Array.isArray(source) ? source.map((p, i) => one(p, [i])) : [one(source, [])];
}
