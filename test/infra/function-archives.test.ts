/** What each function uploads: one bundled index.js that starts on Node 24 with nothing installed beside it. */
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { bundleFactory, clearBundleCache } from "../../pipeline/infra/handler-bundle";
import { ENV } from "../../pipeline/runtime/env";
import { detectFraudFactory } from "../../pipeline/runtime/lambda/detect-fraud";
import { notifyTeamFactory } from "../../pipeline/runtime/lambda/notify-team";
import { processTransactionFactory } from "../../pipeline/runtime/lambda/process-transaction";
import { recordOutcomeFactory } from "../../pipeline/runtime/lambda/record-outcome";
import { coldLoad, externalRequires, nodeModulesAbove } from "../helpers/archive";
import { PURPOSES, T } from "../helpers/infra-graph";
import { archiveFiles, type LoadedStack, loadStack, shippedHandler, single } from "../helpers/stack";

/**
 * The Node built-ins a bundle may leave to the runtime; every package is inside the bundle. Not
 * node:fs/promises, node:zlib nor node:http2: the SDK code that loads them is left out or replaced
 * (pipeline/infra/bundle-plugins.ts).
 */
const ALLOWED_EXTERNALS = [
  "node:async_hooks",
  "node:console",
  "node:crypto",
  "node:fs",
  "node:http",
  "node:https",
  "node:os",
  "node:path",
  "node:process",
  "node:stream",
];

/** What every factory reads at cold start, as Lambda and the stack set it (values are placeholders). */
const COLD_START_ENV: Readonly<Record<string, string>> = {
  [ENV.tableName]: "dynamodb-transactions-test",
  [ENV.accountIndexName]: "account-timestamp-index",
  [ENV.alertQueueUrl]: "https://sqs.us-east-1.amazonaws.com/123456789012/sqs-fraud-alerts-test",
  [ENV.topicArn]: "arn:aws:sns:us-east-1:123456789012:sns-fraud-notifications-test",
  [ENV.merchantRiskTableName]: "dynamodb-merchant-risk-test",
  AWS_REGION: "us-east-1",
};

/** The factory the dev stack (no fraudModel) passes for each function. */
const FACTORIES: Record<(typeof PURPOSES)[number], () => unknown> = {
  "process-transaction": processTransactionFactory,
  "detect-fraud": detectFraudFactory,
  "notify-team": notifyTeamFactory,
  "record-outcome": recordOutcomeFactory,
};

describe("Stack: function archives (one bundled index.js each)", () => {
  let stack: LoadedStack;
  const shipped = (purpose: string) => shippedHandler(single(stack.resources, T.fn, purpose));

  before(async () => {
    stack = await loadStack();
  });

  it("uploads exactly one file, index.js, run as index.handler on nodejs24.x", async () => {
    for (const purpose of PURPOSES) {
      // Act
      const fn = single(stack.resources, T.fn, purpose);
      const files = await archiveFiles(fn);
      // Assess
      expect(Object.keys(files), purpose).to.deep.equal(["index.js"]);
      expect(fn.inputs.handler, purpose).to.equal("index.handler");
      expect(fn.inputs.runtime, purpose).to.equal("nodejs24.x");
    }
  });

  it("bundles the same bytes again from a fresh cache", async function () {
    this.timeout(120_000);
    for (const purpose of PURPOSES) {
      // Prepare
      const first = await shipped(purpose);
      clearBundleCache();
      // Act
      const again = await bundleFactory(FACTORIES[purpose]);
      // Assess
      expect(again.code === first, `${purpose} bundled differently`).to.be.ok;
    }
  });

  it("holds no path of this checkout or machine, so a clone elsewhere bundles the same bytes", async () => {
    // Prepare: what differs between two checkouts of one commit on two machines.
    const projectRoot = path.resolve(__dirname, "../..");
    // A root home (`/`) or a very short path would match any code; those say nothing here.
    const local = [projectRoot, os.homedir(), os.tmpdir()].filter((text) => text.length >= 5);
    for (const purpose of PURPOSES) {
      // Act
      const code = await shipped(purpose);
      // Assess
      for (const text of local) expect(code.includes(text), `${purpose} holds ${text}`).to.equal(false);
      expect(code, purpose).not.to.match(/node_modules[\\/]/);
    }
  });

  it("leaves no dynamic import() and requires nothing at run time but allowed Node built-ins", async () => {
    for (const purpose of PURPOSES) {
      // Act
      const code = await shipped(purpose);
      const externals = externalRequires(code);
      // Assess
      expect(code.includes("import("), `${purpose} keeps a dynamic import()`).to.equal(false);
      expect(externals.length > 0, purpose).to.be.ok;
      expect(
        externals.filter((specifier) => !ALLOWED_EXTERNALS.includes(specifier)),
        purpose,
      ).to.deep.equal([]);
    }
  });

  it("takes credentials from the environment only, not the SDK's default chain", async () => {
    for (const purpose of PURPOSES) {
      // Act
      const code = await shipped(purpose);
      // Assess
      expect(code.includes("@aws-sdk/credential-provider-env - fromEnv"), purpose).to.be.ok;
      // The chain's steps log these on first use; package.json copies name the chain as a dependency.
      expect(code.includes("@aws-sdk/credential-provider-node - defaultProvider"), purpose).to.equal(false);
      expect(code.includes("@aws-sdk/credential-provider-ini - fromIni"), purpose).to.equal(false);
    }
  });

  it("starts on Node 24 from a directory without node_modules and exports the handler", async function () {
    this.timeout(60_000);
    expect(nodeModulesAbove(os.tmpdir()), "a node_modules above the temp directory").to.equal(false);
    for (const purpose of PURPOSES) {
      // Act
      const { handlerType, loadedFiles } = coldLoad(await shipped(purpose), COLD_START_ENV);
      // Assess
      expect(handlerType, purpose).to.equal("function");
      expect(loadedFiles, purpose).to.deep.equal(["index.js"]);
    }
  });
});
