/**
 * The demo film, "The Night Shift": a night guard alone in an office building, nine scenes with
 * two branch points and two endings, five minutes on every path. Every scene exists in three
 * intensity variants rendered procedurally by media/render/ (the same set, camera and sound stems
 * in each variant; the light, the sound layers and what lurks in the dark differ).
 */
import type { Ambience, FilmScare } from '../render/film-scene.js';
import type { Setting } from '../render/plate-graph.js';
import type { Story } from '../story/story-schema.js';

/** One demo scene: its place in the story graph and its direction. */
export interface DemoScene {
  id: string;
  title: string;
  mood: string;
  next: NonNullable<Story['scenes'][number]['next']>;
  set?: Record<string, boolean | number | string>;
  narration: string[];
  /** Length in the full cut, whole seconds (segments of 1 s). */
  seconds: number;
  setting: Setting;
  ambience: Ambience;
  /** Root of the drones (Hz) and heart rate of the heartbeat layer (bpm). */
  root: number;
  heartbeat: number;
  scares: FilmScare[];
}

/**
 * The two cuts: `full` is the film (≥ 5 min on every path, 720p plus a 360p rendition);
 * `short` keeps the first 4 s of every scene at 360p, for tests and CI.
 */
export type DemoCut = 'full' | 'short';

export const DEMO_FRAME_RATE = 24;

export const DEMO_CUTS: Record<
  DemoCut,
  { width: number; height: number; renditions?: string[]; sceneSeconds?: number }
> = {
  full: { width: 1280, height: 720, renditions: ['720p', '360p'] },
  short: { width: 640, height: 360, sceneSeconds: 4 },
};

/** The demo's levels, calmest first. */
export const DEMO_LEVELS = [
  { id: 'calm', intensity: 0, label: 'Calm' },
  { id: 'tense', intensity: 0.5, label: 'Tense' },
  { id: 'scare', intensity: 1, label: 'Scare' },
] as const;

const at = (t: number, x: number, y: number, height: number, apparition?: 'face'): FilmScare => ({
  at: t,
  figure: { x, y, height },
  ...(apparition ? { apparition } : {}),
});

export const DEMO_SCENES: readonly DemoScene[] = [
  {
    id: 'arrival',
    title: 'Arrival',
    mood: 'unease',
    next: 'lobby',
    narration: ['#arrival#'],
    seconds: 72,
    setting: 'exterior',
    ambience: 'wind',
    root: 41,
    heartbeat: 64,
    // Someone behind the lobby's glass doors; later, under the street lamp.
    scares: [at(38.45, 0.535, 0.79, 0.2), at(61.45, 0.13, 0.97, 0.42)],
  },
  {
    id: 'lobby',
    title: 'The Lobby',
    mood: 'unease',
    next: { branch: 'which-way' },
    narration: ['#lobby#'],
    seconds: 66,
    setting: 'lobby',
    ambience: 'hum',
    root: 44,
    heartbeat: 72,
    // Behind the reception desk; then a face, close.
    scares: [at(30.45, 0.6, 0.74, 0.42), at(52.45, 0.3, 0.8, 0.5, 'face')],
  },
  {
    id: 'basement',
    title: 'The Basement',
    mood: 'dread',
    next: 'boiler-room',
    narration: ['#basement#'],
    seconds: 30,
    setting: 'basement',
    ambience: 'drips',
    root: 39,
    heartbeat: 75,
    scares: [at(20.45, 0.47, 0.64, 0.3)],
  },
  {
    id: 'boiler-room',
    title: 'Boiler Room',
    mood: 'dread',
    next: 'corridor',
    set: { saw_figure: true },
    narration: ['#figure#'],
    seconds: 30,
    setting: 'boiler',
    ambience: 'furnace',
    root: 37,
    heartbeat: 80,
    scares: [at(18.45, 0.44, 0.9, 0.55)],
  },
  {
    id: 'stairs',
    title: 'The Stairs',
    mood: 'unease',
    next: 'attic',
    narration: ['#stairs#'],
    seconds: 30,
    setting: 'stairs',
    ambience: 'steps',
    root: 43,
    heartbeat: 72,
    scares: [at(19.45, 0.5, 0.45, 0.28)],
  },
  {
    id: 'attic',
    title: 'The Attic',
    mood: 'dread',
    next: 'corridor',
    set: { found_key: true },
    narration: ['#attic#'],
    seconds: 30,
    setting: 'attic',
    ambience: 'creaks',
    root: 40,
    heartbeat: 80,
    scares: [at(21.45, 0.32, 0.78, 0.45, 'face')],
  },
  {
    id: 'corridor',
    title: 'Long Corridor',
    mood: 'dread',
    next: { branch: 'last-door' },
    narration: ['#corridor#'],
    seconds: 72,
    setting: 'corridor',
    ambience: 'hum',
    root: 46,
    heartbeat: 90,
    // Far down the corridor; nearer; then right there.
    scares: [
      at(24.45, 0.5, 0.62, 0.2),
      at(47.45, 0.45, 0.72, 0.34),
      at(64.45, 0.5, 0.9, 0.6, 'face'),
    ],
  },
  {
    id: 'escape',
    title: 'Escape',
    mood: 'relief',
    next: { ending: 'dawn' },
    narration: ['#escape#'],
    seconds: 30,
    setting: 'exit',
    ambience: 'dawn',
    root: 49,
    heartbeat: 75,
    scares: [at(9.45, 0.22, 0.95, 0.6)],
  },
  {
    id: 'confrontation',
    title: 'Confrontation',
    mood: 'terror',
    next: { ending: 'taken' },
    narration: ['#confrontation#'],
    seconds: 30,
    setting: 'doorway',
    ambience: 'breath',
    root: 36,
    heartbeat: 100,
    // In the doorway; then its face fills the frame.
    scares: [at(11.45, 0.5, 0.86, 0.62), at(23.45, 0.5, 1.05, 0.95, 'face')],
  },
];

/** Seconds of a scene in a cut. */
export function demoSceneSeconds(scene: DemoScene, cut: DemoCut): number {
  return DEMO_CUTS[cut].sceneSeconds ?? scene.seconds;
}

/**
 * The ride the director steers towards, over story time (full cut): a slow build through the
 * arrival and the lobby, dread on the way down or up, the corridor's climb to the peak at the
 * last door, relief (or not) at the end.
 */
const TARGET_CURVE: readonly { t: number; arousal: number }[] = [
  { t: 0, arousal: 0.15 },
  { t: 40, arousal: 0.25 },
  { t: 72, arousal: 0.35 },
  { t: 102, arousal: 0.55 },
  { t: 124, arousal: 0.62 },
  { t: 138, arousal: 0.45 },
  { t: 168, arousal: 0.55 },
  { t: 198, arousal: 0.6 },
  { t: 222, arousal: 0.72 },
  { t: 245, arousal: 0.82 },
  { t: 262, arousal: 0.95 },
  { t: 280, arousal: 0.8 },
  { t: 300, arousal: 0.3 },
];

/**
 * The story.yaml content of the demo (media paths filled by the generator).
 */
export function demoStory(
  mediaPath: (sceneId: string, levelId: string) => string,
  cut: DemoCut = 'full',
): Story {
  const format = DEMO_CUTS[cut];
  // The curve is written for the full cut's 300 s paths; a shorter cut squeezes it.
  const scale = format.sceneSeconds ? (6 * format.sceneSeconds) / 300 : 1;
  return {
    id: 'the-night-shift',
    title: 'The Night Shift',
    description:
      'A night guard hears something in an empty office building. A procedurally rendered demo film: five minutes on every path.',
    locales: ['en'],
    contentRating: 'PG-13',
    defaultMaxIntensity: 1,
    levels: DEMO_LEVELS.map((l) => ({ ...l })),
    variables: {
      saw_figure: { initial: false, description: 'The guard saw the figure in the boiler room' },
      found_key: { initial: false, description: 'The guard found the key in the attic' },
    },
    start: 'arrival',
    scenes: DEMO_SCENES.map((s) => ({
      id: s.id,
      title: s.title,
      mood: s.mood,
      tags: [s.mood],
      ...(s.set ? { set: s.set } : {}),
      variants: Object.fromEntries(DEMO_LEVELS.map((l) => [l.id, mediaPath(s.id, l.id)])),
      next: s.next,
      narration: s.narration,
    })),
    branches: [
      {
        id: 'which-way',
        prompt: 'Down to the basement, or up the stairs?',
        default: 'stairs',
        voteSeconds: 8,
        candidates: [
          {
            scene: 'basement',
            label: 'The basement',
            intensity: 0.8,
            mood: 'dread',
            tags: ['dark'],
          },
          { scene: 'stairs', label: 'The stairs', intensity: 0.3, mood: 'unease', tags: ['quiet'] },
        ],
      },
      {
        id: 'last-door',
        prompt: 'Run for the exit, or open the last door?',
        default: 'escape',
        voteSeconds: 8,
        candidates: [
          { scene: 'escape', label: 'Run for the exit', intensity: 0.2, mood: 'relief' },
          {
            scene: 'confrontation',
            label: 'Open the last door',
            intensity: 1,
            mood: 'terror',
            when: {
              any: [
                { var: 'saw_figure', op: 'eq', value: true },
                { var: 'found_key', op: 'eq', value: true },
              ],
            },
          },
        ],
      },
    ],
    endings: [
      { id: 'dawn', title: 'Dawn', description: 'The guard gets out as the sun comes up.' },
      { id: 'taken', title: 'Taken', description: 'The door closes behind the guard.' },
    ],
    targetCurve: TARGET_CURVE.map((p) => ({
      t: Math.round(p.t * scale * 10) / 10,
      arousal: p.arousal,
    })),
    narration: {
      arrival: ['The night shift starts at midnight.', 'The building is empty. Supposedly.'],
      lobby: ['The lobby lights flicker.'],
      basement: ['Something drips in the dark.'],
      figure: ['A shape stands behind the boiler.'],
      stairs: ['The stairs creak under every step.'],
      attic: ['A key lies in the dust.'],
      corridor: ['The corridor is longer than it should be.'],
      escape: ['The exit door gives way.'],
      confrontation: ['The last door opens by itself.'],
    },
    packaging: {
      segmentDuration: 1,
      frameRate: DEMO_FRAME_RATE,
      width: format.width,
      height: format.height,
      ...(format.renditions ? { renditions: format.renditions } : {}),
    },
  };
}
