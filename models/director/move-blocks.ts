/**
 * Move blocking, the plan space both personalisation planners search (receding-horizon control):
 * a plan is a few moves, each held for a block of segments — by default the next segment, the two
 * after, then held to the look-ahead — and every assignment of the candidate levels to the moves
 * is scored (levels^moves plans: 64 for 4 levels and 3 moves).
 */

/** Where each move starts, in segments from now: `[0, b₁, b₁ + b₂, …]` (one more than `blocks`). */
export function moveStarts(blocks: readonly number[]): number[] {
  const starts = [0];
  for (const b of blocks) starts.push((starts[starts.length - 1] ?? 0) + b);
  return starts;
}

/**
 * Calls `visit` with every assignment of `levels` to `moves` moves, first move slowest-varying
 * last (code order). The array passed is reused between calls: copy it to keep it.
 */
export function forEachPlan(
  levels: readonly number[],
  moves: number,
  visit: (plan: readonly number[]) => void,
): void {
  const plan = new Array<number>(moves).fill(0);
  const total = Math.pow(levels.length, moves);
  for (let code = 0; code < total; code++) {
    let c = code;
    for (let m = moves - 1; m >= 0; m--) {
      plan[m] = levels[c % levels.length] ?? 0;
      c = Math.floor(c / levels.length);
    }
    visit(plan);
  }
}
