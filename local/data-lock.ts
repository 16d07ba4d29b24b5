/**
 * An exclusive lock on a `--data` directory, so two runners never write one journal. The lock is
 * the file `DIR/lock` holding the owner's pid and host name: it is created atomically (written in
 * full to a temp file, then hard-linked into place, which fails when the lock exists), removed on a
 * clean stop, and taken over when it is stale: its owner on this host is no longer running (a crash
 * or SIGKILL leaves the file behind). A lock from another host cannot be checked and is refused.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ERROR_NAMES, runtimeError } from "../pipeline/runtime/errors";
import { makeDirectory } from "./make-directory";

const LOCK_FILE = "lock";

/** Who holds a lock. */
export interface LockOwner {
  readonly pid: number;
  readonly host: string;
}

/** A held lock. */
export interface DataLock {
  readonly file: string;
  /** The owner of the stale lock this one replaced, if any. */
  readonly replaced?: LockOwner;
  /** Removes the lock file; later calls do nothing. */
  release(): void;
}

/** The owner of a lock file that cannot be read: treated as running, since nobody can check. */
const UNKNOWN_OWNER: LockOwner = { pid: 0, host: "" };

/** Lock files this process holds: its own pid in a lock file it does not hold is a previous life's. */
const held = new Set<string>();

function readOwner(file: string): LockOwner | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    if ((error as { code?: string }).code === "ENOENT") return undefined;
    throw error;
  }
  try {
    const owner = JSON.parse(text) as Partial<LockOwner>;
    if (Number.isInteger(owner.pid) && typeof owner.host === "string") return owner as LockOwner;
  } catch {
    // Not a lock this code wrote: its owner cannot be checked.
  }
  return UNKNOWN_OWNER;
}

function isRunning(owner: LockOwner, file: string): boolean {
  if (owner === UNKNOWN_OWNER || owner.host !== os.hostname()) return true;
  if (owner.pid === process.pid) return held.has(file);
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as { code?: string }).code !== "ESRCH";
  }
}

function inUse(dir: string, file: string, owner: LockOwner): Error {
  const who = owner === UNKNOWN_OWNER ? "an unknown process" : `process ${owner.pid} on ${owner.host}`;
  return runtimeError(
    ERROR_NAMES.configuration,
    `The data directory ${dir} is in use by ${who} (lock file ${file}): ` +
      "stop that runner or pass --data another directory; delete the lock file only if no runner uses it",
  );
}

function linkExclusive(source: string, target: string): boolean {
  try {
    fs.linkSync(source, target);
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === "EEXIST") return false;
    throw error;
  }
}

/**
 * Locks `dir` (creating it if needed) for this process. Throws a ConfigurationError naming the
 * owner when another running process holds it, and the file system's error (EACCES, ENOTDIR, ...)
 * when the directory is unusable.
 *
 * @example
 * const lock = lockDataDirectory(".local/data");
 * // ... run ...
 * lock.release();
 */
function lockDataDirectory(dir: string): DataLock {
  makeDirectory(dir);
  const file = path.join(path.resolve(dir), LOCK_FILE);
  const mine: LockOwner = { pid: process.pid, host: os.hostname() };
  const draft = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(draft, `${JSON.stringify(mine)}\n`);
  try {
    let replaced: LockOwner | undefined;
    // Twice at most: once as it is, once after removing a stale lock.
    for (let attempt = 0; attempt < 2; attempt++) {
      if (linkExclusive(draft, file)) {
        held.add(file);
        return {
          file,
          replaced,
          release() {
            if (!held.delete(file)) return;
            const owner = readOwner(file);
            if (owner?.pid === mine.pid && owner.host === mine.host) fs.rmSync(file, { force: true });
          },
        };
      }
      const owner = readOwner(file);
      if (owner === undefined) continue;
      if (isRunning(owner, file)) throw inUse(dir, file, owner);
      fs.rmSync(file, { force: true });
      replaced = owner;
    }
    throw inUse(dir, file, readOwner(file) ?? UNKNOWN_OWNER);
  } finally {
    fs.rmSync(draft, { force: true });
  }
}

export { lockDataDirectory };
