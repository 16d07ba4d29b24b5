/** Identity policy a caller's role attaches to call the API when `apiAuth` is "iam". */
import { type PolicyDocument, policyDocument } from "./document";

/**
 * `execute-api:Invoke` on exactly the given method ARNs
 * (`arn:aws:execute-api:<region>:<account>:<api id>/<stage>/<METHOD>/<path>`): this stage's routes,
 * no other stage, method or API.
 *
 * @example
 * const doc = apiInvokePolicy(["arn:aws:execute-api:us-east-1:123456789012:a1b2c3/dev/POST/transactions"]);
 */
function apiInvokePolicy(methodArns: readonly string[]): PolicyDocument {
  return policyDocument([
    {
      Sid: "InvokeFraudApiRoutes",
      Effect: "Allow",
      Action: ["execute-api:Invoke"],
      Resource: [...methodArns],
    },
  ]);
}

export { apiInvokePolicy };
