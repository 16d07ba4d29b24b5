/**
 * Legitimate activity: each account's share of the rows spread over the period at its usual
 * hours and merchants, plus legitimate spending that looks unusual (trips, big-ticket purchases,
 * bursts of shopping). Without the latter, any rule that flags the unusual would look perfect.
 */
import { CITIES, isRemote } from "./catalog";
import { type Account, drawFrom, type Merchant, type World } from "./populations";
import { between, intBetween, pick, type Random } from "./random";
import {
  habitualHour,
  homeOf,
  MINUTE_MS,
  makeRow,
  type Place,
  placeIn,
  purchaseUsdCents,
  type Row,
  timeAt,
} from "./rows";

/** Kinds of legitimate rows that look unusual; each row counts under one kind at most. */
const UNUSUAL_KINDS = ["travel", "large_purchase", "spree"] as const;

type UnusualCounts = Record<(typeof UNUSUAL_KINDS)[number], number>;

interface Trip {
  readonly firstDay: number;
  readonly lastDay: number;
  readonly place: Place;
}

/** Share of purchases that are a legitimate big-ticket item. */
const LARGE_SHARE = 0.004;
const LARGE_CATEGORIES = ["electronics", "jewelry", "travel", "online_retail"] as const;
/** Chance, per account and 30 days, of several shops within the hour (a legitimate burst). */
const SPREE_PER_MONTH = 0.06;
/** Share of a traveller's purchases still made at home merchants (online subscriptions, say). */
const AWAY_REGULAR_SHARE = 0.2;
/** Share of first-time merchants that are shops nearby rather than online. */
const NEW_LOCAL_SHARE = 0.7;

function planTrip(random: Random, account: Account, days: number): Trip | undefined {
  if (random() >= Math.min(0.9, (account.segment.tripsPerMonth * days) / 30)) return undefined;
  const domestic = CITIES.filter((c) => c.country === account.home.country && c !== account.home);
  const abroad = CITIES.filter((c) => c.country !== account.home.country);
  const city = domestic.length > 0 && random() < 0.4 ? pick(random, domestic) : pick(random, abroad);
  const length = Math.min(days, intBetween(random, 2, 9));
  const firstDay = Math.floor(random() * (days - length + 1));
  return { firstDay, lastDay: firstDay + length - 1, place: placeIn(random, city) };
}

function chooseMerchant(
  random: Random,
  world: World,
  account: Account,
  where: Place,
  away: boolean,
): Merchant {
  const local = world.local.get(where.city)!;
  if (away)
    return random() < AWAY_REGULAR_SHARE ? drawFrom(random, account.regulars) : drawFrom(random, local);
  if (random() >= account.exploreShare) return drawFrom(random, account.regulars);
  return random() < NEW_LOCAL_SHARE ? drawFrom(random, local) : drawFrom(random, world.remote);
}

/** A shop (here) or an online merchant selling expensive things; `usual` when there is none. */
function bigTicket(random: Random, world: World, where: Place, usual: Merchant): Merchant {
  const sellers = (world.byCategory.get(pick(random, LARGE_CATEGORIES)) ?? []).filter(
    (m) => isRemote(m.category) || m.city === where.city,
  );
  return sellers.length > 0 ? pick(random, sellers) : usual;
}

function spree(random: Random, world: World, account: Account, size: number, out: Row[]) {
  const day = Math.floor(random() * world.days);
  const latest = world.end - size * 10 * MINUTE_MS;
  let time = Math.min(latest, timeAt(world, day, between(random, 10, 17), account.home));
  for (let i = 0; i < size; i++) {
    const merchant = drawFrom(random, world.local.get(account.home)!);
    out.push(
      makeRow(account, merchant, time, purchaseUsdCents(random, account, merchant), homeOf(account), false),
    );
    time += between(random, 1, 9) * MINUTE_MS;
  }
}

function accountRows(random: Random, world: World, account: Account, out: Row[], unusual: UnusualCounts) {
  const { days } = world;
  const home = homeOf(account);
  const trip = planTrip(random, account, days);
  let left = world.legitRows[account.index];
  if (left >= 8 && random() < (SPREE_PER_MONTH * days) / 30) {
    const size = intBetween(random, 4, 8);
    spree(random, world, account, size, out);
    left -= size;
    unusual.spree += size;
  }
  for (let i = 0; i < left; i++) {
    const day = Math.floor(random() * days);
    const away = trip !== undefined && day >= trip.firstDay && day <= trip.lastDay;
    const where = away ? trip.place : home;
    const timestamp = timeAt(world, day, habitualHour(random, account), where.city);
    const usual = chooseMerchant(random, world, account, where, away);
    const large = random() < LARGE_SHARE;
    const merchant = large ? bigTicket(random, world, where, usual) : usual;
    const usd = purchaseUsdCents(random, account, merchant) * (large ? between(random, 3, 10) : 1);
    if (large) unusual.large_purchase++;
    else if (away) unusual.travel++;
    out.push(makeRow(account, merchant, timestamp, usd, where, false));
  }
}

/** Every account's legitimate rows (unsorted), and how many of them look unusual, by kind. */
function legitimateRows(random: Random, world: World): { rows: Row[]; unusual: UnusualCounts } {
  const rows: Row[] = [];
  const unusual = Object.fromEntries(UNUSUAL_KINDS.map((kind) => [kind, 0])) as UnusualCounts;
  for (const account of world.accounts) accountRows(random, world, account, rows, unusual);
  return { rows, unusual };
}

export type { UnusualCounts };
export { legitimateRows, UNUSUAL_KINDS };
