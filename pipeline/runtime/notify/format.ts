/**
 * Turns a fraud alert into the message the fraud team reads by email. Pure: no clock, no I/O.
 */
import { formatAmount } from "../contract/money";
import { refusedCharacter } from "../contract/text";
import type { FraudAlert } from "../contract/transaction";
import type { Notification } from "../ports";

/** SNS requires an email subject shorter than 100 characters. */
const MAX_SUBJECT_LENGTH = 99;

/** How many trailing characters of the account id the message shows. */
const ACCOUNT_VISIBLE_CHARS = 4;

/** `****1234`: enough for the team to recognise the account, not enough to identify it. */
function maskAccount(accountId: string): string {
  const visible = accountId.length > ACCOUNT_VISIBLE_CHARS ? accountId.slice(-ACCOUNT_VISIBLE_CHARS) : "";
  return `****${visible}`;
}

/** Shortens `text` to `max` characters keeping its start and end, which is where ids differ. */
function middleTruncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const marker = "...";
  const head = Math.ceil((max - marker.length) / 2);
  const tail = max - marker.length - head;
  return `${text.slice(0, head)}${marker}${tail > 0 ? text.slice(-tail) : ""}`;
}

/** `[U+202E]`: a character shown by its code point, so the reader sees it was there. */
function visibleEscape(codePoint: number): string {
  return `[U+${codePoint.toString(16).toUpperCase().padStart(4, "0")}]`;
}

/**
 * Client-chosen text (the merchant id, and rule reasons that quote it) made safe for the email
 * body. Every character the contract refuses in free text (controls, format characters such as
 * bidi overrides, zero-width characters or a BOM, line/paragraph separators, lone surrogates) is
 * shown as its code point, e.g. `[U+202E]`: the contract refuses them on arrival, but items stored
 * before that rule, or sent around it, must still neither forge lines nor reorder or hide text.
 * The result is one line of well-formed Unicode (a lone surrogate makes the SDK's SNS request
 * encoding throw, and the alert would be dead-lettered without anyone being told).
 *
 * @example
 * displayText("shop\u202Etxt.exe"); // "shop[U+202E]txt.exe"
 */
function displayText(text: string): string {
  const refused = refusedCharacter();
  let out = "";
  for (const char of text) out += refused.test(char) ? visibleEscape(char.codePointAt(0) ?? 0) : char;
  return out;
}

function formatScore(score: number): string {
  return String(Math.round(score * 100) / 100);
}

function formatTime(epochMs: number): string {
  const date = new Date(epochMs);
  return Number.isNaN(date.getTime()) ? `${epochMs} (epoch ms)` : date.toISOString();
}

/**
 * The email for one alert: a subject under 100 characters naming the transaction and score,
 * and a plain-text body with what happened, the amount in major units, merchant, event time,
 * the score's top reasons, each rule with its reason, and the detection time. The account id is masked to its last
 * four characters.
 *
 * @example
 * const { subject } = formatAlert(alert); // "Fraud alert: transaction tx-123 scored 87"
 */
function formatAlert(alert: FraudAlert): Notification {
  const score = formatScore(alert.score);
  const subjectWithoutId = `Fraud alert: transaction  scored ${score}`;
  const id = middleTruncate(alert.transaction_id, MAX_SUBJECT_LENGTH - subjectWithoutId.length);
  const reasons =
    alert.reasons.length === 0
      ? ["  (no reasons in the alert)"]
      : alert.reasons.map((reason, i) => `  ${i + 1}. ${displayText(reason)}`);
  const rules =
    alert.rules.length === 0
      ? ["  (no rule details in the alert)"]
      : alert.rules.map(
          (hit) =>
            `  - ${displayText(hit.rule)} (score ${formatScore(hit.score)}): ${displayText(hit.reason)}`,
        );
  const body = [
    "The fraud detector flagged a suspicious transaction.",
    "",
    `Transaction: ${alert.transaction_id}`,
    `Account:     ${maskAccount(alert.account_id)}`,
    `Amount:      ${formatAmount(alert.amount, alert.currency, { grouped: true })}`,
    `Merchant:    ${displayText(alert.merchant_id)}`,
    `Event time:  ${formatTime(alert.timestamp)}`,
    `Fraud score: ${score}`,
    "",
    "Top reasons:",
    ...reasons,
    "",
    "Rules that fired:",
    ...rules,
    "",
    `Detected at: ${formatTime(alert.detected_at)}`,
  ].join("\n");
  return {
    subject: `Fraud alert: transaction ${id} scored ${score}`,
    body,
    transactionId: alert.transaction_id,
  };
}

export { displayText, formatAlert, maskAccount };
