/**
 * Built-in horror narrator grammars (English and Simplified Chinese). A story's own grammar
 * replaces these symbol by symbol.
 *
 * Entry symbols: `origin_<level>` (e.g. `origin_scare`) when it exists, else `origin`.
 * Symbols filled in at run time by the GrammarNarrator (a story grammar may reference them):
 * - `viewer`     → `#heartRising#` / `#heartRisingBpm#` when arousal is rising, `#heartFalling#`
 *                  when falling, `#heartSteady#` otherwise
 * - `where`      → `#tag_<tag>#` for every scene tag that has such a symbol, else `#place#`
 * - `bpm`, `baselineBpm` → heart rates as integers (only present when known)
 * - `sceneTitle`, `storyTitle`, `mood`, `level`, `var_<name>` (story variables), `hook` (scene hooks)
 *
 * Lines are kept free of the words the G rating filter blocks, so the fallback is safe for any story.
 */
import type { GrammarRules } from './grammar-expander.js';

const EN: GrammarRules = {
  origin: ['#origin_calm#', '#origin_tense#'],
  origin_calm: [
    '#where.capitalize# is quiet. Too quiet.',
    'Nothing moves in #where#. Not yet.',
    'Breathe. #viewer#',
    'Somewhere in #where#, #something# is waiting.',
    'Stay a while. #where.capitalize# has been expecting you.',
    '#viewer# Enjoy it while it lasts.',
  ],
  origin_tense: [
    '#something.capitalize# moves in #where#. #viewer#',
    'Do not look at #object#.',
    'Listen. #sound.capitalize#.',
    '#viewer# #warning#',
    'You felt that too, didn\u2019t you? #viewer#',
    '#where.capitalize# is not as empty as it looks.',
  ],
  origin_scare: [
    '#warning#',
    'It is right behind you.',
    '#sound.capitalize#. Closer now.',
    '#viewer# It knows.',
    'Too late to look away.',
    '#something.capitalize# is standing in #where#. Watching you.',
  ],
  something: ['something', 'someone', 'a shape', 'a shadow', 'a figure'],
  sound: [
    'a door creaks somewhere above',
    'footsteps, slow and even',
    'a whisper, just out of reach',
    'a breath that is not yours',
    'a knock from inside the wall',
  ],
  object: ['the door', 'the mirror', 'the window', 'the dark at the end of the hall'],
  warning: [
    'Don\u2019t turn around.',
    'Don\u2019t make a sound.',
    'Stay very still.',
    'It heard you.',
    'Close your eyes. No, keep them open.',
  ],
  place: ['the dark', 'the house', 'this place', 'the empty room', 'the silence'],
  heartRising: [
    'Your heart is racing now.',
    'I can hear your heart quicken.',
    'Faster, faster. Your pulse gives you away.',
  ],
  heartRisingBpm: [
    '#bpm# beats a minute. It can hear every one.',
    'Your heart: #bpm# and climbing.',
  ],
  heartFalling: [
    'You\u2019re calming down. That\u2019s a mistake.',
    'Your heart slows. Good. Let it think you\u2019re asleep.',
  ],
  heartSteady: ['Your heart is steady. For now.', 'So calm. Let\u2019s see how long that lasts.'],
  tag_cinema: ['the empty cinema', 'row after row of empty seats'],
  tag_corridor: ['the corridor', 'this long corridor'],
  tag_basement: ['the basement'],
  tag_attic: ['the attic'],
  tag_stairs: ['the stairwell'],
  tag_forest: ['the woods', 'the trees'],
  tag_house: ['the old house'],
  tag_hospital: ['the abandoned ward'],
  tag_school: ['the empty classroom'],
  tag_mirror: ['the mirror'],
  tag_night: ['the night'],
};

const ZH_CN: GrammarRules = {
  origin: ['#origin_calm#', '#origin_tense#'],
  origin_calm: [
    '#where#里很安静。太安静了。',
    '#where#里什么都没动。还没有。',
    '深呼吸。#viewer#',
    '在#where#的某个角落，#something#正在等待。',
    '留下来吧。#where#一直在等你。',
    '#viewer#好好享受这一刻吧。',
  ],
  origin_tense: [
    '#where#里，#something#动了一下。#viewer#',
    '别看#object#。',
    '听。#sound#。',
    '#viewer##warning#',
    '你也感觉到了，对吧？#viewer#',
    '#where#并不像看上去那么空。',
  ],
  origin_scare: [
    '#warning#',
    '它就在你身后。',
    '#sound#。更近了。',
    '#viewer#它知道了。',
    '现在移开视线已经太晚了。',
    '#something#就站在#where#里，盯着你。',
  ],
  something: ['什么东西', '某个人', '一个影子', '一个黑影'],
  sound: [
    '楼上有一扇门吱呀作响',
    '脚步声，缓慢而均匀',
    '一声低语，近在耳边',
    '不属于你的呼吸声',
    '墙里传来敲击声',
  ],
  object: ['那扇门', '那面镜子', '那扇窗', '走廊尽头的黑暗'],
  warning: ['别回头。', '别出声。', '一动也别动。', '它听见你了。', '闭上眼睛。不，还是睁着吧。'],
  place: ['黑暗', '这栋老房子', '空荡荡的房间', '这片寂静'],
  heartRising: [
    '你的心跳越来越快了。',
    '我听见你的心在狂跳。',
    '快一点，再快一点。你的脉搏出卖了你。',
  ],
  heartRisingBpm: ['每分钟#bpm#下。它听得见每一下。', '你的心跳：#bpm#，还在往上升。'],
  heartFalling: ['你平静下来了。这是个错误。', '心跳慢下来了。很好，让它以为你睡着了。'],
  heartSteady: ['你的心跳很平稳。暂时而已。', '这么镇定。看你能撑多久。'],
  tag_cinema: ['空无一人的影院', '一排排空座位'],
  tag_corridor: ['长长的走廊'],
  tag_basement: ['地下室'],
  tag_attic: ['阁楼'],
  tag_stairs: ['楼梯间'],
  tag_forest: ['树林'],
  tag_house: ['老房子'],
  tag_hospital: ['废弃的病房'],
  tag_school: ['空教室'],
  tag_mirror: ['镜子'],
  tag_night: ['夜色'],
};

/** Locale → default rules. `en` is the last-resort locale. */
export const DEFAULT_NARRATION_GRAMMARS: Readonly<Record<string, GrammarRules>> = {
  en: EN,
  'zh-CN': ZH_CN,
};
