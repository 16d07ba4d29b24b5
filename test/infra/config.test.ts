/** Pure validators of the stack configuration. */

import * as path from "node:path";
import { expect } from "chai";
import fc from "fast-check";
import {
  loadFraudModel,
  validateAlertEmail,
  validateEnvironmentSuffix,
  validateFraudRules,
  validateOpsEmail,
} from "../../pipeline/infra/config";
import { limitedNames, MAX_SUFFIX_LENGTH, physicalNames } from "../../pipeline/infra/naming";
import { FEATURE_NAMES } from "../../pipeline/runtime/detect/features/registry";
import { parseFraudModel } from "../../pipeline/runtime/detect/model/format";
import { matchesError, thrownBy } from "../helpers/expect";
import { fraudModelJson, useTempFile } from "../helpers/stack";

const SUFFIX_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789-".split("");

/** Suffixes the rule accepts: lowercase letters, digits and inner hyphens, 1..MAX_SUFFIX_LENGTH long. */
const validSuffix = fc
  .stringMatching(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/)
  .filter((s) => s.length <= MAX_SUFFIX_LENGTH);

describe("Function: validateEnvironmentSuffix", () => {
  it("accepts every suffix of lowercase letters, digits and inner hyphens up to the maximum length", () => {
    fc.assert(fc.property(validSuffix, (suffix) => validateEnvironmentSuffix(suffix) === suffix));
  });

  it("keeps every derived name within its AWS limit for every accepted suffix", () => {
    fc.assert(
      fc.property(validSuffix, (suffix) =>
        limitedNames(physicalNames(validateEnvironmentSuffix(suffix))).every(
          ({ name, limit }) => name.length <= limit,
        ),
      ),
    );
  });

  it("accepts the longest allowed suffix, whose Lambda name is exactly 64 characters", () => {
    // Prepare
    const suffix = "a".repeat(MAX_SUFFIX_LENGTH);
    // Act
    const accepted = validateEnvironmentSuffix(suffix);
    // Assess
    expect(physicalNames(accepted).functions.process.function.length).to.equal(64);
  });

  it("rejects one character more than the maximum, naming the setting and the limit", () => {
    expect(String(thrownBy(() => validateEnvironmentSuffix("a".repeat(MAX_SUFFIX_LENGTH + 1))))).to.match(
      new RegExp(`environmentSuffix="a{${MAX_SUFFIX_LENGTH + 1}}".*1 to ${MAX_SUFFIX_LENGTH}`),
    );
  });

  it("rejects any suffix containing a character outside lowercase letters, digits and hyphens", () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 10 }),
        fc.string({ minLength: 1, maxLength: 1 }).filter((c) => !SUFFIX_CHARS.includes(c)),
        fc.string({ maxLength: 10 }),
        (before, bad, after) => {
          expect(String(thrownBy(() => validateEnvironmentSuffix(`${before}${bad}${after}`)))).to.match(
            /environmentSuffix=/,
          );
        },
      ),
    );
  });

  for (const bad of ["", "-dev", "dev-", "Dev", "dev_1", "dév"]) {
    it(`rejects ${JSON.stringify(bad)}, naming the setting and the value`, () => {
      expect(thrownBy(() => validateEnvironmentSuffix(bad))).to.satisfy(
        matchesError({
          message: new RegExp(`environmentSuffix=${JSON.stringify(bad)}`),
        }),
      );
    });
  }

  it("says when the rejected value came from the stack name", () => {
    expect(String(thrownBy(() => validateEnvironmentSuffix("Prod", { fromStackName: true })))).to.match(
      /defaults to the stack name/,
    );
  });
});

describe("Function: validateAlertEmail", () => {
  for (const good of ["fraud-team@example.com", "a.b+alerts@sub.example.co.uk"]) {
    it(`accepts ${good}`, () => {
      expect(validateAlertEmail(good)).to.equal(good);
    });
  }

  for (const missing of [undefined, "", "   "]) {
    it(`rejects ${JSON.stringify(missing)} as missing, naming the setting`, () => {
      expect(String(thrownBy(() => validateAlertEmail(missing)))).to.match(
        /Missing required config alertEmail/,
      );
    });
  }

  for (const bad of ["fraud-team", "fraud team@example.com", "a@b", "a@@example.com", "a@example."]) {
    it(`rejects ${JSON.stringify(bad)}, naming the setting and the value`, () => {
      expect(thrownBy(() => validateAlertEmail(bad))).to.satisfy(
        matchesError({
          message: new RegExp(`alertEmail=${JSON.stringify(bad)}`),
        }),
      );
    });
  }

  it("rejects an address longer than 254 characters", () => {
    expect(String(thrownBy(() => validateAlertEmail(`${"a".repeat(250)}@example.com`)))).to.match(
      /alertEmail=.*at most 254/,
    );
  });
});

describe("Function: validateOpsEmail", () => {
  it("accepts an address", () => {
    expect(validateOpsEmail("oncall@example.com")).to.equal("oncall@example.com");
  });

  for (const unset of [undefined, "", "   "]) {
    it(`means no subscription for ${JSON.stringify(unset)}`, () => {
      expect(validateOpsEmail(unset)).to.equal(undefined);
    });
  }

  for (const bad of ["oncall", "on call@example.com", "a@b"]) {
    it(`rejects ${JSON.stringify(bad)}, naming the setting and the value`, () => {
      expect(thrownBy(() => validateOpsEmail(bad))).to.satisfy(
        matchesError({ message: new RegExp(`opsEmail=${JSON.stringify(bad)}`) }),
      );
    });
  }

  it("rejects an address longer than 254 characters", () => {
    expect(String(thrownBy(() => validateOpsEmail(`${"a".repeat(250)}@example.com`)))).to.match(
      /opsEmail=.*at most 254/,
    );
  });
});

describe("Function: validateFraudRules", () => {
  it("reads decimal text, as pulumi config set --path stores a fraction, back as numbers", () => {
    // Act
    const json = validateFraudRules('{"threshold":"62.5","rules":{"amountSpike":{"minMultiple":"2.5"}}}');

    // Assess
    expect(json).to.equal('{"threshold":62.5,"rules":{"amountSpike":{"minMultiple":2.5}}}');
  });

  it("still rejects text that is not a number, naming the setting", () => {
    // Assess
    expect(String(thrownBy(() => validateFraudRules('{"threshold":"high"}')))).to.match(
      /Invalid config fraudRules=.*threshold/,
    );
    expect(String(thrownBy(() => validateFraudRules('{"threshold":"1e3"}')))).to.match(
      /Invalid config fraudRules=.*threshold/,
    );
  });

  it("means the detector defaults when unset", () => {
    expect(validateFraudRules(undefined)).to.equal(undefined);
  });

  it("returns compact JSON of a valid override", () => {
    expect(validateFraudRules('{ "threshold": 80 }')).to.equal('{"threshold":80}');
  });

  for (const bad of ["not json", "[1]", "null", "42"]) {
    it(`rejects ${JSON.stringify(bad)} as not a JSON object, naming fraudRules`, () => {
      expect(String(thrownBy(() => validateFraudRules(bad)))).to.match(
        /Invalid config fraudRules=.*JSON object/,
      );
    });
  }

  it("rejects an unknown key with the detector's message, naming fraudRules and the key", () => {
    expect(String(thrownBy(() => validateFraudRules('{"treshold": 80}')))).to.match(
      /Invalid config fraudRules=.*treshold/,
    );
  });

  it("rejects an out-of-range value, naming fraudRules and the setting", () => {
    expect(String(thrownBy(() => validateFraudRules('{"threshold": -1}')))).to.match(
      /Invalid config fraudRules=.*threshold/,
    );
  });
});

describe("Function: loadFraudModel", () => {
  const text = JSON.stringify(fraudModelJson());
  const file = useTempFile("MODEL.json", text);
  const projectDir = path.dirname(file);
  const options = { namespace: "fraud-pipeline", projectDir };

  it("means no model when unset or blank", () => {
    expect(loadFraudModel(undefined, options)).to.equal(undefined);
    expect(loadFraudModel("  ", options)).to.equal(undefined);
  });

  it("reads a path relative to the project directory, or an absolute one, into the validated model", () => {
    // Act
    const relative = loadFraudModel("MODEL.json", options);
    const absolute = loadFraudModel(file, { namespace: "fraud-pipeline" });
    // Assess
    expect(relative).to.deep.equal(parseFraudModel(text, FEATURE_NAMES));
    expect(absolute).to.deep.equal(relative);
  });

  it("names the namespaced setting, the value, the file and the problem when there is no file", () => {
    expect(thrownBy(() => loadFraudModel("models/MODEL.json", options))).to.satisfy(
      matchesError({
        message:
          `Invalid config fraud-pipeline:fraudModel="models/MODEL.json" (${path.join(projectDir, "models", "MODEL.json")}): ` +
          "no such file. Set it to a MODEL.json written by npm run train, relative to the project directory: " +
          "pulumi config set fraudModel <path>",
      }),
    );
  });

  it("names the problem when the path is not a readable file", () => {
    expect(thrownBy(() => loadFraudModel(".", options))).to.satisfy(
      matchesError({
        message: /^Invalid config fraud-pipeline:fraudModel="\." \(.*\): cannot be read \(EISDIR\)\. /,
      }),
    );
  });

  const badModels = [
    ["malformed", useTempFile("MODEL.json", "{"), /: Fraud model is not valid JSON: /],
    [
      "out of feature order",
      useTempFile("MODEL.json", JSON.stringify(fraudModelJson({ features: [...FEATURE_NAMES].reverse() }))),
      /: Fraud model features are not in this version's order: retrain with npm run train\. /,
    ],
  ] as const;
  for (const [what, written, problem] of badModels) {
    it(`passes on the model format's own message for a ${what} model`, () => {
      expect(thrownBy(() => loadFraudModel(written, options))).to.satisfy(
        matchesError({
          message: new RegExp(`^Invalid config fraud-pipeline:fraudModel=.*${problem.source}`),
        }),
      );
    });
  }
});
