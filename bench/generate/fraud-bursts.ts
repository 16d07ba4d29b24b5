/**
 * Fraud in bursts: card testing (tiny charges to see whether the card works, then the real ones)
 * and velocity (many purchases within minutes at many merchants).
 */
import { CURRENCIES } from "./catalog";
import type { EpisodeContext, FraudPattern } from "./fraud-kit";
import { abroad, cashOutMerchant, momentIn, pickAccount, timesTypical } from "./fraud-kit";
import { drawFrom } from "./populations";
import { between, intBetween, pick } from "./random";
import { HOUR_MS, MINUTE_MS, makeRow, placeIn, type Row } from "./rows";

/**
 * A probe's amount in the card's own minor units (the smallest charge a tester can make in any
 * currency); a share of testers stay at a few dollars, above what a rule would call tiny.
 */
const PROBE_MINOR_UNITS = { min: 1, max: 199 } as const;
const STEALTHY_PROBE_USD_CENTS = { min: 200, max: 600 } as const;
const STEALTHY_SHARE = 0.25;
const PROBES = { min: 2, max: 10 } as const;
/** Share of tested cards that are then cashed out (the others were declined or sold on). */
const CASH_OUT_SHARE = 0.75;
/** Share of cash-outs within minutes of the last probe. */
const PROMPT_CASH_OUT_SHARE = 0.7;
/** A cash-out charge, US cents. */
const CASH_OUT_USD_CENTS = { min: 15_000, max: 150_000 } as const;
/** Purchases in one velocity burst, and the gap between two of them in minutes. */
const BURST_SIZE = { min: 5, max: 16 } as const;
const BURST_GAP_MINUTES = { min: 0.2, max: 2.5 } as const;

/** Probes of a few cents at one or two small online merchants, minutes apart, then large charges. */
function cardTestingEpisode({ random, world }: EpisodeContext): Row[] {
  const account = pickAccount(random, world);
  const where = abroad(random, account);
  const online = world.remote.merchants.filter((m) => m.category.channel === "online");
  const testers = [pick(random, online), pick(random, online)];
  const stealthy = random() < STEALTHY_SHARE;
  const perUsdCent = CURRENCIES[account.home.currency].perUsdCent;
  let time = momentIn(random, world);
  const out: Row[] = [];
  for (let i = intBetween(random, PROBES.min, PROBES.max); i > 0; i--) {
    const usd = stealthy
      ? between(random, STEALTHY_PROBE_USD_CENTS.min, STEALTHY_PROBE_USD_CENTS.max)
      : between(random, PROBE_MINOR_UNITS.min, PROBE_MINOR_UNITS.max) / perUsdCent;
    out.push(makeRow(account, pick(random, testers), time, usd, where, true));
    time += between(random, 0.3, 8) * MINUTE_MS;
  }
  if (random() >= CASH_OUT_SHARE) return out;
  // Most cash out while the card is known to work; some wait for hours to look unconnected.
  time +=
    random() < PROMPT_CASH_OUT_SHARE ? between(random, 1, 20) * MINUTE_MS : between(random, 0.5, 6) * HOUR_MS;
  for (let i = intBetween(random, 1, 3); i > 0; i--) {
    const usd = between(random, CASH_OUT_USD_CENTS.min, CASH_OUT_USD_CENTS.max);
    out.push(makeRow(account, cashOutMerchant(random, world, where, false), time, usd, where, true));
    time += between(random, 2, 60) * MINUTE_MS;
  }
  return out;
}

/**
 * Many purchases within minutes, each at another merchant: card details spread online, or a
 * cloned card run through the shops of one city (sometimes the owner's own).
 */
function velocityEpisode({ random, world }: EpisodeContext): Row[] {
  const account = pickAccount(random, world);
  const where = random() < 0.7 ? abroad(random, account) : placeIn(random, account.home);
  const cloned = random() < 0.4;
  let time = momentIn(random, world);
  const out: Row[] = [];
  for (let i = intBetween(random, BURST_SIZE.min, BURST_SIZE.max); i > 0; i--) {
    const merchant = cloned
      ? drawFrom(random, world.local.get(where.city)!)
      : pick(random, world.remote.merchants);
    out.push(makeRow(account, merchant, time, timesTypical(random, account, 0.5, 3), where, true));
    time += between(random, BURST_GAP_MINUTES.min, BURST_GAP_MINUTES.max) * MINUTE_MS;
  }
  return out;
}

const cardTesting: FraudPattern = {
  name: "card_testing",
  description: `${PROBES.min}-${PROBES.max} probes of at most ${PROBE_MINOR_UNITS.max} minor units (or a few dollars) minutes apart, then large charges`,
  share: 0.15,
  episode: cardTestingEpisode,
};

const velocityBurst: FraudPattern = {
  name: "velocity_burst",
  description: `${BURST_SIZE.min}-${BURST_SIZE.max} purchases at different merchants, ${BURST_GAP_MINUTES.min}-${BURST_GAP_MINUTES.max} minutes apart`,
  share: 0.1,
  episode: velocityEpisode,
};

export { cardTesting, velocityBurst };
