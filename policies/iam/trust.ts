/** Trust (assume-role) policies: which AWS service may take on a role. */
import { type PolicyDocument, policyDocument } from "./document";

/**
 * Lets one AWS service principal assume the role. No source conditions: Lambda and API Gateway
 * assume these roles for the resource they are attached to, and do not document the
 * `aws:SourceAccount`/`aws:SourceArn` keys for that call.
 *
 * @example
 * const trust = serviceTrustPolicy("lambda.amazonaws.com");
 */
function serviceTrustPolicy(service: string): PolicyDocument {
  return policyDocument([
    {
      Sid: "ServiceAssumesRole",
      Effect: "Allow",
      Principal: { Service: service },
      Action: ["sts:AssumeRole"],
    },
  ]);
}

export { serviceTrustPolicy };
