/**
 * Bundles the browser pages with esbuild (no CDN): client/<page>/ → dist/client/public/.
 * Run by `npm run build`; tests call `buildClient()` directly.
 */
import { build } from 'esbuild';
import { copyFile, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { clientPublicDir, packageRoot } from '../server/paths.js';

export async function buildClient(opts: { minify?: boolean } = {}): Promise<string> {
  const root = packageRoot();
  const out = clientPublicDir();
  await mkdir(join(out, 'assets'), { recursive: true });
  await build({
    entryPoints: {
      player: join(root, 'client/player/player.ts'),
      dashboard: join(root, 'client/dashboard/dashboard.ts'),
      report: join(root, 'client/report/report.ts'),
      sim: join(root, 'client/sim/sim.ts'),
    },
    bundle: true,
    format: 'esm',
    target: ['chrome110', 'firefox110', 'safari16'],
    outdir: join(out, 'assets'),
    sourcemap: true,
    minify: opts.minify ?? true,
    logLevel: 'warning',
  });
  await copyFile(join(root, 'client/player/index.html'), join(out, 'index.html'));
  await copyFile(join(root, 'client/player/player.css'), join(out, 'assets/player.css'));
  // Operator dashboard and post-show report: /dashboard/ and /report/, charts by uPlot (no CDN).
  // Simulated viewers side by side: /watch/sim (served by server/http/simulated-viewer-router.ts).
  for (const page of ['dashboard', 'report', 'sim']) {
    await mkdir(join(out, page), { recursive: true });
    await copyFile(join(root, `client/${page}/index.html`), join(out, page, 'index.html'));
    await copyFile(join(root, `client/${page}/${page}.css`), join(out, `assets/${page}.css`));
  }
  const uplotCss = createRequire(import.meta.url).resolve('uplot/dist/uPlot.min.css');
  await copyFile(uplotCss, join(out, 'assets/uPlot.min.css'));
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  buildClient().then(
    (out) => process.stdout.write(`client built into ${out}\n`),
    (err: unknown) => {
      process.stderr.write(`client build failed: ${String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
