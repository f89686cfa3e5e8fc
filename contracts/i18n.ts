/**
 * Page strings in English and Simplified Chinese (player, dashboard, report) and the recap
 * templates the server fills from a decision log. One table per language, same keys; `t()` falls
 * back to English for a missing key so a half-translated page still works.
 *
 * A contract: the browser pages and the server's report builder share it (the pages apply it to
 * their DOM with client/i18n/apply-translations.ts).
 */
export const LOCALES = ['en', 'zh-CN'] as const;
export type Locale = (typeof LOCALES)[number];

const en = {
  'app.title': 'Frisson',
  'player.maxIntensity': 'Maximum intensity',
  'player.consent': 'Store my heart-rate samples (optional)',
  'player.start': 'Start watching',
  'player.heartRate': 'Heart rate',
  'player.arousal': 'Arousal',
  'player.target': 'Target',
  'player.scene': 'Scene',
  'player.variant': 'Variant',
  'player.sensor': 'Sensor',
  'player.connectStrap': 'Connect heart-rate strap',
  'player.soundOn': 'Sound on',
  'player.soundOff': 'Sound off',
  'player.narratorVoice': 'Narrator voice',
  'player.statusIdle': 'idle',
  'player.statusPlaying': 'playing',
  'player.statusPressPlay': 'press play to start',
  'player.statusEnded': 'the end',
  'player.statusUnsupported': 'this browser cannot play HLS',
  'player.sessionUnavailable': 'session unavailable (HTTP {status})',
  'player.watchAgain': 'Watch again',
  'player.yourReport': 'Your report',
  'player.endTitle': 'The end',
  'player.endEnding': 'Ending: {ending}',
  'hud.noSensor': "No heart sensor: the film follows the author's curve, starting calm.",
  'hud.calibrating': 'Calibrating, {s} s',
  'hud.ready': 'Calibrated: the director reads the heart',
  'hud.estimate': 'Arousal (estimate ± uncertainty)',
  'hud.targetCurve': "Author's target",
  'hud.decisions': 'Why this variant',
  'hud.waitingDecision': 'The director decides at every segment.',
  'hud.bpm': '{bpm} bpm',
  'hud.contact.on': 'in contact',
  'hud.contact.off': 'no contact',
  'hud.contact.unknown': 'no sensor',
  'why.noSensor': "no heart data: following the author's curve (target {target}) → {level}",
  'why.calibrating': "calibrating ({s} s left): following the author's curve → {level}",
  'why.contactLost': "sensor contact lost: following the author's curve → {level}",
  'why.heartFlat': 'heart flat',
  'why.heartDelta': 'heart {d} bpm',
  'why.on': '{subject} {a} on target {target}',
  'why.below': '{subject} {a} below target {target}',
  'why.above': '{subject} {a} above target {target}',
  'why.subject.arousal': 'arousal',
  'why.subject.audience': 'audience',
  'why.separator': ', ',
  'why.state': '{parts} → {level}',
  'level.calm': 'calm',
  'level.tense': 'tense',
  'level.scare': 'scare',
  'report.time': 'Time',
  'screen.vote': 'Vote now: {prompt}',
  'screen.closesIn': '{s} s',
  'screen.chosen': 'The audience chose: {winner}',
  'screen.votes': '{n} votes',
  'screen.defaultNote': "* chosen if nobody votes (the author's default)",
  'sim.title': 'Simulated viewers',
  'sim.intro':
    'Each simulated viewer has its own heart: the director reads it and cuts each film differently. Each film starts again when it ends.',
  'sim.viewer': 'Simulated viewer {n}',
  'sim.kind.jumpy': 'jumpy: scares easily',
  'sim.kind.steady': 'steady: scared as the author meant',
  'sim.kind.unflappable': 'unflappable: hard to scare',
  'sim.heart.strong': 'heart shows it strongly',
  'sim.heart.weak': 'heart shows it a little',
  'sim.run': 'viewing {n}',
  'sim.none': 'No simulated viewers: start the server with --simulate N.',
  'dashboard.title': 'Frisson — operator',
  'dashboard.key': 'Operator key',
  'dashboard.connect': 'Connect',
  'dashboard.seats': 'Seats',
  'dashboard.inContact': '{n} of {total} seats in contact',
  'dashboard.chart': 'Audience arousal vs target',
  'dashboard.arousal': 'Audience arousal',
  'dashboard.target': 'Target',
  'dashboard.upcoming': 'Upcoming decision',
  'dashboard.inSeconds': 'in {s} s',
  'dashboard.vote': 'Vote: {branch}',
  'dashboard.voteCloses': 'closes in {s} s',
  'dashboard.voteResult': 'Result: {winner} ({rule})',
  'dashboard.controls': 'Controls',
  'dashboard.force': 'Force next scene',
  'dashboard.pause': 'Pause',
  'dashboard.resume': 'Resume',
  'dashboard.cap': 'Intensity cap',
  'dashboard.end': 'End show',
  'dashboard.paused': 'paused',
  'dashboard.live': 'live',
  'dashboard.ended': 'ended',
  'dashboard.noContact': 'no contact',
  'dashboard.defaultNote': "* the author's default: chosen when nobody votes or on a tie",
  'dashboard.seatLegend':
    'Each square is a seat: green calm → red scared; grey dashed: no contact or calibrating.',
  'report.title': 'Frisson — report',
  'report.heartRate': 'Heart rate (bpm)',
  'report.arousal': 'Arousal',
  'report.recap': 'Recap',
  'report.recommend': 'Stories for you',
  'report.decisions': 'Decisions',
  'report.votes': 'Votes',
  'recap.watched': 'You watched "{title}": {scenes}, {path}.',
  'recap.ending': 'The story ended in "{ending}".',
  'recap.peakHr': 'Heart rate peaked at {bpm} bpm during "{scene}".',
  'recap.peakArousal': 'Arousal peaked at {arousal} during "{scene}".',
  'recap.intensity': 'The director chose a more intense variant {up} and a calmer one {down}.',
  'recap.intensityNone': 'The director kept the same variant throughout.',
  'recap.fallbacks': 'The fallback picker answered {n}.',
  'count.scenes.one': '1 scene',
  'count.scenes.other': '{n} scenes',
  'count.times.zero': 'never',
  'count.times.one': 'once',
  'count.times.two': 'twice',
  'count.times.other': '{n} times',
  'report.noOtherStories': 'No other stories in the library yet. Write one with:',
  'report.because': 'because {tags} moved you',
  'report.watchAgain': 'Watch again',
  'report.target': "Author's target",
  'recap.vote': 'At "{branch}" the audience chose "{winner}" with {votes} votes ({rule}).',
  'recap.noSamples': 'No heart-rate samples were stored for this viewing.',
  'rule.majority': 'majority',
  'rule.no-votes-default': 'no votes: default',
  'rule.tie-default': 'tie: default',
  'rule.tie-first-listed': 'tie: first listed',
} as const;

export type StringKey = keyof typeof en;

/** Whether `key` names a string of the tables (e.g. a page's `data-i18n` attribute). */
export function isStringKey(key: string): key is StringKey {
  return key in en;
}

/** Complete by type: a key missing here does not compile (test/unit/contracts/i18n.test.ts checks the text). */
const zhCN: Record<StringKey, string> = {
  'app.title': 'Frisson',
  'player.maxIntensity': '最高强度',
  'player.consent': '保存我的心率数据（可选）',
  'player.start': '开始观看',
  'player.heartRate': '心率',
  'player.arousal': '唤醒度',
  'player.target': '目标',
  'player.scene': '场景',
  'player.variant': '版本',
  'player.sensor': '传感器',
  'player.connectStrap': '连接心率带',
  'player.soundOn': '打开声音',
  'player.soundOff': '关闭声音',
  'player.narratorVoice': '旁白语音',
  'player.statusIdle': '空闲',
  'player.statusPlaying': '播放中',
  'player.statusPressPlay': '请按播放开始',
  'player.statusEnded': '剧终',
  'player.statusUnsupported': '此浏览器无法播放 HLS',
  'player.sessionUnavailable': '会话不可用（HTTP {status}）',
  'player.watchAgain': '再看一遍',
  'player.yourReport': '你的观影报告',
  'player.endTitle': '剧终',
  'player.endEnding': '结局：{ending}',
  'hud.noSensor': '未连接心率传感器：影片按作者设定的曲线播放，从平缓开始。',
  'hud.calibrating': '校准中，还需 {s} 秒',
  'hud.ready': '校准完成：导演正在读取心跳',
  'hud.estimate': '唤醒度（估计值 ± 不确定度）',
  'hud.targetCurve': '作者设定的目标',
  'hud.decisions': '为什么选这个版本',
  'hud.waitingDecision': '导演在每个片段都会做出决定。',
  'hud.bpm': '{bpm} 次/分',
  'hud.contact.on': '接触良好',
  'hud.contact.off': '无接触',
  'hud.contact.unknown': '无传感器',
  'why.noSensor': '没有心率数据：按作者设定的曲线（目标 {target}）→ {level}',
  'why.calibrating': '校准中（还需 {s} 秒）：按作者设定的曲线 → {level}',
  'why.contactLost': '传感器接触中断：按作者设定的曲线 → {level}',
  'why.heartFlat': '心率平稳',
  'why.heartDelta': '心率 {d} 次/分',
  'why.on': '{subject} {a}，与目标 {target} 持平',
  'why.below': '{subject} {a}，低于目标 {target}',
  'why.above': '{subject} {a}，高于目标 {target}',
  'why.subject.arousal': '唤醒度',
  'why.subject.audience': '观众唤醒度',
  'why.separator': '，',
  'why.state': '{parts} → {level}',
  'level.calm': '平缓',
  'level.tense': '紧张',
  'level.scare': '惊吓',
  'report.time': '时间',
  'screen.vote': '现在投票：{prompt}',
  'screen.closesIn': '{s} 秒',
  'screen.chosen': '观众选择了：{winner}',
  'screen.votes': '{n} 票',
  'screen.defaultNote': '* 无人投票时选它（作者设定的默认选项）',
  'sim.title': '模拟观众',
  'sim.intro':
    '每位模拟观众都有自己的心跳：导演读取它，为每个人剪出不同的影片。影片结束后会重新开始。',
  'sim.viewer': '模拟观众 {n}',
  'sim.kind.jumpy': '胆小：很容易被吓到',
  'sim.kind.steady': '平稳：按作者预期被吓到',
  'sim.kind.unflappable': '镇定：很难被吓到',
  'sim.heart.strong': '心跳反应明显',
  'sim.heart.weak': '心跳反应轻微',
  'sim.run': '第 {n} 次观看',
  'sim.none': '没有模拟观众：请用 --simulate N 启动服务器。',
  'dashboard.title': 'Frisson — 控制台',
  'dashboard.key': '操作员密钥',
  'dashboard.connect': '连接',
  'dashboard.seats': '座位',
  'dashboard.inContact': '{total} 个座位中有 {n} 个接触良好',
  'dashboard.chart': '观众唤醒度与目标曲线',
  'dashboard.arousal': '观众唤醒度',
  'dashboard.target': '目标',
  'dashboard.upcoming': '即将决策',
  'dashboard.inSeconds': '{s} 秒后',
  'dashboard.vote': '投票：{branch}',
  'dashboard.voteCloses': '{s} 秒后截止',
  'dashboard.voteResult': '结果：{winner}（{rule}）',
  'dashboard.controls': '控制',
  'dashboard.force': '强制下一场景',
  'dashboard.pause': '暂停',
  'dashboard.resume': '继续',
  'dashboard.cap': '强度上限',
  'dashboard.end': '结束放映',
  'dashboard.paused': '已暂停',
  'dashboard.live': '放映中',
  'dashboard.ended': '已结束',
  'dashboard.noContact': '无接触',
  'dashboard.defaultNote': '* 作者设定的默认选项：无人投票或平票时选它',
  'dashboard.seatLegend': '每个方块是一个座位：绿色平静 → 红色惊恐；灰色虚线：无接触或校准中。',
  'report.title': 'Frisson — 观影报告',
  'report.heartRate': '心率（次/分）',
  'report.arousal': '唤醒度',
  'report.recap': '回顾',
  'report.recommend': '为你推荐',
  'report.decisions': '决策',
  'report.votes': '投票',
  'recap.watched': '你观看了《{title}》：共 {scenes}，{path}。',
  'recap.ending': '故事的结局是「{ending}」。',
  'recap.peakHr': '心率在「{scene}」中达到峰值 {bpm} 次/分。',
  'recap.peakArousal': '唤醒度在「{scene}」中达到峰值 {arousal}。',
  'recap.intensity': '导演选择更紧张的版本 {up}，选择更平缓的版本 {down}。',
  'recap.intensityNone': '导演全程保持同一个版本。',
  'recap.fallbacks': '备用选择器应答了 {n}。',
  'count.scenes.one': '1 个场景',
  'count.scenes.other': '{n} 个场景',
  'count.times.zero': '0 次',
  'count.times.one': '1 次',
  'count.times.two': '2 次',
  'count.times.other': '{n} 次',
  'report.noOtherStories': '片库里还没有其他故事。可以这样写一个：',
  'report.because': '因为「{tags}」让你心跳加速',
  'report.watchAgain': '再看一遍',
  'report.target': '作者设定的目标',
  'recap.vote': '在「{branch}」处，观众以 {votes} 票选择了「{winner}」（{rule}）。',
  'recap.noSamples': '本次观看没有保存心率数据。',
  'rule.majority': '多数票',
  'rule.no-votes-default': '无人投票：默认',
  'rule.tie-default': '平票：默认',
  'rule.tie-first-listed': '平票：按顺序第一个',
};

/** Every key with its English text (tests check the other tables against it). */
export const ENGLISH_STRINGS: Readonly<Record<StringKey, string>> = en;

const TABLES: Record<Locale, Partial<Record<StringKey, string>>> = { en, 'zh-CN': zhCN };

/** The whole table of `locale`. */
export function stringTable(locale: Locale): Readonly<Partial<Record<StringKey, string>>> {
  return TABLES[locale];
}

/**
 * A count with its noun, pluralised per language ("1 scene", "3 scenes", "once", "twice"; Chinese
 * has no plural: "3 个场景").
 * @example count('en', 'times', 1) // 'once'
 */
export function count(locale: Locale, unit: 'scenes' | 'times', n: number): string {
  if (unit === 'times' && n === 0) return t(locale, 'count.times.zero');
  if (unit === 'times' && n === 2) return t(locale, 'count.times.two');
  return n === 1 ? t(locale, `count.${unit}.one`) : t(locale, `count.${unit}.other`, { n });
}

/** `zh`, `zh-CN`, `zh-Hans` → zh-CN; everything else → en. */
export function resolveLocale(lang: string | null | undefined): Locale {
  return lang && /^zh/i.test(lang) ? 'zh-CN' : 'en';
}

/** Translates `key`, filling `{name}` placeholders from `params`. */
export function t(
  locale: Locale,
  key: StringKey,
  params: Record<string, string | number> = {},
): string {
  const template = TABLES[locale][key] ?? en[key];
  return template.replace(/\{(\w+)\}/g, (m, name: string) =>
    params[name] === undefined ? m : String(params[name]),
  );
}
