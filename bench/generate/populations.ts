/**
 * The populations: merchants with a category, a place and a popularity (a few very busy, many
 * small), and accounts with a spending segment, a home, daily habits and regular merchants.
 */
import { CATEGORIES, type Category, CITIES, type City, isRemote, SEGMENTS, type Segment } from "./catalog";
import type { ResolvedOptions } from "./options";
import { between, cumulative, intBetween, logNormal, normal, type Random, weightedIndex } from "./random";
import { DAY_MS } from "./rows";

interface Merchant {
  readonly id: string;
  readonly category: Category;
  /** Where its terminals are (card present, ATM) or where it is registered (online, transfer). */
  readonly city: City;
  readonly latitude: number;
  readonly longitude: number;
  /** Its median purchase, US cents. */
  readonly typicalUsdCents: number;
}

/** Merchants with drawing weights: popularity, or one account's fondness for each. */
interface MerchantPool {
  readonly merchants: readonly Merchant[];
  readonly sums: Float64Array;
}

interface Account {
  readonly index: number;
  readonly id: string;
  readonly segment: Segment;
  readonly home: City;
  readonly latitude: number;
  readonly longitude: number;
  /** Multiplier of every purchase: what the account usually spends. */
  readonly spend: number;
  /** Local hour around which it spends, and how widely (hours). */
  readonly peakHour: number;
  readonly hourSpread: number;
  /** Share of its purchases at any hour of the day or night. */
  readonly anyHourShare: number;
  /** Chance that a purchase is at a merchant it has not used before. */
  readonly exploreShare: number;
  readonly regulars: MerchantPool;
}

interface World {
  readonly start: number;
  readonly end: number;
  readonly days: number;
  readonly accounts: readonly Account[];
  readonly accountById: ReadonlyMap<string, Account>;
  /** Activity weights: busier accounts also meet fraud more often. */
  readonly accountSums: Float64Array;
  /** Legitimate rows of each account, by index (they add up to the legitimate total). */
  readonly legitRows: Int32Array;
  /** Card-present and ATM merchants of each city, by popularity. */
  readonly local: ReadonlyMap<City, MerchantPool>;
  /** Online and transfer merchants, by popularity. */
  readonly remote: MerchantPool;
  /** Every merchant by category name. */
  readonly byCategory: ReadonlyMap<string, readonly Merchant[]>;
  /** A new merchant id in the format of the others, so a new merchant's id gives nothing away. */
  readonly newMerchantId: () => string;
}

const SEGMENT_SUMS = cumulative(SEGMENTS.map((s) => s.share));
const CITY_SUMS = cumulative(CITIES.map((c) => c.weight));
/** Zipf exponent of merchant popularity. */
const POPULARITY_EXPONENT = 1.05;

function pool(merchants: readonly Merchant[], weights: readonly number[]): MerchantPool {
  return { merchants, sums: cumulative(weights) };
}

function merchantIds(random: Random): () => string {
  const used = new Set<string>();
  const part = () =>
    Math.floor(random() * 36 ** 4)
      .toString(36)
      .padStart(4, "0");
  return () => {
    let id = `m-${part()}${part()}`;
    while (used.has(id)) id = `m-${part()}${part()}`;
    used.add(id);
    return id;
  };
}

function makeMerchants(random: Random, count: number, newId: () => string): Merchant[] {
  const local = CATEGORIES.filter((c) => !isRemote(c));
  const remote = CATEGORIES.filter(isRemote);
  const [localSums, remoteSums, allSums] = [local, remote, CATEGORIES].map((list) =>
    cumulative(list.map((c) => c.share)),
  );
  return Array.from({ length: count }, (_, i) => {
    // The first few are placed so that every city has a shop and the online pool is not empty.
    const category =
      i < CITIES.length
        ? local[weightedIndex(random, localSums)]
        : i === CITIES.length
          ? remote[weightedIndex(random, remoteSums)]
          : CATEGORIES[weightedIndex(random, allSums)];
    const city = i < CITIES.length ? CITIES[i] : CITIES[weightedIndex(random, CITY_SUMS)];
    return {
      id: newId(),
      category,
      city,
      latitude: city.latitude + (random() - 0.5) * 0.3,
      longitude: city.longitude + (random() - 0.5) * 0.3,
      typicalUsdCents: logNormal(random, category.medianUsdCents, 0.35),
    };
  });
}

/** Popularity by a shuffled Zipf rank. */
function popularity(random: Random, count: number): number[] {
  const ranks = Array.from({ length: count }, (_, i) => i + 1);
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [ranks[i], ranks[j]] = [ranks[j], ranks[i]];
  }
  return ranks.map((rank) => rank ** -POPULARITY_EXPONENT);
}

function byPopularity(merchants: readonly Merchant[], weights: readonly number[]) {
  const weightOf = new Map(merchants.map((m, i) => [m, weights[i]]));
  const poolOf = (list: readonly Merchant[]) =>
    pool(
      list,
      list.map((m) => weightOf.get(m)!),
    );
  const local = new Map(
    CITIES.map((city) => [city, poolOf(merchants.filter((m) => m.city === city && !isRemote(m.category)))]),
  );
  return { local, remote: poolOf(merchants.filter((m) => isRemote(m.category))) };
}

/** One merchant drawn by the pool's weights. */
function drawFrom(random: Random, from: MerchantPool): Merchant {
  return from.merchants[weightedIndex(random, from.sums)];
}

/** Distinct merchants drawn from a pool by its weights. */
function drawDistinct(random: Random, from: MerchantPool, count: number): Merchant[] {
  const chosen = new Set<Merchant>();
  for (let tries = 0; chosen.size < count && tries < count * 4; tries++) chosen.add(drawFrom(random, from));
  return [...chosen];
}

function makeAccount(random: Random, index: number, pools: ReturnType<typeof byPopularity>): Account {
  const segment = SEGMENTS[weightedIndex(random, SEGMENT_SUMS)];
  const home = CITIES[weightedIndex(random, CITY_SUMS)];
  const regulars = [
    ...drawDistinct(random, pools.local.get(home)!, intBetween(random, 3, 14)),
    ...drawDistinct(random, pools.remote, intBetween(random, 1, 6)),
  ];
  return {
    index,
    id: `acct-${index.toString(36).padStart(6, "0")}`,
    segment,
    home,
    latitude: home.latitude + (random() - 0.5) * 0.2,
    longitude: home.longitude + (random() - 0.5) * 0.2,
    spend: logNormal(random, segment.spend, 0.35),
    peakHour: 13.5 + 2.5 * normal(random),
    hourSpread: between(random, 2.5, 4.5),
    anyHourShare: between(random, 0.01, 0.12),
    exploreShare: between(random, 0.04, 0.2),
    regulars: pool(
      regulars,
      regulars.map(() => logNormal(random, 1, 1)),
    ),
  };
}

/**
 * Draws the merchants and accounts, and shares `legitRows` legitimate transactions among the
 * accounts in proportion to their activity.
 */
function makeWorld(random: Random, options: ResolvedOptions, legitRows: number): World {
  const newMerchantId = merchantIds(random);
  const merchants = makeMerchants(random, options.merchants, newMerchantId);
  const pools = byPopularity(merchants, popularity(random, merchants.length));
  const accounts = Array.from({ length: options.accounts }, (_, i) => makeAccount(random, i, pools));
  const accountSums = cumulative(accounts.map((a) => a.segment.activity * logNormal(random, 1, 0.7)));
  const rows = new Int32Array(accounts.length);
  for (let i = 0; i < legitRows; i++) rows[weightedIndex(random, accountSums)]++;
  return {
    start: options.start,
    end: options.start + options.days * DAY_MS,
    days: options.days,
    accounts,
    accountById: new Map(accounts.map((a) => [a.id, a])),
    accountSums,
    legitRows: rows,
    local: pools.local,
    remote: pools.remote,
    byCategory: new Map(CATEGORIES.map((c) => [c.name, merchants.filter((m) => m.category === c)])),
    newMerchantId,
  };
}

export type { Account, Merchant, MerchantPool, World };
export { drawFrom, makeWorld };
