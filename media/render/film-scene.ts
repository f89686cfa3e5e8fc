/**
 * What the film renderer needs to know about one scene: its set, its length, when its scares
 * happen and where the figure stands, and the key and ambience of its sound. Every variant of the
 * scene is rendered from the same FilmScene on the same timeline; only the intensity differs.
 */
import { SETTINGS, type Setting } from './plate-graph.js';

/** Background sound of a set, shared by every variant of a scene. */
export const AMBIENCES = [
  'wind',
  'hum',
  'drips',
  'furnace',
  'steps',
  'creaks',
  'dawn',
  'breath',
] as const;
export type Ambience = (typeof AMBIENCES)[number];

/** Where the figure appears on the plate (fractions of the plate; `height` = its height). */
export interface FigurePlacement {
  x: number;
  y: number;
  height: number;
}

/** One scare: at `at` seconds, a stinger and the figure in intense variants, a hint in tense ones. */
export interface FilmScare {
  at: number;
  figure: FigurePlacement;
  /** What appears: a standing figure (default) or a pale face close up. */
  apparition?: 'figure' | 'face';
}

export interface FilmScene {
  /** Position in the film (varies pitch and marker). */
  index: number;
  setting: Setting;
  seconds: number;
  scares: FilmScare[];
  /** Root of the scene's drones, whole hertz (so every partial is on the same 1 s grid). */
  root: number;
  ambience: Ambience;
  /** Heart rate of the heartbeat layer, beats per minute. */
  heartbeat: number;
  /** Captions: the scene title a few seconds at the start, optionally the film title before it. */
  title: string;
  filmTitle?: string;
}

/** The shape of the demo's scenes, reused for stories written from a theme. */
const MOOD_SETTINGS: Record<string, readonly Setting[]> = {
  unease: ['exterior', 'lobby', 'stairs'],
  dread: ['corridor', 'basement', 'attic', 'boiler'],
  relief: ['exit'],
  terror: ['doorway'],
};

const SETTING_AMBIENCE: Record<Setting, Ambience> = {
  exterior: 'wind',
  lobby: 'hum',
  basement: 'drips',
  boiler: 'furnace',
  stairs: 'steps',
  attic: 'creaks',
  corridor: 'hum',
  exit: 'dawn',
  doorway: 'breath',
};

/** The ambience that belongs to a set. */
export function ambienceFor(setting: Setting): Ambience {
  return SETTING_AMBIENCE[setting];
}

/**
 * A FilmScene for a scene known only by its mood and position (stories written from a theme):
 * the set follows the mood, one scare about two thirds in (mid-segment), the figure in the dark
 * at the side of the frame.
 * @example
 * const scene = filmSceneForMood({ index: 2, mood: 'dread', seconds: 8, title: 'The Cellar' });
 */
export function filmSceneForMood(input: {
  index: number;
  mood?: string;
  seconds: number;
  title: string;
}): FilmScene {
  const choices = MOOD_SETTINGS[input.mood ?? ''] ?? SETTINGS;
  const setting = choices[input.index % choices.length] ?? 'corridor';
  const at = Math.max(0.5, Math.floor(input.seconds * 0.66) + 0.45);
  return {
    index: input.index,
    setting,
    seconds: input.seconds,
    scares: at < input.seconds - 0.3 ? [{ at, figure: { x: 0.3, y: 0.62, height: 0.55 } }] : [],
    root: 41 + ((input.index * 7) % 15),
    ambience: ambienceFor(setting),
    heartbeat: input.mood === 'terror' ? 96 : input.mood === 'dread' ? 78 : 66,
    title: input.title,
  };
}
