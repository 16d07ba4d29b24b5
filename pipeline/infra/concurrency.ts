/**
 * Reserved concurrency: what each function reserves, the check against the account's Lambda quota
 * that runs at preview before any resource is created, and the cap on notify-team's queue pollers.
 * Lambda refuses a reservation (PutFunctionConcurrency) that would leave fewer than 100 executions
 * unreserved in the region, and new accounts start far below the 300 four functions at 50 need.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DEFAULT_RESERVED_CONCURRENCY } from "./config";
import { FUNCTION_PURPOSES } from "./naming";
import { REGION } from "./scope";

/** The Service Quotas entry of the account's Lambda concurrency limit. */
const LAMBDA_CONCURRENCY_QUOTA = {
  serviceCode: "lambda",
  quotaCode: "L-B99A9384",
  name: "Concurrent executions",
} as const;

/** Executions Lambda keeps unreserved in every account and region. */
const MIN_UNRESERVED_CONCURRENCY = 100;

/** The range Lambda accepts for an SQS event source mapping's maximum concurrency. */
const SQS_MAXIMUM_CONCURRENCY = { min: 2, max: 1000 } as const;

/** Tag of a function the stack leaves unreserved on purpose (`reservedConcurrency` 0). */
const UNRESERVED_TAG = { ConcurrencyReservation: "unreserved" } as const;

const FUNCTION_COUNT = Object.keys(FUNCTION_PURPOSES).length;

/**
 * What a function reserves, as Lambda function arguments: the reservation, or no reservation and
 * the tag that records the decision (the guard pack accepts either, nothing else).
 *
 * @example
 * reservationSettings(50); // { reservedConcurrentExecutions: 50, tags: {} }
 * reservationSettings(0); // { tags: { ConcurrencyReservation: "unreserved" } }
 */
function reservationSettings(reservation: number): {
  reservedConcurrentExecutions?: number;
  tags: Readonly<Record<string, string>>;
} {
  return reservation > 0 ? { reservedConcurrentExecutions: reservation, tags: {} } : { tags: UNRESERVED_TAG };
}

/**
 * notify-team's queue pollers: SQS pollers ignore reserved concurrency, so without a cap they scale
 * past it, the extra invocations are throttled, and each throttled batch counts a receive towards
 * the DLQ. Unreserved, the cap stays at the default reservation so the pollers cannot take the
 * account's shared pool.
 *
 * @example
 * queueMaximumConcurrency(50); // 50
 * queueMaximumConcurrency(0); // 50
 * queueMaximumConcurrency(5000); // 1000, Lambda's upper bound
 */
function queueMaximumConcurrency(reservation: number): number {
  const cap = reservation > 0 ? reservation : DEFAULT_RESERVED_CONCURRENCY;
  return Math.min(Math.max(cap, SQS_MAXIMUM_CONCURRENCY.min), SQS_MAXIMUM_CONCURRENCY.max);
}

/**
 * Why the account's concurrency quota cannot hold the stack's reservations, in one message naming
 * the quota, the figure needed and both ways out; undefined when it can.
 *
 * @example
 * concurrencyShortfall({ quota: 1000, reservation: 50 }); // undefined
 * concurrencyShortfall({ quota: 10, reservation: 50 }); // 'Lambda quota "Concurrent executions" (L-B99A9384) in us-east-1 is 10; ...'
 */
function concurrencyShortfall({
  quota,
  reservation,
  functionCount = FUNCTION_COUNT,
}: {
  quota: number;
  reservation: number;
  functionCount?: number;
}): string | undefined {
  const reserved = reservation * functionCount;
  const needed = reserved + MIN_UNRESERVED_CONCURRENCY;
  if (reservation === 0 || quota >= needed) return undefined;
  const { serviceCode, quotaCode, name } = LAMBDA_CONCURRENCY_QUOTA;
  const largest = Math.floor((quota - MIN_UNRESERVED_CONCURRENCY) / functionCount);
  const lower =
    largest >= 2
      ? `lower the reservation: pulumi config set reservedConcurrency ${largest} (the most this quota allows), or 0 for none`
      : "reserve nothing: pulumi config set reservedConcurrency 0";
  return (
    `Lambda quota "${name}" (${quotaCode}) in ${REGION} is ${quota}; reservedConcurrency=${reservation} reserves ` +
    `${reserved} for the ${functionCount} functions and Lambda keeps ${MIN_UNRESERVED_CONCURRENCY} unreserved, ` +
    `so the quota must be at least ${needed}. Request an increase (Service Quotas console, AWS Lambda, "${name}", or: ` +
    `aws service-quotas request-service-quota-increase --service-code ${serviceCode} --quota-code ${quotaCode} ` +
    `--desired-value ${needed} --region ${REGION}), or ${lower}.`
  );
}

/**
 * Reads the account's concurrency quota and fails with {@link concurrencyShortfall}'s message when
 * it cannot hold the reservations. Every resource of the stack takes the result as `dependsOn`, so
 * nothing is registered, at preview or update, until the check has passed. With no reservation
 * there is nothing to check and the quota is not read.
 *
 * @example
 * const opts = { parent, provider, dependsOn: concurrencyQuotaCheck({ parent, provider }, 50) };
 */
function concurrencyQuotaCheck(
  invokeOpts: pulumi.InvokeOutputOptions,
  reservation: number,
): pulumi.Output<pulumi.Resource[]> {
  if (reservation === 0) return pulumi.output([]);
  const { serviceCode, quotaCode } = LAMBDA_CONCURRENCY_QUOTA;
  return aws.servicequotas
    .getServiceQuotaOutput({ serviceCode, quotaCode }, invokeOpts)
    .apply(({ value }) => {
      const problem = concurrencyShortfall({ quota: value, reservation });
      if (problem !== undefined) throw new pulumi.RunError(problem);
      return [];
    });
}

export {
  concurrencyQuotaCheck,
  concurrencyShortfall,
  LAMBDA_CONCURRENCY_QUOTA,
  queueMaximumConcurrency,
  reservationSettings,
};
