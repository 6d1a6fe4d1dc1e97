// One process at a time on the embedded database. PGlite is Postgres in WASM inside one process,
// with no server to share: a second process opening the same data folder writes behind the first
// one's back (its writes are lost at the first one's next checkpoint) and can damage the folder.
// So opening the folder takes an exclusive lock: a file next to it, created with O_EXCL, holding
// the opener's process id. It is removed at close (and at exit); a lock left by a process that no
// longer runs (killed, power lost) is stale and taken over.
import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';

export class PgliteLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(`The portal is running on the embedded database in ${dataDir}. Stop it first.`);
    this.name = 'PgliteLockedError';
  }
}

// Folders this process holds: a lock with our own id that is not in here was left by an earlier
// process that had the same id (a container's process 1 after a restart), so it is stale.
const held = new Set<string>();

export function lockPathFor(dataDir: string): string {
  return `${dataDir}.lock`;
}

/** Takes the lock on dataDir or throws PgliteLockedError; returns the release. */
export function lockPgliteFolder(dataDir: string): () => void {
  const lockPath = lockPathFor(dataDir);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx');
      try {
        writeSync(fd, `${process.pid}\n`);
      } finally {
        closeSync(fd);
      }
      held.add(lockPath);
      const release = () => {
        process.removeListener('exit', release);
        if (!held.delete(lockPath)) return;
        try {
          if (readPid(lockPath) === process.pid) unlinkSync(lockPath);
        } catch {
          // already gone
        }
      };
      process.once('exit', release); // a CLI that exits without closing still releases
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = readPid(lockPath);
    if (holder === null ? justCreated(lockPath) : isRunning(holder, lockPath)) throw new PgliteLockedError(dataDir, holder ?? 0);
    // Stale (or empty, left by a process killed between creating and writing it): take it over.
    try {
      if (readPid(lockPath) === holder) unlinkSync(lockPath);
    } catch {
      // another process removed it first: try again
    }
  }
  throw new PgliteLockedError(dataDir, readPid(lockPath) ?? 0);
}

function readPid(lockPath: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(lockPath, 'utf8').trim(), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

// An empty lock a moment old is another process between creating it and writing its id.
function justCreated(lockPath: string): boolean {
  try {
    return Date.now() - statSync(lockPath).mtimeMs < 5_000;
  } catch {
    return false;
  }
}

function isRunning(pid: number, lockPath: string): boolean {
  if (pid === process.pid) return held.has(lockPath);
  try {
    process.kill(pid, 0); // signal 0: only asks whether the process exists
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // exists, belongs to someone else
  }
}

/**
 * For the command-line tools: a locked folder ends the command with the message (and a hint of
 * what to do instead), not a stack trace. Anything else is thrown on.
 */
export function refuseWhenLocked(hint = ''): (error: unknown) => never {
  return (error) => {
    if (error instanceof PgliteLockedError) {
      console.error(hint ? `${error.message.replace(/\.$/, '')}, ${hint}` : error.message);
      process.exit(1);
    }
    throw error;
  };
}
