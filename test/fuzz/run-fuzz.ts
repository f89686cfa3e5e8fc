/**
 * `npm run test:fuzz [-- --runs N] [-- --seed S]`: runs the fuzz suite (test/fuzz) with N cases in
 * total (default 10,000, FUZZ_RUNS) and a fixed seed (FUZZ_SEED), through mocha like every suite.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

const args = process.argv.slice(2);
const env = { ...process.env };
const passthrough: string[] = [];
for (let i = 0; i < args.length; i++) {
  const a = args[i] ?? '';
  const m = /^--(runs|seed)(?:=(.*))?$/.exec(a);
  if (!m) {
    passthrough.push(a);
    continue;
  }
  const value = m[2] ?? args[++i];
  if (value === undefined || !/^\d+$/.test(value)) {
    process.stderr.write(`test:fuzz: --${m[1]} takes a positive whole number\n`);
    process.exit(2);
  }
  env[m[1] === 'runs' ? 'FUZZ_RUNS' : 'FUZZ_SEED'] = value;
}

const mocha = createRequire(import.meta.url).resolve('mocha/bin/mocha.js');
const child = spawn(
  process.execPath,
  [mocha, '--timeout', '0', 'test/fuzz/**/*.test.ts', ...passthrough],
  { stdio: 'inherit', env },
);
child.on('exit', (code, signal) => {
  process.exitCode = code ?? (signal ? 1 : 0);
});
