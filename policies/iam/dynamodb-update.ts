/**
 * UpdateItem limited to the attributes a write touches, the way AWS documents attribute-level
 * access for DynamoDB: `dynamodb:Attributes` lists every top-level attribute the request may name
 * (key and condition attributes included), and `dynamodb:Select` / `dynamodb:ReturnValues`, when
 * present, may not ask for attributes outside that list.
 */
import type { UpdateAccess } from "../../pipeline/runtime/aws/update-access";
import type { Statement } from "./document";

/**
 * An Allow of `dynamodb:UpdateItem` on `resource` for exactly `access`: names compared with
 * StringLike when the list holds a `prefix*` pattern, StringEquals otherwise.
 *
 * @example
 * attributeScopedUpdate("WriteVerdict", tableArn, UPDATE_ACCESS.verdict);
 */
function attributeScopedUpdate(sid: string, resource: string, access: UpdateAccess): Statement {
  const operator = access.attributes.some((name) => name.includes("*"))
    ? "ForAllValues:StringLike"
    : "ForAllValues:StringEquals";
  return {
    Sid: sid,
    Effect: "Allow",
    Action: ["dynamodb:UpdateItem"],
    Resource: resource,
    Condition: {
      [operator]: { "dynamodb:Attributes": [...access.attributes] },
      StringEqualsIfExists: {
        "dynamodb:Select": "SPECIFIC_ATTRIBUTES",
        "dynamodb:ReturnValues": [...access.returnValues],
      },
    },
  };
}

export { attributeScopedUpdate };
