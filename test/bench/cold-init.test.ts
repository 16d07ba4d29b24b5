import { assert, expect } from "chai";
import type { BenchArtifact } from "../../bench/artifacts";
import { v2RecordOutcomeFactory } from "../../bench/baseline/factories";
import { measureColdInit } from "../../bench/cold-init";
import { checkFirstResult, firstInvocations } from "../../bench/first-invocation";
import { FACTORY_ENV } from "../../bench/functions";
import { reportTables } from "../../bench/report";
import { type ArchiveDir, serializedCode, shippedCode, writeArchiveDir } from "../../bench/shipped-code";
import { recordOutcomeFactory } from "../../pipeline/runtime/lambda/record-outcome";
import { thrownBy } from "../helpers/expect";
import { useAwsLoopback } from "../helpers/loopback";

// aws-sdk v2 prints an end-of-support notice on a timer after it loads (here, at import); Lambda
// never prints it, and it would only clutter the test output.
process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE = "1";

describe("Function: measureColdInit (smoke, one round of record-outcome, no figure asserted)", function () {
  // Bundling and a dozen fresh Node 24 processes take seconds.
  this.timeout(120_000);
  const aws = useAwsLoopback();
  const dirs: ArchiveDir[] = [];
  const saved = { ...process.env };

  before(() => Object.assign(process.env, FACTORY_ENV));
  after(() => {
    for (const dir of dirs) dir.dispose();
    for (const name of Object.keys(FACTORY_ENV)) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });

  it("times init and init + first call of ours and the baseline, and reports ratios as v3/v2", async () => {
    // Prepare
    const artifacts: BenchArtifact[] = [];
    for (const [variant, code] of [
      ["v3", await shippedCode(recordOutcomeFactory)],
      ["v2", await serializedCode(v2RecordOutcomeFactory)],
    ] as const) {
      const dir = writeArchiveDir(code);
      dirs.push(dir);
      artifacts.push({
        fn: { name: "record-outcome", variant, factory: () => undefined },
        file: dir.file,
        bytes: code.text.length,
        text: code.text,
      });
    }

    // Act
    const result = await measureColdInit(artifacts, 1, aws());
    const [table] = reportTables({ coldInit: result });

    // Assess
    expect(result.node).to.equal("v24.21.0");
    expect(result.rows.map((row) => row.name)).to.deep.equal(["record-outcome"]);
    const [row] = result.rows;
    for (const figure of [row.init, row.firstInvocation, row.cpu.init, row.cpu.firstInvocation]) {
      expect(figure.ratio).to.equal(figure.v3.median / figure.v2.median);
    }
    expect(
      aws()
        .requests.map((request) => request.operation)
        .filter((operation) => operation === "TransactWriteItems").length,
      "the last first call recorded its outcome in the stand-in",
    ).to.equal(1);
    expect(table.title).to.match(/^1\. Cold init on Node 24\.21\.0/);
    expect(table.header).to.include.members(["init v3/v2", "+1st v3/v2"]);
    expect(
      table.notes?.some((note) =>
        note.includes("v3/v2 = ratio of the medians, below 1 means ours is faster"),
      ),
    ).to.be.ok;
  });
});

describe("Function: checkFirstResult", () => {
  it("accepts the usual answer and names the function and both answers otherwise", () => {
    // Prepare
    const first = firstInvocations()["record-outcome"];

    // Act
    const accept = () => checkFirstResult("record-outcome (v3)", first, { statusCode: 201, body: "{}" });
    const refused = thrownBy(() =>
      checkFirstResult("record-outcome (v3)", first, { statusCode: 500, body: "{}" }),
    );

    // Assess
    expect(accept).not.to.throw();
    assert.ok(refused instanceof Error);
    expect(refused.message).to.equal(
      'record-outcome (v3)\'s first invocation answered {"statusCode":500}, expected {"statusCode":201}',
    );
  });
});
