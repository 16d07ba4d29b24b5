import { expect } from "chai";
import { parseStartArgs } from "../../local/cli-args";

describe("Function: parseStartArgs", () => {
  it("uses the defaults without flags or environment", () => {
    // Act
    const parsed = parseStartArgs([], {});

    // Assess
    expect(parsed).to.deep.equal({
      ok: true,
      args: {
        help: false,
        port: 3000,
        host: "127.0.0.1",
        outbox: ".local/outbox.jsonl",
        dataDir: undefined,
        dynamodbEndpoint: undefined,
        repair: false,
        apiKey: undefined,
        rulesFile: undefined,
        modelFile: undefined,
        rulesJson: undefined,
        visibilityTimeoutMs: undefined,
        logLevel: "warn",
      },
    });
  });

  it("reads the environment and lets flags win over it", () => {
    // Prepare
    const env = {
      PORT: "4000",
      DATA_DIR: "env-data",
      OUTBOX: "env.jsonl",
      LOCAL_API_KEY: "k",
      FRAUD_RULES_CONFIG: "{}",
    };

    // Act
    const parsed = parseStartArgs(["--port=0", "--data", "flag-data", "--rules", "r.json"], env);

    // Assess
    expect(parsed.ok).to.equal(true);
    if (!parsed.ok) return;
    expect(parsed.args.port).to.equal(0);
    expect(parsed.args.dataDir).to.equal("flag-data");
    expect(parsed.args.outbox).to.equal("env.jsonl");
    expect(parsed.args.apiKey).to.equal("k");
    expect(parsed.args.rulesFile).to.equal("r.json");
    expect(parsed.args.rulesJson).to.equal("{}");
  });

  it("reads --repair as a flag without a value", () => {
    // Act
    const parsed = parseStartArgs(["--data", "d", "--repair", "--port", "0"], {});

    // Assess
    expect(parsed.ok && parsed.args.repair).to.equal(true);
    expect(parsed.ok && parsed.args.port).to.equal(0);
  });

  it("names the option and what is valid for a bad port, an unknown flag or a missing value", () => {
    // Act
    const badPort = parseStartArgs([], { PORT: "http" });
    const unknown = parseStartArgs(["--verbose"], {});
    const missing = parseStartArgs(["--data"], {});

    // Assess
    expect(badPort).to.deep.equal({
      ok: false,
      error: '--port (or PORT) must be an integer from 0 to 65535, got "http"',
    });
    expect(unknown.ok).to.equal(false);
    expect(unknown.ok ? "" : unknown.error).to.match(/Unknown option "--verbose"/);
    expect(missing).to.deep.equal({ ok: false, error: "Option --data needs a value" });
  });

  it("takes --dynamodb-endpoint as given, leaving the URL check to the runner", () => {
    // Act
    const parsed = parseStartArgs(["--dynamodb-endpoint", "http://127.0.0.1:8000"], {});

    // Assess
    expect(parsed.ok && parsed.args.dynamodbEndpoint).to.equal("http://127.0.0.1:8000");
  });

  it("refuses --dynamodb-endpoint together with --data or DATA_DIR, naming both", () => {
    // Act
    const withFlag = parseStartArgs(["--dynamodb-endpoint=http://127.0.0.1:8000", "--data", "d"], {});
    const withEnv = parseStartArgs(["--dynamodb-endpoint=http://127.0.0.1:8000"], { DATA_DIR: "d" });

    // Assess
    for (const parsed of [withFlag, withEnv]) {
      expect(parsed.ok).to.equal(false);
      expect(!parsed.ok && parsed.error).to.match(
        /--dynamodb-endpoint and --data \(or DATA_DIR\) cannot be combined/,
      );
    }
  });
});
