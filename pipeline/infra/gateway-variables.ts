/**
 * The `$context` variables the stack's gateway-response templates and access-log format may use.
 * API Gateway fills both by plain substitution (no VTL, no escaping), so a variable whose value can
 * hold a double quote, a backslash or a control character breaks the JSON around it, and a
 * variable that carries request text (`$context.error.validationErrorString` echoes field names
 * the client sent) puts payload into the log. Only ids, codes and numbers qualify: each entry is
 * the form of the values API Gateway gives the variable ("-" when it has none) and an example.
 * Pure data, no `@pulumi/*` import.
 */

/** What API Gateway substitutes for one JSON-safe variable. */
interface JsonSafeVariable {
  /** Every value API Gateway gives it matches this; none holds a quote, backslash or control character. */
  readonly form: RegExp;
  readonly example: string;
}

const JSON_SAFE_VARIABLES: Readonly<Record<string, JsonSafeVariable>> = {
  "$context.requestId": {
    form: /^(?:-|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/,
    example: "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
  },
  "$context.extendedRequestId": { form: /^(?:-|[A-Za-z0-9+/=_-]+)$/, example: "Bq8ytGQNoAMFe4w=" },
  "$context.identity.apiKeyId": { form: /^(?:-|[A-Za-z0-9]+)$/, example: "mockapikeyid" },
  "$context.requestTimeEpoch": { form: /^\d+$/, example: "1764662400000" },
  "$context.httpMethod": { form: /^[A-Z]+$/, example: "POST" },
  "$context.resourcePath": { form: /^(?:-|(?:\/[A-Za-z0-9._~{}+-]*)+)$/, example: "/transactions" },
  "$context.status": { form: /^\d{3}$/, example: "400" },
  "$context.responseLatency": { form: /^\d+$/, example: "12" },
  "$context.integration.status": { form: /^(?:-|\d{3})$/, example: "-" },
  "$context.integration.latency": { form: /^(?:-|\d+)$/, example: "-" },
  "$context.error.responseType": { form: /^(?:-|[A-Z0-9_]+)$/, example: "BAD_REQUEST_BODY" },
};

const CONTEXT_VARIABLE = /\$context\.[A-Za-z0-9_.]*[A-Za-z0-9_]/g;

/**
 * The `$context` variables a template refers to, in order of appearance.
 *
 * @example
 * contextVariables('{"id":"$context.requestId"}'); // ["$context.requestId"]
 */
function contextVariables(template: string): string[] {
  return template.match(CONTEXT_VARIABLE) ?? [];
}

/**
 * What API Gateway produces from a template: every variable replaced, as plain text, by `valueFor`.
 *
 * @example
 * substituteVariables('{"id":"$context.requestId"}', () => "abc"); // '{"id":"abc"}'
 */
function substituteVariables(template: string, valueFor: (variable: string) => string): string {
  return template.replace(CONTEXT_VARIABLE, (variable) => valueFor(variable));
}

/**
 * Returns `template` when every variable it uses is JSON-safe and it is JSON once substituted;
 * throws otherwise, naming the variable, so a template that could break (or log payload) never
 * reaches a deployment.
 *
 * @example
 * jsonSafeTemplate('{"request_id":"$context.requestId"}'); // the template
 * jsonSafeTemplate('{"m":"$context.error.validationErrorString"}'); // throws
 */
function jsonSafeTemplate(template: string): string {
  const unsafe = contextVariables(template).find((variable) => !(variable in JSON_SAFE_VARIABLES));
  if (unsafe !== undefined) {
    throw new Error(
      `API Gateway template uses ${unsafe}, whose value may hold quotes, backslashes, newlines or request text; ` +
        `use only ${Object.keys(JSON_SAFE_VARIABLES).join(", ")}`,
    );
  }
  // Throws when a variable sits outside a JSON string or the template is not JSON at all.
  JSON.parse(substituteVariables(template, (variable) => JSON_SAFE_VARIABLES[variable]?.example ?? ""));
  return template;
}

export { contextVariables, JSON_SAFE_VARIABLES, jsonSafeTemplate, substituteVariables };
