/**
 * Fraud on one account: a takeover that spends unlike the owner for days, and fraud that looks
 * almost exactly like the owner's own spending.
 */
import type { EpisodeContext, FraudPattern } from "./fraud-kit";
import { abroad, cashOutMerchant, merchantOf, pickAccount, timesTypical } from "./fraud-kit";
import { type Account, drawFrom } from "./populations";
import { between, intBetween } from "./random";
import {
  DAY_MS,
  HOUR_MS,
  habitualHour,
  homeOf,
  makeRow,
  placeIn,
  purchaseUsdCents,
  type Row,
  timeAt,
} from "./rows";

/** Legitimate rows an account needs before a takeover of it means anything. */
const MIN_HISTORY = 8;
/** How long a takeover lasts before it is stopped, in days. */
const TAKEOVER_DAYS = { min: 1, max: 5 } as const;
/** Multiples of the owner's typical purchase that a takeover spends at. */
const TAKEOVER_MULTIPLE = { min: 3, max: 15 } as const;
/** Share of a takeover through a proxy near the owner: the place gives nothing away. */
const PROXY_SHARE = 0.3;
/** Share of a takeover's purchases in the owner's night, local time. */
const NIGHT_SHARE = 0.6;
/** Share of a takeover's rows that move money out by transfer rather than buy resellable goods. */
const TRANSFER_SHARE = 0.35;
/** Share of a takeover's rows at several times the usual amount; the rest stay modest to last longer. */
const BIG_SHARE = 0.7;
const TAKEOVER_ROWS = { min: 3, max: 12 } as const;
const SUBTLE_ROWS = { min: 1, max: 2 } as const;

/** A moment of the takeover: often in the owner's night, when the owner will not notice. */
function takeoverTime(context: EpisodeContext, account: Account, from: number, to: number) {
  const { random, world } = context;
  const time = from + random() * (to - from);
  if (random() >= NIGHT_SHARE) return time;
  const day = Math.floor((time - world.start) / DAY_MS);
  const night = timeAt(world, day, between(random, 0, 5), account.home);
  return night < from ? night + DAY_MS : night;
}

/**
 * After the takeover, purchases and transfers at several times the owner's usual amounts, from
 * another country (or a proxy at home), often at night, mixed with the owner's own activity.
 */
function takeoverEpisode(context: EpisodeContext): Row[] {
  const { random, world } = context;
  const account = pickAccount(random, world);
  if (world.legitRows[account.index] < MIN_HISTORY) return [];
  const from = world.start + between(random, 0.15, 0.95) * (world.end - world.start);
  const to = from + between(random, TAKEOVER_DAYS.min, TAKEOVER_DAYS.max) * DAY_MS;
  const where = random() < PROXY_SHARE ? placeIn(random, account.home) : abroad(random, account);
  const out: Row[] = [];
  for (let i = intBetween(random, TAKEOVER_ROWS.min, TAKEOVER_ROWS.max); i > 0; i--) {
    const merchant =
      random() < TRANSFER_SHARE
        ? merchantOf(random, world, ["p2p_transfer"], where.city, drawFrom(random, world.remote))
        : cashOutMerchant(random, world, where, false);
    const usd =
      random() < BIG_SHARE
        ? timesTypical(random, account, TAKEOVER_MULTIPLE.min, TAKEOVER_MULTIPLE.max)
        : timesTypical(random, account, 0.5, 2);
    out.push(makeRow(account, merchant, takeoverTime(context, account, from, to), usd, where, true));
  }
  return out;
}

/**
 * One or two purchases at the owner's usual hours, places and amounts, at a popular merchant:
 * a lost card used nearby, or details used online. Nothing in the row sets it apart.
 */
function subtleEpisode({ random, world }: EpisodeContext): Row[] {
  const account = pickAccount(random, world);
  const where = homeOf(account);
  let time = timeAt(world, Math.floor(random() * world.days), habitualHour(random, account), account.home);
  const out: Row[] = [];
  for (let i = intBetween(random, SUBTLE_ROWS.min, SUBTLE_ROWS.max); i > 0; i--) {
    const merchant = drawFrom(random, random() < 0.5 ? world.remote : world.local.get(account.home)!);
    const usd = purchaseUsdCents(random, account, merchant) * between(random, 0.8, 2);
    out.push(makeRow(account, merchant, time, usd, where, true));
    time += between(random, 0.5, 6) * HOUR_MS;
  }
  return out;
}

const accountTakeover: FraudPattern = {
  name: "account_takeover",
  description: `${TAKEOVER_ROWS.min}-${TAKEOVER_ROWS.max} rows over ${TAKEOVER_DAYS.min}-${TAKEOVER_DAYS.max} days, mostly ${TAKEOVER_MULTIPLE.min}-${TAKEOVER_MULTIPLE.max}x the usual amount, from abroad or a proxy, often at night`,
  share: 0.2,
  episode: takeoverEpisode,
};

const subtle: FraudPattern = {
  name: "subtle",
  description: `${SUBTLE_ROWS.min}-${SUBTLE_ROWS.max} purchases at the owner's usual hours, place and amounts, at a popular merchant`,
  share: 0.15,
  episode: subtleEpisode,
};

export { accountTakeover, subtle };
