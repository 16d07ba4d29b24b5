/**
 * Building one row: where it happens, when, at which amount and in which currency. Shared by the
 * legitimate activity and by every fraud pattern, so fraud differs from normal spending only by
 * what the pattern changes.
 */
import { LIMITS, type Transaction } from "../../pipeline/runtime/contract/transaction";
import { type City, CURRENCIES, isRemote } from "./catalog";
import type { Account, Merchant, World } from "./populations";
import { logNormal, normal, type Random } from "./random";

/** One generated row: a contract transaction plus the label. */
type LabelledTransaction = Transaction & { readonly is_fraud: boolean };

/** A row while it is built; its id is given once all rows are sorted, so an id says nothing of the label. */
type Row = { -readonly [K in keyof LabelledTransaction]: LabelledTransaction[K] };

/** Where the cardholder, or whoever holds the card, is: the device location for an online purchase. */
interface Place {
  readonly city: City;
  readonly latitude: number;
  readonly longitude: number;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
/** Purchases grow less than proportionally with the account's spending level. */
const SPEND_ELASTICITY = 0.8;

/** Four decimals (about 10 m) is all a terminal address or an IP location tells. */
function coordinate(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

function homeOf(account: Account): Place {
  return { city: account.home, latitude: account.latitude, longitude: account.longitude };
}

/** Somewhere in `city`. */
function placeIn(random: Random, city: City): Place {
  return {
    city,
    latitude: city.latitude + (random() - 0.5) * 0.2,
    longitude: city.longitude + (random() - 0.5) * 0.2,
  };
}

/** A local hour of the account's habits: mostly around its peak hour, sometimes any hour. */
function habitualHour(random: Random, account: Account): number {
  if (random() < account.anyHourShare) return random() * 24;
  const hour = account.peakHour + account.hourSpread * normal(random);
  return ((hour % 24) + 24) % 24;
}

/** Epoch ms of a local hour on day `day` of the period in `city`, kept inside the period. */
function timeAt(world: World, day: number, localHour: number, city: City): number {
  const time = world.start + day * DAY_MS + (localHour - city.utcOffset) * HOUR_MS;
  if (time < world.start) return time + DAY_MS;
  return time >= world.end ? time - DAY_MS : time;
}

/** What the account would pay at the merchant, US cents. */
function purchaseUsdCents(random: Random, account: Account, merchant: Merchant): number {
  return logNormal(
    random,
    merchant.typicalUsdCents * account.spend ** SPEND_ELASTICITY,
    merchant.category.sigma,
  );
}

/**
 * One row. A card-present or ATM purchase happens at the merchant's terminal, in its country and
 * currency; an online purchase or a transfer is located by the device (`where`) and charged in
 * the card's currency.
 */
function makeRow(
  account: Account,
  merchant: Merchant,
  timestamp: number,
  usdCents: number,
  where: Place,
  fraud: boolean,
): Row {
  const remote = isRemote(merchant.category);
  const currency = remote ? account.home.currency : merchant.city.currency;
  const rate = CURRENCIES[currency];
  const local = usdCents * rate.perUsdCent;
  const amount =
    merchant.category.channel === "atm"
      ? Math.max(1, Math.round(local / rate.cashStep)) * rate.cashStep
      : local;
  return {
    transaction_id: "",
    account_id: account.id,
    amount: Math.min(LIMITS.amountMax, Math.max(LIMITS.amountMin, Math.round(amount))),
    currency,
    timestamp: Math.round(timestamp),
    merchant_id: merchant.id,
    merchant_category: merchant.category.name,
    channel: merchant.category.channel,
    location: {
      latitude: coordinate(remote ? where.latitude : merchant.latitude),
      longitude: coordinate(remote ? where.longitude : merchant.longitude),
    },
    country: remote ? where.city.country : merchant.city.country,
    is_fraud: fraud,
  };
}

export type { LabelledTransaction, Place, Row };
export {
  DAY_MS,
  HOUR_MS,
  habitualHour,
  homeOf,
  MINUTE_MS,
  makeRow,
  placeIn,
  purchaseUsdCents,
  SPEND_ELASTICITY,
  timeAt,
};
