/**
 * The loopback AWS stand-in (bench/aws-loopback.ts) for the tests of a `describe` block: started in
 * `before` with this process's environment pointing every SDK v3 client at it (dummy credentials,
 * `AWS_ENDPOINT_URL`), reset after each test, closed and the environment restored in `after`.
 */
import { type AwsLoopback, loopbackEnv, startAwsLoopback } from "../../bench/aws-loopback";

/**
 * Starts the stand-in for the calling `describe` block; returns a getter for it.
 *
 * @example
 * const aws = useAwsLoopback();
 * it("publishes", async () => { ...; expect(aws().requests.map((r) => r.operation)).to.include("Publish"); });
 */
function useAwsLoopback(): () => AwsLoopback {
  let loopback: AwsLoopback | undefined;
  const saved = new Map<string, string | undefined>();
  before(async () => {
    loopback = await startAwsLoopback();
    for (const [name, value] of Object.entries(loopbackEnv(loopback.endpoint))) {
      saved.set(name, process.env[name]);
      process.env[name] = value;
    }
  });
  afterEach(() => loopback?.reset());
  after(async () => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    saved.clear();
    await loopback?.close();
  });
  return () => {
    if (loopback === undefined)
      throw new Error("The loopback stand-in is not started (use it inside a test)");
    return loopback;
  };
}

export { useAwsLoopback };
