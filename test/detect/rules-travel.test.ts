import { expect } from "chai";
import fc from "fast-check";
import type { GeoLocation } from "../../pipeline/runtime/contract/transaction";
import { DEFAULT_RULES_CONFIG } from "../../pipeline/runtime/detect/config";
import { EARTH_RADIUS_KM, haversineKm } from "../../pipeline/runtime/detect/geo";
import { impossibleTravel } from "../../pipeline/runtime/detect/rules/impossible-travel";
import { current, rulesConfig } from "../helpers/detect";
import { FIXED_NOW, validTransaction } from "../helpers/transactions";

const TRAVEL = DEFAULT_RULES_CONFIG.rules.impossibleTravel;
const HOUR_MS = 3_600_000;
const NEW_YORK: GeoLocation = { latitude: 40.7128, longitude: -74.006 };
const LONDON: GeoLocation = { latitude: 51.5074, longitude: -0.1278 };
const NEWARK: GeoLocation = { latitude: 40.7357, longitude: -74.1724 };

/** An earlier transaction of the default account at `location`, `agoMs` before FIXED_NOW. */
function visited(location: GeoLocation | undefined, agoMs: number, id = "prev") {
  return validTransaction({ transaction_id: id, timestamp: FIXED_NOW - agoMs, location });
}

describe("Function: haversineKm", () => {
  it("measures New York to London within 1% of 5570 km", () => {
    // Act
    const km = haversineKm(NEW_YORK, LONDON);

    // Assess
    expect(Math.abs(km - 5570) / 5570 < 0.01, `got ${km}`).to.be.ok;
  });

  it("is half the Earth's circumference between antipodes and 0 for one point", () => {
    // Act
    const antipodes = haversineKm({ latitude: 0, longitude: 0 }, { latitude: 0, longitude: 180 });
    const same = haversineKm(LONDON, LONDON);

    // Assess
    expect(Math.abs(antipodes - Math.PI * EARTH_RADIUS_KM) < 1e-6).to.be.ok;
    expect(same).to.equal(0);
  });

  it("is symmetric and never exceeds half the circumference (property)", () => {
    const point = fc.record({
      latitude: fc.double({ min: -90, max: 90, noNaN: true }),
      longitude: fc.double({ min: -180, max: 180, noNaN: true }),
    });
    fc.assert(
      fc.property(point, point, (a, b) => {
        // Act
        const there = haversineKm(a, b);
        const back = haversineKm(b, a);

        // Assess
        expect(Math.abs(there - back) < 1e-6).to.be.ok;
        expect(there >= 0 && there <= Math.PI * EARTH_RADIUS_KM + 1e-6).to.be.ok;
      }),
    );
  });
});

describe("Function: impossibleTravel", () => {
  const distance = haversineKm(NEW_YORK, LONDON);

  it("fires on New York then London 30 minutes later and explains distance, time and speed", () => {
    // Act
    const hit = impossibleTravel(current({ location: LONDON }), [visited(NEW_YORK, 30 * 60_000)], TRAVEL);

    // Assess
    const km = Math.round(distance);
    const speed = Math.round(distance * 2);
    expect(hit).to.deep.equal({
      rule: "impossible-travel",
      score: TRAVEL.maxScore,
      reason: `${km} km from the previous located transaction in 30 minutes: ${speed} km/h, limit 900 km/h`,
    });
  });

  it("stays quiet exactly at maxSpeedKmh and fires just above it", () => {
    // Prepare
    const elapsedMs = 8 * HOUR_MS;
    const speed = distance / (elapsedMs / HOUR_MS);
    const atLimit = rulesConfig({ rules: { impossibleTravel: { maxSpeedKmh: speed } } }).rules
      .impossibleTravel;
    const justBelow = rulesConfig({ rules: { impossibleTravel: { maxSpeedKmh: speed - 0.01 } } }).rules
      .impossibleTravel;
    const history = [visited(NEW_YORK, elapsedMs)];

    // Act
    const quiet = impossibleTravel(current({ location: LONDON }), history, atLimit);
    const fired = impossibleTravel(current({ location: LONDON }), history, justBelow);

    // Assess
    expect(quiet).to.equal(null);
    expect(fired?.score).to.equal(TRAVEL.baseScore);
  });

  it("grades the score with speed / maxSpeedKmh and caps it at maxScore", () => {
    // Prepare
    const speeds = [1.2, 1.6, 3].map((m) => m * TRAVEL.maxSpeedKmh);

    // Act
    const scores = speeds.map((speed) => {
      const elapsedMs = Math.round((distance / speed) * HOUR_MS);
      return impossibleTravel(current({ location: LONDON }), [visited(NEW_YORK, elapsedMs)], TRAVEL)?.score;
    });

    // Assess
    expect(scores).to.deep.equal([48, 64, 80]);
  });

  it("scores maxScore for two distant places at the same instant", () => {
    // Act
    const hit = impossibleTravel(current({ location: LONDON }), [visited(NEW_YORK, 0)], TRAVEL);

    // Assess
    expect(hit?.score).to.equal(TRAVEL.maxScore);
    expect(hit?.reason ?? "").to.match(
      /km from the previous located transaction at the same instant, limit 900 km\/h$/,
    );
  });

  it("fires at exactly minDistanceKm and ignores a hop just shorter", () => {
    // Prepare
    const hop = haversineKm(NEW_YORK, NEWARK);
    const atMin = rulesConfig({ rules: { impossibleTravel: { minDistanceKm: hop } } }).rules.impossibleTravel;
    const aboveMin = rulesConfig({ rules: { impossibleTravel: { minDistanceKm: hop + 0.001 } } }).rules
      .impossibleTravel;
    const history = [visited(NEW_YORK, 0)];

    // Act
    const fired = impossibleTravel(current({ location: NEWARK }), history, atMin);
    const quiet = impossibleTravel(current({ location: NEWARK }), history, aboveMin);

    // Assess
    expect(fired?.rule).to.equal("impossible-travel");
    expect(quiet).to.equal(null);
  });

  it("compares with the latest located transaction, skipping unlocated ones", () => {
    // Prepare
    const history = [
      visited(LONDON, 2 * HOUR_MS, "a"),
      visited(NEW_YORK, HOUR_MS, "b"),
      visited(undefined, 60_000, "c"),
    ];

    // Act
    const fromNewYork = impossibleTravel(current({ location: NEWARK }), history, TRAVEL);
    const toLondon = impossibleTravel(current({ location: LONDON }), history, TRAVEL);

    // Assess
    expect(fromNewYork, "Newark is a short hop from the latest located transaction").to.equal(null);
    expect(toLondon?.rule).to.equal("impossible-travel");
  });

  it("stays quiet without a location on either side", () => {
    // Act
    const noHere = impossibleTravel(current(), [visited(NEW_YORK, 60_000)], TRAVEL);
    const noThere = impossibleTravel(current({ location: LONDON }), [visited(undefined, 60_000)], TRAVEL);

    // Assess
    expect(noHere).to.equal(null);
    expect(noThere).to.equal(null);
  });
});
