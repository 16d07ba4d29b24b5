/**
 * Runs the guard pack's policies the way the Pulumi engine does, without the CLI: resource
 * policies once per resource with engine-shaped arguments (inputs behind the same unknown-value
 * proxy), stack policies once with every resource linked to its parent and dependencies, config
 * resolved from each policy's `configSchema` defaults plus overrides. Also converts the graph that
 * test/helpers/stack.ts records into that shape.
 */
import {
  type Policy,
  type PolicyProviderResource,
  type PolicyResource,
  type PolicyResourceOptions,
  type ResourceValidationArgs,
  type ResourceValidationPolicy,
  type StackValidationPolicy,
  UnknownValueError,
  unknownCheckingProxy,
} from "@pulumi/policy";
import { guardPolicies } from "../../policies/guard/policies";
import type { LoadedStack, RecordedResource } from "./stack";

const STACK = "dev";
const PROJECT = "fraud-pipeline";

/** A resource as a test describes it; everything optional defaults the way the engine would. */
interface GuardResource {
  readonly type: string;
  readonly name: string;
  /** Inputs (resource policies) and outputs (stack policies): a test passes one object for both. */
  readonly props: Record<string, unknown>;
  readonly urn?: string;
  readonly protect?: boolean;
  readonly parent?: string;
  readonly provider?: PolicyProviderResource;
  /** URNs this resource depends on. */
  readonly dependencies?: readonly string[];
  /** URNs each input property was computed from. */
  readonly propertyDependencies?: Readonly<Record<string, readonly string[]>>;
}

/** One reported violation (or, for `advisories`, a policy that could not run on unknown values). */
interface Finding {
  readonly policy: string;
  readonly message: string;
  readonly urn?: string;
}

interface PackRun {
  readonly violations: Finding[];
  readonly advisories: Finding[];
}

/** Per-policy configuration overrides, as in a `--policy-pack-config` file. */
type PackConfig = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

const NOT_APPLICABLE = Symbol("notApplicable");

/**
 * The URN the engine gives a top-level resource of the dev stack.
 *
 * @example
 * urnOf("aws:sqs/queue:Queue", "alerts"); // "urn:pulumi:dev::fraud-pipeline::aws:sqs/queue:Queue::alerts"
 */
function urnOf(type: string, name: string): string {
  return `urn:pulumi:${STACK}::${PROJECT}::${type}::${name}`;
}

function optionsOf(resource: GuardResource): PolicyResourceOptions {
  return {
    protect: resource.protect ?? false,
    ignoreChanges: [],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
    ...(resource.parent === undefined ? {} : { parent: resource.parent }),
  };
}

/** The engine's type test: the class's `__pulumiType`, else its `isInstance`. */
function isTypeOf(type: string, resourceClass: unknown): boolean {
  const tagged = resourceClass as { __pulumiType?: unknown; isInstance?: (o: unknown) => boolean };
  if (typeof tagged.__pulumiType === "string") {
    return tagged.__pulumiType === type;
  }
  return typeof tagged.isInstance === "function" && tagged.isInstance({ __pulumiType: type }) === true;
}

/**
 * A policy's configuration: its schema defaults overlaid by the overrides for it.
 *
 * @example
 * configOf(requiredTagsPolicy, {}); // { tags: { Environment: "production", CostCenter: "fraud-detection" } }
 */
function configOf(policy: Policy, overrides: PackConfig): Record<string, unknown> {
  const defaults = Object.fromEntries(
    Object.entries(policy.configSchema?.properties ?? {})
      .filter(([, schema]) => schema.default !== undefined)
      .map(([key, schema]) => [key, schema.default]),
  );
  return { ...defaults, ...overrides[policy.name] };
}

function engineArgs(policy: Policy, overrides: PackConfig) {
  return {
    stackTags: new Map<string, string>() as ReadonlyMap<string, string>,
    getConfig: <T extends object>() => configOf(policy, overrides) as T,
    notApplicable: (): never => {
      throw NOT_APPLICABLE;
    },
  };
}

/** Runs one validation, sorting its outcome like the engine: unknown values make it advisory. */
async function settle(policy: Policy, run: () => unknown, into: PackRun): Promise<void> {
  try {
    await Promise.resolve(run());
  } catch (error) {
    if (error === NOT_APPLICABLE) return;
    if (error instanceof UnknownValueError) {
      into.advisories.push({ policy: policy.name, message: (error as Error).message });
      return;
    }
    throw error;
  }
}

function resourceArgs(
  resource: GuardResource,
  policy: Policy,
  overrides: PackConfig,
): ResourceValidationArgs {
  const props = unknownCheckingProxy(resource.props);
  return {
    ...engineArgs(policy, overrides),
    type: resource.type,
    name: resource.name,
    urn: resource.urn ?? urnOf(resource.type, resource.name),
    props,
    opts: optionsOf(resource),
    ...(resource.provider === undefined ? {} : { provider: resource.provider }),
    isType: (resourceClass) => isTypeOf(resource.type, resourceClass),
    asType: (resourceClass) => (isTypeOf(resource.type, resourceClass) ? props : undefined) as never,
  };
}

function stackResources(resources: readonly GuardResource[]): PolicyResource[] {
  const built = resources.map((resource) => {
    const props = unknownCheckingProxy(resource.props);
    const policyResource: PolicyResource = {
      type: resource.type,
      name: resource.name,
      urn: resource.urn ?? urnOf(resource.type, resource.name),
      props,
      opts: optionsOf(resource),
      dependencies: [],
      propertyDependencies: {},
      ...(resource.provider === undefined ? {} : { provider: resource.provider }),
      isType: (resourceClass) => isTypeOf(resource.type, resourceClass),
      asType: (resourceClass) => (isTypeOf(resource.type, resourceClass) ? props : undefined) as never,
    };
    return { resource, policyResource };
  });
  const byUrn = new Map(built.map(({ policyResource }) => [policyResource.urn, policyResource]));
  const lookup = (urns: readonly string[] = []) =>
    urns.map((urn) => byUrn.get(urn)).filter((found): found is PolicyResource => found !== undefined);
  for (const { resource, policyResource } of built) {
    const parent = resource.parent === undefined ? undefined : byUrn.get(resource.parent);
    if (parent !== undefined) policyResource.parent = parent;
    policyResource.dependencies = lookup(resource.dependencies);
    for (const [property, urns] of Object.entries(resource.propertyDependencies ?? {})) {
      policyResource.propertyDependencies[property] = lookup(urns);
    }
  }
  return built.map(({ policyResource }) => policyResource);
}

/**
 * Runs every policy of the pack (or `policies`) over the resources.
 *
 * @example
 * const { violations } = await runPack(happyStack());
 * expect(violations).to.deep.equal([]);
 */
async function runPack(
  resources: readonly GuardResource[],
  config: PackConfig = {},
  policies = guardPolicies,
): Promise<PackRun> {
  const run: PackRun = { violations: [], advisories: [] };
  for (const policy of policies) {
    const record = (message: string, urn?: string) =>
      run.violations.push({ policy: policy.name, message, ...(urn === undefined ? {} : { urn }) });
    if ("validateStack" in policy) {
      const stackPolicy = policy as StackValidationPolicy;
      const args = { ...engineArgs(policy, config), resources: stackResources(resources) };
      await settle(policy, () => stackPolicy.validateStack(args, record), run);
      continue;
    }
    const validations = [(policy as ResourceValidationPolicy).validateResource ?? []].flat();
    for (const resource of resources) {
      const urn = resource.urn ?? urnOf(resource.type, resource.name);
      for (const validation of validations) {
        const args = resourceArgs(resource, policy, config);
        await settle(policy, () => validation(args, (message) => record(message, urn)), run);
      }
    }
  }
  return run;
}

function providerOf(
  recorded: RecordedResource,
  all: readonly RecordedResource[],
): PolicyProviderResource | undefined {
  const [, , qualifiedType = "", name = ""] = recorded.provider.split("::");
  const type = qualifiedType.split("$").pop() ?? "";
  const provider = all.find((candidate) => candidate.type === type && candidate.name === name);
  return provider === undefined ? undefined : { type, name, urn: urnOf(type, name), props: provider.inputs };
}

/**
 * The recorded graph of the program (test/helpers/stack.ts) as the engine would show it. The
 * recorder keeps each resource's dependencies but not which property they feed, so every
 * dependency stands in for each property that refers to another resource; props are the inputs
 * (the mocks' computed outputs are not recorded).
 *
 * @example
 * const { violations } = await runPack(fromLoadedStack(await loadStack()));
 */
function fromLoadedStack(stack: LoadedStack): GuardResource[] {
  return stack.resources.map((recorded) => {
    const dependencies = recorded.dependencies.map((ref) => urnOf(ref.type, ref.name));
    const provider = providerOf(recorded, stack.resources);
    return {
      type: recorded.type,
      name: recorded.name,
      props: recorded.inputs,
      protect: recorded.protect,
      dependencies,
      propertyDependencies: Object.fromEntries(
        Object.keys(recorded.inputs).map((key) => [key, dependencies]),
      ),
      ...(provider === undefined ? {} : { provider }),
    };
  });
}

export type { Finding, GuardResource, PackConfig, PackRun };
export { configOf, fromLoadedStack, runPack, urnOf };
