/**
 * The fraud-pipeline guard: run with `pulumi preview --policy-pack policies/guard` (or `up`).
 * Constructing the pack starts the policy server the Pulumi CLI talks to, so tests import
 * `./policies` instead of this file.
 */
import { PolicyPack } from "@pulumi/policy";
import { guardPolicies } from "./policies";

new PolicyPack("fraud-pipeline-guard", { policies: guardPolicies, enforcementLevel: "mandatory" });
