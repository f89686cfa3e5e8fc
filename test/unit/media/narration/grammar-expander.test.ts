import assert from 'node:assert/strict';
import { GrammarExpander } from '../../../../media/narration/grammar-expander.js';
import { createSeededRandom } from '../../../../contracts/random.js';

const random = (): (() => number) => createSeededRandom('expander');

describe('GrammarExpander', () => {
  it('should expand nested symbols', () => {
    const g = new GrammarExpander(
      { origin: ['#a# and #b#'], a: ['#c#'], b: ['bee'], c: ['sea'] },
      { random: random() },
    );
    assert.equal(g.flatten(), 'sea and bee');
  });

  it('should apply Tracery modifiers in order', () => {
    const g = new GrammarExpander(
      {
        origin: ['#x.capitalize# #y.a# #z.s# #w.ed# #v.capitalizeAll#'],
        x: ['door'],
        y: ['owl'],
        z: ['body'],
        w: ['creak'],
        v: ['the long hall'],
      },
      { random: random() },
    );
    assert.equal(g.flatten(), 'Door an owl bodies creaked The Long Hall');
  });

  it('should push, scope and pop actions', () => {
    const g = new GrammarExpander(
      { origin: ['[hero:#name#]#hero# met #hero#. #[hero:Bo]hero# / #hero#'], name: ['Ann'] },
      { random: random() },
    );
    assert.equal(g.flatten(), 'Ann met Ann. Bo / Ann');
    const popped = new GrammarExpander(
      { origin: ['[x:one]#x#[x:POP]#x#'], x: ['base'] },
      { random: random() },
    );
    assert.equal(popped.flatten(), 'onebase');
  });

  it('should keep escaped syntax characters literal', () => {
    const g = new GrammarExpander({ origin: ['\\#1 \\[not an action\\]'] }, { random: random() });
    assert.equal(g.flatten(), '#1 [not an action]');
  });

  it('should mark missing symbols and record them', () => {
    const g = new GrammarExpander({ origin: ['a #nope# b'] }, { random: random() });
    assert.equal(g.flatten(), 'a ((nope)) b');
    assert.deepEqual([...g.missing], ['nope']);
  });

  it('should stop self-recursive grammars at the depth limit', () => {
    const g = new GrammarExpander({ origin: ['x#origin#'] }, { random: random(), maxDepth: 5 });
    const out = g.flatten();
    assert.ok(g.depthExceeded);
    assert.ok(out.length <= 6, out);
  });

  it('should pick every alternative over many seeds', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 100; i++) {
      seen.add(
        new GrammarExpander(
          { origin: ['a', 'b', 'c'] },
          { random: createSeededRandom(i) },
        ).flatten(),
      );
    }
    assert.deepEqual([...seen].sort(), ['a', 'b', 'c']);
  });
});
