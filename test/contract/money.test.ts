import { expect } from "chai";
import fc from "fast-check";
import { formatAmount, minorUnitDigits } from "../../pipeline/runtime/contract/money";

describe("Function: minorUnitDigits", () => {
  it("uses ISO 4217 exponents, also where the runtime's display data rounds them away", () => {
    // Prepare: ISO 4217 minor units; Intl (CLDR) shows IQD, HUF, COP and IDR with 0 digits
    const iso: Record<string, number> = {
      USD: 2,
      EUR: 2,
      JPY: 0,
      KRW: 0,
      BHD: 3,
      KWD: 3,
      IQD: 3,
      HUF: 2,
      COP: 2,
      IDR: 2,
      CLF: 4,
    };

    // Act
    const actual = Object.fromEntries(Object.keys(iso).map((code) => [code, minorUnitDigits(code)]));

    // Assess
    expect(actual).to.deep.equal(iso);
  });

  it("defaults to 2 digits for a code it does not list", () => {
    // Assess
    expect(minorUnitDigits("XYZ")).to.equal(2);
    expect(minorUnitDigits("constructor")).to.equal(2);
  });
});

describe("Function: formatAmount", () => {
  it("shows major units with the currency's own decimals", () => {
    // Assess
    expect(formatAmount(4210, "USD")).to.equal("42.10 USD");
    expect(formatAmount(4210, "JPY")).to.equal("4210 JPY");
    expect(formatAmount(4210, "BHD")).to.equal("4.210 BHD");
  });

  it("groups thousands only when asked", () => {
    // Assess
    expect(formatAmount(2_500_000, "USD")).to.equal("25000.00 USD");
    expect(formatAmount(2_500_000, "USD", { grouped: true })).to.equal("25,000.00 USD");
    expect(formatAmount(100_000_000_000, "JPY", { grouped: true })).to.equal("100,000,000,000 JPY");
  });

  it("groups exactly as Intl does for every contract amount", () => {
    // Assess
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000_000_000 }),
        fc.constantFrom("USD", "JPY", "KWD"),
        (amount, currency) => {
          const digits = minorUnitDigits(currency);
          const intl = new Intl.NumberFormat("en-US", {
            minimumFractionDigits: digits,
            maximumFractionDigits: digits,
          });
          expect(formatAmount(amount, currency, { grouped: true })).to.equal(
            `${intl.format(amount / 10 ** digits)} ${currency}`,
          );
        },
      ),
      { seed: 4217, numRuns: 500 },
    );
  });
});
