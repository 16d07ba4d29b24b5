/**
 * The API's rate limits as plain data (no `@pulumi/*` import), so the stack and `npm run bench`'s
 * capacity check read the same numbers.
 */

/** Steady-state and burst request rates, per stage and per API key. */
const API_THROTTLE = { rateLimit: 1000, burstLimit: 2000 } as const;

/** Daily cap per key: bounds what a leaked key can submit (about 10 % of a day at the full rate). */
const API_DAILY_QUOTA = 10_000_000;

export { API_DAILY_QUOTA, API_THROTTLE };
