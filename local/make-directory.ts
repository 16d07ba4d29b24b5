/**
 * Creates a directory and its missing parents one level at a time. Node's own
 * `mkdirSync(dir, { recursive: true })` never returns on some unwritable paths (it loops on
 * `/proc/x` under Node 20), which turned a bad `--outbox` or `--data` into a hang at startup.
 */
import * as fs from "node:fs";
import * as path from "node:path";

/**
 * Ensures `dir` exists; throws the file system's error (ENOENT, EACCES, ENOTDIR, ...) otherwise.
 *
 * @example
 * makeDirectory(".local/data");
 */
function makeDirectory(dir: string): void {
  const missing: string[] = [];
  let current = path.resolve(dir);
  while (!fs.existsSync(current)) {
    missing.unshift(current);
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const each of missing) fs.mkdirSync(each);
}

export { makeDirectory };
