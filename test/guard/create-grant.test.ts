/** The CreateGrant rule on policy documents, wildcards and all. */
import { expect } from "chai";
import { checkCreateGrantCondition } from "../../policies/guard/checks/kms";

const SUBJECT = { type: "aws:kms/key:Key", name: "k" };

function documentWith(statement: Record<string, unknown>): string {
  return JSON.stringify({ Version: "2012-10-17", Statement: [{ Resource: "*", ...statement }] });
}

const FOR_AWS_RESOURCES = { Bool: { "kms:GrantIsForAWSResource": "true" } };

describe("Function: checkCreateGrantCondition", () => {
  for (const action of [
    "kms:CreateGrant",
    "kms:*",
    "kms:Create*",
    "*",
    "KMS:creategrant",
    "kms:CreateGra?t",
  ]) {
    it(`judges an Allow of ${JSON.stringify(action)} as allowing CreateGrant`, () => {
      expect(
        checkCreateGrantCondition(SUBJECT, "policy", documentWith({ Effect: "Allow", Action: action })),
      ).to.have.length(1);
      expect(
        checkCreateGrantCondition(
          SUBJECT,
          "policy",
          documentWith({ Effect: "Allow", Action: action, Condition: FOR_AWS_RESOURCES }),
        ),
      ).to.deep.equal([]);
    });
  }

  it("judges an Allow with a NotAction that leaves CreateGrant in, but not one that takes it out", () => {
    const leftIn = documentWith({ Effect: "Allow", NotAction: ["kms:Decrypt"] });
    const takenOut = documentWith({ Effect: "Allow", NotAction: ["kms:Create*"] });
    expect(checkCreateGrantCondition(SUBJECT, "policy", leftIn)).to.have.length(1);
    expect(checkCreateGrantCondition(SUBJECT, "policy", takenOut)).to.deep.equal([]);
  });

  it("accepts the condition as a JSON boolean too", () => {
    const document = documentWith({
      Effect: "Allow",
      Action: "kms:CreateGrant",
      Condition: { Bool: { "kms:GrantIsForAWSResource": true } },
    });
    expect(checkCreateGrantCondition(SUBJECT, "policy", document)).to.deep.equal([]);
  });

  it("refuses BoolIfExists, which lets a request without the key through", () => {
    const document = documentWith({
      Effect: "Allow",
      Action: "kms:CreateGrant",
      Condition: { BoolIfExists: { "kms:GrantIsForAWSResource": "true" } },
    });
    expect(checkCreateGrantCondition(SUBJECT, "policy", document)).to.have.length(1);
  });

  it("ignores statements that do not allow CreateGrant, and Deny statements", () => {
    expect(
      checkCreateGrantCondition(
        SUBJECT,
        "policy",
        documentWith({ Effect: "Allow", Action: ["kms:Decrypt"] }),
      ),
    ).to.deep.equal([]);
    expect(
      checkCreateGrantCondition(
        SUBJECT,
        "policy",
        documentWith({ Effect: "Deny", Action: ["kms:CreateGrant"] }),
      ),
    ).to.deep.equal([]);
  });

  it("refuses a missing document only where one is required (a key policy)", () => {
    expect(checkCreateGrantCondition(SUBJECT, "policy", undefined)).to.deep.equal([]);
    expect(checkCreateGrantCondition(SUBJECT, "policy", undefined, { required: true })).to.have.length(1);
    expect(checkCreateGrantCondition(SUBJECT, "policy", "not json")).to.have.length(1);
  });
});
