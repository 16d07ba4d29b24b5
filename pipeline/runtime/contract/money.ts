/**
 * Amounts in minor units, shown in major units. One table of ISO 4217 minor-unit exponents (the
 * payments standard; Intl's display data differs for some, e.g. IQD, HUF, COP)
 * instead of `Intl.NumberFormat`, whose construction per amount dominated the warm cost of
 * notify-team (about 28 of 31 µs per alert in `npm run bench`).
 */

/** ISO 4217 currencies whose minor unit is not 1/100; every other code has 2 digits. */
const MINOR_UNIT_EXCEPTIONS: Readonly<Record<string, number>> = {
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
  CLF: 4,
  UYW: 4,
};

/**
 * Fraction digits of a currency's minor unit.
 *
 * @example
 * minorUnitDigits("USD"); // 2
 * minorUnitDigits("JPY"); // 0
 */
function minorUnitDigits(currency: string): number {
  return Object.hasOwn(MINOR_UNIT_EXCEPTIONS, currency) ? MINOR_UNIT_EXCEPTIONS[currency] : 2;
}

/**
 * An amount in minor units as major units with its currency code, optionally with thousands separators.
 *
 * @example
 * formatAmount(2_500_000, "USD"); // "25000.00 USD"
 * formatAmount(2_500_000, "USD", { grouped: true }); // "25,000.00 USD"
 * formatAmount(4210, "JPY"); // "4210 JPY"
 */
function formatAmount(amountMinor: number, currency: string, options: { grouped?: boolean } = {}): string {
  const digits = minorUnitDigits(currency);
  const fixed = (amountMinor / 10 ** digits).toFixed(digits);
  if (!options.grouped) return `${fixed} ${currency}`;
  const [whole, fraction] = fixed.split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${fraction === undefined ? grouped : `${grouped}.${fraction}`} ${currency}`;
}

export { formatAmount, minorUnitDigits };
