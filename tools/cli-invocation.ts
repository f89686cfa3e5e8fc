/**
 * How the user started this CLI, so error messages print commands they can paste as they are:
 * `frisson` when run through the installed bin, `npm run frisson --` under an npm script
 * (`npm start`, `npm run frisson`), otherwise the node command line itself.
 */
import { basename, relative } from 'node:path';

/**
 * @example
 *   cliInvocation({ npm_lifecycle_event: 'start' }, ['node', 'dist/tools/cli.js']);
 *   // 'npm run frisson --'
 */
export function cliInvocation(
  env: NodeJS.ProcessEnv = process.env,
  argv: readonly string[] = process.argv,
  execArgv: readonly string[] = process.execArgv,
  cwd: string = process.cwd(),
): string {
  if (env.npm_lifecycle_event) return 'npm run frisson --';
  const script = argv[1] ?? '';
  if (basename(script) === 'frisson' || script === '') return 'frisson';
  const node = basename(argv[0] ?? 'node') === 'node' ? 'node' : (argv[0] ?? 'node');
  return [node, ...execArgv, relative(cwd, script) || script].join(' ');
}
