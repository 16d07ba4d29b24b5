/**
 * The policy settings a sibling stack may legitimately change, with today's values as defaults.
 * Each setting belongs to one policy (CrossGuard configures policies one by one); a config file
 * passed with `--policy-pack-config` overrides them, e.g.
 * `{ "required-tags": { "tags": { "Environment": "staging", "CostCenter": "fraud-detection" } } }`.
 */
import type { PolicyConfigSchema } from "@pulumi/policy";

/** Defaults, keyed by the policy that reads them. */
const GUARD_DEFAULTS = {
  requiredTags: { tags: { Environment: "production", CostCenter: "fraud-detection" } },
  physicalNames: { suffixPattern: "{stack}" },
  alertsQueue: { queueNameIncludes: "fraud-alerts", queueNameExcludes: "dlq" },
  streamTable: { tableNameIncludes: "transactions" },
} as const;

type RequiredTagsConfig = { readonly tags: Readonly<Record<string, string>> };
type PhysicalNamesConfig = { readonly suffixPattern: string };
type AlertsQueueConfig = { readonly queueNameIncludes: string; readonly queueNameExcludes: string };
type StreamTableConfig = { readonly tableNameIncludes: string };

const REQUIRED_TAGS_SCHEMA: PolicyConfigSchema = {
  properties: {
    tags: {
      type: "object",
      description: "Tag key/value pairs every taggable resource must carry.",
      additionalProperties: { type: "string" },
      default: GUARD_DEFAULTS.requiredTags.tags,
    },
  },
};

const PHYSICAL_NAMES_SCHEMA: PolicyConfigSchema = {
  properties: {
    suffixPattern: {
      type: "string",
      description:
        "Regular expression for the {environmentSuffix} part of names; {stack} stands for the stack name (the program's default suffix).",
      minLength: 1,
      default: GUARD_DEFAULTS.physicalNames.suffixPattern,
    },
  },
};

const ALERTS_QUEUE_SCHEMA: PolicyConfigSchema = {
  properties: {
    queueNameIncludes: {
      type: "string",
      description: "A queue whose name contains this text (case-insensitive) is the fraud-alerts queue...",
      minLength: 1,
      default: GUARD_DEFAULTS.alertsQueue.queueNameIncludes,
    },
    queueNameExcludes: {
      type: "string",
      description:
        "...unless its name also contains this text (its dead-letter queue); empty excludes nothing.",
      default: GUARD_DEFAULTS.alertsQueue.queueNameExcludes,
    },
  },
};

const STREAM_TABLE_SCHEMA: PolicyConfigSchema = {
  properties: {
    tableNameIncludes: {
      type: "string",
      description:
        "A table whose name contains this text (case-insensitive) is the transactions table, which must stream.",
      minLength: 1,
      default: GUARD_DEFAULTS.streamTable.tableNameIncludes,
    },
  },
};

/**
 * The policy's configuration over its defaults. The engine already applies schema defaults; this
 * keeps a policy correct when it runs with no configuration at all (the SDK then returns `{}`).
 *
 * @example
 * withDefaults(GUARD_DEFAULTS.physicalNames, {}); // { suffixPattern: "{stack}" }
 */
function withDefaults<T extends object>(defaults: T, configured: Partial<T>): T {
  return { ...defaults, ...configured };
}

export type { AlertsQueueConfig, PhysicalNamesConfig, RequiredTagsConfig, StreamTableConfig };
export {
  ALERTS_QUEUE_SCHEMA,
  GUARD_DEFAULTS,
  PHYSICAL_NAMES_SCHEMA,
  REQUIRED_TAGS_SCHEMA,
  STREAM_TABLE_SCHEMA,
  withDefaults,
};
