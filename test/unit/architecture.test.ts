/**
 * The walls between the rooms hold: `npm run lint` (eslint.config.js: boundaries, import-x/no-cycle,
 * no-restricted-imports) fails on a forbidden import. Probe files are written into the real tree,
 * linted with the repository's own config through ESLint's Node API (only these files), and removed
 * again.
 */
import assert from 'node:assert/strict';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';

const root = fileURLToPath(new URL('../../', import.meta.url));

interface Probe {
  /** Path inside the repository. */
  file: string;
  text: string;
}

/** Lints the probes with the repository's eslint.config.js; the files are gone afterwards. */
async function lintProbes(probes: Probe[]): Promise<Map<string, string[]>> {
  const paths = probes.map((p) => join(root, p.file));
  try {
    await Promise.all(probes.map((p, i) => writeFile(paths[i]!, p.text)));
    const eslint = new ESLint({ cwd: root });
    const results = await eslint.lintFiles(paths);
    return new Map(
      results.map((r) => [
        r.filePath,
        r.messages.map((m) => `${m.ruleId ?? 'parse'}: ${m.message}`),
      ]),
    );
  } finally {
    await Promise.all(paths.map((p) => rm(p, { force: true })));
  }
}

describe('architecture (the lint walls)', function () {
  // One ESLint run with type information over a few small files.
  this.timeout(60_000);

  it('should fail the lint on a forbidden import and pass an allowed one', async () => {
    const tag = `${process.pid}`;
    const forbidden = `sensors/signal/__lint_probe_${tag}_forbidden__.ts`;
    const nodeInContracts = `contracts/__lint_probe_${tag}_node__.ts`;
    const upstairs = `server/show/__lint_probe_${tag}_upstairs__.ts`;
    const cycleA = `sensors/signal/__lint_probe_${tag}_cycle_a__.ts`;
    const cycleB = `sensors/signal/__lint_probe_${tag}_cycle_b__.ts`;
    const allowed = `sensors/signal/__lint_probe_${tag}_allowed__.ts`;
    const name = (file: string): string => file.slice(file.lastIndexOf('/') + 1, -3);
    const messages = await lintProbes([
      {
        // The sensor stage reaching into the server: an arrow that runs back up.
        file: forbidden,
        text: "import { loadConfig } from '../../server/config.js';\n\nexport const probe = loadConfig;\n",
      },
      {
        // Contracts are shared with the browser: no Node, no stage.
        file: nodeInContracts,
        text: "import { readFileSync } from 'node:fs';\n\nexport const probe = readFileSync;\n",
      },
      {
        // Inside a stage, a folder imports only the layers below it: show/ is below hub/ (the
        // hub ↔ show folder cycle of issue 19 cannot come back).
        file: upstairs,
        text: "import { attachSeatNamespace } from '../hub/seat-namespace.js';\n\nexport const probe = attachSeatNamespace;\n",
      },
      {
        // Two files importing each other (import-x/no-cycle).
        file: cycleA,
        text: `import { b } from './${name(cycleB)}.js';\n\nexport const a = (): number => b() + 1;\n`,
      },
      {
        file: cycleB,
        text: `import { a } from './${name(cycleA)}.js';\n\nexport const b = (): number => a() - 1;\n`,
      },
      {
        // sensors → contracts is an arrow of docs/design.md.
        file: allowed,
        text: "import { EDGE_BPM } from '../../contracts/limits.js';\n\nexport const probe = EDGE_BPM.max;\n",
      },
    ]);
    const of = (file: string): string[] => messages.get(join(root, file)) ?? ['(not linted)'];
    assert.equal(of(forbidden).length, 1, of(forbidden).join('\n'));
    assert.match(of(forbidden)[0]!, /^boundaries\/dependencies: .*"sensors\/signal".*"server"/);
    assert.equal(of(nodeInContracts).length, 1, of(nodeInContracts).join('\n'));
    assert.match(of(nodeInContracts)[0]!, /^no-restricted-imports: 'node:fs'/);
    assert.equal(of(upstairs).length, 1, of(upstairs).join('\n'));
    assert.match(of(upstairs)[0]!, /^boundaries\/dependencies: .*"server\/show".*"server\/hub"/);
    assert.deepEqual(of(cycleA), ['import-x/no-cycle: Dependency cycle detected']);
    assert.deepEqual(of(allowed), []);
  });
});
