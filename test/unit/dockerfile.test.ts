/**
 * The Dockerfile cannot be built here (no Docker engine in CI or on the development machines), so
 * its invariants are checked by reading it: a build stage and a smaller runtime stage, the README's
 * quick-start steps, production dependencies only at run time, an unprivileged user, a health
 * check on a route the server really serves, and nothing copied that does not exist.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { before, describe, it } from 'mocha';
import { REPO_DIR } from '../support/processes.js';

interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

interface Stage {
  image: string;
  name?: string;
  instructions: Instruction[];
}

/** Instructions grouped by stage: continuation lines joined, comments dropped. */
function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const first = (lines[i] ?? '').trim();
    if (first === '' || first.startsWith('#')) continue;
    const line = i + 1;
    let body = first;
    while (body.endsWith('\\') && i + 1 < lines.length) {
      i += 1;
      const next = (lines[i] ?? '').trim();
      body = body.slice(0, -1).trimEnd();
      if (!next.startsWith('#')) body += ` ${next}`;
    }
    const [keyword = '', ...rest] = body.split(/\s+/);
    const args = rest.join(' ');
    if (keyword.toUpperCase() === 'FROM') {
      const m = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
      assert.ok(m, `line ${line}: FROM ${args}`);
      stages.push({ image: m[1] ?? '', ...(m[2] ? { name: m[2] } : {}), instructions: [] });
      continue;
    }
    const stage = stages[stages.length - 1];
    assert.ok(stage, `line ${line}: ${keyword} before FROM`);
    stage.instructions.push({ keyword: keyword.toUpperCase(), args, line });
  }
  return stages;
}

const all = (stage: Stage, keyword: string): Instruction[] =>
  stage.instructions.filter((i) => i.keyword === keyword);

/** The shell commands of a stage's RUN instructions, split at `&&`. */
const commands = (stage: Stage): string[] =>
  all(stage, 'RUN').flatMap((r) => r.args.split('&&').map((c) => c.trim()));

/** `npm …` invocations, without leading `VAR=value` assignments. */
const npmCommands = (stage: Stage): string[] =>
  commands(stage)
    .map((c) => c.replace(/^(?:[A-Z_]+=\S+\s+)+/, ''))
    .filter((c) => c.startsWith('npm '));

/** The lines of a README section (from its heading to the next heading of the same or higher level). */
function readmeSection(readme: string, title: string): string | undefined {
  const lines = readme.split('\n');
  const start = lines.findIndex((l) => /^#{1,6} /.test(l) && l.replace(/^#+ /, '') === title);
  if (start < 0) return undefined;
  const level = (lines[start] ?? '').indexOf(' ');
  const end = lines.findIndex((l, i) => i > start && /^#{1,6} /.test(l) && l.indexOf(' ') <= level);
  return lines.slice(start, end < 0 ? undefined : end).join('\n');
}

async function serverSources(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await serverSources(path)));
    else if (entry.name.endsWith('.ts')) out.push(await readFile(path, 'utf8'));
  }
  return out;
}

describe('Dockerfile', () => {
  let text = '';
  let stages: Stage[] = [];
  let build: Stage;
  let runtime: Stage;
  let readme = '';
  let startScript = '';

  before(async () => {
    text = await readFile(join(REPO_DIR, 'Dockerfile'), 'utf8');
    stages = parseDockerfile(text);
    readme = await readFile(join(REPO_DIR, 'README.md'), 'utf8');
    const pkg = JSON.parse(await readFile(join(REPO_DIR, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    startScript = pkg.scripts.start ?? '';
    runtime = stages[stages.length - 1] as Stage;
    build = stages.find((s) => npmCommands(s).includes('npm run build')) as Stage;
  });

  it('should refer to a README section that exists', () => {
    const named = [...text.matchAll(/README's "([^"]+)" section/g)].map((m) => m[1] ?? '');
    assert.ok(named.length > 0, 'the Dockerfile should say which README steps it follows');
    for (const title of named) {
      assert.ok(readmeSection(readme, title), `README.md has no "${title}" section`);
    }
  });

  it('should build in one stage and run from another, smaller one', () => {
    assert.ok(stages.length >= 2, `${stages.length} stage(s): build tools would ship`);
    assert.ok(build, 'no stage runs `npm run build`');
    assert.notEqual(build, runtime, 'the runtime stage builds');
    assert.ok(build.name, 'the build stage needs a name for COPY --from');
    assert.equal(runtime.image, build.image, 'native addons must run on the image they built on');
    const installs = commands(runtime).join(' ');
    for (const tool of ['g++', 'make', 'python3']) {
      assert.ok(!installs.includes(tool), `the runtime stage installs ${tool}`);
    }
  });

  it("should run the README's quick-start steps", () => {
    const quickStart = readmeSection(readme, 'Quick start') ?? '';
    assert.match(quickStart, /npm ci && npm start/);
    const [buildStep, serveStep] = startScript.split('&&').map((s) => s.trim());
    assert.match(buildStep ?? '', /^npm run (--silent )?build$/, startScript);
    const npm = npmCommands(build);
    assert.equal(npm[0], 'npm ci', 'dependencies first, exactly as the lock file says');
    assert.ok(npm.indexOf('npm run build') > 0, 'then `npm run build`');
    // `npm start` serves with `node <flags> dist/tools/cli.js serve --demo`; the image runs the
    // same command with the flags in NODE_OPTIONS.
    const words = (serveStep ?? '').split(/\s+/);
    const script = words.findIndex((w) => w.endsWith('.js'));
    const flags = words.slice(1, script);
    const command = [words[0], ...words.slice(script)];
    const cmd = all(runtime, 'CMD').pop();
    assert.ok(cmd, 'no CMD');
    assert.deepEqual(JSON.parse(cmd.args), command);
    const env = all(runtime, 'ENV')
      .map((e) => e.args)
      .join(' ');
    for (const flag of flags) {
      assert.match(
        env,
        new RegExp(`NODE_OPTIONS=\\S*${flag}`),
        `${flag} missing from NODE_OPTIONS`,
      );
    }
  });

  it("should skip onnxruntime-node's CUDA download on every npm ci (npm 10 ignores allowScripts)", () => {
    const npmCi = stages.flatMap(commands).filter((c) => / npm ci\b|^npm ci\b/.test(c));
    assert.ok(npmCi.length > 0);
    for (const c of npmCi) assert.match(c, /^ONNXRUNTIME_NODE_INSTALL=skip npm ci\b/, c);
  });

  it('should give the runtime stage production dependencies only', () => {
    const own = npmCommands(runtime);
    const copies = all(runtime, 'COPY');
    assert.ok(
      !copies.some((c) => !c.args.startsWith('--from') && /^\.\s/.test(c.args)),
      'the runtime stage copies the whole build context',
    );
    const modules = copies.find((c) => /\snode_modules\s|\/node_modules\s/.test(`${c.args} `));
    if (!modules) {
      assert.ok(own.includes('npm ci --omit=dev'), 'runtime node_modules: npm ci --omit=dev');
      return;
    }
    const from = /--from=(\S+)/.exec(modules.args)?.[1];
    const source = stages.find((s) => s.name === from);
    assert.ok(source, `node_modules copied from an unknown stage "${from}"`);
    // The last npm command that shapes node_modules there must drop the devDependencies.
    const shaping = npmCommands(source).filter((c) => /^npm (ci|install|prune)\b/.test(c));
    assert.match(shaping[shaping.length - 1] ?? '', /^npm (ci|prune) --omit=dev$/);
  });

  it('should run as an unprivileged user that owns its data volume', () => {
    const user = all(runtime, 'USER').pop();
    assert.ok(user, 'no USER: the server would run as root');
    assert.ok(!['root', '0', '0:0'].includes(user.args), `USER ${user.args}`);
    const cmd = all(runtime, 'CMD').pop();
    assert.ok(cmd && user.line < cmd.line);
    const name = user.args.split(':')[0] ?? '';
    // COPY --from leaves files owned by root with their modes: an owner-only executable (the npm
    // ffprobe binary is rwxr--r--) would not run for the unprivileged user.
    const modules = all(runtime, 'COPY').find((c) => /node_modules\s/.test(`${c.args} `));
    if (modules && !modules.args.includes(`--chown=${name}`)) {
      const from = /--from=(\S+)/.exec(modules.args)?.[1];
      const source = stages.find((s) => s.name === from) as Stage;
      assert.ok(
        commands(source).some((c) => /^chmod -R a\+rX node_modules$/.test(c)),
        'node_modules must be made readable and executable for all (chmod -R a+rX)',
      );
    }
    for (const volume of all(runtime, 'VOLUME')) {
      const dir = volume.args.replace(/^\["?|"?\]$/g, '');
      assert.ok(
        commands(runtime).some((c) => c.includes(`chown ${name}`) && c.includes(dir)),
        `${dir} is not owned by ${name}`,
      );
    }
  });

  it('should check health on a route the server serves', async () => {
    const checks = all(runtime, 'HEALTHCHECK');
    assert.equal(checks.length, 1, 'one HEALTHCHECK in the runtime stage');
    const route = /\/(healthz|readyz)\b/.exec(checks[0]?.args ?? '')?.[0];
    assert.ok(route, `the health check asks no known route: ${checks[0]?.args}`);
    const sources = await serverSources(join(REPO_DIR, 'server'));
    assert.ok(
      sources.some((s) => s.includes(`.get('${route}'`)),
      `the server has no ${route} route`,
    );
    // node:20-slim has neither curl nor wget.
    assert.doesNotMatch(checks[0]?.args ?? '', /\b(curl|wget)\b/);
  });

  it('should give the first start time to render the demo film before health counts', () => {
    const args = all(runtime, 'HEALTHCHECK')[0]?.args ?? '';
    const period = /--start-period=(\d+)s/.exec(args)?.[1];
    // The first start renders the five-minute demo film: up to 5 minutes on two cores (issue 21).
    assert.ok(
      Number(period) >= 300,
      `start period ${period ?? 'none'} s: the demo render takes minutes`,
    );
  });

  it('should copy only files that exist in the repository or the build output', () => {
    for (const stage of stages) {
      for (const copy of all(stage, 'COPY')) {
        const words = copy.args.split(/\s+/).filter((w) => !w.startsWith('--'));
        const sources = words.slice(0, -1);
        const from = /--from=(\S+)/.exec(copy.args)?.[1];
        for (const src of sources) {
          const rel = from ? src.replace(/^\/app\/?/, '') : src;
          const built = from !== undefined && /^(dist|node_modules)(\/|$)/.test(rel);
          assert.ok(
            built || existsSync(join(REPO_DIR, rel)),
            `line ${copy.line}: COPY ${src} does not exist`,
          );
        }
      }
    }
  });

  it('should keep dependencies, build output, data and .git out of the build context', async () => {
    const ignored = (await readFile(join(REPO_DIR, '.dockerignore'), 'utf8')).split('\n');
    for (const entry of ['node_modules', 'dist', 'data', '.git']) {
      assert.ok(ignored.includes(entry), `.dockerignore lacks ${entry}`);
    }
  });
});
