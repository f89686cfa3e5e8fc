/**
 * The demo film, "The Night Shift": a nine-scene horror short with two branch points and two
 * endings. Every scene exists in three intensity variants rendered synthetically (see
 * render-demo-clip.ts) so tests can read from the picture which scene and variant plays.
 */
import type { Story } from '../story/story-schema.js';

/** One demo scene: what the caption says, and how the graph continues. */
export interface DemoScene {
  id: string;
  title: string;
  mood: string;
  next: NonNullable<Story['scenes'][number]['next']>;
  set?: Record<string, boolean | number | string>;
  narration: string[];
}

/** Seconds per demo clip (4 segments of 1 s). */
export const DEMO_CLIP_SECONDS = 4;
export const DEMO_WIDTH = 426;
export const DEMO_HEIGHT = 240;
export const DEMO_FRAME_RATE = 25;

/** Variant marker colours (top-left 64×64 block), RGB. */
export const DEMO_LEVEL_MARKERS: Record<
  'calm' | 'tense' | 'scare',
  readonly [number, number, number]
> = {
  calm: [0, 0, 255],
  tense: [255, 255, 0],
  scare: [255, 0, 0],
};

/** Scene marker (top-right 64×64 block): grey level 20 + 25 × scene index. */
export function demoSceneGrey(sceneIndex: number): number {
  return 20 + 25 * sceneIndex;
}

export const DEMO_SCENES: readonly DemoScene[] = [
  { id: 'arrival', title: 'Arrival', mood: 'unease', next: 'lobby', narration: ['#arrival#'] },
  {
    id: 'lobby',
    title: 'The Lobby',
    mood: 'unease',
    next: { branch: 'which-way' },
    narration: ['#lobby#'],
  },
  {
    id: 'basement',
    title: 'The Basement',
    mood: 'dread',
    next: 'boiler-room',
    narration: ['#basement#'],
  },
  {
    id: 'boiler-room',
    title: 'Boiler Room',
    mood: 'dread',
    next: 'corridor',
    set: { saw_figure: true },
    narration: ['#figure#'],
  },
  { id: 'stairs', title: 'The Stairs', mood: 'unease', next: 'attic', narration: ['#stairs#'] },
  {
    id: 'attic',
    title: 'The Attic',
    mood: 'dread',
    next: 'corridor',
    set: { found_key: true },
    narration: ['#attic#'],
  },
  {
    id: 'corridor',
    title: 'Long Corridor',
    mood: 'dread',
    next: { branch: 'last-door' },
    narration: ['#corridor#'],
  },
  {
    id: 'escape',
    title: 'Escape',
    mood: 'relief',
    next: { ending: 'dawn' },
    narration: ['#escape#'],
  },
  {
    id: 'confrontation',
    title: 'Confrontation',
    mood: 'terror',
    next: { ending: 'taken' },
    narration: ['#confrontation#'],
  },
];

/**
 * The story.yaml content of the demo (media paths filled by the generator).
 */
export function demoStory(mediaPath: (sceneId: string, levelId: string) => string): Story {
  return {
    id: 'the-night-shift',
    title: 'The Night Shift',
    description: 'A night guard hears something in an empty building. Synthetic demo film.',
    locales: ['en'],
    contentRating: 'PG-13',
    defaultMaxIntensity: 1,
    levels: [
      { id: 'calm', intensity: 0, label: 'Calm' },
      { id: 'tense', intensity: 0.5, label: 'Tense' },
      { id: 'scare', intensity: 1, label: 'Scare' },
    ],
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
      variants: {
        calm: mediaPath(s.id, 'calm'),
        tense: mediaPath(s.id, 'tense'),
        scare: mediaPath(s.id, 'scare'),
      },
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
    targetCurve: [
      { t: 0, arousal: 0.2 },
      { t: 8, arousal: 0.4 },
      { t: 16, arousal: 0.7 },
      { t: 20, arousal: 0.5 },
      { t: 24, arousal: 0.9 },
      { t: 28, arousal: 0.3 },
    ],
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
      width: DEMO_WIDTH,
      height: DEMO_HEIGHT,
    },
  };
}
