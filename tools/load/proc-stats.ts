/**
 * CPU time and resident memory of another process on Linux, read from procfs (proc(5)):
 * `/proc/<pid>/stat` fields 14 and 15 are utime and stime in clock ticks (`getconf CLK_TCK`,
 * 100 on Linux/x86 and arm64), `/proc/<pid>/status` `VmRSS` is the resident set in kB.
 */
import { readFileSync } from 'node:fs';

const CLOCK_TICKS_PER_S = 100;

export interface ProcSample {
  /** User + system CPU time consumed so far, microseconds. */
  cpuUs: number;
  /** Of which in user space (utime), microseconds; the rest is kernel time (stime). */
  userUs: number;
  /** Resident set size, bytes. */
  rssBytes: number;
  /** When the sample was taken (performance.now(), ms). */
  at: number;
}

/** Reads the process's CPU and RSS, or null when it is gone or procfs is unavailable. */
export function readProcStats(pid: number): ProcSample | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses: split after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rssKb = Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1] ?? NaN);
    if (!Number.isFinite(utime) || !Number.isFinite(stime) || !Number.isFinite(rssKb)) return null;
    return {
      cpuUs: ((utime + stime) / CLOCK_TICKS_PER_S) * 1e6,
      userUs: (utime / CLOCK_TICKS_PER_S) * 1e6,
      rssBytes: rssKb * 1024,
      at: performance.now(),
    };
  } catch {
    return null;
  }
}
