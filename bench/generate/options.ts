/**
 * The generator's options: one table of defaults and valid ranges from which the API's checks,
 * the CLI's flags and its usage text are all derived.
 */

/** What to generate; everything but `rows` has a default. */
interface GenerateOptions {
  /** Rows to produce (at least; a fraud episode in progress is completed). */
  readonly rows: number;
  /** Seed of every random draw: the same options give the same rows. */
  readonly seed?: number;
  /** Start of the period, epoch ms (UTC midnight recommended). */
  readonly start?: number;
  /** Length of the period in days. */
  readonly days?: number;
  /** Approximate share of the rows labelled fraud. */
  readonly fraudRate?: number;
  /** Accounts; derived from rows and days when absent. */
  readonly accounts?: number;
  /** Merchants; derived from the accounts when absent. */
  readonly merchants?: number;
}

type ResolvedOptions = Required<GenerateOptions>;

interface OptionSpec {
  readonly flag: string;
  readonly min: number;
  readonly max: number;
  readonly integer: boolean;
  /** The default; absent when the value is derived from the others (`derived` says how). */
  readonly fallback?: number;
  readonly derived?: string;
  readonly help: string;
}

/** Legitimate transactions per account per day on average, when the accounts are derived. */
const ROWS_PER_ACCOUNT_DAY = 1.2;
/** Merchants per account, when the merchants are derived. */
const MERCHANTS_PER_ACCOUNT = 0.35;
const START_MIN = Date.UTC(1970, 0, 1);
const START_MAX = Date.UTC(2099, 11, 31);
const DEFAULT_START = Date.UTC(2025, 9, 1);

/** The numeric options; `start` is a date and is checked on its own. */
const OPTION_SPECS = {
  rows: { flag: "--rows", min: 1, max: 3_000_000, integer: true, fallback: 200_000, help: "rows to write" },
  seed: {
    flag: "--seed",
    min: 0,
    max: 4_294_967_295,
    integer: true,
    fallback: 1,
    help: "seed of every draw",
  },
  days: { flag: "--days", min: 1, max: 366, integer: true, fallback: 30, help: "length of the period" },
  fraudRate: {
    flag: "--fraud-rate",
    min: 0,
    max: 0.2,
    integer: false,
    fallback: 0.005,
    help: "approximate share of rows labelled fraud",
  },
  accounts: {
    flag: "--accounts",
    min: 1,
    max: 1_000_000,
    integer: true,
    derived: `legitimate rows / (${ROWS_PER_ACCOUNT_DAY} x days)`,
    help: "accounts",
  },
  merchants: {
    flag: "--merchants",
    min: 50,
    max: 1_000_000,
    integer: true,
    derived: `${MERCHANTS_PER_ACCOUNT} per account`,
    help: "merchants",
  },
} as const satisfies Record<Exclude<keyof GenerateOptions, "start">, OptionSpec>;

type NumericOption = keyof typeof OPTION_SPECS;

/** Why `value` is out of the option's range, naming it `label`; undefined when it is valid. */
function rangeProblem(
  label: string,
  spec: OptionSpec,
  value: number,
  shown = String(value),
): string | undefined {
  const valid =
    Number.isFinite(value) &&
    value >= spec.min &&
    value <= spec.max &&
    (!spec.integer || Number.isInteger(value));
  return valid
    ? undefined
    : `${label} must be ${spec.integer ? "an integer" : "a number"} from ${spec.min} to ${spec.max}, got ${shown}`;
}

/** Why `value` (epoch ms) is not a start of the period, naming it `label` and its `format`. */
function startProblem(
  label: string,
  value: number,
  format: string,
  shown = String(value),
): string | undefined {
  return Number.isInteger(value) && value >= START_MIN && value <= START_MAX
    ? undefined
    : `${label} must be a date (${format}) from ${isoDay(START_MIN)} to ${isoDay(START_MAX)}, got ${shown}`;
}

function isoDay(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}

function clamp(value: number, spec: OptionSpec): number {
  return Math.min(spec.max, Math.max(spec.min, Math.round(value)));
}

/**
 * Fills in the defaults and derived values.
 *
 * @throws RangeError naming the first option out of its range, and the range.
 */
function resolveOptions(options: GenerateOptions): ResolvedOptions {
  const value = (name: NumericOption): number | undefined => {
    const given = options[name];
    const problem = given === undefined ? undefined : rangeProblem(name, OPTION_SPECS[name], given);
    if (problem !== undefined) throw new RangeError(problem);
    return given;
  };
  const rows = value("rows") ?? OPTION_SPECS.rows.fallback;
  const days = value("days") ?? OPTION_SPECS.days.fallback;
  const fraudRate = value("fraudRate") ?? OPTION_SPECS.fraudRate.fallback;
  const start = options.start ?? DEFAULT_START;
  const problem = startProblem("start", start, "epoch ms");
  if (problem !== undefined) throw new RangeError(problem);
  const legitRows = rows - Math.round(rows * fraudRate);
  const accounts =
    value("accounts") ?? clamp(legitRows / (days * ROWS_PER_ACCOUNT_DAY), OPTION_SPECS.accounts);
  return {
    rows,
    seed: value("seed") ?? OPTION_SPECS.seed.fallback,
    start,
    days,
    fraudRate,
    accounts,
    merchants: value("merchants") ?? clamp(accounts * MERCHANTS_PER_ACCOUNT, OPTION_SPECS.merchants),
  };
}

export type { GenerateOptions, NumericOption, OptionSpec, ResolvedOptions };
export { DEFAULT_START, isoDay, OPTION_SPECS, rangeProblem, resolveOptions, startProblem };
