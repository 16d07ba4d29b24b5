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
 * grants they need (Lambda, DynamoDB) on the caller's behalf, which the grant statement allows.
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
  /** Names of the log groups the stack encrypts with the key (and no others). */
  readonly logGroupNames: readonly string[];
  /** Names of the stack's alarms, the only ones that may use the key to publish to the topic. */
  readonly alarmNames: readonly string[];
}

/**
 * The key policy: the account administers the key; account principals (whose IAM policies must
 * also allow it) use it only through the pipeline's data services, and create grants only for
 * those services' resources; CloudWatch Logs uses it for this stack's log groups only; this
 * stack's CloudWatch alarms may publish to the encrypted topic.
 *
 * @example
 * const policy = JSON.stringify(keyPolicy({ accountId: "123456789012", region: "us-east-1", logGroupNames, alarmNames }));
 */
function keyPolicy({ accountId, region, logGroupNames, alarmNames }: KeyPolicyArgs): PolicyDocument {
  const account = `arn:aws:iam::${accountId}:root`;
  const throughDataServices = {
    "kms:CallerAccount": accountId,
    "kms:ViaService": VIA_SERVICES.map((service) => `${service}.${region}.amazonaws.com`),
  };
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
      Action: [...KEY_USE_ACTIONS],
      Resource: "*",
      Condition: { StringEquals: throughDataServices },
    },
    {
      // A grant confers key use: only the data services may create one, and only for an AWS
      // resource of theirs (Lambda's environment, the DynamoDB tables), never for a principal.
      Sid: "AccountCreatesGrantsForAwsResources",
      Effect: "Allow",
      Principal: { AWS: account },
      Action: ["kms:CreateGrant"],
      Resource: "*",
      Condition: {
        StringEquals: throughDataServices,
        Bool: { "kms:GrantIsForAWSResource": "true" },
      },
    },
    {
      Sid: "CloudWatchLogsEncryptsStackLogGroups",
      Effect: "Allow",
      Principal: { Service: `logs.${region}.amazonaws.com` },
      Action: [...KEY_USE_ACTIONS],
      Resource: "*",
      Condition: {
        ArnEquals: {
          "kms:EncryptionContext:aws:logs:arn": logGroupNames.map(
            (name) => `arn:aws:logs:${region}:${accountId}:log-group:${name}`,
          ),
        },
      },
    },
    {
      Sid: "CloudWatchAlarmsPublishToEncryptedTopic",
      Effect: "Allow",
      Principal: { Service: "cloudwatch.amazonaws.com" },
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: "*",
      Condition: {
        StringEquals: { "aws:SourceAccount": accountId },
        ArnEquals: {
          "aws:SourceArn": alarmNames.map(
            (name) => `arn:aws:cloudwatch:${region}:${accountId}:alarm:${name}`,
          ),
        },
      },
    },
  ]);
}

export type { KeyPolicyArgs };
export { KEY_ADMIN_ACTIONS, KEY_USE_ACTIONS, keyPolicy };
