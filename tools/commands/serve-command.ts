/**
 * `frisson serve`: checks the story directory, binds the port, prepares the story (renders or
 * updates the demo, refuses a stale package), then assembles the server (server/app.ts); with
 * `--simulate N` also drives N simulated viewers (tools/simulate.ts) through the hub.
 */
import type { Command } from 'commander';
import { prepareStoryForServing } from '../../media/prepare-story-for-serving.js';
import { createFrissonServer, type FrissonServer } from '../../server/app.js';
import { bindStartingServer, createHttpServer } from '../../server/bind-port.js';
import { cliInvocation } from '../cli-invocation.js';
import { loadConfig } from '../../server/config.js';
import { startSimulatedViewers, type SimulatedViewer } from '../simulate.js';
import { checkStoryDir } from '../../server/story-library.js';

interface ServeFlags {
  port?: string;
  host?: string;
  db?: string;
  story?: string;
  picker?: string;
  horizon?: string;
  logLevel?: string;
  logFormat?: string;
  demo?: boolean;
  simulate?: string;
}

/** Past this, a shutdown that has not finished exits anyway (a stuck close must not hang). */
const SHUTDOWN_GRACE_MS = 10_000;

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('serve a story: player page, REST API, socket.io hub and per-session live HLS')
    .option('-p, --port <port>', 'HTTP port (FRISSON_PORT, default 8080; 0 = any free port)')
    .option('--host <host>', 'bind address (FRISSON_HOST, default 127.0.0.1)')
    .option('--db <file>', 'SQLite database file (FRISSON_DB, default data/frisson.db)')
    .option('--story <dir>', 'story package directory (FRISSON_STORY, default data/demo)')
    .option('--picker <name>', 'threshold | fixed | director (FRISSON_PICKER)')
    .option('--horizon <seconds>', 'seconds published ahead of the playhead (FRISSON_HORIZON)')
    .option('--log-level <level>', 'pino level (FRISSON_LOG_LEVEL)')
    .option(
      '--log-format <format>',
      'auto | json | pretty (FRISSON_LOG_FORMAT; auto: readable at a terminal, JSON otherwise)',
    )
    .option(
      '--demo',
      'render the demo story on first start when the story directory is the demo\'s (named "demo", e.g. data/demo)',
    )
    .option('--simulate <n>', 'also drive N simulated viewers through the hub')
    .action(async (flags: ServeFlags) => {
      const cfg = loadConfig({
        port: flags.port,
        host: flags.host,
        db: flags.db,
        story: flags.story,
        picker: flags.picker,
        horizon: flags.horizon,
        logLevel: flags.logLevel,
        logFormat: flags.logFormat,
      });
      const simulate = flags.simulate ? Number(flags.simulate) : 0;
      if (!Number.isInteger(simulate) || simulate < 0)
        throw new Error('--simulate takes a whole number');
      const plan = await checkStoryDir(cfg.story, {
        demo: flags.demo === true,
        cli: cliInvocation(),
      });
      // The port first: a busy port fails now, before the demo is rendered or the store opened.
      const http = createHttpServer(cfg);
      await bindStartingServer(http, cfg.port, cfg.host);
      let server: FrissonServer;
      try {
        // Never serve a dist/ older than its sources; the demo is (re-)rendered when it is missing
        // or out of date (checkStoryDir above only lets --demo render into the demo's own directory).
        await prepareStoryForServing(cfg.story, {
          demo: plan === 'render-demo' || flags.demo === true,
          notice: (l) => process.stdout.write(l),
        });
        server = await createFrissonServer(cfg, { http });
      } catch (err) {
        // Whatever half-started (store, model, Redis) may hold the event loop: report and leave.
        process.stderr.write(`frisson: ${err instanceof Error ? err.message : String(err)}\n`);
        http.close();
        process.exit(1);
      }
      const url = await server.listen();
      let sims: SimulatedViewer[] = [];
      const stop = (signal: NodeJS.Signals): void => {
        server.log.info({ signal }, 'shutting down');
        setTimeout(() => {
          process.stderr.write(
            `frisson: shutdown took over ${SHUTDOWN_GRACE_MS / 1000} s; exiting anyway\n`,
          );
          process.exit(1);
        }, SHUTDOWN_GRACE_MS).unref();
        sims.forEach((s) => s.close());
        server.close().then(
          () => process.exit(0),
          (err: unknown) => {
            process.stderr.write(`frisson: shutdown failed: ${String(err)}\n`);
            process.exit(1);
          },
        );
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      process.stdout.write(`\nFrisson is serving "${server.story.title}" from ${cfg.story}\n`);
      process.stdout.write(`  Player:  ${url}/\n`);
      if (simulate > 0) {
        sims = await startSimulatedViewers({
          baseUrl: url,
          story: server.story,
          count: simulate,
          onSession: (i, session) =>
            process.stdout.write(
              `  Simulated viewer ${i + 1} started a new story: ${session.playerUrl}\n`,
            ),
        });
        sims.forEach((s, i) =>
          process.stdout.write(`  Simulated viewer ${i + 1}: ${s.session.playerUrl}\n`),
        );
      }
      process.stdout.write('\nPress Ctrl+C to stop.\n');
    });
}
