/**
 * Text tables for stories generated from a theme (see story-from-theme.ts), English and
 * Simplified Chinese. Placeholders: `{name}` protagonist's name, `{role}` their role from the
 * theme, `{place}` the place from the theme, `{theme}` the theme sentence. Each entry lists
 * alternatives; the generator picks one per seed.
 */

export type ThemeSceneId =
  'prologue' | 'first-sign' | 'investigate' | 'hide' | 'the-dark' | 'escape' | 'confrontation';

export interface ThemeStoryText {
  names: readonly string[];
  defaultRole: string;
  defaultPlace: string;
  presence: { name: string; profile: string };
  profile: readonly string[];
  scenes: Record<
    ThemeSceneId,
    { title: string; description: readonly string[]; narration: readonly string[] }
  >;
  branches: {
    'look-or-hide': { prompt: string; investigate: string; hide: string };
    'run-or-face': { prompt: string; escape: string; confrontation: string };
  };
  endings: {
    dawn: { title: string; description: string };
    taken: { title: string; description: string };
  };
  variables: { saw_it: string; heard_name: string };
}

export const THEME_STORY_TEXT: Readonly<Record<'en' | 'zh-CN', ThemeStoryText>> = {
  en: {
    names: ['Marta', 'Eli', 'Ruth', 'Jonah', 'Ada', 'Silas', 'Noor', 'Wren'],
    defaultRole: 'night guard',
    defaultPlace: 'the empty building',
    presence: {
      name: 'The Presence',
      profile: 'something that has waited in {place} for a long time; never fully seen',
    },
    profile: [
      '{name}, the {role}: practical, tired, tells themself there is nothing there',
      '{name}, the {role}: curious, stubborn, afraid of the dark since childhood',
    ],
    scenes: {
      prologue: {
        title: 'Prologue',
        description: [
          '{name}, the {role}, begins the night in {place}. Everything is quiet.',
          'Night falls over {place}. {name}, the {role}, is alone, or should be.',
        ],
        narration: [
          '#protagonist# is alone in #placeName#. Or so #protagonist# thinks.',
          'Nobody else is here tonight.',
        ],
      },
      'first-sign': {
        title: 'The First Sign',
        description: [
          'A sound in {place} that should not be there. {name} stops and listens.',
          'Something in {place} has moved since the last round. {name} notices.',
        ],
        narration: [
          'There it is again. #protagonist# heard it too.',
          'Something in #placeName# is awake.',
        ],
      },
      investigate: {
        title: 'Investigate',
        description: [
          '{name} goes looking for the source and glimpses something that is not a shadow.',
          '{name} follows the sound deeper into {place} and sees it, for a moment.',
        ],
        narration: ['#protagonist# should not have looked.', 'It is not a shadow.'],
      },
      hide: {
        title: 'Hide',
        description: [
          '{name} hides and waits. Something whispers {name}’s name, softly.',
          '{name} keeps still in the dark. A voice says {name}’s name.',
        ],
        narration: ['It knows #protagonist#’s name.', 'Stay hidden. Stay quiet.'],
      },
      'the-dark': {
        title: 'Darkness',
        description: [
          'The lights die. {place} is darker than it has ever been, and not empty.',
          'Every light in {place} goes out at once. Something breathes nearby.',
        ],
        narration: ['The dark has been waiting for #protagonist#.', 'Not empty. Never empty.'],
      },
      escape: {
        title: 'Escape',
        description: [
          '{name} runs for the exit as the first light comes.',
          '{name} breaks out into the cold morning air.',
        ],
        narration: ['Run, #protagonist#. Don’t look back.', 'Morning. For now.'],
      },
      confrontation: {
        title: 'Confrontation',
        description: [
          '{name} turns to face what has been following all night.',
          '{name} opens the last door and finally sees it.',
        ],
        narration: ['#protagonist# turns around.', 'Face to face, at last.'],
      },
    },
    branches: {
      'look-or-hide': {
        prompt: 'Look for the sound, or hide?',
        investigate: 'Look for it',
        hide: 'Hide',
      },
      'run-or-face': {
        prompt: 'Run for the exit, or face it?',
        escape: 'Run',
        confrontation: 'Face it',
      },
    },
    endings: {
      dawn: { title: 'Dawn', description: '{name} gets out as the sun comes up.' },
      taken: { title: 'Taken', description: '{place} keeps {name}.' },
    },
    variables: { saw_it: '{name} saw it', heard_name: 'It said {name}’s name' },
  },
  'zh-CN': {
    names: ['林默', '陈静', '周岚', '苏晓', '何川', '沈青', '许安', '叶舟'],
    defaultRole: '守夜人',
    defaultPlace: '空无一人的大楼',
    presence: { name: '它', profile: '在{place}里等了很久的东西，从未被看清' },
    profile: [
      '{name}，{role}：务实、疲惫，总告诉自己那里什么都没有',
      '{name}，{role}：好奇又固执，从小就怕黑',
    ],
    scenes: {
      prologue: {
        title: '序幕',
        description: [
          '{role}{name}在{place}里开始了这一夜。一切都很安静。',
          '夜色笼罩了{place}。{role}{name}独自一人——本该如此。',
        ],
        narration: [
          '#protagonist#独自待在#placeName#里。至少#protagonist#是这么以为的。',
          '今晚这里没有别人。',
        ],
      },
      'first-sign': {
        title: '第一个征兆',
        description: [
          '{place}里传来一个本不该有的声音。{name}停下脚步，侧耳倾听。',
          '上一轮巡查之后，{place}里有东西动过了。{name}注意到了。',
        ],
        narration: ['又来了。#protagonist#也听见了。', '#placeName#里有什么东西醒了。'],
      },
      investigate: {
        title: '一探究竟',
        description: [
          '{name}循声寻找，瞥见了某个不是影子的东西。',
          '{name}顺着声音走进{place}深处，看见了它，只有一瞬间。',
        ],
        narration: ['#protagonist#不该去看的。', '那不是影子。'],
      },
      hide: {
        title: '躲起来',
        description: [
          '{name}躲起来等待。有什么东西轻轻地叫着{name}的名字。',
          '{name}在黑暗中一动不动。一个声音说出了{name}的名字。',
        ],
        narration: ['它知道#protagonist#的名字。', '躲好。别出声。'],
      },
      'the-dark': {
        title: '黑暗降临',
        description: [
          '灯全灭了。{place}从未这么黑过，而且并不空。',
          '{place}里所有的灯同时熄灭。附近有东西在呼吸。',
        ],
        narration: ['黑暗一直在等#protagonist#。', '不是空的。从来都不是。'],
      },
      escape: {
        title: '逃离',
        description: ['天刚亮，{name}冲向出口。', '{name}冲进了清晨冰冷的空气里。'],
        narration: ['跑，#protagonist#。别回头。', '天亮了。暂时而已。'],
      },
      confrontation: {
        title: '对峙',
        description: [
          '{name}转过身，面对那个跟了一整夜的东西。',
          '{name}打开最后一扇门，终于看见了它。',
        ],
        narration: ['#protagonist#转过了身。', '终于，面对面了。'],
      },
    },
    branches: {
      'look-or-hide': {
        prompt: '去找那个声音，还是躲起来？',
        investigate: '去看看',
        hide: '躲起来',
      },
      'run-or-face': { prompt: '冲向出口，还是面对它？', escape: '逃跑', confrontation: '面对它' },
    },
    endings: {
      dawn: { title: '黎明', description: '太阳升起时，{name}逃了出去。' },
      taken: { title: '被带走', description: '{place}留下了{name}。' },
    },
    variables: { saw_it: '{name}看见了它', heard_name: '它叫了{name}的名字' },
  },
};
