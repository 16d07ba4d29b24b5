import { expect } from "chai";
import type { GuardResource } from "../helpers/guard";
import { runPack } from "../helpers/guard";
import { happyStack, withProps } from "../helpers/guard-stack";
import { T } from "../helpers/infra-graph";

// The engine's placeholders for values not known until `pulumi up` (see @pulumi/policy proxy.js).
const UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Properties computed from other resources' outputs, unknown when previewing a new stack. */
const COMPUTED: Readonly<Record<string, readonly string[]>> = {
  [T.fn]: ["kmsKeyArn", "role"],
  [T.logGroup]: ["kmsKeyId"],
  [T.queue]: ["kmsMasterKeyId", "url", "arn"],
  [T.topic]: ["kmsMasterKeyId", "arn"],
  [T.rolePolicy]: ["policy"],
  [T.restApi]: ["body"],
  [T.queuePolicy]: ["queueUrl", "policy"],
  [T.topicPolicy]: ["arn", "policy"],
};

function asFirstPreview(stack: readonly GuardResource[]): GuardResource[] {
  return stack.map((resource) => {
    const unknown = Object.fromEntries((COMPUTED[resource.type] ?? []).map((key) => [key, UNKNOWN_STRING]));
    const props = { ...resource.props, ...unknown };
    if (resource.type === T.table) props.serverSideEncryption = { enabled: true, kmsKeyArn: UNKNOWN_STRING };
    return { ...resource, props };
  });
}

describe("Policy pack: first preview of a new stack", () => {
  it("passes presence rules on unknown ARNs and defers only the rules that need the values", async () => {
    // Prepare
    const stack = asFirstPreview(happyStack());

    // Act
    const { violations, advisories } = await runPack(stack);

    // Assess
    expect(violations).to.deep.equal([]);
    expect([...new Set(advisories.map((a) => a.policy))].sort()).to.deep.equal([
      "apigateway-routes-validated",
      "iam-no-wildcard-actions",
      "iam-no-wildcard-resources",
      "kms-create-grant-for-aws-resources",
      "sqs-sns-tls-only",
    ]);
  });

  it("still blocks on a known value that breaks a rule", async () => {
    // Prepare
    const stack = asFirstPreview(withProps(happyStack(), T.fn, "notify-team", { memorySize: 128 }));

    // Act
    const { violations } = await runPack(stack);

    // Assess
    expect(violations.map((v) => v.policy)).to.deep.equal(["lambda-memory-512"]);
  });
});
