/**
 * The fixed tables the populations are drawn from: places, currencies, merchant categories and
 * account segments. Amounts are stated in US cents and converted to the place's currency, so one
 * category means the same purchase in London and in Tokyo.
 */
import type { Channel } from "../../pipeline/runtime/contract/transaction";

/** Minor units per US cent (a rough exchange rate) and the step ATMs dispense, in minor units. */
const CURRENCIES = {
  USD: { perUsdCent: 1, cashStep: 2_000 },
  CAD: { perUsdCent: 1.37, cashStep: 2_000 },
  GBP: { perUsdCent: 0.79, cashStep: 1_000 },
  EUR: { perUsdCent: 0.92, cashStep: 1_000 },
  JPY: { perUsdCent: 1.5, cashStep: 1_000 },
  AUD: { perUsdCent: 1.52, cashStep: 2_000 },
  BRL: { perUsdCent: 5, cashStep: 5_000 },
  INR: { perUsdCent: 83, cashStep: 50_000 },
  MXN: { perUsdCent: 17, cashStep: 10_000 },
  SGD: { perUsdCent: 1.35, cashStep: 1_000 },
} as const;

type CurrencyCode = keyof typeof CURRENCIES;

interface City {
  readonly name: string;
  readonly country: string;
  readonly currency: CurrencyCode;
  readonly latitude: number;
  readonly longitude: number;
  /** Hours ahead of UTC: habits are local, timestamps are UTC. */
  readonly utcOffset: number;
  /** Relative share of the accounts (and of the local merchants) living there. */
  readonly weight: number;
}

function city(
  name: string,
  country: string,
  currency: CurrencyCode,
  latitude: number,
  longitude: number,
  utcOffset: number,
  weight: number,
): City {
  return { name, country, currency, latitude, longitude, utcOffset, weight };
}

const CITIES: readonly City[] = [
  city("new-york", "US", "USD", 40.71, -74.01, -5, 14),
  city("chicago", "US", "USD", 41.88, -87.63, -6, 8),
  city("san-francisco", "US", "USD", 37.77, -122.42, -8, 8),
  city("toronto", "CA", "CAD", 43.65, -79.38, -5, 6),
  city("london", "GB", "GBP", 51.51, -0.13, 0, 12),
  city("manchester", "GB", "GBP", 53.48, -2.24, 0, 5),
  city("paris", "FR", "EUR", 48.86, 2.35, 1, 8),
  city("berlin", "DE", "EUR", 52.52, 13.4, 1, 7),
  city("madrid", "ES", "EUR", 40.42, -3.7, 1, 5),
  city("tokyo", "JP", "JPY", 35.68, 139.69, 9, 7),
  city("sydney", "AU", "AUD", -33.87, 151.21, 10, 5),
  city("sao-paulo", "BR", "BRL", -23.55, -46.63, -3, 5),
  city("mumbai", "IN", "INR", 19.08, 72.88, 5.5, 4),
  city("mexico-city", "MX", "MXN", 19.43, -99.13, -6, 3),
  city("singapore", "SG", "SGD", 1.35, 103.82, 8, 3),
];

interface Category {
  /** The `merchant_category` value. */
  readonly name: string;
  readonly channel: Channel;
  /** Relative share of the merchants in this category. */
  readonly share: number;
  /** Median purchase at a typical merchant of the category, US cents. */
  readonly medianUsdCents: number;
  /** Spread (log-normal sigma) of one merchant's amounts. */
  readonly sigma: number;
  /** Goods that resell easily: where stolen cards are cashed out. */
  readonly resale: boolean;
}

function category(
  name: string,
  channel: Channel,
  share: number,
  medianUsdCents: number,
  sigma: number,
  resale: boolean,
): Category {
  return { name, channel, share, medianUsdCents, sigma, resale };
}

const CATEGORIES: readonly Category[] = [
  category("grocery", "card_present", 16, 4_500, 0.6, false),
  category("restaurant", "card_present", 17, 3_200, 0.6, false),
  category("coffee", "card_present", 7, 650, 0.4, false),
  category("fuel", "card_present", 6, 4_800, 0.35, false),
  category("pharmacy", "card_present", 5, 2_200, 0.7, false),
  category("transit", "card_present", 3, 350, 0.4, false),
  category("clothing", "card_present", 7, 6_500, 0.7, false),
  category("entertainment", "card_present", 4, 4_000, 0.6, false),
  category("electronics", "card_present", 3, 22_000, 0.9, true),
  category("jewelry", "card_present", 1, 60_000, 0.8, true),
  category("hotel", "card_present", 2, 25_000, 0.6, false),
  category("atm", "atm", 4, 10_000, 0.6, false),
  category("online_retail", "online", 10, 5_500, 0.9, true),
  category("digital_goods", "online", 5, 999, 0.8, false),
  category("subscription", "online", 3, 1_299, 0.3, false),
  category("gift_cards", "online", 2, 5_000, 0.6, true),
  category("travel", "online", 3, 40_000, 0.7, false),
  category("p2p_transfer", "transfer", 3, 15_000, 1, true),
];

const REMOTE_CHANNELS: ReadonlySet<Channel> = new Set(["online", "transfer"]);

/** Online purchases and transfers happen where the device is; the others at the merchant's terminal. */
function isRemote(category: Category): boolean {
  return REMOTE_CHANNELS.has(category.channel);
}

interface Segment {
  readonly name: string;
  readonly share: number;
  /** Multiplier of the typical purchase. */
  readonly spend: number;
  /** Multiplier of the transactions per day. */
  readonly activity: number;
  /** Expected trips per 30 days. */
  readonly tripsPerMonth: number;
}

const SEGMENTS: readonly Segment[] = [
  { name: "budget", share: 30, spend: 0.5, activity: 0.8, tripsPerMonth: 0.05 },
  { name: "standard", share: 45, spend: 1, activity: 1, tripsPerMonth: 0.1 },
  { name: "affluent", share: 20, spend: 2.3, activity: 1.3, tripsPerMonth: 0.25 },
  { name: "business", share: 5, spend: 5, activity: 1.8, tripsPerMonth: 0.7 },
];

export type { Category, City, CurrencyCode, Segment };
export { CATEGORIES, CITIES, CURRENCIES, isRemote, SEGMENTS };
