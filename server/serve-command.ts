import type { Command } from 'commander';
import { prepareStoryForServing } from '../media/prepare-story-for-serving.js';
import { createFrissonServer } from './app.js';
import { loadConfig } from './config.js';
import { startSimulatedViewers } from './simulate.js';

interface ServeFlags {
  port?: string;
  host?: string;
  db?: string;
  story?: string;
  picker?: string;
  horizon?: string;
  logLevel?: string;
  demo?: boolean;
  simulate?: string;
}

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
    .option('--demo', 'generate the demo story into --story first if it is missing')
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
      });
      await prepareStoryForServing(cfg.story, {
        demo: flags.demo,
        notice: (l) => process.stdout.write(l),
      });
      const server = await createFrissonServer(cfg);
      const url = await server.listen();
      process.stdout.write(`\nFrisson is serving "${server.story.title}" from ${cfg.story}\n`);
      process.stdout.write(`  Player:  ${url}/\n`);
      const simulate = flags.simulate ? Number(flags.simulate) : 0;
      if (!Number.isInteger(simulate) || simulate < 0)
        throw new Error('--simulate takes a whole number');
      const sims =
        simulate > 0
          ? await startSimulatedViewers({
              baseUrl: url,
              story: server.story,
              count: simulate,
              onSession: (i, session) =>
                process.stdout.write(
                  `  Simulated viewer ${i + 1} started a new story: ${session.playerUrl}\n`,
                ),
            })
          : [];
      sims.forEach((s, i) =>
        process.stdout.write(`  Simulated viewer ${i + 1}: ${s.session.playerUrl}\n`),
      );
      process.stdout.write('\nPress Ctrl+C to stop.\n');
      const stop = (): void => {
        sims.forEach((s) => s.close());
        void server.close().then(() => process.exit(0));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
