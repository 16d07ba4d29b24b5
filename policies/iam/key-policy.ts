/**
 * Key policy of the pipeline's customer-managed KMS key. In a key policy, `Resource: "*"` means
 * "this key" and is the only form AWS accepts, so the statements differ by principal, action and
 * condition only.
 */
import { type PolicyDocument, policyDocument } from "./document";

/**
 * Administration actions (no key use), enumerated so a new KMS action is never granted silently.
 * No `kms:CreateGrant`: a grant confers key use, so an unconditioned CreateGrant would let any
 * account principal grant itself Decrypt outside the data services. The services create the
 * grants they need (Lambda, DynamoDB) on the caller's behalf, which the ViaService statement allows.
 */
const KEY_ADMIN_ACTIONS = [
  "kms:CancelKeyDeletion",
  "kms:CreateAlias",
  "kms:DeleteAlias",
  "kms:DescribeKey",
  "kms:DisableKey",
  "kms:DisableKeyRotation",
  "kms:EnableKey",
  "kms:EnableKeyRotation",
  "kms:GetKeyPolicy",
  "kms:GetKeyRotationStatus",
  "kms:ListAliases",
  "kms:ListGrants",
  "kms:ListKeyPolicies",
  "kms:ListKeyRotations",
  "kms:ListResourceTags",
  "kms:ListRetirableGrants",
  "kms:PutKeyPolicy",
  "kms:RetireGrant",
  "kms:RevokeGrant",
  "kms:RotateKeyOnDemand",
  "kms:ScheduleKeyDeletion",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:UpdateAlias",
  "kms:UpdateKeyDescription",
] as const;

/** Cryptographic actions the data services perform with the key. */
const KEY_USE_ACTIONS = [
  "kms:Decrypt",
  "kms:DescribeKey",
  "kms:Encrypt",
  "kms:GenerateDataKey",
  "kms:GenerateDataKeyWithoutPlaintext",
  "kms:ReEncryptFrom",
  "kms:ReEncryptTo",
] as const;

/** Services through which account principals may use the key (encrypted table, queues, topic, environment). */
const VIA_SERVICES = ["dynamodb", "lambda", "sns", "sqs"] as const;

/** Inputs of {@link keyPolicy}. */
interface KeyPolicyArgs {
  readonly accountId: string;
  readonly region: string;
}

/**
 * The key policy: the account administers the key; account principals (whose IAM policies must
 * also allow it) use it only through the pipeline's data services; CloudWatch Logs encrypts this
 * account's log groups; CloudWatch alarms may publish to the encrypted topic.
 *
 * @example
 * const policy = JSON.stringify(keyPolicy({ accountId: "123456789012", region: "us-east-1" }));
 */
function keyPolicy({ accountId, region }: KeyPolicyArgs): PolicyDocument {
  const account = `arn:aws:iam::${accountId}:root`;
  return policyDocument([
    {
      Sid: "AccountAdministersKey",
      Effect: "Allow",
      Principal: { AWS: account },
      Action: [...KEY_ADMIN_ACTIONS],
      Resource: "*",
    },
    {
      Sid: "AccountUsesKeyThroughDataServices",
      Effect: "Allow",
      Principal: { AWS: account },
      Action: [...KEY_USE_ACTIONS, "kms:CreateGrant"],
      Resource: "*",
      Condition: {
        StringEquals: {
          "kms:CallerAccount": accountId,
          "kms:ViaService": VIA_SERVICES.map((service) => `${service}.${region}.amazonaws.com`),
        },
      },
    },
    {
      Sid: "CloudWatchLogsEncryptsAccountLogGroups",
      Effect: "Allow",
      Principal: { Service: `logs.${region}.amazonaws.com` },
      Action: [...KEY_USE_ACTIONS],
      Resource: "*",
      Condition: {
        ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:${region}:${accountId}:log-group:*` },
      },
    },
    {
      Sid: "CloudWatchAlarmsPublishToEncryptedTopic",
      Effect: "Allow",
      Principal: { Service: "cloudwatch.amazonaws.com" },
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: "*",
      Condition: { StringEquals: { "aws:SourceAccount": accountId } },
    },
  ]);
}

export type { KeyPolicyArgs };
export { KEY_ADMIN_ACTIONS, KEY_USE_ACTIONS, keyPolicy };
