/**
 * Error helpers for chai's `expect`: chai's `.to.throw` checks only the message and has no async
 * form, so tests take the error itself and assert on it.
 */
import { isDeepStrictEqual } from "node:util";
import { expect } from "chai";

/**
 * The reason `promise` (or the promise `run` returns) rejects with; fails the test if it resolves.
 *
 * @example
 * expect(String(await rejectionOf(store.put(item)))).to.match(/ConditionalCheckFailed/);
 */
async function rejectionOf(promise: Promise<unknown> | (() => Promise<unknown>)): Promise<unknown> {
  try {
    await (typeof promise === "function" ? promise() : promise);
  } catch (error) {
    return error;
  }
  return expect.fail("expected a rejection, but the promise resolved");
}

/**
 * What `run` throws; fails the test if it returns.
 *
 * @example
 * expect(String(thrownBy(() => parse("x")))).to.match(/must be/);
 */
function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return expect.fail("expected a throw, but the function returned");
}

type ErrorSpec = Readonly<Record<string, unknown>> | (new (...args: never[]) => unknown);

/**
 * A predicate for `.to.satisfy`: the error is an instance of the given class, or each property of
 * the spec equals the error's (a RegExp property matches a string one).
 *
 * @example
 * expect(thrownBy(run)).to.satisfy(matchesError({ name: "ConfigurationError", message: /threshold/ }));
 */
function matchesError(spec: ErrorSpec): (error: unknown) => boolean {
  if (typeof spec === "function") return (error) => error instanceof spec;
  return (error) =>
    Object.entries(spec).every(([key, want]) => {
      const got = (error as Record<string, unknown>)[key];
      return want instanceof RegExp && typeof got === "string"
        ? want.test(got)
        : isDeepStrictEqual(got, want);
    });
}

export { matchesError, rejectionOf, thrownBy };
