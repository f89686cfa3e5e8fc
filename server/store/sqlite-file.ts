/**
 * The SQLite database file before SQLite opens it: refusals that protect data (an emptied or
 * orphaned database), owner-only modes, and naming the process that holds the database.
 *
 * Never open the database file with `fs` here or anywhere in the server: its lock is a POSIX
 * `fcntl` lock, and POSIX drops every lock a process holds on a file when *any* descriptor of that
 * file in the process is closed. Path-based calls (`stat`, `chmod`, `link`) are safe.
 */
import Database from 'better-sqlite3';
import {
  chmodSync,
  closeSync,
  existsSync,
  linkSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';

/** Owner read/write only: the database holds biometric samples and session records. */
export const STORE_FILE_MODE = 0o600;

/** Files SQLite keeps next to a database (WAL mode: `-wal`; `-shm` only from older versions). */
export const SIDE_FILES = ['-wal', '-shm', '-journal'] as const;

/** A refusal to open the store; the message is one complete line for the operator. */
export class StoreOpenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreOpenError';
  }
}

/** `chmod 0600` by path when the file exists and is ours to change (otherwise left alone). */
export function restrictMode(path: string): void {
  try {
    if ((statSync(path).mode & 0o777) !== STORE_FILE_MODE) chmodSync(path, STORE_FILE_MODE);
  } catch {
    /* absent, or not ours: SQLite reports what matters when it opens it */
  }
}

/**
 * Checks an existing database file, or creates a new one atomically, before SQLite opens `path`.
 *
 * - A zero-byte file is refused. SQLite would treat it as a new, empty database and the server
 *   would start silently without its sessions; Frisson never leaves one behind, because a new
 *   database is initialised under a temporary name and only then linked into place.
 * - A missing database whose `-wal` is still there is refused too (the database was deleted or
 *   moved; SQLite would rebuild a partial one from the log).
 * - A new database is created with mode 0600 whatever the umask; SQLite gives its `-wal` the
 *   database's mode. Existing files are narrowed to 0600.
 *
 * `init` runs the schema on a new file (rollback-journal mode, before WAL is switched on).
 */
export function prepareDatabaseFile(path: string, init: (db: Database.Database) => void): void {
  let size: number | null;
  try {
    size = statSync(path).size;
  } catch {
    size = null;
  }
  if (size === 0) {
    throw new StoreOpenError(
      `the store ${path} is an empty file (0 bytes): a database truncated or replaced by an empty file would start without its sessions; restore it from a backup, or delete it to start a new database`,
    );
  }
  if (size === null) {
    if (existsSync(`${path}-wal`)) {
      throw new StoreOpenError(
        `the store ${path} is missing but its write-ahead log ${path}-wal is there (the database was deleted or moved); restore it, or delete ${path}-wal to start a new database`,
      );
    }
    createDatabaseFile(path, init);
  }
  restrictMode(path);
  for (const side of SIDE_FILES) restrictMode(path + side);
}

function createDatabaseFile(path: string, init: (db: Database.Database) => void): void {
  const tmp = `${path}.${process.pid}.init`;
  rmSync(tmp, { force: true });
  rmSync(`${tmp}-journal`, { force: true });
  closeSync(openSync(tmp, 'wx', STORE_FILE_MODE));
  chmodSync(tmp, STORE_FILE_MODE); // the umask may have narrowed it further (e.g. to 0400)
  try {
    const db = new Database(tmp);
    try {
      init(db);
    } finally {
      db.close();
    }
    try {
      // link, not rename: a server creating the same new database at the same moment keeps its
      // file, and this one then opens that one (and finds it locked).
      linkSync(tmp, path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  } finally {
    rmSync(tmp, { force: true });
    rmSync(`${tmp}-journal`, { force: true });
  }
}

/**
 * Who holds the lock on `path`, from Linux's `/proc/locks` (SQLite's locks are POSIX `fcntl`
 * locks, listed there with the holder's pid and the file's inode): `pid 1234: node … serve`, or
 * null where that cannot be told (another OS, or the holder is gone).
 */
export function lockHolder(path: string): string | null {
  let ino: number;
  let locks: string;
  try {
    ino = statSync(path).ino;
    locks = readFileSync('/proc/locks', 'utf8');
  } catch {
    return null;
  }
  for (const line of locks.split('\n')) {
    // "1: POSIX  ADVISORY  WRITE 6470 fe:00:2179248 1073741824 1073742335"
    const m = /\bPOSIX\s+\S+\s+\S+\s+(\d+)\s+[0-9a-f]+:[0-9a-f]+:(\d+)\s/.exec(line);
    if (!m || Number(m[2]) !== ino) continue;
    const pid = Number(m[1]);
    if (pid === process.pid) return `this process (pid ${pid})`;
    let cmd = '';
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
    } catch {
      /* exited meanwhile, or hidden */
    }
    if (cmd.length > 120) cmd = `${cmd.slice(0, 117)}…`;
    return cmd ? `pid ${pid}: ${cmd}` : `pid ${pid}`;
  }
  return null;
}
