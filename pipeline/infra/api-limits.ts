/**
 * The API's rate limits as plain data (no `@pulumi/*` import), so the stack and `npm run bench`'s
 * capacity check read the same numbers.
 */

/** Steady-state and burst request rates, per stage and per API key. */
const API_THROTTLE = { rateLimit: 1000, burstLimit: 2000 } as const;

/** Daily cap per key: bounds what a leaked key can submit (about 10 % of a day at the full rate). */
const API_DAILY_QUOTA = 10_000_000;

/** WAF's rate-based rules count over a 5-minute window by default; the limit is per window. */
const WAF_WINDOW_SECONDS = 300;

/**
 * The WAF rate-based rule's per-source-IP limit: the range WAF accepts, and the default, a fifth
 * of the stage's sustained throttle over the window (200 rps from one IP), so one address cannot
 * take the whole stage's capacity from other clients.
 */
const WAF_RATE_LIMIT = {
  windowSeconds: WAF_WINDOW_SECONDS,
  min: 10,
  max: 2_000_000_000,
  default: (API_THROTTLE.rateLimit * WAF_WINDOW_SECONDS) / 5,
} as const;

export { API_DAILY_QUOTA, API_THROTTLE, WAF_RATE_LIMIT };
