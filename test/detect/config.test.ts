import { assert, expect } from "chai";
import { DEFAULT_RULES_CONFIG, parseRulesConfig } from "../../pipeline/runtime/detect/config";
import { ERROR_NAMES, isRuntimeError } from "../../pipeline/runtime/errors";

/** The message of the ConfigurationError `json` raises; fails the test if it raises nothing else. */
function configError(json: string): string {
  try {
    parseRulesConfig(json);
  } catch (error) {
    assert.ok(
      isRuntimeError(error, ERROR_NAMES.configuration),
      `expected a ConfigurationError, got ${error}`,
    );
    return error.message;
  }
  expect.fail(`expected ${json} to be rejected`);
}

describe("Function: parseRulesConfig", () => {
  it("returns the defaults for undefined, empty and blank text", () => {
    // Prepare
    const inputs = [undefined, "", "  \n"];

    // Act
    const configs = inputs.map(parseRulesConfig);

    // Assess
    for (const config of configs) expect(config).to.deep.equal(DEFAULT_RULES_CONFIG);
  });

  it("accepts the defaults written out in full", () => {
    // Prepare
    const json = JSON.stringify(DEFAULT_RULES_CONFIG);

    // Act
    const config = parseRulesConfig(json);

    // Assess
    expect(config).to.deep.equal(DEFAULT_RULES_CONFIG);
  });

  it("deep-merges a partial override and keeps every other default", () => {
    // Prepare
    const json = JSON.stringify({
      threshold: 75,
      rules: { velocity: { maxCount: 8 }, highAmount: { limits: { CHF: 900_000 } } },
    });

    // Act
    const config = parseRulesConfig(json);

    // Assess
    expect(config.threshold).to.equal(75);
    expect(config.rules.velocity.maxCount).to.equal(8);
    expect(config.rules.velocity.windowMs).to.equal(DEFAULT_RULES_CONFIG.rules.velocity.windowMs);
    expect(config.rules.highAmount.limits).to.deep.equal({
      ...DEFAULT_RULES_CONFIG.rules.highAmount.limits,
      CHF: 900_000,
    });
    expect(config.rules.amountSpike).to.deep.equal(DEFAULT_RULES_CONFIG.rules.amountSpike);
    expect(config.history).to.deep.equal(DEFAULT_RULES_CONFIG.history);
  });

  it("does not change the defaults when merging", () => {
    // Prepare
    const before = JSON.stringify(DEFAULT_RULES_CONFIG);

    // Act
    parseRulesConfig('{"rules": {"highAmount": {"limits": {"USD": 5}}}}');

    // Assess
    expect(JSON.stringify(DEFAULT_RULES_CONFIG)).to.equal(before);
  });

  it("accepts maxScore 0, which switches a rule off", () => {
    // Act
    const config = parseRulesConfig('{"rules": {"velocity": {"maxScore": 0}}}');

    // Assess
    expect(config.rules.velocity.maxScore).to.equal(0);
  });

  it("rejects text that is not JSON", () => {
    // Act
    const message = configError("{threshold: 1}");

    // Assess
    expect(message).to.match(/not valid JSON/);
  });

  it("rejects a top level that is not an object", () => {
    // Act
    const message = configError("[1, 2]");

    // Assess
    expect(message).to.match(/the top level must be a JSON object, got an array/);
  });

  it("names the dotted path of an unknown key and lists the valid keys", () => {
    // Act
    const message = configError('{"rules": {"velocity": {"maxcount": 3}}}');

    // Assess
    expect(message).to.match(/unknown setting rules\.velocity\.maxcount/);
    expect(message).to.match(/valid keys at rules\.velocity: windowMs, maxCount, baseScore, maxScore/);
  });

  it("names an unknown top-level key", () => {
    // Act
    const message = configError('{"treshold": 3}');

    // Assess
    expect(message).to.match(
      /unknown setting treshold; valid keys at the top level: threshold, modelThreshold, history, rules, signals/,
    );
  });

  for (const [json, expected] of [
    [
      '{"rules": {"velocity": {"maxCount": -3}}}',
      /rules\.velocity\.maxCount must be an integer between 1 and 1000, got -3/,
    ],
    [
      '{"rules": {"velocity": {"maxCount": 2.5}}}',
      /rules\.velocity\.maxCount must be an integer between 1 and 1000, got 2\.5/,
    ],
    ['{"threshold": 1e999}', /threshold must be a number between 0\.01 and 10000, got Infinity/],
    ['{"threshold": "60"}', /threshold must be a number between 0\.01 and 10000, got "60"/],
    ['{"history": {"limit": null}}', /history\.limit must be an integer between 1 and 1000, got null/],
    [
      '{"rules": {"highAmount": {"limits": {"USD": 0}}}}',
      /rules\.highAmount\.limits\.USD must be an integer between 1 and/,
    ],
    [
      '{"rules": {"highAmount": {"limits": {"usd": 100}}}}',
      /rules\.highAmount\.limits\.usd is not a valid key: .*ISO 4217/,
    ],
    [
      '{"rules": {"highAmount": {"limits": 5}}}',
      /rules\.highAmount\.limits must be an object keyed by ISO 4217/,
    ],
    ['{"rules": {"cardTesting": "off"}}', /rules\.cardTesting must be a JSON object, got "off"/],
  ] as const) {
    it(`rejects ${json} naming the path and the valid range`, () => {
      // Act
      const message = configError(json);

      // Assess
      expect(message).to.match(expected);
    });
  }

  it("treats __proto__ as an unknown key rather than merging it", () => {
    // Act
    const message = configError('{"rules": {"__proto__": {"threshold": 1}}}');

    // Assess
    expect(message).to.match(/unknown setting rules\.__proto__/);
    expect(({} as Record<string, unknown>).threshold).to.equal(undefined);
  });

  it("reports every invalid setting at once", () => {
    // Act
    const message = configError('{"threshold": -1, "history": {"limit": 0}}');

    // Assess
    expect(message).to.match(/threshold must be/);
    expect(message).to.match(/history\.limit must be/);
  });

  it("rejects a rule window longer than the history window", () => {
    // Act
    const message = configError('{"history": {"windowMs": 60000}}');

    // Assess
    expect(message).to.match(
      /rules\.velocity\.windowMs \(600000\) must not exceed history\.windowMs \(60000\)/,
    );
  });

  it("rejects a count the history limit can never reach", () => {
    // Act
    const message = configError('{"history": {"limit": 4}}');

    // Assess
    expect(message).to.match(/rules\.velocity\.maxCount \(5\) must not exceed history\.limit \(4\)/);
    expect(message).to.match(/rules\.amountSpike\.minHistory \(5\) must not exceed history\.limit \(4\)/);
  });

  it("rejects a tiny amount that is not below the large amount", () => {
    // Act
    const message = configError('{"rules": {"cardTesting": {"tinyMax": 10000}}}');

    // Assess
    expect(message).to.match(
      /rules\.cardTesting\.tinyMax \(10000\) must be less than rules\.cardTesting\.largeMin \(10000\)/,
    );
  });
});
