/**
 * What every fraud pattern is made of: the pattern's shape, and the choices fraudsters share (whose
 * card, from where, where the money is cashed out).
 */
import { CITIES, isRemote } from "./catalog";
import type { Account, Merchant, World } from "./populations";
import { between, pick, type Random, weightedIndex } from "./random";
import { type Place, placeIn, type Row, SPEND_ELASTICITY } from "./rows";

/** What one episode of a pattern works with. */
interface EpisodeContext {
  readonly random: Random;
  readonly world: World;
  /** The legitimate rows: who used which merchant, and when. */
  readonly legit: readonly Row[];
  /** Fraudulent rows the pattern still owes; an episode in progress may end past it. */
  readonly budget: number;
}

interface FraudPattern {
  /** Its name in the per-pattern counts. */
  readonly name: string;
  /** One line for the usage text. */
  readonly description: string;
  /** Share of the fraudulent rows made by this pattern. */
  readonly share: number;
  /**
   * One episode's rows, the fraudulent ones labelled (some patterns mix in legitimate rows); empty
   * when it found nothing to work on.
   */
  readonly episode: (context: EpisodeContext) => Row[];
}

/** Typical purchase of an account of spending level 1, US cents: what "n times the usual amount" is relative to. */
const TYPICAL_USD_CENTS = 3_500;
const RESALE_ONLINE = ["online_retail", "gift_cards", "p2p_transfer"] as const;
const RESALE_SHOPS = ["electronics", "jewelry", "atm"] as const;

/** Whose card: busier accounts are more exposed. */
function pickAccount(random: Random, world: World): Account {
  return world.accounts[weightedIndex(random, world.accountSums)];
}

/** Somewhere in a country other than the account's. */
function abroad(random: Random, account: Account): Place {
  const foreign = CITIES.filter((c) => c.country !== account.home.country);
  return placeIn(random, pick(random, foreign));
}

/** A moment in the period. */
function momentIn(random: Random, world: World): number {
  return world.start + random() * (world.end - world.start);
}

/** Any merchant of the categories (in `city` when they have terminals); `fallback` when none. */
function merchantOf(
  random: Random,
  world: World,
  categories: readonly string[],
  city: Place["city"],
  fallback: Merchant,
): Merchant {
  const found = categories
    .flatMap((name) => world.byCategory.get(name) ?? [])
    .filter((m) => isRemote(m.category) || m.city === city);
  return found.length > 0 ? pick(random, found) : fallback;
}

/**
 * Where stolen card data turns into money: resellable goods online, or (with a cloned card) a shop
 * or ATM in the fraudster's city. Picked uniformly, not by popularity: fraud often lands on small merchants.
 */
function cashOutMerchant(random: Random, world: World, where: Place, cloned: boolean): Merchant {
  const fallback = pick(random, world.remote.merchants);
  return merchantOf(random, world, cloned ? RESALE_SHOPS : RESALE_ONLINE, where.city, fallback);
}

/** An amount `min`..`max` times what the account usually spends, US cents. */
function timesTypical(random: Random, account: Account, min: number, max: number): number {
  return TYPICAL_USD_CENTS * account.spend ** SPEND_ELASTICITY * between(random, min, max);
}

export type { EpisodeContext, FraudPattern };
export { abroad, cashOutMerchant, merchantOf, momentIn, pickAccount, timesTypical };
