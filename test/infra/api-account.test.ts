/** The region's API Gateway CloudWatch role setting: managed by the stack, or left as it is. */
import { expect } from "chai";
import { validateManageApiGatewayAccountRole } from "../../pipeline/infra/config";
import { fromLoadedStack, runPack } from "../helpers/guard";
import { T } from "../helpers/infra-graph";
import { DEFAULT_STACK_CONFIG, type LoadedStack, loadStack, single } from "../helpers/stack";

describe("Function: validateManageApiGatewayAccountRole", () => {
  it("defaults to true, for a first deployment in a region", () => {
    expect(validateManageApiGatewayAccountRole(undefined)).to.equal(true);
    expect(validateManageApiGatewayAccountRole("")).to.equal(true);
  });

  it("reads true and false as pulumi config stores them", () => {
    expect(validateManageApiGatewayAccountRole("true")).to.equal(true);
    expect(validateManageApiGatewayAccountRole("false")).to.equal(false);
  });

  for (const bad of ["no", "0", "False"]) {
    it(`rejects ${JSON.stringify(bad)}, naming the setting and both valid values`, () => {
      expect(() => validateManageApiGatewayAccountRole(bad)).to.throw(
        `Invalid config manageApiGatewayAccountRole=${JSON.stringify(bad)}: must be true (the stack sets the region's API Gateway CloudWatch role) or false (it is already set). Set it with: pulumi config set manageApiGatewayAccountRole <value>`,
      );
    });
  }
});

describe("Stack: manageApiGatewayAccountRole false", () => {
  let stack: LoadedStack;

  before(async () => {
    stack = await loadStack({ ...DEFAULT_STACK_CONFIG, manageApiGatewayAccountRole: "false" });
  });

  it("creates neither the account setting nor its role and policy", () => {
    const accountSetting = stack.resources.filter((r) => r.name === "apigateway-logs");
    expect(accountSetting).to.deep.equal([]);
    expect(stack.resources.filter((r) => r.type === T.account)).to.deep.equal([]);
  });

  it("still logs the stage's access to its own log group, waiting for no account setting", () => {
    // Prepare
    const stage = single(stack.resources, T.stage, "fraud-api");
    // Assess
    expect(stage.inputs.accessLogSettings.destinationArn).to.match(
      /:log-group:\/aws\/apigateway\/apigw-fraud-api-dev$/,
    );
    expect(stage.dependencies.map((d) => d.type)).not.to.include(T.account);
  });

  it("retains nothing on destroy", () => {
    expect(stack.resources.filter((r) => r.retainOnDelete)).to.deep.equal([]);
  });

  it("passes the guard pack", async () => {
    const { violations } = await runPack(fromLoadedStack(stack));
    expect(violations).to.deep.equal([]);
  });
});
