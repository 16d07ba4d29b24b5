/**
 * The local API key: what makes a usable key, and the check of a request's `x-api-key` header
 * against it in constant time (SHA-256 digests of both compared with `timingSafeEqual`, so neither
 * the content nor the length of the key leaks through response times).
 */
import { createHash, timingSafeEqual } from "node:crypto";

/** Printable ASCII with no space at either end: what an HTTP header value carries unchanged. */
const USABLE_KEY = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;

/**
 * Why `key` cannot be an API key, or `undefined` when it can. A blank key would otherwise mean
 * "no key required"; spaces at either end or other characters would never survive the header.
 *
 * @example
 * apiKeyProblem("  "); // "is set but blank"
 */
function apiKeyProblem(key: string): string | undefined {
  if (key.trim() === "") return "is set but blank";
  if (!USABLE_KEY.test(key)) return "must be printable ASCII without spaces at either end";
  return undefined;
}

function digest(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}

/**
 * A check of the `x-api-key` header value against `expected`; a missing or repeated header fails.
 *
 * @example
 * const allowed = makeApiKeyCheck(process.env.LOCAL_API_KEY);
 * if (!allowed(req.headers["x-api-key"])) send(res, 403, { message: "Forbidden" });
 */
function makeApiKeyCheck(expected: string): (given: string | string[] | undefined) => boolean {
  const wanted = digest(expected);
  return (given) => typeof given === "string" && timingSafeEqual(digest(given), wanted);
}

export { apiKeyProblem, makeApiKeyCheck };
