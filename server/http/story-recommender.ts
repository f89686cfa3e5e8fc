/**
 * Which stories suit a viewer, from how they responded to tagged scenes.
 *
 * Scoring (documented in docs/venues.md, "Reports"):
 *   1. response(tag) = mean over the viewer's decisions in scenes carrying `tag` of
 *      (arousal at that decision − the viewer's mean arousal over the whole viewing);
 *      a positive value means the tag moved them more than their average.
 *   2. score(story) = Σ_tags count(tag in story's scenes) · response(tag) / Σ_tags count(tag),
 *      tags the viewer never saw count 0 (no evidence either way).
 *   3. Stories are ranked by score; `why` names the tags that contributed most.
 * Simple on purpose: a handful of decisions per scene is all the evidence one viewing gives.
 */
import type { Recommendation } from '../../contracts/report.js';
import type { PackagedStory } from '../../contracts/story.js';

export interface TaggedDecision {
  scene: string;
  arousal: number;
}

export function tagResponses(
  story: PackagedStory,
  decisions: readonly TaggedDecision[],
): Map<string, number> {
  const out = new Map<string, number>();
  if (decisions.length === 0) return out;
  const mean = decisions.reduce((s, d) => s + d.arousal, 0) / decisions.length;
  const sums = new Map<string, { sum: number; n: number }>();
  for (const d of decisions) {
    for (const tag of story.scenes[d.scene]?.tags ?? []) {
      const acc = sums.get(tag) ?? { sum: 0, n: 0 };
      acc.sum += d.arousal - mean;
      acc.n++;
      sums.set(tag, acc);
    }
  }
  for (const [tag, { sum, n }] of sums) out.set(tag, sum / n);
  return out;
}

export function recommendStories(
  responses: ReadonlyMap<string, number>,
  library: readonly PackagedStory[],
): Recommendation[] {
  return library
    .map((story) => {
      const counts = new Map<string, number>();
      for (const scene of Object.values(story.scenes)) {
        for (const tag of scene.tags) counts.set(tag, (counts.get(tag) ?? 0) + 1);
      }
      let total = 0;
      let weighted = 0;
      const parts: Array<[string, number]> = [];
      for (const [tag, n] of counts) {
        total += n;
        const r = responses.get(tag) ?? 0;
        weighted += n * r;
        if (r !== 0) parts.push([tag, n * r]);
      }
      parts.sort((a, b) => b[1] - a[1]);
      return {
        storyId: story.id,
        title: story.title,
        score: total > 0 ? weighted / total : 0,
        why: parts
          .filter(([, v]) => v > 0)
          .slice(0, 3)
          .map(([tag]) => tag),
      };
    })
    .sort((a, b) => b.score - a.score);
}
