/**
 * Judgements on Lambda functions (constraints 1-4 and the "no VPC" half of 13).
 */
import type * as aws from "@pulumi/aws";
import { type Inputs, isSet, peek, type Subject, type Violations, violation } from "./values";

type FunctionInputs = Partial<
  Pick<
    Inputs<aws.lambda.FunctionArgs>,
    "memorySize" | "reservedConcurrentExecutions" | "runtime" | "kmsKeyArn" | "vpcConfig" | "tags"
  >
>;

/** The values constraints 2-3 pin every function to. */
const LAMBDA_REQUIREMENTS = {
  memorySize: 512,
  runtime: "nodejs24.x",
} as const;

/**
 * The tag by which a stack records that it leaves a function unreserved on purpose (the
 * program's `reservedConcurrency` 0).
 */
const UNRESERVED_OPT_OUT = { key: "ConcurrencyReservation", value: "unreserved" } as const;

const CONCURRENCY_DECISION =
  "a reservation of at least 1 set explicitly, or absent with the function tagged " +
  `${UNRESERVED_OPT_OUT.key}=${UNRESERVED_OPT_OUT.value} (the stack's explicit opt-out)`;

/**
 * Constraint 1: every function carries a concurrency decision: a reservation (0 would stop the
 * function from ever running), or no reservation and the opt-out tag. Lambda's -1 ("unreserved")
 * counts as no reservation.
 *
 * @example
 * checkConcurrencyDecision({ type, name }, { reservedConcurrentExecutions: 50 }); // []
 * checkConcurrencyDecision({ type, name }, { tags: { ConcurrencyReservation: "unreserved" } }); // []
 * checkConcurrencyDecision({ type, name }, {}); // one violation
 */
function checkConcurrencyDecision(subject: Subject, props: FunctionInputs): Violations {
  const reserved = peek(props, "reservedConcurrentExecutions");
  if (typeof reserved === "number" && Number.isInteger(reserved) && reserved >= 1) return [];
  const unreserved = reserved === undefined || reserved === null || reserved === -1;
  const optedOut = peek(peek(props, "tags"), UNRESERVED_OPT_OUT.key) === UNRESERVED_OPT_OUT.value;
  return unreserved && optedOut
    ? []
    : [violation(subject, "reservedConcurrentExecutions", reserved, CONCURRENCY_DECISION)];
}

/**
 * Constraint 2: 512 MB of memory.
 *
 * @example
 * checkMemorySize({ type, name }, { memorySize: 128 }); // one violation
 */
function checkMemorySize(subject: Subject, props: FunctionInputs): Violations {
  const actual = props.memorySize;
  return actual === LAMBDA_REQUIREMENTS.memorySize ? [] : [violation(subject, "memorySize", actual, "512")];
}

/**
 * Constraint 3: the runtime is set to `nodejs24.x` (an unset runtime means the provider default).
 *
 * @example
 * checkRuntime({ type, name }, {}); // one violation: runtime is not set
 */
function checkRuntime(subject: Subject, props: FunctionInputs): Violations {
  const actual = props.runtime;
  return actual === LAMBDA_REQUIREMENTS.runtime
    ? []
    : [violation(subject, "runtime", actual, '"nodejs24.x", set explicitly')];
}

/**
 * Constraint 4: environment variables encrypted with our key (`kmsKeyArn` set).
 *
 * @example
 * checkEnvironmentKey({ type, name }, { kmsKeyArn: "arn:aws:kms:us-east-1:1:key/k" }); // []
 */
function checkEnvironmentKey(subject: Subject, props: FunctionInputs): Violations {
  return isSet(props, "kmsKeyArn")
    ? []
    : [
        violation(
          subject,
          "kmsKeyArn",
          peek(props, "kmsKeyArn"),
          "the ARN of the stack's customer-managed KMS key",
        ),
      ];
}

/**
 * Constraint 13: no VPC attachment (`vpcConfig` absent or without subnets).
 *
 * @example
 * checkNoVpc({ type, name }, { vpcConfig: { subnetIds: ["subnet-1"], securityGroupIds: [] } }); // one violation
 */
function checkNoVpc(subject: Subject, props: FunctionInputs): Violations {
  const vpcConfig = peek(props, "vpcConfig");
  const subnets = peek(vpcConfig, "subnetIds");
  const attached = Array.isArray(subnets) ? subnets.length > 0 : isSet(vpcConfig, "subnetIds");
  return attached
    ? [violation(subject, "vpcConfig", vpcConfig, "absent (the pipeline runs outside any VPC)")]
    : [];
}

export type { FunctionInputs };
export {
  checkConcurrencyDecision,
  checkEnvironmentKey,
  checkMemorySize,
  checkNoVpc,
  checkRuntime,
  LAMBDA_REQUIREMENTS,
};
