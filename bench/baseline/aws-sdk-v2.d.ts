/**
 * The type-checker's view of `aws-sdk` (tsconfig.json `paths`): just the three clients the v2
 * baseline uses. The package's own index declares every AWS service, about 900,000 lines that
 * `npm test` would otherwise parse on every type-check; at run time `require("aws-sdk")` still
 * loads the whole SDK, which is what the baseline measures.
 */
import DynamoDB = require("aws-sdk/clients/dynamodb");
import SNS = require("aws-sdk/clients/sns");
import SQS = require("aws-sdk/clients/sqs");

export { DynamoDB, SNS, SQS };
