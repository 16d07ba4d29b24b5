import { assert, expect } from "chai";
import { v2ProcessTransactionFactory, v2RecordOutcomeFactory } from "../../bench/baseline/factories";
import { benchFunctions } from "../../bench/functions";
import { parseBenchArgs } from "../../bench/main";
import { reportTables } from "../../bench/report";
import { renderText } from "../../bench/table";
import { detectModelCost, measureWarm, type WarmRow } from "../../bench/warm";
import { type LoadedArtifact, loadArtifact, useEnv } from "../helpers/artifact";
import { outcomeEvent, validOutcome } from "../helpers/outcomes";
import { apiGatewayEvent, lambdaContext } from "../helpers/transactions";

// aws-sdk v2 prints an end-of-support notice on a timer after it loads (here, at import); Lambda
// never prints it, and it would only clutter the test output.
process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE = "1";

describe("Function: measureWarm (smoke, no figure asserted)", () => {
  let rows: WarmRow[];

  before(async () => {
    rows = await measureWarm({ warmupMs: 5, handlerMs: 30, floorMs: 10 });
  });

  it("measures every handler and its floor, detect-fraud with the default score and each model kind", () => {
    // Assess
    expect(rows.map((row) => [row.name, row.scorer])).to.deep.equal([
      ["process-transaction", undefined],
      ["detect-fraud", "default"],
      ["detect-fraud", "logistic-regression"],
      ["detect-fraud", "gradient-boosted-trees"],
      ["notify-team", undefined],
    ]);
    expect(rows.every((row) => row.handler.micros.n > 0 && row.floor.micros.n > 0)).to.be.ok;
  });

  it("gives each model row's per-record cost and its ratio to the default score and to the reference", () => {
    // Act
    const cost = detectModelCost(rows);
    const [table] = reportTables({ warm: rows, detectModelCost: cost });

    // Assess
    assert.ok(cost !== undefined);
    expect(cost.models.map((model) => model.kind)).to.deep.equal([
      "logistic-regression",
      "gradient-boosted-trees",
    ]);
    for (const value of [
      cost.defaultPerRecordMicros,
      ...cost.models.flatMap((m) => [m.perRecordMicros, m.toDefault, m.toReference, m.toReferenceByFloor]),
    ]) {
      expect(value, "positive").to.be.above(0);
    }
    expect(cost.reference.p50Micros).to.equal(2_337);
    expect(
      table.rows.map((row) => row[0]).filter((name) => String(name).startsWith("detect-fraud")),
    ).to.deep.equal([
      "detect-fraud",
      "detect-fraud with a model (logistic)",
      "detect-fraud with a model (trees)",
    ]);
    expect(table.notes?.some((note) => note.includes("2,337 µs p50 per batch of 100"))).to.be.ok;
    expect(table.notes?.some((note) => note.startsWith("Normalised by the floor"))).to.be.ok;
    expect(table.notes?.some((note) => /^Goal: with a model under 3x the reference/.test(note))).to.be.ok;
  });
});

describe("Function: benchFunctions", () => {
  it("lists all four functions, ours and the v2 baseline", () => {
    // Act
    const fns = benchFunctions().map((fn) => `${fn.variant} ${fn.name}`);

    // Assess
    expect(fns).to.deep.equal(
      ["v3", "v2"].flatMap((variant) =>
        ["process-transaction", "detect-fraud", "notify-team", "record-outcome"].map(
          (name) => `${variant} ${name}`,
        ),
      ),
    );
  });
});

describe("Function: v2ProcessTransactionFactory (baseline artifact)", () => {
  useEnv({
    TABLE_NAME: "dynamodb-transactions-test",
    AWS_REGION: "us-east-1",
    POWERTOOLS_LOG_LEVEL: "SILENT",
  });
  let artifact: LoadedArtifact<(event: unknown, context: unknown) => Promise<{ statusCode: number }>>;

  before(async () => {
    artifact = await loadArtifact(v2ProcessTransactionFactory);
  });

  after(() => artifact.dispose());

  it("serializes with aws-sdk as a require and answers like the real handler", async () => {
    // Act
    const response = await artifact.handler(apiGatewayEvent({ amount: "12.34" }), lambdaContext());

    // Assess
    expect(artifact.text).to.match(/require\("aws-sdk/);
    expect(response.statusCode).to.equal(400);
  });
});

describe("Function: v2RecordOutcomeFactory (baseline artifact)", () => {
  useEnv({
    TABLE_NAME: "dynamodb-transactions-test",
    MERCHANT_RISK_TABLE_NAME: "dynamodb-merchant-risk-test",
    AWS_REGION: "us-east-1",
    POWERTOOLS_LOG_LEVEL: "SILENT",
  });
  let artifact: LoadedArtifact<(event: unknown, context: unknown) => Promise<{ statusCode: number }>>;

  before(async () => {
    artifact = await loadArtifact(v2RecordOutcomeFactory);
  });

  after(() => artifact.dispose());

  it("serializes with aws-sdk as a require and answers an invalid outcome like the real handler", async () => {
    // Act
    const response = await artifact.handler(
      outcomeEvent({ ...validOutcome(), outcome: "stolen" }),
      lambdaContext(),
    );

    // Assess
    expect(artifact.text).to.match(/require\("aws-sdk/);
    expect(response.statusCode).to.equal(400);
  });
});

describe("Function: parseBenchArgs", () => {
  it("reads --quick and --only, and rejects an unknown figure by name", () => {
    // Act
    const parsed = parseBenchArgs(["--quick", "--only", "warm,capacity"]);
    const unknown = parseBenchArgs(["--only", "warm,speed"]);

    // Assess
    assert.ok(typeof parsed !== "string");
    expect(parsed.quick).to.equal(true);
    expect([...parsed.sections]).to.deep.equal(["warm", "capacity"]);
    expect(String(unknown)).to.match(/unknown figure speed/);
  });
});

describe("Function: renderText", () => {
  it("left-aligns the first column, right-aligns the others and formats numbers", () => {
    // Act
    const text = renderText({
      title: "T",
      header: ["name", "value"],
      rows: [
        ["a", 1234.5],
        ["bb", 0.5],
      ],
      notes: ["n"],
    });

    // Assess
    expect(text).to.equal(
      ["T", "name  value", "----  -----", "a     1,235", "bb    0.500", "  n"].join("\n"),
    );
  });
});
