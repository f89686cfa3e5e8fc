/**
 * `frisson story new --theme "…"`: a complete, valid story (the `story.yaml` object) from one
 * sentence. The structure is fixed — seven scenes, two branch points, two variables, two endings,
 * a rising target curve — and the words come from the LLM backend when configured, else (or when
 * any answer is unusable) from built-in seeded text tables in English or Simplified Chinese.
 * Scene hooks point at generated grammar symbols, so the narrator speaks about this story.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Story } from '../../media/story/story-schema.js';
import {
  requestChatCompletion,
  type ChatFailureReason,
} from '../../media/narration/chat-completion.js';
import { ContentFilter } from '../../media/narration/content-filter.js';
import { DEFAULT_NARRATION_GRAMMARS } from '../../media/narration/default-grammars.js';
import { ENGLISH_MODIFIERS } from '../../media/narration/grammar-expander.js';
import { cleanCompletion } from '../../media/narration/llm-narrator.js';
import type { NarrationGrammarInput } from '../../media/narration/narration-grammar.js';
import { createSeededRandom } from '../../contracts/random.js';
import { THEME_STORY_TEXT, type ThemeSceneId, type ThemeStoryText } from './theme-story-text.js';
import { trimLine } from '../../media/narration/trim-line.js';

export interface StoryFromThemeOptions {
  /** `en` (default) or `zh-CN` (any `zh*` tag); other locales get English text. */
  locale?: string;
  /** Determinism: same theme, locale and seed give the same story. Default: the theme. */
  seed?: string | number;
  /** Story id; default a slug of the theme. */
  id?: string;
  contentRating?: string;
  /** Path of a clip, relative to the story directory. Default `media/<scene>-<level>.mp4`. */
  mediaPath?: (sceneId: string, levelId: string) => string;
  /** Seconds per scene clip (for the target curve). Default 8. */
  clipSeconds?: number;
  packaging?: Story['packaging'];
  /** Use an OpenAI-compatible server for the words. */
  llm?: {
    baseUrl: string;
    model: string;
    apiKey?: string;
    /** Default 60 000 ms: story writing is offline, unlike narration. */
    timeoutMs?: number;
    fetch?: typeof fetch;
  };
}

/** What to render as placeholder media for one scene × level. */
export interface PlaceholderClipSpec {
  sceneId: string;
  levelId: string;
  intensity: number;
  /** Relative to the story directory. */
  file: string;
  title: string;
  description: string;
}

export interface StoryFromThemeResult {
  story: Story;
  locale: 'en' | 'zh-CN';
  source: 'grammar' | 'llm';
  /** Why the LLM was not (fully) used, when it was configured. */
  fallbackReason?: ChatFailureReason | 'invalid-json' | 'filtered';
  clips: PlaceholderClipSpec[];
}

const SCENE_ORDER: readonly ThemeSceneId[] = [
  'prologue',
  'first-sign',
  'investigate',
  'hide',
  'the-dark',
  'escape',
  'confrontation',
];
const SCENE_MOOD: Record<ThemeSceneId, string> = {
  prologue: 'unease',
  'first-sign': 'unease',
  investigate: 'dread',
  hide: 'dread',
  'the-dark': 'dread',
  escape: 'relief',
  confrontation: 'terror',
};
/** Variables set on entering a scene (the confrontation needs either). */
const SCENE_SET: Partial<Record<ThemeSceneId, Record<string, boolean>>> = {
  investigate: { saw_it: true },
  hide: { heard_name: true },
};
const LEVELS = [
  { id: 'calm', intensity: 0, label: 'Calm' },
  { id: 'tense', intensity: 0.5, label: 'Tense' },
  { id: 'scare', intensity: 1, label: 'Scare' },
] as const;

/** Theme keywords → narration tags (the default grammars know `tag_<tag>`). */
const TAG_KEYWORDS: ReadonlyArray<readonly [string, RegExp]> = [
  ['cinema', /cinema|theat(er|re)|movie|影院|剧院/i],
  ['corridor', /corridor|hallway|走廊/i],
  ['basement', /basement|cellar|地下室/i],
  ['attic', /attic|阁楼/i],
  ['stairs', /stair|楼梯/i],
  ['forest', /forest|woods|树林|森林/i],
  ['house', /\bhouse\b|\bhome\b|cabin|房子|老宅|小屋/i],
  ['hospital', /hospital|\bward\b|asylum|医院|病房/i],
  ['school', /school|classroom|学校|教室/i],
  ['mirror', /mirror|镜子/i],
  ['night', /night|midnight|夜/i],
];

/**
 * @example
 * const { story, clips } = await generateStoryFromTheme('a night guard hears something in the empty cinema');
 * await writeFile('story.yaml', stringify(story));
 */
export async function generateStoryFromTheme(
  theme: string,
  options: StoryFromThemeOptions = {},
): Promise<StoryFromThemeResult> {
  const cleanTheme = theme
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[.。!！?？]+$/u, '');
  const locale: 'en' | 'zh-CN' = /^zh\b/i.test(options.locale ?? '') ? 'zh-CN' : 'en';
  const text = THEME_STORY_TEXT[locale];
  const random = createSeededRandom('story-from-theme', options.seed ?? cleanTheme, locale);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const rating = options.contentRating ?? 'PG-13';

  const tags = TAG_KEYWORDS.filter(([, re]) => re.test(cleanTheme)).map(([tag]) => tag);
  const placeTag = tags.find((t) => t !== 'night');
  const role = extractRole(cleanTheme, locale) ?? text.defaultRole;
  const place =
    extractPlace(cleanTheme, locale) ??
    (placeTag ? DEFAULT_NARRATION_GRAMMARS[locale]?.[`tag_${placeTag}`]?.[0] : undefined) ??
    text.defaultPlace;
  const name = pick(text.names);
  const fill = (template: string): string =>
    template
      .replace(/\{name\}/g, name)
      .replace(/\{role\}/g, role)
      .replace(/\{place\}/g, place)
      .replace(/\{theme\}/g, capitalize(cleanTheme));
  // A place at the start of an English sentence ("The empty cinema is …").
  const fillSentence = (template: string): string => capitalize(fill(template));

  const words = {
    title: locale === 'en' ? titleCase(place.replace(/^(the|an?)\s+/i, 'The ')) : `${place}之夜`,
    premise: capitalize(cleanTheme) + (locale === 'en' ? '.' : '。'),
    characters: [
      { name, profile: fill(pick(text.profile)) },
      { name: text.presence.name, profile: fill(text.presence.profile) },
    ],
    scenes: Object.fromEntries(
      SCENE_ORDER.map((id) => {
        const s = text.scenes[id];
        return [
          id,
          {
            title: s.title,
            description: fillSentence(pick(s.description)),
            narration: [...s.narration],
          },
        ];
      }),
    ) as Record<ThemeSceneId, { title: string; description: string; narration: string[] }>,
    endings: {
      dawn: {
        title: text.endings.dawn.title,
        description: fillSentence(text.endings.dawn.description),
      },
      taken: {
        title: text.endings.taken.title,
        description: fillSentence(text.endings.taken.description),
      },
    },
  };

  let source: StoryFromThemeResult['source'] = 'grammar';
  let fallbackReason: StoryFromThemeResult['fallbackReason'];
  if (options.llm) {
    const llm = await llmWords(cleanTheme, locale, rating, options.llm, { name, role, place });
    if (llm.ok) {
      const used = mergeLlmWords(words, llm.words, new ContentFilter(rating));
      if (used > 0) source = 'llm';
      else fallbackReason = 'filtered';
    } else {
      fallbackReason = llm.reason;
    }
  }

  const mediaPath =
    options.mediaPath ?? ((scene: string, level: string) => `media/${scene}-${level}.mp4`);
  const clipSeconds = options.clipSeconds ?? 8;
  const symbols: Record<string, string[]> = {
    protagonist: [escapeGrammar(name)],
    placeName: [escapeGrammar(place)],
  };
  if (placeTag && !DEFAULT_NARRATION_GRAMMARS[locale]?.[`tag_${placeTag}`])
    symbols[`tag_${placeTag}`] = [escapeGrammar(place)];
  for (const id of SCENE_ORDER)
    symbols[`scene_${id.replace(/-/g, '_')}`] = words.scenes[id].narration;
  const narration: NarrationGrammarInput = {
    locales: { [locale]: symbols },
    premise: words.premise,
    characters: words.characters,
  };

  const b = text.branches;
  const story: Story = {
    id: options.id ?? storyId(cleanTheme),
    title: words.title,
    description: words.premise,
    locales: [locale],
    contentRating: rating,
    defaultMaxIntensity: 1,
    levels: LEVELS.map((l) => ({ ...l })),
    variables: {
      saw_it: { initial: false, description: fill(text.variables.saw_it) },
      heard_name: { initial: false, description: fill(text.variables.heard_name) },
    },
    start: 'prologue',
    scenes: SCENE_ORDER.map((id) => ({
      id,
      title: words.scenes[id].title,
      description: words.scenes[id].description,
      tags: [...tags, SCENE_MOOD[id]],
      mood: SCENE_MOOD[id],
      ...(SCENE_SET[id] ? { set: { ...SCENE_SET[id] } } : {}),
      variants: Object.fromEntries(LEVELS.map((l) => [l.id, mediaPath(id, l.id)])),
      next: nextOf(id),
      narration: [`scene_${id.replace(/-/g, '_')}`],
    })),
    branches: [
      {
        id: 'look-or-hide',
        prompt: b['look-or-hide'].prompt,
        default: 'hide',
        voteSeconds: 8,
        candidates: [
          {
            scene: 'investigate',
            label: b['look-or-hide'].investigate,
            intensity: 0.8,
            mood: 'dread',
          },
          { scene: 'hide', label: b['look-or-hide'].hide, intensity: 0.4, mood: 'unease' },
        ],
      },
      {
        id: 'run-or-face',
        prompt: b['run-or-face'].prompt,
        default: 'escape',
        voteSeconds: 8,
        candidates: [
          { scene: 'escape', label: b['run-or-face'].escape, intensity: 0.2, mood: 'relief' },
          {
            scene: 'confrontation',
            label: b['run-or-face'].confrontation,
            intensity: 1,
            mood: 'terror',
            when: {
              any: [
                { var: 'saw_it', op: 'eq', value: true },
                { var: 'heard_name', op: 'eq', value: true },
              ],
            },
          },
        ],
      },
    ],
    endings: [
      { id: 'dawn', ...words.endings.dawn },
      { id: 'taken', ...words.endings.taken },
    ],
    // One clip per scene on any path: prologue, first sign, choice, the dark, ending.
    targetCurve: [0.2, 0.4, 0.7, 0.6, 0.9, 0.3].map((arousal, i) => ({
      t: i * clipSeconds,
      arousal,
    })),
    narration,
    ...(options.packaging ? { packaging: options.packaging } : {}),
  };

  const clips = story.scenes.flatMap((scene) =>
    LEVELS.map((l) => ({
      sceneId: scene.id,
      levelId: l.id,
      intensity: l.intensity,
      file: mediaPath(scene.id, l.id),
      title: scene.title,
      description: scene.description ?? '',
    })),
  );
  return { story, locale, source, ...(fallbackReason ? { fallbackReason } : {}), clips };
}

function nextOf(id: ThemeSceneId): NonNullable<Story['scenes'][number]['next']> {
  switch (id) {
    case 'prologue':
      return 'first-sign';
    case 'first-sign':
      return { branch: 'look-or-hide' };
    case 'investigate':
    case 'hide':
      return 'the-dark';
    case 'the-dark':
      return { branch: 'run-or-face' };
    case 'escape':
      return { ending: 'dawn' };
    case 'confrontation':
      return { ending: 'taken' };
  }
}

const EN_VERBS =
  'hears?|sees?|finds?|wakes?|is|was|has|must|gets?|returns?|goes|walks?|enters?|works?|lives?|stays?|moves?|discovers?|notices?|receives?|keeps?|opens?|buys?|inherits?|follows?|starts?|spends?|takes?|locks?|answers?|checks?';

/** "a night guard hears …" → "night guard"; "一个守夜人在…" → "守夜人". */
export function extractRole(theme: string, locale: 'en' | 'zh-CN'): string | undefined {
  if (locale === 'zh-CN') {
    const m =
      /^(?:一个|一名|一位|某个|某位)?([\u4e00-\u9fff]{1,6}?)(?:在|听到|听见|看见|看到|发现|醒来|回到|走进|住进|收到|独自|半夜)/u.exec(
        theme,
      );
    return m?.[1];
  }
  const m = new RegExp(
    `^\\s*(?:an?|the|one)\\s+((?:[a-z'-]+\\s+){0,3}?[a-z'-]+)\\s+(?:who\\s+)?(?:${EN_VERBS})\\b`,
    'i',
  ).exec(theme);
  return m?.[1]?.toLowerCase();
}

/** "… in the empty cinema" → "the empty cinema"; "…在空荡荡的影院里…" → "空荡荡的影院". */
export function extractPlace(theme: string, locale: 'en' | 'zh-CN'): string | undefined {
  if (locale === 'zh-CN') {
    const m = /在([\u4e00-\u9fff的]{1,12}?)(?:里|中|内|上|下|外)/u.exec(theme);
    return m?.[1];
  }
  const m =
    /\b(?:in|at|inside|into|under|beneath|through|on)\s+((?:the|an?|my|our|his|her|their)\s+[a-z' -]+?)\s*(?:[,.;!?]|$|\s(?:at|after|before|while|when|during|where|and)\b)/i.exec(
      theme,
    );
  const place = m?.[1]?.trim();
  if (!place || place.length > 40) return undefined;
  return place.replace(/^(my|our|his|her|their|an?)\s/i, 'the ').toLowerCase();
}

function storyId(theme: string): string {
  let slug = '';
  for (const word of theme
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean)) {
    if (slug.length + word.length + 1 > 48) break;
    slug = slug ? `${slug}-${word}` : word;
  }
  return slug.length >= 3
    ? slug
    : `story-${createHash('sha256').update(theme).digest('hex').slice(0, 8)}`;
}

function capitalize(s: string): string {
  return ENGLISH_MODIFIERS.capitalize?.(s) ?? s;
}

function titleCase(s: string): string {
  return ENGLISH_MODIFIERS.capitalizeAll?.(s) ?? s;
}

function escapeGrammar(s: string): string {
  return s.replace(/[\\#[\]]/g, (c) => `\\${c}`);
}

const LlmStorySchema = z.object({
  title: z.string().optional(),
  premise: z.string().optional(),
  protagonist: z.object({ profile: z.string().optional() }).optional(),
  presence: z.object({ name: z.string().optional(), profile: z.string().optional() }).optional(),
  scenes: z
    .record(
      z.string(),
      z.object({
        title: z.string().optional(),
        description: z.string().optional(),
        narration: z.array(z.string()).optional(),
      }),
    )
    .optional(),
  endings: z
    .record(
      z.string(),
      z.object({ title: z.string().optional(), description: z.string().optional() }),
    )
    .optional(),
});
type LlmStory = z.infer<typeof LlmStorySchema>;

async function llmWords(
  theme: string,
  locale: 'en' | 'zh-CN',
  rating: string,
  llm: NonNullable<StoryFromThemeOptions['llm']>,
  hints: { name: string; role: string; place: string },
): Promise<
  { ok: true; words: LlmStory } | { ok: false; reason: ChatFailureReason | 'invalid-json' }
> {
  const language = locale === 'zh-CN' ? 'Simplified Chinese' : 'English';
  const outline = SCENE_ORDER.map((id) => `- ${id}: ${THEME_STORY_TEXT.en.scenes[id].title}`).join(
    '\n',
  );
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), llm.timeoutMs ?? 60_000);
  try {
    const result = await requestChatCompletion({
      baseUrl: llm.baseUrl,
      model: llm.model,
      apiKey: llm.apiKey,
      temperature: 0.9,
      maxTokens: 1200,
      signal: controller.signal,
      fetch: llm.fetch,
      messages: [
        {
          role: 'system',
          content:
            `You outline short interactive horror films. Write in ${language}. Rating ${rating}: unsettling, never graphic. ` +
            'Reply with one JSON object only, no markdown.',
        },
        {
          role: 'user',
          content: [
            `Theme: ${theme}`,
            `Protagonist: ${hints.name}, ${hints.role}. Place: ${hints.place}.`,
            'The film has these scenes (keep the ids):',
            outline,
            'After first-sign the viewer chooses investigate or hide; after the-dark, escape (ending "dawn") or confrontation (ending "taken").',
            'JSON shape: {"title": string, "premise": string, "protagonist": {"name": string, "profile": string}, ' +
              '"presence": {"name": string, "profile": string}, "scenes": {"<id>": {"title": string, "description": string, ' +
              '"narration": [two short lines the narrator says to the viewer]}}, "endings": {"dawn": {"title": string, "description": string}, ' +
              '"taken": {"title": string, "description": string}}}',
          ].join('\n'),
        },
      ],
    });
    if (!result.ok) return { ok: false, reason: result.reason };
    const content = cleanCompletion(result.content);
    const start = content.indexOf('{');
    const end = content.lastIndexOf('}');
    if (start < 0 || end <= start) return { ok: false, reason: 'invalid-json' };
    let json: unknown;
    try {
      json = JSON.parse(content.slice(start, end + 1));
    } catch {
      return { ok: false, reason: 'invalid-json' };
    }
    const parsed = LlmStorySchema.safeParse(json);
    return parsed.success
      ? { ok: true, words: parsed.data }
      : { ok: false, reason: 'invalid-json' };
  } finally {
    clearTimeout(timer);
  }
}

/** Copies every usable LLM field over the grammar words; returns how many fields were used. */
function mergeLlmWords(
  words: {
    title: string;
    premise: string;
    characters: Array<{ name: string; profile: string }>;
    scenes: Record<ThemeSceneId, { title: string; description: string; narration: string[] }>;
    endings: Record<'dawn' | 'taken', { title: string; description: string }>;
  },
  llm: LlmStory,
  filter: ContentFilter,
): number {
  let used = 0;
  const take = (value: string | undefined, max: number): string | undefined => {
    if (value === undefined) return undefined;
    const text = trimLine(value, max);
    if (text.length === 0 || !filter.check(text).ok) return undefined;
    used++;
    return text;
  };
  words.title = take(llm.title, 60) ?? words.title;
  words.premise = take(llm.premise, 300) ?? words.premise;
  const [hero, presence] = words.characters as [ThemeCharacter, ThemeCharacter];
  // The protagonist's name stays ours (the prompt gave it), so every text agrees on it.
  hero.profile = take(llm.protagonist?.profile, 200) ?? hero.profile;
  presence.name = take(llm.presence?.name, 30) ?? presence.name;
  presence.profile = take(llm.presence?.profile, 200) ?? presence.profile;
  for (const id of SCENE_ORDER) {
    const scene = llm.scenes?.[id];
    if (!scene) continue;
    const target = words.scenes[id];
    target.title = take(scene.title, 60) ?? target.title;
    target.description = take(scene.description, 300) ?? target.description;
    const lines = (scene.narration ?? [])
      .map((l) => take(l, 140))
      .filter((l): l is string => l !== undefined)
      .map(escapeGrammar);
    if (lines.length > 0) target.narration = lines;
  }
  for (const id of ['dawn', 'taken'] as const) {
    const ending = llm.endings?.[id];
    words.endings[id].title = take(ending?.title, 60) ?? words.endings[id].title;
    words.endings[id].description = take(ending?.description, 300) ?? words.endings[id].description;
  }
  return used;
}

type ThemeCharacter = { name: string; profile: string };
export type { ThemeStoryText };
