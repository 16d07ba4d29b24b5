/**
 * Every gateway-response template and access-log format the stack defines stays valid JSON, and
 * carries no request text, whatever API Gateway substitutes into it: quotes, backslashes, newlines.
 */
import { expect } from "chai";
import {
  contextVariables,
  JSON_SAFE_VARIABLES,
  jsonSafeTemplate,
  substituteVariables,
} from "../../pipeline/infra/gateway-variables";
import { T } from "../helpers/infra-graph";
import { type LoadedStack, loadStack, ofType, single } from "../helpers/stack";

/** What a client can make API Gateway substitute into a variable that carries request text. */
const HOSTILE_VALUES = [
  '[object has missing required properties (["amount"])]',
  'instance type (string) does not match any allowed primitive type (allowed: ["integer"])',
  '"},"status":"200',
  "C:\\new\\table\\",
  "line one\nline two\r\n\ttab",
  "\u0000\u001f\u2028\u2029",
  '\\"',
];

/** One template and where the stack defines it. */
interface DefinedTemplate {
  readonly where: string;
  readonly template: string;
}

/** Every gateway-response template in the REST API's body and every stage's access-log format. */
function definedTemplates(stack: LoadedStack): DefinedTemplate[] {
  const body = JSON.parse(single(stack.resources, T.restApi, "fraud-api").inputs.body);
  const responses: Record<string, { responseTemplates?: Record<string, string> }> =
    body["x-amazon-apigateway-gateway-responses"] ?? {};
  const gatewayResponses = Object.entries(responses).flatMap(([type, response]) =>
    Object.entries(response.responseTemplates ?? {}).map(([contentType, template]) => ({
      where: `gateway response ${type} (${contentType})`,
      template,
    })),
  );
  const accessLogs = ofType(stack.resources, T.stage).map((stage) => ({
    where: `access log format of stage ${stage.name}`,
    template: stage.inputs.accessLogSettings.format as string,
  }));
  return [...gatewayResponses, ...accessLogs];
}

/**
 * The template as API Gateway fills it for a hostile request: `hostile` in every variable that is
 * not JSON-safe, a JSON-safe variable's own example otherwise.
 */
function renderHostile(template: string, hostile: string): string {
  return substituteVariables(template, (variable) => JSON_SAFE_VARIABLES[variable]?.example ?? hostile);
}

describe("Stack: API Gateway templates under hostile substitution", () => {
  let templates: DefinedTemplate[];

  before(async () => {
    templates = definedTemplates(await loadStack());
  });

  it("finds the BAD_REQUEST_BODY response and the stage's access-log format", () => {
    expect(templates.map((t) => t.where)).to.include.members([
      "gateway response BAD_REQUEST_BODY (application/json)",
      "access log format of stage fraud-api",
    ]);
  });

  it("parses as JSON, with no hostile text in it, for every template and every hostile value", () => {
    for (const { where, template } of templates) {
      for (const hostile of HOSTILE_VALUES) {
        // Act
        const rendered = renderHostile(template, hostile);
        // Assess
        expect(() => JSON.parse(rendered), `${where} with ${JSON.stringify(hostile)}`).not.to.throw();
        expect(rendered, where).not.to.include(hostile);
      }
    }
  });

  it("uses only JSON-safe variables: ids, codes and numbers, never request text", () => {
    for (const { where, template } of templates) {
      for (const variable of contextVariables(template)) {
        expect(JSON_SAFE_VARIABLES, `${where} uses ${variable}`).to.have.property(variable);
      }
    }
  });

  it("keeps each access-log line free of payload, client address, user agent and trace header", () => {
    const accessLogs = templates.filter((t) => t.where.startsWith("access log"));
    expect(accessLogs).to.have.length.greaterThan(0);
    for (const { template } of accessLogs) {
      expect(contextVariables(template)).to.include.members([
        "$context.requestId",
        "$context.error.responseType",
      ]);
      for (const variable of [
        "$context.error.validationErrorString",
        "$context.error.message",
        "$context.identity.sourceIp",
        "$context.identity.userAgent",
        "$context.path",
        "$context.xrayTraceId",
      ]) {
        expect(template).not.to.include(variable);
      }
    }
  });
});

describe("Data: JSON_SAFE_VARIABLES", () => {
  for (const [variable, { form, example }] of Object.entries(JSON_SAFE_VARIABLES)) {
    it(`${variable} takes no value that could break a JSON string, and its example fits its form`, () => {
      expect(example).to.match(form);
      for (const breaking of ['"', "\\", "\n", "\r", "\t", "\u0000", "\u2028", `${example}"`]) {
        expect(form.test(breaking), JSON.stringify(breaking)).to.equal(false);
      }
    });
  }
});

describe("Function: jsonSafeTemplate", () => {
  /** The template the BAD_REQUEST_BODY response used before: invalid JSON for any real validation error. */
  const ECHOING_TEMPLATE =
    '{"error":"invalid_request","message":"$context.error.validationErrorString","request_id":"$context.requestId"}';

  it("refuses a template that substitutes the validator's text, naming the variable", () => {
    expect(() => jsonSafeTemplate(ECHOING_TEMPLATE)).to.throw(
      /uses \$context\.error\.validationErrorString, whose value may hold quotes, backslashes, newlines or request text/,
    );
  });

  it("is right to: that template breaks under the hostile substitution the stack's templates pass", () => {
    expect(() => JSON.parse(renderHostile(ECHOING_TEMPLATE, HOSTILE_VALUES[0] as string))).to.throw(
      SyntaxError,
    );
  });

  it("refuses a JSON-safe variable placed outside a JSON string", () => {
    expect(() => jsonSafeTemplate('{"status":$context.status,"id":$context.requestId}')).to.throw(
      SyntaxError,
    );
  });

  it("returns a template of JSON-safe variables unchanged", () => {
    const template = '{"request_id":"$context.requestId","status":"$context.status"}';
    expect(jsonSafeTemplate(template)).to.equal(template);
  });
});
