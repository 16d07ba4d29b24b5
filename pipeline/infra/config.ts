/**
 * Stack configuration: pure validators (each throws a message naming the setting, the value and
 * the rule), the model loader, and the one reader over `pulumi.Config` that index.ts calls.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { parseRulesConfig } from "../runtime/detect/config";
import { FEATURE_NAMES } from "../runtime/detect/features/registry";
import { type FraudModel, parseFraudModel } from "../runtime/detect/model/format";
import { WAF_RATE_LIMIT } from "./api-limits";
import { MAX_SUFFIX_LENGTH } from "./naming";

/** How API callers authenticate: `apiKey` (x-api-key only) or `iam` (SigV4 plus x-api-key). */
const API_AUTH_MODES = ["apiKey", "iam"] as const;

type ApiAuth = (typeof API_AUTH_MODES)[number];

/** Validated configuration of one stack. */
interface PipelineConfig {
  readonly environmentSuffix: string;
  readonly alertEmail: string;
  /** Address subscribed to the ops alarm topic, absent when nobody is subscribed by the stack. */
  readonly opsEmail?: string;
  /** How callers authenticate to the API; the usage plan meters the API key in both modes. */
  readonly apiAuth: ApiAuth;
  /** WAF web ACL on the stage: its per-IP limit (requests per 5 minutes), absent when `waf` is false. */
  readonly waf?: { readonly rateLimit: number };
  /** Compact JSON of the `fraudRules` override, absent when the detector's defaults apply. */
  readonly fraudRulesJson?: string;
  /** The validated MODEL.json `fraudModel` points to, absent when detect-fraud scores without one. */
  readonly fraudModel?: FraudModel;
  /** Executions each function reserves; 0 means none (the functions share the account's pool). */
  readonly reservedConcurrency: number;
  /** Whether the stack sets the region's API Gateway CloudWatch role (an account-wide setting). */
  readonly manageApiGatewayAccountRole: boolean;
}

/** Where Pulumi.yaml is: a relative `fraudModel` path is read from here, wherever the CLI runs. */
const PROJECT_DIR = path.resolve(__dirname, "..", "..");

const FRAUD_MODEL_SETTING = "fraudModel";

const SUFFIX_PATTERN = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
const SUFFIX_RULE =
  `1 to ${MAX_SUFFIX_LENGTH} lowercase letters, digits and hyphens, starting and ending with a letter or digit ` +
  `(${MAX_SUFFIX_LENGTH} keeps the longest derived name, a 64-character Lambda function name, within AWS limits)`;

/** What each function reserves when `reservedConcurrency` is not set. */
const DEFAULT_RESERVED_CONCURRENCY = 50;
const RESERVED_CONCURRENCY_RULE =
  "0 (no reservation) or a whole number from 2 upwards (notify-team's queue mapping caps its pollers " +
  "at the reservation, and Lambda accepts no cap below 2)";

/** RFC 5321 caps an address at 254 characters; the shape check only catches typos, SNS confirms the rest. */
const EMAIL_MAX_LENGTH = 254;
const EMAIL_PATTERN = /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/;
const EMAIL_RULE = `an email address like fraud-team@example.com, at most ${EMAIL_MAX_LENGTH} characters`;

function configError(setting: string, value: string, rule: string): Error {
  return new pulumi.RunError(
    `Invalid config ${setting}=${JSON.stringify(value)}: must be ${rule}. Set it with: pulumi config set ${setting} <value>`,
  );
}

/**
 * Checks an environment suffix (explicit or defaulted from the stack name).
 *
 * @example
 * validateEnvironmentSuffix("dev"); // "dev"
 * validateEnvironmentSuffix("Dev_1"); // throws: Invalid config environmentSuffix="Dev_1": must be 1 to 37 ...
 * validateEnvironmentSuffix("Prod", { fromStackName: true }); // throws, adding that it defaulted to the stack name
 */
function validateEnvironmentSuffix(value: string, { fromStackName = false } = {}): string {
  if (value.length > MAX_SUFFIX_LENGTH || !SUFFIX_PATTERN.test(value)) {
    const rule = fromStackName
      ? `${SUFFIX_RULE}; it defaults to the stack name, which does not qualify`
      : SUFFIX_RULE;
    throw configError("environmentSuffix", value, rule);
  }
  return value;
}

/**
 * Checks the address that receives fraud notifications.
 *
 * @example
 * validateAlertEmail("fraud-team@example.com"); // "fraud-team@example.com"
 * validateAlertEmail(undefined); // throws: Missing required config alertEmail ...
 */
function validateAlertEmail(value: string | undefined): string {
  if (value === undefined || value.trim() === "") {
    throw new pulumi.RunError(
      `Missing required config alertEmail: must be ${EMAIL_RULE}. Set it with: pulumi config set alertEmail fraud-team@example.com`,
    );
  }
  if (value.length > EMAIL_MAX_LENGTH || !EMAIL_PATTERN.test(value)) {
    throw configError("alertEmail", value, EMAIL_RULE);
  }
  return value;
}

/**
 * Checks the optional address that receives the operational alarms; unset or blank means no
 * subscription (the topic still exists for other subscribers).
 *
 * @example
 * validateOpsEmail("oncall@example.com"); // "oncall@example.com"
 * validateOpsEmail(undefined); // undefined
 * validateOpsEmail("oncall"); // throws: Invalid config opsEmail="oncall": must be an email address ...
 */
function validateOpsEmail(value: string | undefined): string | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  if (value.length > EMAIL_MAX_LENGTH || !EMAIL_PATTERN.test(value)) {
    throw configError("opsEmail", value, EMAIL_RULE);
  }
  return value;
}

/**
 * Checks the executions each function reserves; unset or blank means the default, 50. Whether the
 * account's quota allows it is checked separately, against the quota itself, at preview.
 *
 * @example
 * validateReservedConcurrency(undefined); // 50
 * validateReservedConcurrency("0"); // 0: no reservation
 * validateReservedConcurrency("2.5"); // throws: Invalid config reservedConcurrency="2.5": must be 0 (no reservation) or ...
 */
function validateReservedConcurrency(value: string | undefined): number {
  if (value === undefined || value.trim() === "") return DEFAULT_RESERVED_CONCURRENCY;
  const reservation = /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(reservation) || reservation === 1) {
    throw configError("reservedConcurrency", value, RESERVED_CONCURRENCY_RULE);
  }
  return reservation;
}

/**
 * Checks the switch for the region's API Gateway CloudWatch role; unset means true (a first
 * deployment needs it for the stage's access logs).
 *
 * @example
 * validateManageApiGatewayAccountRole(undefined); // true
 * validateManageApiGatewayAccountRole("false"); // false
 * validateManageApiGatewayAccountRole("no"); // throws: Invalid config manageApiGatewayAccountRole="no": must be true or false ...
 */
function validateManageApiGatewayAccountRole(value: string | undefined): boolean {
  if (value === undefined || value.trim() === "") return true;
  const normalized = value.trim();
  if (normalized !== "true" && normalized !== "false") {
    throw configError(
      "manageApiGatewayAccountRole",
      value,
      "true (the stack sets the region's API Gateway CloudWatch role) or false (it is already set)",
    );
  }
  return normalized === "true";
}

/**
 * Checks how API callers authenticate; unset means `apiKey`, today's behaviour.
 *
 * @example
 * validateApiAuth(undefined); // "apiKey"
 * validateApiAuth("iam"); // "iam"
 * validateApiAuth("IAM"); // throws: Invalid config apiAuth="IAM": must be one of "apiKey", "iam" ...
 */
function validateApiAuth(value: string | undefined): ApiAuth {
  if (value === undefined || value.trim() === "") return "apiKey";
  const mode = API_AUTH_MODES.find((candidate) => candidate === value);
  if (mode === undefined) {
    const modes = API_AUTH_MODES.map((candidate) => JSON.stringify(candidate)).join(", ");
    throw configError(
      "apiAuth",
      value,
      `one of ${modes} ("apiKey": the x-api-key header only; "iam": AWS SigV4 signing as well)`,
    );
  }
  return mode;
}

/**
 * Checks whether the stage gets a WAF web ACL; unset means true. Text, not `getBoolean`, so a
 * typo gets this message instead of Pulumi's generic one.
 *
 * @example
 * validateWaf(undefined); // true
 * validateWaf("false"); // false
 * validateWaf("off"); // throws: Invalid config waf="off": must be true or false ...
 */
function validateWaf(value: string | undefined): boolean {
  if (value === undefined || value.trim() === "") return true;
  if (value === "true" || value === "false") return value === "true";
  throw configError("waf", value, "true or false (true, the default, puts an AWS WAF web ACL on the stage)");
}

/**
 * Checks the WAF rate-based rule's limit: requests one source IP may send in 5 minutes before
 * WAF blocks it, within what WAF accepts.
 *
 * @example
 * validateWafRateLimit(undefined); // 60000
 * validateWafRateLimit("300000"); // 300000
 * validateWafRateLimit("5"); // throws: Invalid config wafRateLimit="5": must be a whole number from 10 to ...
 */
function validateWafRateLimit(value: string | undefined): number {
  if (value === undefined || value.trim() === "") return WAF_RATE_LIMIT.default;
  const limit = Number(value);
  if (!/^\d+$/.test(value) || limit < WAF_RATE_LIMIT.min || limit > WAF_RATE_LIMIT.max) {
    throw configError(
      "wafRateLimit",
      value,
      `a whole number from ${WAF_RATE_LIMIT.min} to ${WAF_RATE_LIMIT.max}: requests per source IP per ` +
        `${WAF_RATE_LIMIT.windowSeconds / 60} minutes (default ${WAF_RATE_LIMIT.default})`,
    );
  }
  return limit;
}

/** A decimal number as `pulumi config set --path` stores a non-integer value: as text. */
const NUMERIC_TEXT = /^-?(?:0|[1-9]\d*)(?:\.\d+)?$/;

/**
 * Every rule setting is a number, but `pulumi config set --path 'fraudRules.x' 2.5` stores "2.5"
 * as text (only integers become numbers); read such leaves back as numbers.
 */
function numbersFromText(value: unknown): unknown {
  if (typeof value === "string") return NUMERIC_TEXT.test(value) ? Number(value) : value;
  if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, numbersFromText(child)]));
}

/**
 * Checks the optional rule settings override (the JSON text `pulumi.Config.get` returns, also for
 * an object set with `pulumi config set --path`) with the detector's own parser, so a bad setting
 * fails at preview time instead of on the first stream batch. Returns compact JSON for the
 * function's environment.
 *
 * @example
 * validateFraudRules('{"threshold": 80}'); // '{"threshold":80}'
 * validateFraudRules('{"rules":{"amountSpike":{"minMultiple":"2.5"}}}'); // '{"rules":{"amountSpike":{"minMultiple":2.5}}}'
 * validateFraudRules('{"treshold": 80}'); // throws: Invalid config fraudRules=...: ... unknown setting treshold ...
 */
function validateFraudRules(raw: string | undefined): string | undefined {
  if (raw === undefined || raw.trim() === "") return undefined;
  const rule =
    "a JSON object of rule settings overriding the detector defaults (see pipeline/runtime/detect/config.ts)";
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw configError("fraudRules", raw, rule);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw configError("fraudRules", raw, rule);
  }
  const json = JSON.stringify(numbersFromText(parsed));
  try {
    parseRulesConfig(json);
  } catch (error) {
    throw new pulumi.RunError(`Invalid config fraudRules=${json}: ${(error as Error).message}`);
  }
  return json;
}

/** What reading a model file failed on, in words; a missing file is the common case. */
function readProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code === "ENOENT" ? "no such file" : `cannot be read (${code ?? (error as Error).message})`;
}

/**
 * Reads the MODEL.json the optional `fraudModel` setting points to (relative to the project
 * directory, or absolute) and validates it against this version's features, so a missing,
 * malformed or stale model stops preview instead of reaching detect-fraud. Messages name the
 * setting as `pulumi config` shows it: `<namespace>:fraudModel`.
 *
 * @example
 * loadFraudModel(undefined, { namespace: "fraud-pipeline" }); // undefined
 * loadFraudModel("models/MODEL.json", { namespace: "fraud-pipeline" }); // the parsed model
 * loadFraudModel("models/missing.json", { namespace: "fraud-pipeline" });
 * // throws: Invalid config fraud-pipeline:fraudModel="models/missing.json" (/.../models/missing.json): no such file. ...
 */
function loadFraudModel(
  value: string | undefined,
  { namespace, projectDir = PROJECT_DIR }: { namespace: string; projectDir?: string },
): FraudModel | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const file = path.resolve(projectDir, value);
  const fail = (problem: string) =>
    new pulumi.RunError(
      `Invalid config ${namespace}:${FRAUD_MODEL_SETTING}=${JSON.stringify(value)} (${file}): ${problem}. ` +
        "Set it to a MODEL.json written by npm run train, relative to the project directory: " +
        `pulumi config set ${FRAUD_MODEL_SETTING} <path>`,
    );
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw fail(readProblem(error));
  }
  try {
    return parseFraudModel(text, FEATURE_NAMES);
  } catch (error) {
    throw fail((error as Error).message);
  }
}

/**
 * Reads and validates the stack's configuration; `environmentSuffix` defaults to the stack name.
 *
 * @example
 * const config = readPipelineConfig(); // in index.ts
 */
function readPipelineConfig(config = new pulumi.Config(), stack = pulumi.getStack()): PipelineConfig {
  const explicitSuffix = config.get("environmentSuffix");
  const environmentSuffix = validateEnvironmentSuffix(explicitSuffix ?? stack, {
    fromStackName: explicitSuffix === undefined,
  });
  const alertEmail = validateAlertEmail(config.get("alertEmail"));
  const opsEmail = validateOpsEmail(config.get("opsEmail"));
  const apiAuth = validateApiAuth(config.get("apiAuth"));
  const wafRateLimit = validateWafRateLimit(config.get("wafRateLimit"));
  const waf = validateWaf(config.get("waf"));
  const fraudRulesJson = validateFraudRules(config.get("fraudRules"));
  const fraudModel = loadFraudModel(config.get(FRAUD_MODEL_SETTING), { namespace: config.name });
  const reservedConcurrency = validateReservedConcurrency(config.get("reservedConcurrency"));
  const manageApiGatewayAccountRole = validateManageApiGatewayAccountRole(
    config.get("manageApiGatewayAccountRole"),
  );
  return {
    environmentSuffix,
    alertEmail,
    reservedConcurrency,
    manageApiGatewayAccountRole,
    ...(opsEmail === undefined ? {} : { opsEmail }),
    apiAuth,
    ...(waf ? { waf: { rateLimit: wafRateLimit } } : {}),
    ...(fraudRulesJson === undefined ? {} : { fraudRulesJson }),
    ...(fraudModel === undefined ? {} : { fraudModel }),
  };
}

export type { ApiAuth, PipelineConfig };
export {
  DEFAULT_RESERVED_CONCURRENCY,
  loadFraudModel,
  readPipelineConfig,
  validateAlertEmail,
  validateApiAuth,
  validateEnvironmentSuffix,
  validateFraudRules,
  validateManageApiGatewayAccountRole,
  validateOpsEmail,
  validateReservedConcurrency,
  validateWaf,
  validateWafRateLimit,
};
