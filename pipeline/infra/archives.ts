/**
 * What each function's archive leaves out. `CallbackFunction` ships every package of
 * package.json `dependencies` into every archive (docs/design.md, closure rule 4); a function excludes the
 * runtime dependencies its serialized handler never requires. The archive test derives the
 * required set from each serialized artifact and checks these lists against it.
 */
import type { FunctionKey } from "./naming";

const UNUSED_RUNTIME_PACKAGES: Readonly<Record<FunctionKey, readonly string[]>> = {
  process: ["@aws-sdk/client-sqs", "@aws-sdk/client-sns", "@aws-lambda-powertools/metrics"],
  detect: ["@aws-sdk/client-sns"],
  notify: ["@aws-sdk/client-sqs"],
  record: ["@aws-sdk/client-sqs", "@aws-sdk/client-sns", "@aws-lambda-powertools/metrics"],
};

/**
 * The `codePathOptions` of a function: a fresh array each call, because CallbackFunction appends
 * `aws-sdk` to the list it is given.
 *
 * @example
 * new aws.lambda.CallbackFunction(name, { ..., codePathOptions: codePathOptionsFor("process") });
 */
function codePathOptionsFor(key: FunctionKey): { extraExcludePackages: string[] } {
  return { extraExcludePackages: [...UNUSED_RUNTIME_PACKAGES[key]] };
}

export { codePathOptionsFor, UNUSED_RUNTIME_PACKAGES };
