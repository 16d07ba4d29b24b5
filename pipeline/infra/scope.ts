/** What every resource module of the component receives: names, tags, options and the account. */
import type * as pulumi from "@pulumi/pulumi";
import type { PhysicalNames } from "./naming";

/** Region the stack deploys to; the component's provider is pinned to it. */
const REGION = "us-east-1";

interface Scope {
  readonly names: PhysicalNames;
  /** Passed explicitly to every taggable resource (besides the provider's default tags). */
  readonly tags: Readonly<Record<string, string>>;
  /** Parent (the component) and the pinned provider. */
  readonly opts: pulumi.CustomResourceOptions;
  readonly accountId: pulumi.Output<string>;
}

export type { Scope };
export { REGION };
