/**
 * Startup failures of the local runner as one clear ConfigurationError: what could not be done,
 * the system's reason (its error code), and what to change.
 */
import { ERROR_NAMES, isRuntimeError, runtimeError } from "../pipeline/runtime/errors";

function reasonOf(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string") return code;
  return error instanceof Error ? error.message : String(error);
}

/**
 * @example
 * throw localError(err, "Cannot listen on 127.0.0.1:3000", "set PORT to a free port");
 * // ConfigurationError: Cannot listen on 127.0.0.1:3000 (EADDRINUSE): set PORT to a free port
 */
function localError(error: unknown, what: string, fix: string): Error {
  return runtimeError(ERROR_NAMES.configuration, `${what} (${reasonOf(error)}): ${fix}`, { cause: error });
}

/**
 * Runs `open`, turning a failure into {@link localError} after running `cleanUp` (closing what
 * was opened before); a ConfigurationError already says what to change and passes as it is.
 *
 * @example
 * const journal = openOrExplain(() => openJournal(dir), `Cannot use ${dir}`, "set DATA_DIR to a writable directory");
 */
function openOrExplain<T>(open: () => T, what: string, fix: string, cleanUp?: () => void): T {
  try {
    return open();
  } catch (error) {
    cleanUp?.();
    throw isRuntimeError(error, ERROR_NAMES.configuration) ? error : localError(error, what, fix);
  }
}

/** Error codes of a listen address this machine does not have or cannot resolve. */
const BAD_HOST_CODES = ["ENOTFOUND", "EADDRNOTAVAIL", "EAI_AGAIN", "EAI_NONAME", "EAI_FAIL"];

/**
 * What to change when the server cannot listen: the host when the address is not this machine's,
 * the port otherwise (in use, or privileged).
 *
 * @example
 * listenFix({ code: "EADDRNOTAVAIL" }); // "set --host to an address of this machine, such as 127.0.0.1"
 */
function listenFix(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" && BAD_HOST_CODES.includes(code)
    ? "set --host to an address of this machine, such as 127.0.0.1"
    : "set PORT (or --port) to a free port";
}

export { listenFix, localError, openOrExplain };
