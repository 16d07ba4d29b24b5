import { marshall } from "@aws-sdk/util-dynamodb";
import { expect } from "chai";
import fc from "fast-check";
import { imageSize, streamImage } from "../../local/stream-image";
import { thrownBy } from "../helpers/expect";

/** What the SDK adapters marshal with. */
const SDK = { removeUndefinedValues: true } as const;

/** JSON-like values, with the undefined attributes and list elements the SDK leaves out. */
const value = fc.letrec((tie) => ({
  leaf: fc.oneof(
    fc.string(),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.constantFrom(0, -0, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, true, false, null, undefined),
  ),
  node: fc.oneof(
    { depthSize: "small" },
    tie("leaf"),
    fc.array(tie("node"), { maxLength: 4 }),
    fc.dictionary(fc.string(), tie("node"), { maxKeys: 4 }),
  ),
})).node;

/** What a marshaller made of an item: the image, or the message it refused the item with. */
function outcomeOf(marshal: () => unknown): { image: unknown } | { refused: string } {
  try {
    return { image: marshal() };
  } catch (error) {
    return { refused: error instanceof Error ? error.message : String(error) };
  }
}

describe("Function: streamImage", () => {
  it("marshals any JSON item exactly as the SDK's marshall does, and refuses what it refuses", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), value, { maxKeys: 8 }), (item) => {
        expect(outcomeOf(() => streamImage(item))).to.deep.equal(outcomeOf(() => marshall(item, SDK)));
      }),
      { numRuns: 500 },
    );
  });

  it("marshals a stored transaction with its verdict lists and location as the SDK does", () => {
    // Prepare
    const item = {
      transaction_id: "tx-1",
      timestamp: 1_764_072_000_000,
      amount: 12_345,
      location: { latitude: 52.52, longitude: -13.4 },
      rules: ["velocity", "high_amount"],
      reasons: [],
      score: 0.875,
      merchant_category: undefined,
    };

    // Act
    const image = streamImage(item);

    // Assess
    expect(image).to.deep.equal(marshall(item, SDK));
  });

  it("hands what is not JSON data to the SDK: a Set becomes a string set, NaN is refused alike", () => {
    // Prepare
    const withSet = { tags: new Set(["a", "b"]) };

    // Act
    const image = streamImage(withSet);
    const refused = thrownBy(() => streamImage({ score: Number.NaN })) as Error;

    // Assess
    expect(image).to.deep.equal(marshall(withSet, SDK));
    expect(refused.message).to.equal((thrownBy(() => marshall({ score: Number.NaN }, SDK)) as Error).message);
  });
});

describe("Function: imageSize", () => {
  it("counts an added string attribute by its name and value lengths", () => {
    // Prepare
    const base = streamImage({ transaction_id: "tx-1", timestamp: 1 });

    // Act
    const grown = imageSize(streamImage({ transaction_id: "tx-1", timestamp: 1, country: "US" }));

    // Assess
    expect(grown - imageSize(base)).to.equal("country".length + "US".length);
  });

  it("counts a longer number as larger, and a list by its elements plus overhead", () => {
    // Prepare
    const short = imageSize(streamImage({ n: 1 }));
    const long = imageSize(streamImage({ n: 123_456_789 }));
    const empty = imageSize(streamImage({ l: [] }));
    const one = imageSize(streamImage({ l: ["abc"] }));

    // Assess
    expect(long).to.be.greaterThan(short);
    expect(one - empty).to.equal(1 + "abc".length);
  });
});
