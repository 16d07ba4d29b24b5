/**
 * A Lambda function whose archive is one file, the bundled handler (handler-bundle.ts), in place
 * of `aws.lambda.CallbackFunction`'s serialized handler plus every runtime dependency. It is a
 * plain `aws.lambda.Function` registered under the caller's name and options, so its URN is the
 * one CallbackFunction (itself an `aws.lambda.Function`) gave it and an existing stack updates in
 * place.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { bundleFactory, HANDLER_EXPORT } from "./handler-bundle";

/** The module name of the archive's only file, `index.js`. */
const BUNDLE_MODULE = "index";

/** Everything `aws.lambda.Function` takes except what the bundle decides, plus the handler factory. */
type BundledFunctionArgs = Omit<aws.lambda.FunctionArgs, "code" | "handler" | "packageType"> & {
  /** Builds the handler at cold start; serialized and bundled with everything it reaches. */
  readonly factory: () => unknown;
};

/** CallbackFunction's warning when the serializer captured a secret, word for word. */
function capturedSecretWarning(name: string): string {
  return (
    `A secret value was captured and serialized into the body of the Lambda Function '${name}'. ` +
    "This value will be stored as an encrypted Pulumi secret, but may be available in plain text " +
    "inside the AWS deployment package. You can use 'pulumi.unsecret' to convert the value to a non-secret " +
    "value if this is not a sensitive value, or else use Secrets Manager or environment variables to pass the " +
    "sensitive data to your function."
  );
}

/**
 * Creates a Lambda function running `factory`'s handler from a one-file archive. A closure that
 * captured a secret makes the archive a secret and warns, as CallbackFunction does.
 *
 * @example
 * const fn = bundledFunction("notify-team", { factory: notifyTeamFactory, runtime: "nodejs24.x", role: role.arn }, opts);
 */
function bundledFunction(
  name: string,
  { factory, ...args }: BundledFunctionArgs,
  opts?: pulumi.CustomResourceOptions,
): aws.lambda.Function {
  const bundled = bundleFactory(factory).catch((error: unknown) => {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Could not bundle the handler of function ${name}: ${reason}`, { cause: error });
  });
  const code = pulumi.output(bundled).apply(({ code: text, containsSecrets }) => {
    const archive = new pulumi.asset.AssetArchive({
      [`${BUNDLE_MODULE}.js`]: new pulumi.asset.StringAsset(text),
    });
    return containsSecrets ? pulumi.secret(archive) : archive;
  });
  const fn = new aws.lambda.Function(
    name,
    { ...args, code, handler: `${BUNDLE_MODULE}.${HANDLER_EXPORT}` },
    opts,
  );
  // A failed bundle fails the function's registration through `code`; this only adds the warning.
  bundled.then(
    ({ containsSecrets }) => {
      if (containsSecrets) pulumi.log.warn(capturedSecretWarning(name), fn);
    },
    () => undefined,
  );
  return fn;
}

export type { BundledFunctionArgs };
export { bundledFunction };
