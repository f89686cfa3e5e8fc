/**
 * Progress reporting for packaging: an overall bar plus one bar per clip in flight on a TTY
 * (cli-progress), plain lines otherwise (CI logs), nothing when quiet.
 */
import cliProgress from 'cli-progress';

/** Receives the packager's progress. All methods are optional to implement meaningfully. */
export interface PackageProgress {
  start(totalClips: number): void;
  clipStart(clip: string): void;
  /** `fraction` in 0–1 of the clip's encode. */
  clipProgress(clip: string, fraction: number): void;
  clipDone(clip: string, reused: boolean): void;
  /** A message for the user (e.g. the final summary). */
  log(line: string): void;
  stop(): void;
}

/** Reports nothing. */
export class SilentProgress implements PackageProgress {
  start(): void {}
  clipStart(): void {}
  clipProgress(): void {}
  clipDone(): void {}
  log(): void {}
  stop(): void {}
}

/** One line per finished clip, for logs. */
export class LineProgress implements PackageProgress {
  private total = 0;
  private done = 0;
  constructor(private readonly write: (line: string) => void) {}
  start(totalClips: number): void {
    this.total = totalClips;
    this.done = 0;
  }
  clipStart(): void {}
  clipProgress(): void {}
  clipDone(clip: string, reused: boolean): void {
    this.done += 1;
    this.write(`[${this.done}/${this.total}] ${reused ? 'unchanged' : 'encoded  '} ${clip}`);
  }
  log(line: string): void {
    this.write(line);
  }
  stop(): void {}
}

/** cli-progress bars: overall plus one per clip being encoded. */
export class BarProgress implements PackageProgress {
  private readonly multi: cliProgress.MultiBar;
  private overall: cliProgress.SingleBar | undefined;
  private readonly bars = new Map<string, cliProgress.SingleBar>();
  private done = 0;

  constructor(stream: NodeJS.WriteStream = process.stderr) {
    this.multi = new cliProgress.MultiBar(
      {
        stream,
        clearOnComplete: true,
        hideCursor: true,
        format: '{name} [{bar}] {percentage}% | {value}/{total}',
        barsize: 30,
      },
      cliProgress.Presets.shades_classic,
    );
  }
  start(totalClips: number): void {
    this.overall = this.multi.create(totalClips, 0, { name: 'overall'.padEnd(24) });
  }
  clipStart(clip: string): void {
    this.bars.set(clip, this.multi.create(100, 0, { name: clip.slice(0, 24).padEnd(24) }));
  }
  clipProgress(clip: string, fraction: number): void {
    this.bars.get(clip)?.update(Math.round(Math.min(1, Math.max(0, fraction)) * 100));
  }
  clipDone(clip: string): void {
    const bar = this.bars.get(clip);
    if (bar) {
      this.multi.remove(bar);
      this.bars.delete(clip);
    }
    this.done += 1;
    this.overall?.update(this.done);
  }
  log(line: string): void {
    this.multi.log(`${line}\n`);
  }
  stop(): void {
    this.multi.stop();
  }
}

/** Bars on a TTY, lines otherwise, nothing when quiet. */
export function createPackageProgress(
  options: { quiet?: boolean; stream?: NodeJS.WriteStream } = {},
): PackageProgress {
  if (options.quiet) return new SilentProgress();
  const stream = options.stream ?? process.stderr;
  if (stream.isTTY) return new BarProgress(stream);
  return new LineProgress((line) => stream.write(`${line}\n`));
}
