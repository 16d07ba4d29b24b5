/**
 * Judgements on Lambda functions (constraints 1-4 and the "no VPC" half of 13).
 */
import type * as aws from "@pulumi/aws";
import { type Inputs, isSet, peek, type Subject, type Violations, violation } from "./values";

type FunctionInputs = Partial<
  Pick<
    Inputs<aws.lambda.FunctionArgs>,
    "memorySize" | "reservedConcurrentExecutions" | "runtime" | "kmsKeyArn" | "vpcConfig"
  >
>;

/** The values constraints 1-3 pin every function to. */
const LAMBDA_REQUIREMENTS = {
  reservedConcurrentExecutions: 50,
  memorySize: 512,
  runtime: "nodejs24.x",
} as const;

/**
 * Constraint 1: reserved concurrency exactly 50.
 *
 * @example
 * checkReservedConcurrency({ type, name }, { reservedConcurrentExecutions: 50 }); // []
 */
function checkReservedConcurrency(subject: Subject, props: FunctionInputs): Violations {
  const actual = props.reservedConcurrentExecutions;
  return actual === LAMBDA_REQUIREMENTS.reservedConcurrentExecutions
    ? []
    : [violation(subject, "reservedConcurrentExecutions", actual, "50")];
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
  checkEnvironmentKey,
  checkMemorySize,
  checkNoVpc,
  checkReservedConcurrency,
  checkRuntime,
  LAMBDA_REQUIREMENTS,
};
