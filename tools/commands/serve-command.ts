/**
 * `frisson serve`: checks the story directory, binds the port, prepares the story (renders or
 * updates the demo, refuses a stale package), then assembles the server (server/app.ts); with
 * `--simulate N` also drives N simulated viewers (tools/simulate.ts) through the hub.
 */
import type { Command } from 'commander';
import { randomBytes } from 'node:crypto';
import { cjkFontWarning } from '../../media/render/cjk-font.js';
import { prepareStoryForServing } from '../../media/prepare-story-for-serving.js';
import { createFrissonServer, type FrissonServer } from '../../server/app.js';
import { bindStartingServer, createHttpServer } from '../../server/bind-port.js';
import { cliInvocation } from '../cli-invocation.js';
import { loadConfig } from '../../server/config.js';
import { startSimulatedViewers, type SimulatedViewer } from '../simulate.js';
import { startVenueDemo, type VenueDemo } from '../venue-demo.js';
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
  venueDemo?: boolean;
  seats?: string;
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
    .option(
      '--venue-demo',
      'also create a venue show with simulated seats (sensor agent on /seats, votes over HTTP)',
    )
    .option('--seats <n>', 'seats of the --venue-demo show (default 24)')
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
        // The venue demo needs an operator key; one for this run unless FRISSON_OPERATOR_KEY is set.
        ...(flags.venueDemo && !process.env.FRISSON_OPERATOR_KEY
          ? { operatorKey: randomBytes(18).toString('base64url') }
          : {}),
      });
      const seatCount = flags.seats === undefined ? 24 : Number(flags.seats);
      if (!Number.isInteger(seatCount) || seatCount < 1 || seatCount > 500)
        throw new Error('--seats takes a whole number from 1 to 500');
      const simulate = flags.simulate ? Number(flags.simulate) : 0;
      if (!Number.isInteger(simulate) || simulate < 0)
        throw new Error('--simulate takes a whole number');
      // The simulated viewers create their sessions from this host: room for them in the limit.
      if (simulate > 0 && cfg.sessionCreateRate > 0) cfg.sessionCreateRate += simulate;
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
      // Once per start: Chinese title cards (story new --theme --locale zh-CN) need a CJK font.
      const noCjk = cjkFontWarning();
      if (noCjk) process.stderr.write(noCjk);
      let sims: SimulatedViewer[] = [];
      let venue: VenueDemo | null = null;
      const stop = (signal: NodeJS.Signals): void => {
        server.log.info({ signal }, 'shutting down');
        setTimeout(() => {
          process.stderr.write(
            `frisson: shutdown took over ${SHUTDOWN_GRACE_MS / 1000} s; exiting anyway\n`,
          );
          process.exit(1);
        }, SHUTDOWN_GRACE_MS).unref();
        sims.forEach((s) => s.close());
        void venue?.close();
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
        });
        server.simulated.attach(() => sims.map((s) => s.info()));
        // Printed once: the URLs stay the same while each viewer starts its film again.
        process.stdout.write(`  Simulated viewers side by side: ${url}/watch/sim\n`);
        for (const s of sims) {
          const info = s.info();
          process.stdout.write(
            `  Simulated viewer ${info.index} (${info.personality.kind}): ${url}/watch/sim/${info.index}\n`,
          );
        }
      }
      if (flags.venueDemo && cfg.operatorKey) {
        const screenIntensity = (id: string): number =>
          server.sessions.get(id)?.intensityOnScreen(Date.now()) ?? 0;
        venue = await startVenueDemo({
          baseUrl: url,
          operatorKey: cfg.operatorKey,
          seats: seatCount,
          screenIntensity,
        });
        process.stdout.write(`\nVenue demo: a show with ${seatCount} simulated seats\n`);
        process.stdout.write(`  Screen (project this):   ${venue.screenUrl}\n`);
        process.stdout.write(`  Operator dashboard:      ${venue.dashboardUrl}\n`);
        process.stdout.write(`  Report (during/after):   ${venue.reportUrl}\n`);
      }
      process.stdout.write('\nPress Ctrl+C to stop.\n');
    });
}
