/**
 * Generates labelled transaction histories for the backtest benchmark (and for trying
 * `npm run backtest` without real data): accounts with a home place, usual amounts and regular
 * merchants, plus injected fraud patterns labelled `is_fraud: true` (card testing, velocity
 * bursts, impossible travel, amount spikes, repeated charges, very high amounts). Some fraud is
 * deliberately subtle and some legitimate spending unusual, so precision and recall are below 1.
 *
 * CLI: `npx ts-node --transpile-only bench/generate.ts --rows 200000 --out history.jsonl [--seed 1]`
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { seededRandom } from "../local/faults";
import type { Transaction } from "../pipeline/runtime/contract/transaction";

/** One generated row: a contract transaction plus the backtest's label. */
type LabelledTransaction = Transaction & { readonly is_fraud: boolean };

interface GenerateOptions {
  /** Rows to produce (at least; a pattern in progress is completed). */
  readonly rows: number;
  readonly seed?: number;
  /** Start of the period, epoch ms; the period is 30 days. Default 2025-10-01T00:00:00Z. */
  readonly start?: number;
}

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
const PERIOD_MS = 30 * DAY_MS;
/** Average transactions per account over the period. */
const ROWS_PER_ACCOUNT = 50;
/** Share of accounts that suffer one fraud episode. */
const FRAUD_ACCOUNT_SHARE = 0.04;
/** Share of legitimate transactions that are an unusually large purchase. */
const UNUSUAL_SHARE = 0.003;
const PLACES = [
  { latitude: 40.71, longitude: -74.0, country: "US", currency: "USD" },
  { latitude: 51.51, longitude: -0.13, country: "GB", currency: "GBP" },
  { latitude: 48.86, longitude: 2.35, country: "FR", currency: "EUR" },
  { latitude: 35.68, longitude: 139.69, country: "JP", currency: "JPY" },
  { latitude: 37.77, longitude: -122.42, country: "US", currency: "USD" },
] as const;
const CHANNELS = ["card_present", "online", "atm", "transfer"] as const;

type Random = () => number;

interface Account {
  readonly id: string;
  readonly home: (typeof PLACES)[number];
  readonly typical: number;
  readonly merchants: readonly string[];
}

function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}

function makeAccount(random: Random, index: number): Account {
  return {
    id: `acct-${index.toString(36).padStart(6, "0")}`,
    home: pick(random, PLACES),
    typical: 500 + Math.floor(random() * 15_000),
    merchants: Array.from({ length: 8 }, () => `merchant-${Math.floor(random() * 5_000)}`),
  };
}

function makeRows(random: Random, account: Account) {
  let n = 0;
  return (timestamp: number, overrides: Partial<Transaction>, fraud: boolean): LabelledTransaction => {
    n += 1;
    const place = account.home;
    return {
      transaction_id: `${account.id}-${n}`,
      account_id: account.id,
      amount: Math.max(1, Math.round(account.typical * (0.3 + random() * 1.4))),
      currency: place.currency,
      timestamp: Math.round(timestamp),
      merchant_id: pick(random, account.merchants),
      channel: pick(random, CHANNELS),
      location: {
        latitude: place.latitude + (random() - 0.5) * 0.2,
        longitude: place.longitude + (random() - 0.5) * 0.2,
      },
      country: place.country,
      ...overrides,
      is_fraud: fraud,
    };
  };
}

/** One fraud episode starting at `at`; returns its rows, the fraudulent ones labelled. */
function fraudEpisode(
  random: Random,
  account: Account,
  row: ReturnType<typeof makeRows>,
  at: number,
): LabelledTransaction[] {
  const kind = Math.floor(random() * 7);
  const merchant = `merchant-x${Math.floor(random() * 1_000)}`;
  const steps = (count: number, gapMs: number, overrides: (i: number) => Partial<Transaction>) =>
    Array.from({ length: count }, (_, i) => row(at + i * gapMs * (0.5 + random()), overrides(i), true));
  switch (kind) {
    case 0: // card testing: tiny probes, then a large charge
      return steps(5, MINUTE_MS, (i) => ({
        amount: i < 4 ? 50 + Math.floor(random() * 100) : 25_000 + Math.floor(random() * 50_000),
        merchant_id: merchant,
        channel: "online",
      }));
    case 1: // velocity: a burst at many merchants
      return steps(9, 40_000, (i) => ({ merchant_id: `${merchant}-${i}`, channel: "online" }));
    case 2: {
      // impossible travel: a genuine purchase at home, then the card on another continent minutes later
      const far = PLACES.find((p) => Math.abs(p.longitude - account.home.longitude) > 60) ?? PLACES[3];
      const location = { latitude: far.latitude, longitude: far.longitude };
      return [
        row(at, {}, false),
        row(at + 10 * MINUTE_MS, { location, country: far.country, channel: "card_present" }, true),
      ];
    }
    case 3: // amount spike: far above what the account usually spends
      return steps(1, 0, () => ({
        amount: account.typical * (15 + Math.floor(random() * 20)),
        merchant_id: merchant,
      }));
    case 4: // repeated charge: the same amount at the same merchant, seconds apart
      return steps(3, 20_000, () => ({ amount: 4_999, merchant_id: merchant, channel: "online" }));
    case 5: // very high amount
      return steps(1, 0, () => ({
        amount: 2_500_000 + Math.floor(random() * 5_000_000),
        merchant_id: merchant,
      }));
    default: // subtle: a modest purchase at an unknown merchant; the rules are not expected to see it
      return steps(1, 0, () => ({ merchant_id: merchant }));
  }
}

/**
 * Generates at least `rows` labelled transactions, sorted by timestamp.
 *
 * @example
 * const rows = generateTransactions({ rows: 1_000, seed: 1 });
 * rows.filter((r) => r.is_fraud).length; // a few percent
 */
function generateTransactions(options: GenerateOptions): LabelledTransaction[] {
  const random = seededRandom(options.seed ?? 1);
  const start = options.start ?? Date.UTC(2025, 9, 1);
  const out: LabelledTransaction[] = [];
  for (let index = 0; out.length < options.rows; index++) {
    const account = makeAccount(random, index);
    const row = makeRows(random, account);
    const count = Math.max(2, Math.round(ROWS_PER_ACCOUNT * (0.4 + random() * 1.2)));
    for (let i = 0; i < count; i++) {
      // An unusual but legitimate purchase now and then (a false positive waiting to happen).
      const unusual = random() < UNUSUAL_SHARE ? { amount: account.typical * 12 } : {};
      out.push(row(start + random() * PERIOD_MS, unusual, false));
    }
    if (random() < FRAUD_ACCOUNT_SHARE)
      out.push(...fraudEpisode(random, account, row, start + random() * (PERIOD_MS - DAY_MS)));
  }
  return out.sort((a, b) => a.timestamp - b.timestamp);
}

/**
 * Writes generated rows to `file` as JSON Lines (synchronously, in chunks); returns the row and
 * fraud counts.
 *
 * @example
 * const { rows, fraud } = writeTransactionsFile("/tmp/history.jsonl", { rows: 200_000 });
 */
function writeTransactionsFile(file: string, options: GenerateOptions): { rows: number; fraud: number } {
  const rows = generateTransactions(options);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const fd = fs.openSync(file, "w");
  try {
    const chunk = 5_000;
    for (let i = 0; i < rows.length; i += chunk) {
      fs.writeSync(
        fd,
        rows
          .slice(i, i + chunk)
          .map((row) => `${JSON.stringify(row)}\n`)
          .join(""),
      );
    }
  } finally {
    fs.closeSync(fd);
  }
  return { rows: rows.length, fraud: rows.filter((row) => row.is_fraud).length };
}

function parseCli(argv: readonly string[]): { rows: number; out: string; seed: number } {
  const value = (flag: string) => {
    const at = argv.indexOf(flag);
    return at < 0 ? undefined : argv[at + 1];
  };
  const rows = Number(value("--rows") ?? 200_000);
  const seed = Number(value("--seed") ?? 1);
  const out = value("--out");
  if (!Number.isInteger(rows) || rows < 1)
    throw new Error(`--rows must be a positive integer, got ${value("--rows")}`);
  if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer, got ${value("--seed")}`);
  if (out === undefined) throw new Error("--out FILE is required (the JSON Lines file to write)");
  return { rows, out, seed };
}

if (require.main === module) {
  try {
    const args = parseCli(process.argv.slice(2));
    const { rows, fraud } = writeTransactionsFile(args.out, { rows: args.rows, seed: args.seed });
    process.stdout.write(`Wrote ${rows} transactions (${fraud} labelled fraud) to ${args.out}\n`);
  } catch (error) {
    process.stderr.write(`generate: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  }
}

export type { GenerateOptions, LabelledTransaction };
export { generateTransactions, writeTransactionsFile };
