/**
 * `frisson bench latency`. Its heavy parts — playwright-core (≈ 70 MB of RSS, 37 MB of heap) and
 * esbuild — are imported inside the action, so `frisson serve`, which registers every command,
 * never loads them.
 */
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { clientPublicDir } from '../../server/paths.js';

export function registerLatencyBenchCommand(bench: Command): void {
  bench
    .command('latency')
    .description(
      'decision → new segment on screen in real Chromium: shipped, previous (1.5 s horizon) and classic stitching, one run',
    )
    .option('--story <dir>', 'story package (generated demo if missing)', 'data/demo')
    .option('--switches <n>', 'switches to measure per configuration', '20')
    .option(
      '--slow-link <ms>',
      'also measure a slow viewer: every HTTP response delayed by ms (adaptive vs fixed 1 s horizon)',
    )
    .option('--json', 'print JSON instead of a table')
    .action(
      async (flags: { story: string; switches: string; slowLink?: string; json?: boolean }) => {
        const switches = Number(flags.switches);
        if (!Number.isInteger(switches) || switches < 1)
          throw new Error('--switches takes a positive integer');
        const slowLink = flags.slowLink === undefined ? undefined : Number(flags.slowLink);
        if (
          slowLink !== undefined &&
          !(Number.isInteger(slowLink) && slowLink > 0 && slowLink <= 5000)
        )
          throw new Error('--slow-link takes a whole number of ms from 1 to 5000');
        if (!existsSync(join(flags.story, 'dist', 'manifest.json'))) {
          const { generateDemoStory } = await import('../../media/demo/demo-story.js');
          await generateDemoStory(flags.story, { quiet: Boolean(flags.json) });
        }
        if (!existsSync(join(clientPublicDir(), 'index.html'))) {
          const { buildClient } = await import('../build-client.js');
          await buildClient();
        }
        const {
          CLASSIC,
          LEGACY_TUNED,
          TUNED,
          formatLatencyTable,
          runLatencyBench,
          slowLinkConfigs,
        } = await import('./latency-bench.js');
        const results = await runLatencyBench({
          storyDir: flags.story,
          switches,
          configs: [
            TUNED,
            LEGACY_TUNED,
            CLASSIC,
            ...(slowLink === undefined ? [] : slowLinkConfigs(slowLink)),
          ],
          log: (l) => process.stderr.write(`${l}\n`),
        });
        process.stdout.write(
          flags.json ? `${JSON.stringify(results, null, 2)}\n` : `${formatLatencyTable(results)}\n`,
        );
      },
    );
}

export function registerFloodBenchCommand(bench: Command): void {
  bench
    .command('flood')
    .description(
      "a bystander's playlist latency, idle vs a flood from N sockets (/seats, /, unauthenticated frames)",
    )
    .option('--story <dir>', 'story package for the hub started here', 'data/demo')
    .option('--url <hub>', 'a running hub (default: start one in a child process)')
    .option('--operator-key <key>', 'with --url: the hub operator key')
    .option('--sockets <n>', 'flooding sockets', '200')
    .option('--rate <n>', 'events per second per flooding socket', '50')
    .option('--seconds <s>', 'seconds per idle and per flood phase', '10')
    .option('--json', 'print JSON instead of a table')
    .action(
      async (flags: {
        story: string;
        url?: string;
        operatorKey?: string;
        sockets: string;
        rate: string;
        seconds: string;
        json?: boolean;
      }) => {
        const sockets = Number(flags.sockets);
        const seconds = Number(flags.seconds);
        const rate = Number(flags.rate);
        if (!Number.isFinite(rate) || rate <= 0) throw new Error('--rate takes a positive number');
        if (!Number.isInteger(sockets) || sockets < 1)
          throw new Error('--sockets takes a positive integer');
        if (!Number.isFinite(seconds) || seconds <= 0)
          throw new Error('--seconds takes a positive number');
        const { formatFloodTable, runFloodBench } = await import('./flood-bench.js');
        const rows = await runFloodBench({
          story: flags.story,
          sockets,
          rate,
          seconds,
          ...(flags.url ? { url: flags.url } : {}),
          ...(flags.operatorKey ? { operatorKey: flags.operatorKey } : {}),
          log: (l) => process.stderr.write(`${l}\n`),
        });
        process.stdout.write(
          flags.json
            ? `${JSON.stringify(rows, null, 2)}\n`
            : `${formatFloodTable(rows, sockets, rate)}\n`,
        );
      },
    );
}
