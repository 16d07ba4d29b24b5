/**
 * Judgements on resource options and placement (constraints 11 and 13).
 */
import { type Subject, type Violations, violation } from "./values";

/** The one region the pipeline deploys to. */
const REQUIRED_REGION = "us-east-1";

/**
 * Constraint 11: the resource is not protected, so `pulumi destroy` removes it.
 *
 * @example
 * checkNotProtected({ type, name }, { protect: true }); // one violation
 */
function checkNotProtected(subject: Subject, opts: { readonly protect?: boolean }): Violations {
  return opts.protect === true
    ? [violation(subject, "opts.protect", true, "false (every resource is destroyable)")]
    : [];
}

/**
 * Constraint 13: a region, where one is visible (`region` input, provider `region`), is us-east-1.
 * An absent region is not judged here: it comes from the provider or the environment.
 *
 * @example
 * checkRegion({ type, name }, "region", "eu-west-1"); // one violation
 */
function checkRegion(subject: Subject, property: string, region: unknown): Violations {
  if (region === undefined || region === null || region === "" || region === REQUIRED_REGION) {
    return [];
  }
  return [violation(subject, property, region, JSON.stringify(REQUIRED_REGION))];
}

export { checkNotProtected, checkRegion, REQUIRED_REGION };
