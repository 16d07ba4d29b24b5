import { type ChildProcess, spawn } from "node:child_process";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { expect } from "chai";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { guardPolicies } from "../../policies/guard/policies";

// The engine's own gRPC stubs, as the Pulumi CLI uses them to talk to a policy pack.
const analyzerGrpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb");
const analyzerProto = require("@pulumi/pulumi/proto/analyzer_pb");

const PACK_DIR = path.resolve(__dirname, "../../policies/guard");
const MANDATORY = analyzerProto.EnforcementLevel.MANDATORY;

/**
 * Starts the pack exactly as the CLI's `pulumi-analyzer-policy` shim does: in the pack directory,
 * `node <require.resolve("@pulumi/pulumi/cmd/run-policy-pack")> <engine-address> .`, and reads
 * the port the pack's gRPC server prints.
 */
function startPack(): Promise<{ child: ChildProcess; port: number }> {
  const runner = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [PACK_DIR] });
  const child = spawn(process.execPath, [runner, "127.0.0.1:1", "."], { cwd: PACK_DIR, stdio: "pipe" });
  let stderr = "";
  child.stderr?.on("data", (chunk) => {
    stderr += String(chunk);
  });
  return new Promise((resolve, reject) => {
    child.stdout?.once("data", (chunk) => resolve({ child, port: Number(String(chunk).trim()) }));
    child.once("exit", (code) => reject(new Error(`policy pack exited with ${code}: ${stderr}`)));
  });
}

function call<T>(client: grpc.Client, method: string, request: unknown): Promise<T> {
  const rpc = (
    client as unknown as Record<string, (r: unknown, cb: (e: Error | null, v: T) => void) => void>
  )[method];
  return new Promise((resolve, reject) =>
    rpc?.call(client, request, (error, value) => (error ? reject(error) : resolve(value))),
  );
}

function analyzeRequest(type: string, name: string, props: Record<string, unknown>) {
  const request = new analyzerProto.AnalyzeRequest();
  request.setType(type);
  request.setName(name);
  request.setUrn(`urn:pulumi:dev::fraud-pipeline::${type}::${name}`);
  request.setProperties(Struct.fromJavaScript(props as never));
  request.setOptions(new analyzerProto.AnalyzerResourceOptions());
  return request;
}

describe("Policy pack: loaded the way the Pulumi CLI loads it", function () {
  // ts-node type-checks the pack on start; that takes seconds, not milliseconds.
  this.timeout(180000);
  let pack: ChildProcess | undefined;
  let client: grpc.Client;

  before(async () => {
    const started = await startPack();
    pack = started.child;
    client = new analyzerGrpc.AnalyzerClient(`127.0.0.1:${started.port}`, grpc.credentials.createInsecure());
  });

  after(() => {
    client?.close();
    pack?.kill();
  });

  it("serves fraud-pipeline-guard with every policy mandatory, from a pack dir without dependencies", async () => {
    // Prepare
    const expectedNames = guardPolicies.map((policy) => policy.name);

    // Act
    const info = await call<{
      getName(): string;
      getPoliciesList(): { getName(): string; getEnforcementlevel(): number }[];
    }>(client, "getAnalyzerInfo", new Empty());

    // Assess
    expect(info.getName()).to.equal("fraud-pipeline-guard");
    expect(
      info.getPoliciesList().map((policy) => [policy.getName(), policy.getEnforcementlevel()]),
    ).to.deep.equal(expectedNames.map((name) => [name, MANDATORY]));
  });

  it("answers an Analyze call on a 128 MB function with a mandatory lambda-memory-512 violation", async () => {
    // Prepare
    const request = analyzeRequest("aws:lambda/function:Function", "notify-team", {
      name: "lambda-notify-team-dev",
      runtime: "nodejs24.x",
      memorySize: 128,
      reservedConcurrentExecutions: 50,
      kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/k",
      tags: { Environment: "production", CostCenter: "fraud-detection" },
    });

    // Act
    const response = await call<{
      getDiagnosticsList(): {
        getPolicyname(): string;
        getMessage(): string;
        getEnforcementlevel(): number;
      }[];
    }>(client, "analyze", request);

    // Assess
    expect(
      response.getDiagnosticsList().map((d) => [d.getPolicyname(), d.getMessage(), d.getEnforcementlevel()]),
    ).to.deep.equal([
      [
        "lambda-memory-512",
        // The SDK prefixes each message with the policy's description, as the CLI prints it.
        'Every Lambda function is given exactly 512 MB of memory.\naws:lambda/function:Function "notify-team": memorySize is 128; it must be 512.',
        MANDATORY,
      ],
    ]);
  });
});
