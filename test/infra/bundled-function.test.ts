/** bundledFunction keeps CallbackFunction's handling of a closure that captured a secret. */
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import * as sinon from "sinon";
import { bundledFunction } from "../../pipeline/infra/bundled-function";
import { MOCK_ACCOUNT_ID } from "../helpers/stack";

const ROLE_ARN = `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/role-probe-test`;

/** Whether an Output is secret (`isSecret` is a promise Pulumi keeps on every Output). */
function isSecretOutput(output: pulumi.Output<unknown>): Promise<boolean> {
  return (output as unknown as { isSecret: Promise<boolean> }).isSecret;
}

describe("Function: bundledFunction and captured secrets", () => {
  let warn: sinon.SinonStub;
  let secretFn: pulumi.CustomResource & { code: pulumi.Output<unknown> };
  let plainFn: pulumi.CustomResource & { code: pulumi.Output<unknown> };

  before(async () => {
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }),
        call: (args) => args.inputs,
      },
      "fraud-pipeline",
      "test",
      false,
    );
    warn = sinon.stub(pulumi.log, "warn");
    const token = pulumi.secret("not-for-the-archive");
    const capturesSecret = () => {
      const captured = token;
      return async () => captured.get();
    };
    const capturesNothing = () => async () => "plain";
    const settings = { runtime: "nodejs24.x", role: ROLE_ARN } as const;
    secretFn = bundledFunction("secret-probe", { ...settings, factory: capturesSecret });
    plainFn = bundledFunction("plain-probe", { ...settings, factory: capturesNothing });
    await Promise.all([isSecretOutput(secretFn.code), isSecretOutput(plainFn.code)]);
  });

  after(() => warn.restore());

  it("makes the archive a secret and warns naming the function when the closure captured a secret", async () => {
    // Assess
    expect(await isSecretOutput(secretFn.code)).to.equal(true);
    const warnings = warn.getCalls().map((call) => String(call.args[0]));
    expect(warnings.filter((w) => w.includes("'secret-probe'") && w.includes("secret value"))).to.have.length(
      1,
    );
  });

  it("keeps the archive of a closure without secrets plain, without a warning", async () => {
    // Assess
    expect(await isSecretOutput(plainFn.code)).to.equal(false);
    expect(warn.getCalls().filter((call) => String(call.args[0]).includes("'plain-probe'"))).to.deep.equal(
      [],
    );
  });
});
