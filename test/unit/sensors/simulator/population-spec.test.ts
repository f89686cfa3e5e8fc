import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  drawFromRange,
  findPopulation,
  loadPopulationSpec,
  parsePopulationSpec,
  samplePopulation,
  type ParamRange,
  type PopulationSpec,
} from '../../../../sensors/simulator/population-spec.js';
import { BUILT_IN_POPULATIONS } from '../../../../sensors/simulator/population-presets.js';
import { NUMERIC_PARAMS, PARAM_BOUNDS } from '../../../../sensors/simulator/viewer-params.js';
import { ViewerSimulator } from '../../../../sensors/simulator/viewer-simulator.js';

const POPULATIONS_DIR = new URL('../../../../sensors/simulator/populations/', import.meta.url);

const bounds = (r: ParamRange): [number, number] =>
  typeof r === 'number' ? [r, r] : [r.min, r.max];

function parseError(text: string): string {
  const r = parsePopulationSpec(text, 'population.yaml');
  assert.equal(r.success, false, `accepted: ${text}`);
  return r.success ? '' : r.error.message;
}

describe('samplePopulation', () => {
  it('should draw deterministic, valid params within each built-in population’s ranges', () => {
    for (const spec of Object.values(BUILT_IN_POPULATIONS)) {
      const a = samplePopulation(42, 100, spec);
      assert.deepEqual(a, samplePopulation(42, 100, spec));
      assert.notDeepEqual(a, samplePopulation(43, 100, spec));
      assert.equal(new Set(a.map((p) => p.seed)).size, 100);
      for (const p of a) {
        for (const name of NUMERIC_PARAMS) {
          if (['badStartS', 'badStartHrBpm'].includes(name) && p.badStartS === 0) continue;
          if (
            ['edaPhasicReactivity', 'edaTonicReactivity', 'nsScrPerMin'].includes(name) &&
            p[name] === 0
          )
            continue; // EDA non-responders
          const [lo, hi] = bounds(spec.params[name]);
          assert.ok(
            p[name] >= lo && p[name] <= hi,
            `${spec.name} ${name} ${p[name]} ∉ [${lo}, ${hi}]`,
          );
        }
        assert.doesNotThrow(() => new ViewerSimulator(p));
      }
    }
    // The default population is the default.
    assert.deepEqual(samplePopulation(5, 3), samplePopulation(5, 3, BUILT_IN_POPULATIONS.default));
  });

  it('should give a bad start, an EDA seat and no skin responses by their probabilities', () => {
    const spec = (badStartProb: number, edaProbability: number): PopulationSpec => ({
      ...BUILT_IN_POPULATIONS.default,
      badStartProb,
      edaProbability,
      edaNonResponderProb: 0.25,
    });
    assert.ok(samplePopulation(1, 200, spec(0, 0)).every((p) => p.badStartS === 0 && !p.hasEda));
    assert.ok(samplePopulation(1, 200, spec(1, 1)).every((p) => p.badStartS >= 5 && p.hasEda));
    const mixed = samplePopulation(1, 1000, spec(0.3, 0.6));
    const bad = mixed.filter((p) => p.badStartS > 0).length;
    const eda = mixed.filter((p) => p.hasEda).length;
    const silent = mixed.filter((p) => p.edaPhasicReactivity === 0 && p.nsScrPerMin === 0).length;
    assert.ok(bad > 250 && bad < 350, `${bad} bad starts of 1000`);
    assert.ok(eda > 550 && eda < 650, `${eda} EDA seats of 1000`);
    assert.ok(silent > 200 && silent < 300, `${silent} non-responders of 1000`);
  });

  it('should draw truncated normals and lognormals by quantile, clipped to the parameter bounds', () => {
    const n = { dist: 'normal', mean: 70, sd: 10, min: 60, max: 75 } as const;
    assert.ok(Math.abs(drawFromRange(n, 0) - 60) < 1e-3);
    assert.ok(Math.abs(drawFromRange(n, 1 - 1e-12) - 75) < 1e-3);
    const mid = drawFromRange(n, 0.5);
    assert.ok(mid > 60 && mid < 70, `median of the truncated normal ${mid}`);
    const ln = { dist: 'lognormal', median: 50, sdLog: 0.5, min: 1, max: 1000 } as const;
    assert.ok(Math.abs(drawFromRange(ln, 0.5) - 50) < 1e-3);
    assert.ok(Math.abs(drawFromRange({ dist: 'loguniform', min: 1, max: 100 }, 0.5) - 10) < 1e-9);
    // A range reaching below an allowed bound (widened by 30 %) is clipped there when drawn.
    const wide: PopulationSpec = {
      ...BUILT_IN_POPULATIONS.default,
      params: {
        ...BUILT_IN_POPULATIONS.default.params,
        artifactRate: { dist: 'uniform', min: -0.006, max: 0.026 },
      },
    };
    const rates = samplePopulation(3, 300, wide).map((p) => p.artifactRate);
    assert.ok(rates.every((x) => x >= PARAM_BOUNDS.artifactRate[0] && x <= 0.026));
    assert.ok(rates.filter((x) => x === 0).length > 20, 'the tail below 0 is clipped to 0');
  });

  it('should reject a negative count', () => {
    assert.throws(() => samplePopulation(1, -1), RangeError);
  });
});

describe('population files', () => {
  it('should ship the built-in populations as YAML, identical to them', () => {
    const files = readdirSync(POPULATIONS_DIR)
      .filter((f) => f.endsWith('.yaml'))
      .sort();
    // The built-ins, plus `stretched.yaml`: a file-only stress population (evaluated on, never
    // trained or tuned on), which must load.
    assert.deepEqual(files, [
      'default.yaml',
      'low-reactivity.yaml',
      'noisy-sensors.yaml',
      'stretched.yaml',
    ]);
    for (const f of files) {
      const r = loadPopulationSpec(new URL(f, POPULATIONS_DIR).pathname);
      assert.ok(r.success, r.success ? '' : r.error.message);
      const name = f.replace('.yaml', '');
      if (name === 'stretched') {
        assert.equal(r.data.name, 'stretched');
        continue;
      }
      assert.deepEqual(r.data, BUILT_IN_POPULATIONS[name as keyof typeof BUILT_IN_POPULATIONS]);
    }
  });

  it('should parse YAML and JSON, fill gaps from the population extended, accept fixed values', () => {
    const r = parsePopulationSpec(
      [
        'extends: low-reactivity',
        'params:',
        '  cardiacReactivity: { dist: normal, mean: 2, sd: 1, min: 0, max: 4 }',
        '  noiseMs: 3',
        'badStartProb: 0',
      ].join('\n'),
      'dir/crowd.yaml',
    );
    assert.ok(r.success, r.success ? '' : r.error.message);
    assert.equal(r.data.name, 'crowd', 'named after the file');
    assert.equal(r.data.params.noiseMs, 3);
    assert.equal(
      r.data.params.vagalReactivity,
      BUILT_IN_POPULATIONS['low-reactivity'].params.vagalReactivity,
    );
    assert.equal(r.data.badStartProb, 0);
    assert.equal(r.data.edaProbability, 1);
    const j = parsePopulationSpec('{"name":"j","params":{"tauS":12}}', 'j.json');
    assert.ok(j.success);
    assert.equal(j.data.params.tauS, 12);
    assert.deepEqual(j.data.params.delayS, BUILT_IN_POPULATIONS.default.params.delayS);
    assert.ok(parsePopulationSpec('', 'empty.yaml').success, 'an empty file is the default');
  });

  it('should refuse bad files with one path-qualified line', () => {
    const cases: Array<[string, RegExp]> = [
      [
        'params:\n  cardiacReactivity: { dist: uniform, min: 5, max: 1 }',
        /^population\.yaml: params\.cardiacReactivity\.max: must be ≥ min$/,
      ],
      [
        'params:\n  cardiacReactivty: 3',
        /^population\.yaml: params: unknown parameter cardiacReactivty$/,
      ],
      [
        'params:\n  noiseMs: -1',
        /^population\.yaml: params\.noiseMs: -1 is outside the allowed 0–200$/,
      ],
      [
        'params:\n  tauS: { dist: uniform, min: 200, max: 300 }',
        /^population\.yaml: params\.tauS: 200–300 lies outside the allowed 0\.1–120$/,
      ],
      ['params:\n  tauS: { dist: gamma, min: 1, max: 2 }', /^population\.yaml: params\.tauS: /],
      ['params:\n  tauS: { dist: uniform, min: 1 }', /^population\.yaml: params\.tauS/],
      ['params:\n  susceptibility: { dist: loguniform, min: 0, max: 1 }', /params\.susceptibility/],
      ['badStartProb: 1.5', /^population\.yaml: badStartProb: /],
      ['extends: nervous', /^population\.yaml: extends: /],
      ['colour: red', /^population\.yaml: \(root\): unknown field colour$/],
      ['params: [1, 2', /^population\.yaml: not YAML\/JSON: /],
    ];
    for (const [text, re] of cases) {
      const msg = parseError(text);
      assert.match(msg, re);
      assert.ok(!msg.includes('\n'), `one line: ${msg}`);
    }
  });

  it('should find populations by name or path, and name what is wrong otherwise', () => {
    assert.equal(findPopulation('low-reactivity').success, true);
    const unknown = findPopulation('nervous');
    assert.equal(unknown.success, false);
    if (!unknown.success) {
      assert.equal(
        unknown.error.message,
        'unknown population nervous: use default, low-reactivity, noisy-sensors or the path of a .yaml/.json file',
      );
    }
    const dir = mkdtempSync(join(tmpdir(), 'frisson-pop-'));
    try {
      const file = join(dir, 'wide.yaml');
      writeFileSync(
        file,
        'params:\n  cardiacReactivity: { dist: uniform, min: -4.5, max: 19.5 }\n',
      );
      const r = findPopulation(file);
      assert.ok(r.success, r.success ? '' : r.error.message);
      assert.equal(r.data.name, 'wide');
      const missing = loadPopulationSpec(join(dir, 'nope.yaml'));
      assert.equal(missing.success, false);
      if (!missing.success)
        assert.equal(
          missing.error.message,
          `${join(dir, 'nope.yaml')}: cannot read (no such file)`,
        );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
