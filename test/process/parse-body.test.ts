import { expect } from "chai";
import { BODY_PROBLEMS, readJsonBody } from "../../pipeline/runtime/process/parse-body";

const base64 = (text: string) => Buffer.from(text).toString("base64");

describe("Function: readJsonBody", () => {
  const cases = [
    {
      name: "JSON text",
      event: { body: '{"a":1}', isBase64Encoded: false },
      expected: { ok: true, value: { a: 1 } },
    },
    {
      name: "base64 JSON",
      event: { body: base64('{"a":1}'), isBase64Encoded: true },
      expected: { ok: true, value: { a: 1 } },
    },
    {
      name: "a null body",
      event: { body: null, isBase64Encoded: false },
      expected: { ok: false, problem: BODY_PROBLEMS.missing },
    },
    {
      name: "an empty body",
      event: { body: "", isBase64Encoded: false },
      expected: { ok: false, problem: BODY_PROBLEMS.missing },
    },
    {
      name: "base64 of nothing",
      event: { body: "====", isBase64Encoded: true },
      expected: { ok: false, problem: BODY_PROBLEMS.missing },
    },
    {
      name: "whitespace only",
      event: { body: "  ", isBase64Encoded: false },
      expected: { ok: false, problem: BODY_PROBLEMS.invalidJson },
    },
    {
      name: "truncated JSON",
      event: { body: '{"a":', isBase64Encoded: false },
      expected: { ok: false, problem: BODY_PROBLEMS.invalidJson },
    },
    {
      name: "11 bytes over a 10-byte limit",
      event: { body: "[1,2,3,4,5]", isBase64Encoded: false },
      expected: { ok: false, problem: BODY_PROBLEMS.tooLarge },
    },
    {
      name: "4 characters that are 8 bytes, over a 7-byte limit",
      event: { body: '"€€"', isBase64Encoded: false },
      expected: { ok: false, problem: BODY_PROBLEMS.tooLarge },
      maxBytes: 7,
    },
    {
      name: "4 characters that are 8 bytes, at an 8-byte limit",
      event: { body: '"€€"', isBase64Encoded: false },
      expected: { ok: true, value: "€€" },
      maxBytes: 8,
    },
  ];

  for (const testCase of cases) {
    it(`reads ${testCase.name}`, () => {
      // Act
      const result = readJsonBody(testCase.event, testCase.maxBytes ?? 10);

      // Assess
      expect(result).to.deep.equal(testCase.expected);
    });
  }
});
