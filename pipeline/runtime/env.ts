/**
 * Environment variable names shared by the stack (which sets them) and the function factories
 * (which read them), plus the one helper that reads them.
 */
import { ERROR_NAMES, runtimeError } from "./errors";

export const ENV = {
  tableName: "TABLE_NAME",
  accountIndexName: "ACCOUNT_INDEX_NAME",
  alertQueueUrl: "ALERT_QUEUE_URL",
  topicArn: "TOPIC_ARN",
  merchantRiskTableName: "MERCHANT_RISK_TABLE_NAME",
  /** JSON object of rule threshold overrides (see detect/config.ts); optional. */
  rulesConfig: "FRAUD_RULES_CONFIG",
} as const;

/**
 * Reads a required environment variable.
 *
 * @example
 * const table = requireEnv(process.env, ENV.tableName);
 * @throws ConfigurationError naming the variable when it is missing or empty.
 */
function requireEnv(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (value === undefined || value.trim() === "") {
    throw runtimeError(
      ERROR_NAMES.configuration,
      `Environment variable ${name} is required and must not be empty`,
    );
  }
  return value;
}

export { requireEnv };
