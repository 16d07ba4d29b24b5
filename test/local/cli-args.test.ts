import { expect } from "chai";
import { parseStartArgs, USAGE } from "../../local/cli-args";

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
        shutdownTimeoutMs: undefined,
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

  it("refuses a LOCAL_API_KEY that is set but blank, or that no header could carry, naming the variable", () => {
    // Act
    const results = ["", "   ", " key", "clé"].map((key) => parseStartArgs([], { LOCAL_API_KEY: key }));

    // Assess
    expect(results.map((parsed) => (parsed.ok ? "ok" : parsed.error))).to.deep.equal([
      "LOCAL_API_KEY is set but blank: set it to the key clients send in x-api-key, or unset it to require no key",
      "LOCAL_API_KEY is set but blank: set it to the key clients send in x-api-key, or unset it to require no key",
      "LOCAL_API_KEY must be printable ASCII without spaces at either end: set it to the key clients send in x-api-key, or unset it to require no key",
      "LOCAL_API_KEY must be printable ASCII without spaces at either end: set it to the key clients send in x-api-key, or unset it to require no key",
    ]);
  });

  it("reads --shutdown-timeout-ms, documents it in the help and names what is valid", () => {
    // Act
    const given = parseStartArgs(["--shutdown-timeout-ms", "2500"], {});
    const bad = parseStartArgs(["--shutdown-timeout-ms=-1"], {});

    // Assess
    expect(given.ok && given.args.shutdownTimeoutMs).to.equal(2500);
    expect(bad).to.deep.equal({
      ok: false,
      error: '--shutdown-timeout-ms must be an integer from 0 to 3600000, got "-1"',
    });
    expect(USAGE).to.match(/--shutdown-timeout-ms N +on SIGTERM or Ctrl-C, .*\n.*\(default 10000\)/);
  });
});
