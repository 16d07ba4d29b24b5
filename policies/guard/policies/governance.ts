/**
 * Policies on every resource: tags (10), destroyability (11), names (12), region (13).
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { checkPhysicalName, stackOfUrn } from "../checks/naming";
import { checkNotProtected, checkRegion } from "../checks/options";
import { checkRequiredTags, effectiveTags, isTaggable } from "../checks/tags";
import { isSet } from "../checks/values";
import {
  GUARD_DEFAULTS,
  PHYSICAL_NAMES_SCHEMA,
  type PhysicalNamesConfig,
  REQUIRED_TAGS_SCHEMA,
  type RequiredTagsConfig,
  withDefaults,
} from "../config";
import { reportEach, subjectOf } from "./report";

const AWS_PROVIDER_TYPE = "pulumi:providers:aws";

const requiredTags: ResourceValidationPolicy = {
  name: "required-tags",
  description:
    "Every taggable resource carries the tags Environment=production and CostCenter=fraud-detection.",
  configSchema: REQUIRED_TAGS_SCHEMA,
  validateResource: (args, report) => {
    if (!isTaggable(args.type, args.props)) {
      return;
    }
    const config = withDefaults<RequiredTagsConfig>(
      GUARD_DEFAULTS.requiredTags,
      args.getConfig<RequiredTagsConfig>(),
    );
    const providerProps = args.provider?.type === AWS_PROVIDER_TYPE ? args.provider.props : undefined;
    const tags = effectiveTags(args.props.tags, providerProps);
    reportEach(checkRequiredTags(subjectOf(args), tags, config.tags), report);
  },
};

const noProtect: ResourceValidationPolicy = {
  name: "no-protect",
  description: "No resource is protected, so pulumi destroy can remove the whole stack.",
  validateResource: (args, report) => reportEach(checkNotProtected(subjectOf(args), args.opts), report),
};

const physicalNames: ResourceValidationPolicy = {
  name: "physical-names",
  description:
    "Every named resource is named {resource-type}-{purpose}-{environmentSuffix}, e.g. lambda-process-transaction-dev.",
  configSchema: PHYSICAL_NAMES_SCHEMA,
  validateResource: (args, report) => {
    const config = withDefaults<PhysicalNamesConfig>(
      GUARD_DEFAULTS.physicalNames,
      args.getConfig<PhysicalNamesConfig>(),
    );
    reportEach(
      checkPhysicalName(subjectOf(args), args.props, config.suffixPattern, stackOfUrn(args.urn)),
      report,
    );
  },
};

const regionUsEast1: ResourceValidationPolicy = {
  name: "region-us-east-1",
  description:
    "Every resource whose region is visible (its own region input or its AWS provider's) is in us-east-1.",
  validateResource: (args, report) => {
    const subject = subjectOf(args);
    if (isSet(args.props, "region")) {
      reportEach(checkRegion(subject, "region", args.props.region), report);
    }
    const provider = args.provider;
    if (provider?.type === AWS_PROVIDER_TYPE && isSet(provider.props, "region")) {
      reportEach(checkRegion(subject, `provider "${provider.name}" region`, provider.props.region), report);
    }
  },
};

export { noProtect, physicalNames, regionUsEast1, requiredTags };
