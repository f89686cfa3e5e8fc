/**
 * The packaged story manifest: the only thing the runtime (sessions, director, playlists) reads
 * from a story package. `frisson story package` writes it as `<package>/dist/manifest.json` after
 * transcoding; every segment duration in it is measured by ffprobe; media/story/load-manifest.ts
 * reads it back as a `LoadedStory`.
 *
 * Authoring (`story.yaml`) is a different, friendlier schema (see media/story/story-schema.ts);
 * this one is the compiled, validated form.
 */
import { z } from 'zod';

/** One HLS media segment of a packaged clip. `uri` is relative to the manifest's directory. */
export const SegmentRefSchema = z.object({
  uri: z.string().min(1),
  /** Measured duration in seconds (ffprobe), used verbatim as the EXTINF value. */
  duration: z.number().positive(),
  /** Per-rendition URIs when the story was packaged with ABR renditions (same boundaries). */
  renditionUris: z.record(z.string(), z.string()).optional(),
});
export type SegmentRef = z.infer<typeof SegmentRefSchema>;

/** An ordered intensity level (calm / tense / scare, or author defined). */
export const LevelSchema = z.object({
  id: z.string().min(1),
  intensity: z.number().min(0).max(1),
});
export type Level = z.infer<typeof LevelSchema>;

/** A structured boolean precondition on story variables (Bandersnatch-style). */
export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | {
      var: string;
      op: 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte';
      value: number | string | boolean;
    };
export const ConditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.object({ all: z.array(ConditionSchema) }),
    z.object({ any: z.array(ConditionSchema) }),
    z.object({ not: ConditionSchema }),
    z.object({
      var: z.string().min(1),
      op: z.enum(['eq', 'ne', 'gt', 'gte', 'lt', 'lte']),
      value: z.union([z.number(), z.string(), z.boolean()]),
    }),
  ]),
);

export const VariableValueSchema = z.union([z.number(), z.string(), z.boolean()]);
export type VariableValue = z.infer<typeof VariableValueSchema>;

export const NextSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('scene'), scene: z.string() }),
  z.object({ type: z.literal('branch'), branch: z.string() }),
  z.object({ type: z.literal('ending'), ending: z.string() }),
]);
export type Next = z.infer<typeof NextSchema>;

export const PackagedSceneSchema = z.object({
  id: z.string().min(1),
  title: z.string(),
  description: z.string().default(''),
  tags: z.array(z.string()).default([]),
  mood: z.string().optional(),
  /** Variable assignments applied when the scene is entered. */
  set: z.record(z.string(), VariableValueSchema).default({}),
  /** Level id → segments. Every level of a scene has the same segment count and durations (±1 frame). */
  variants: z.record(z.string(), z.object({ segments: z.array(SegmentRefSchema).min(1) })),
  next: NextSchema,
  /** Narration hooks (grammar symbols or literal lines), consumed by the narrator. */
  narration: z.array(z.string()).default([]),
});
export type PackagedScene = z.infer<typeof PackagedSceneSchema>;

export const BranchCandidateSchema = z.object({
  scene: z.string(),
  label: z.string().optional(),
  intensity: z.number().min(0).max(1),
  mood: z.string().optional(),
  tags: z.array(z.string()).default([]),
  when: ConditionSchema.optional(),
});
export type BranchCandidate = z.infer<typeof BranchCandidateSchema>;

export const BranchSchema = z.object({
  id: z.string(),
  prompt: z.string().optional(),
  candidates: z.array(BranchCandidateSchema).min(1),
  default: z.string(),
  /** Vote window length for venues (Kinoautomat), seconds. */
  voteSeconds: z.number().positive().default(10),
});
export type Branch = z.infer<typeof BranchSchema>;

export const RenditionSchema = z.object({
  name: z.string(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  bandwidth: z.number().int().positive(),
});
export type Rendition = z.infer<typeof RenditionSchema>;

/** A source file as it was when packaged: a changed size or content means a stale package. */
export const SourceFileSchema = z.object({
  bytes: z.number().int().nonnegative(),
  /** Modification time; when it is unchanged the content is not hashed again. */
  mtimeMs: z.number(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type SourceFile = z.infer<typeof SourceFileSchema>;

/**
 * What a package was built from (media/story/package-freshness.ts compares it with the story
 * package before serving, so an edited story.yaml or clip is never served from an old dist/).
 */
export const PackageSourceSchema = z.object({
  /** Story file name inside the package directory, e.g. `story.yaml`. */
  storyFile: z.string().min(1),
  /** SHA-256 of the story file's text. */
  storySha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** Every source media file, by its path relative to the package directory. */
  media: z.record(z.string(), SourceFileSchema),
});
export type PackageSource = z.infer<typeof PackageSourceSchema>;

export const PackagedStorySchema = z.object({
  format: z.literal('frisson-package'),
  version: z.literal(1),
  id: z.string(),
  title: z.string(),
  locales: z.array(z.string()).min(1),
  contentRating: z.string(),
  defaultMaxIntensity: z.number().min(0).max(1),
  /** Target segment duration in seconds (EXT-X-TARGETDURATION is derived from measured ones). */
  segmentDuration: z.number().positive(),
  /** Codec string for the multivariant playlist, e.g. "avc1.42c01e,mp4a.40.2". */
  codecs: z.string(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  frameRate: z.number().positive(),
  levels: z.array(LevelSchema).min(1),
  start: z.string(),
  scenes: z.record(z.string(), PackagedSceneSchema),
  branches: z.record(z.string(), BranchSchema).default({}),
  endings: z.record(
    z.string(),
    z.object({ title: z.string(), description: z.string().default('') }),
  ),
  variables: z.record(z.string(), z.object({ initial: VariableValueSchema })).default({}),
  /** Target arousal (0–1) over story time in seconds; linear interpolation between points. */
  targetCurve: z
    .array(z.object({ t: z.number().min(0), arousal: z.number().min(0).max(1) }))
    .min(1),
  renditions: z.array(RenditionSchema).default([]),
  /** Opaque narration grammar payload, interpreted by media/narration. */
  narration: z.unknown().optional(),
  /** What the package was built from; absent in packages written before it was recorded. */
  builtFrom: PackageSourceSchema.optional(),
});
export type PackagedStory = z.infer<typeof PackagedStorySchema>;

export const MANIFEST_FILE = 'manifest.json';

/** A packaged story ready to serve: the validated manifest and where its segments are. */
export interface LoadedStory {
  story: PackagedStory;
  /** Directory holding the manifest; segment URIs are relative to it. */
  mediaDir: string;
}
