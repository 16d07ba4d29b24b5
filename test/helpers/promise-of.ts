/** Bridges Pulumi Outputs into async/await for tests. */
import type * as pulumi from "@pulumi/pulumi";

/**
 * Resolves with the value of an Output (known values only: use with mocks outside preview).
 *
 * @example
 * const url = await promiseOf(pipeline.apiUrl);
 */
function promiseOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => {
    output.apply((value) => {
      resolve(value);
      return value;
    });
  });
}

export { promiseOf };
