/**
 * Fraud that starts at a merchant: a breached merchant whose customers' cards are used elsewhere
 * later, and a merchant that charges cards it should not.
 */
import { CATEGORIES, CITIES } from "./catalog";
import type { EpisodeContext, FraudPattern } from "./fraud-kit";
import { abroad, cashOutMerchant, pickAccount } from "./fraud-kit";
import type { Merchant } from "./populations";
import { between, intBetween, logNormal, pick } from "./random";
import { DAY_MS, HOUR_MS, homeOf, makeRow, placeIn, purchaseUsdCents, type Row } from "./rows";

/** Share of a fraudulent merchant's charges that are unauthorised; the rest are real customers. */
const FRAUD_SHARE_AT_MERCHANT = 0.85;
/** How long a breach goes unnoticed, and how long a fraudulent merchant charges, in days. */
const BREACH_DAYS = { min: 14, max: 42 } as const;
const SCAM_DAYS = { min: 5, max: 21 } as const;
/** Days between a card's use at the breached merchant and its first fraudulent use. */
const RESALE_DELAY_DAYS = { min: 1, max: 21 } as const;
const FAKE_SHOP_CATEGORIES = ["digital_goods", "subscription", "online_retail", "gift_cards"];

/**
 * A merchant is breached for some weeks; a share of the cards used there meanwhile are sold and
 * used days to weeks later, elsewhere: online for resellable goods, or cloned at shops and ATMs.
 */
function compromisedEpisode({ random, world, legit, budget }: EpisodeContext): Row[] {
  if (legit.length === 0) return [];
  // The breached merchant is where a random purchase was made, so busy merchants are likelier.
  const breached = pick(random, legit);
  if (breached.channel === "transfer") return [];
  const period = world.end - world.start;
  const length = Math.min(period, between(random, BREACH_DAYS.min, BREACH_DAYS.max) * DAY_MS);
  const from = world.start + random() * (period - length);
  const firstUse = new Map<string, number>();
  for (const row of legit) {
    if (row.merchant_id !== breached.merchant_id || row.timestamp < from || row.timestamp >= from + length)
      continue;
    if (row.timestamp < (firstUse.get(row.account_id) ?? Number.POSITIVE_INFINITY))
      firstUse.set(row.account_id, row.timestamp);
  }
  const stolenShare = between(random, 0.2, 0.6);
  const cloneable = breached.channel !== "online";
  const out: Row[] = [];
  for (const [accountId, used] of firstUse) {
    if (out.length >= budget) break;
    if (random() >= stolenShare) continue;
    const account = world.accountById.get(accountId)!;
    const cloned = cloneable && random() < 0.4;
    // Half the buyers of stolen data are in the victim's own city: nothing about the place stands out.
    const where = random() < 0.5 ? abroad(random, account) : placeIn(random, account.home);
    let time = used + between(random, RESALE_DELAY_DAYS.min, RESALE_DELAY_DAYS.max) * DAY_MS;
    for (let i = intBetween(random, 1, 4); i > 0; i--) {
      const merchant = cashOutMerchant(random, world, where, cloned);
      const usd = purchaseUsdCents(random, account, merchant) * between(random, 1, 3);
      out.push(makeRow(account, merchant, time, usd, where, true));
      time += between(random, 0.2, 30) * HOUR_MS;
    }
  }
  return out;
}

function fakeShop({ random, world }: EpisodeContext): Merchant {
  const category = pick(
    random,
    CATEGORIES.filter((c) => FAKE_SHOP_CATEGORIES.includes(c.name)),
  );
  const city = pick(random, CITIES);
  return {
    id: world.newMerchantId(),
    category,
    city,
    latitude: city.latitude,
    longitude: city.longitude,
    typicalUsdCents: logNormal(random, category.medianUsdCents, 0.35),
  };
}

/**
 * A new online merchant, or an existing small one that turns, charges cards for a week or three:
 * steady amounts at any hour, mostly unauthorised, among a few real customers.
 */
function fraudulentMerchantEpisode(context: EpisodeContext): Row[] {
  const { random, world, budget } = context;
  const online = world.remote.merchants.filter((m) => m.category.channel === "online");
  const merchant = online.length > 0 && random() < 0.5 ? pick(random, online) : fakeShop(context);
  const period = world.end - world.start;
  const length = Math.min(period, between(random, SCAM_DAYS.min, SCAM_DAYS.max) * DAY_MS);
  const from = world.start + random() * (period - length);
  const price = merchant.typicalUsdCents * between(random, 0.6, 1.5);
  const charges = Math.min(intBetween(random, 15, 80), Math.ceil(budget / FRAUD_SHARE_AT_MERCHANT));
  const out: Row[] = [];
  for (let i = 0; i < charges; i++) {
    const account = pickAccount(random, world);
    const fraud = random() < FRAUD_SHARE_AT_MERCHANT;
    // An unauthorised charge is initiated from the merchant's side; a real customer buys from home.
    const where = fraud ? placeIn(random, merchant.city) : homeOf(account);
    const usd = logNormal(random, price, 0.15);
    out.push(makeRow(account, merchant, from + random() * length, usd, where, fraud));
  }
  return out;
}

const compromisedMerchant: FraudPattern = {
  name: "compromised_merchant",
  description: `cards used at a merchant breached for ${BREACH_DAYS.min}-${BREACH_DAYS.max} days are used elsewhere ${RESALE_DELAY_DAYS.min}-${RESALE_DELAY_DAYS.max} days later`,
  share: 0.25,
  episode: compromisedEpisode,
};

const fraudulentMerchant: FraudPattern = {
  name: "fraudulent_merchant",
  description: `a new or turned online merchant charges cards, ${FRAUD_SHARE_AT_MERCHANT * 100}% unauthorised, for ${SCAM_DAYS.min}-${SCAM_DAYS.max} days`,
  share: 0.15,
  episode: fraudulentMerchantEpisode,
};

export { compromisedMerchant, fraudulentMerchant };
