/**
 * The chat prompt for the LLM narrator: a system message fixing role, language, length and rating,
 * and a user message carrying the story context, the scene, the characters and the viewer's state.
 */
import { narrationLanguageName } from './narration-locale.js';
import type { NarrationRequest, NarrationViewerState } from './narrator.js';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** A character's short profile, given to the model as context. */
export interface CharacterNote {
  name: string;
  profile: string;
}

export interface NarrationPromptContext {
  /** Resolved locale of the line to write. */
  locale: string;
  maxChars: number;
  contentRating: string;
  /** Synopsis / premise of the story. */
  storyContext?: string;
  characters?: readonly CharacterNote[];
}

/**
 * @example
 * const messages = buildNarrationPrompt(req, { locale: 'en', maxChars: 140, contentRating: 'PG-13' });
 */
export function buildNarrationPrompt(
  req: NarrationRequest,
  ctx: NarrationPromptContext,
): ChatMessage[] {
  const language = narrationLanguageName(ctx.locale);
  const system = [
    `You are the unseen narrator of the horror film "${req.story.title}".`,
    `Speak directly to the viewer in ${language}, in the second person, present tense.`,
    `Reply with exactly one short line of narration, at most ${ctx.maxChars} characters.`,
    'No quotation marks, no stage directions, no explanations.',
    `Keep it suitable for a ${ctx.contentRating} rating: unsettling, never graphic.`,
  ].join(' ');

  const lines: string[] = [];
  if (ctx.storyContext) lines.push(`Story: ${ctx.storyContext}`);
  lines.push(
    `Scene: ${req.scene.title}${req.scene.description ? ` \u2014 ${req.scene.description}` : ''}`,
  );
  if (req.scene.tags.length > 0) lines.push(`Tags: ${req.scene.tags.join(', ')}`);
  if (req.scene.mood) lines.push(`Mood: ${req.scene.mood}`);
  lines.push(`Intensity: ${req.level.id} (${req.level.intensity.toFixed(2)} of 1)`);
  const vars = Object.entries(req.variables);
  if (vars.length > 0)
    lines.push(`Story state: ${vars.map(([k, v]) => `${k}=${String(v)}`).join(', ')}`);
  if (ctx.characters && ctx.characters.length > 0) {
    lines.push('Characters:');
    for (const c of ctx.characters) lines.push(`- ${c.name}: ${c.profile}`);
  }
  lines.push(`Viewer: ${describeViewer(req.viewer)}`);
  lines.push('Write the next line of narration.');
  return [
    { role: 'system', content: system },
    { role: 'user', content: lines.join('\n') },
  ];
}

/** Plain-words viewer state ("heart rate 96 bpm, 23% above resting, rising; arousal high"). */
export function describeViewer(viewer: NarrationViewerState): string {
  const parts: string[] = [];
  if (viewer.heartRate !== null) {
    let hr = `heart rate ${Math.round(viewer.heartRate)} bpm`;
    if (viewer.baselineHeartRate !== null && viewer.baselineHeartRate > 0) {
      const pct = Math.round((viewer.heartRate / viewer.baselineHeartRate - 1) * 100);
      hr += pct >= 0 ? `, ${pct}% above resting` : `, ${-pct}% below resting`;
    }
    parts.push(hr);
  } else {
    parts.push('heart rate unknown');
  }
  const trend =
    viewer.arousalSlope > 0.01 ? 'rising' : viewer.arousalSlope < -0.01 ? 'falling' : 'steady';
  const level = viewer.arousal < 1 / 3 ? 'low' : viewer.arousal < 2 / 3 ? 'moderate' : 'high';
  parts.push(`arousal ${level} and ${trend}`);
  return parts.join('; ');
}
