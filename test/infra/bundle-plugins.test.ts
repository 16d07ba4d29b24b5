/** The bundle's stand-ins for SDK code: what each replaces, that Lambda never needs the original, and that they behave. */
import * as fs from "node:fs";
import { readFile } from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import * as esbuild from "esbuild";
import {
  EVENT_STREAMS_LEFT_OUT,
  eventStreamsLeftOut,
  fsReadFileFromCallbacks,
  PROJECT_ROOT,
  usedExports,
  withPackages,
} from "../../pipeline/infra/bundle-plugins";
import { externalRequires } from "../helpers/archive";
import { matchesError, rejectionOf, thrownBy } from "../helpers/expect";

/** The SDK's shared config file reader, the one module the readFile stand-in applies to. */
const SHARED_CONFIG_READER = path.join(
  PROJECT_ROOT,
  "node_modules/@smithy/core/dist-es/submodules/config/shared-ini-file-loader/readFile.js",
);

/** Bundles `contents` (an ES module resolved from the project root) with `plugins` into CommonJS text. */
async function bundleText(contents: string, plugins: esbuild.Plugin[]): Promise<string> {
  const result = await esbuild.build({
    stdin: { contents, loader: "js", resolveDir: PROJECT_ROOT, sourcefile: "entry.js" },
    bundle: true,
    write: false,
    platform: "node",
    format: "cjs",
    mainFields: ["module", "main"],
    logLevel: "silent",
    plugins,
  });
  return result.outputFiles[0]?.text ?? "";
}

/** Writes `code` into `dir` as `name.js` and requires it. */
function load(dir: string, name: string, code: string): Record<string, unknown> {
  const file = path.join(dir, `${name}.js`);
  fs.writeFileSync(file, code);
  return require(file);
}

/** The `@aws-sdk/client-*` packages the project depends on: the clients a function can bundle. */
function sdkClients(): string[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8"));
  return Object.keys(manifest.dependencies).filter((name) => name.startsWith("@aws-sdk/client-"));
}

/** The operation schemas a client package exports (`UpdateItem$`: [9, namespace, name, traits, input, output]). */
function operationSchemas(client: Record<string, unknown>): Map<string, readonly unknown[]> {
  const operations = new Map<string, readonly unknown[]>();
  for (const [name, value] of Object.entries(client))
    if (name.endsWith("$") && Array.isArray(value) && value[0] === 9) operations.set(name, value);
  return operations;
}

/** The SDK's schema reader, as the first client package resolves it (the package is not ours to import). */
type SchemaReader = { of(schema: unknown): { getEventStreamMember(): string } };
const { NormalizedSchema } = require(
  require.resolve("@smithy/core/schema", {
    paths: [path.dirname(require.resolve("@aws-sdk/client-dynamodb"))],
  }),
) as { NormalizedSchema: SchemaReader };

/** True when the operation's input or output has an event-stream member, which the SDK loads event streams for. */
function streamsEvents(operation: readonly unknown[]): boolean {
  return [operation[4], operation[5]].some(
    (schema) => NormalizedSchema.of(schema).getEventStreamMember() !== "",
  );
}

describe("Function: bundle stand-ins", () => {
  let dir: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "fraud-bundle-plugins-"));
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  describe("eventStreamsLeftOut", () => {
    it("leaves nothing out that a bundled client needs: no operation of theirs streams events", () => {
      // Prepare
      const clients = sdkClients();
      expect(clients).to.include.members([
        "@aws-sdk/client-dynamodb",
        "@aws-sdk/client-sns",
        "@aws-sdk/client-sqs",
      ]);
      for (const client of clients) {
        // Act
        const operations = operationSchemas(require(client));
        // Assess
        expect(operations.size > 0, `${client} exports no operation schemas`).to.be.ok;
        expect(
          [...operations].filter(([, op]) => streamsEvents(op)).map(([name]) => name),
          client,
        ).to.deep.equal([]);
      }
    });

    it("would notice an operation that streams events", () => {
      // Prepare
      const tick = [3, "example", "Tick", 0, ["n"], [1]];
      const events = [4, "example", "Ticks", { streaming: 1 }, ["tick"], [tick]];
      const output = (member: unknown) => [3, "example", "WatchOutput", 0, ["ticks"], [member]];
      // Act
      const streaming = streamsEvents([
        9,
        "example",
        "Watch",
        0,
        [3, "example", "WatchInput", 0, [], []],
        output(events),
      ]);
      const plain = streamsEvents([
        9,
        "example",
        "Watch",
        0,
        [3, "example", "WatchInput", 0, [], []],
        output(tick),
      ]);
      // Assess
      expect([streaming, plain]).to.deep.equal([true, false]);
    });

    it("replaces a dynamic import of the event-stream code with a module that throws, naming the plugin", async () => {
      // Act
      const code = await bundleText(`export const load = () => import("@smithy/core/event-streams");`, [
        eventStreamsLeftOut(),
      ]);
      const { load: loadEventStreams } = load(dir, "dynamic", code) as {
        load: () => Promise<Record<string, unknown>>;
      };
      const loaded = await loadEventStreams();
      // Assess
      expect(code.includes("eventstream")).to.equal(false);
      for (const name of ["EventStreamSerde", "eventStreamSerdeProvider"]) {
        const thrown = thrownBy(() => (loaded[name] as () => unknown)());
        expect(matchesError({ message: EVENT_STREAMS_LEFT_OUT })(thrown), name).to.equal(true);
      }
      expect(EVENT_STREAMS_LEFT_OUT).to.match(/eventStreamsLeftOut/);
    });

    it("bundles the event-stream code where it is imported statically", async () => {
      // Act
      const code = await bundleText(`export { EventStreamSerde } from "@smithy/core/event-streams";`, [
        eventStreamsLeftOut(),
      ]);
      // Assess
      expect(code.includes(EVENT_STREAMS_LEFT_OUT)).to.equal(false);
      expect(typeof load(dir, "static", code).EventStreamSerde).to.equal("function");
    });
  });

  describe("fsReadFileFromCallbacks", () => {
    let reader: (file: string, options?: { ignoreCache?: boolean }) => Promise<string>;
    let code: string;

    before(async () => {
      code = await bundleText(`export { readFile } from ${JSON.stringify(SHARED_CONFIG_READER)};`, [
        fsReadFileFromCallbacks(),
      ]);
      reader = load(dir, "reader", code).readFile as typeof reader;
    });

    it("gives the shared config reader node:fs in place of node:fs/promises", () => {
      // Assess
      expect(externalRequires(code)).to.deep.equal(["node:fs"]);
    });

    it("reads a config file as node:fs/promises does", async () => {
      // Prepare
      const file = path.join(dir, "config");
      fs.writeFileSync(file, "[default]\nregion = eu-west-1\n");
      // Act
      const text = await reader(file);
      // Assess
      expect(text).to.equal(await readFile(file, "utf8"));
    });

    it("fails a missing file as node:fs/promises does (ENOENT, the path named)", async () => {
      // Prepare
      const missing = path.join(dir, "no-such-config");
      // Act
      const error = await rejectionOf(reader(missing));
      const expected = await rejectionOf(readFile(missing, "utf8"));
      // Assess
      expect(matchesError({ code: "ENOENT", path: missing })(error)).to.equal(true);
      expect(matchesError({ code: "ENOENT", path: missing })(expected)).to.equal(true);
    });

    it("leaves node:fs/promises to every other module", async () => {
      // Act
      const other = await bundleText(`export { readFile } from "node:fs/promises";`, [
        fsReadFileFromCallbacks(),
      ]);
      // Assess
      expect(externalRequires(other)).to.deep.equal(["node:fs/promises"]);
    });
  });

  describe("withPackages", () => {
    it("runs the packages module first and hands its exports to the handler code", () => {
      // Act
      const code = withPackages(
        "module.exports = { p0: { greeting: 'hello' } };",
        "exports.handler = () => __bundledPackages.p0.greeting;",
        "exports.handler = () => x.greeting;",
      );
      const { handler } = load(dir, "with-packages", code) as { handler: () => string };
      // Assess
      expect(handler()).to.equal("hello");
    });

    it("refuses serialized text that uses the packages variable's name", () => {
      // Act
      const thrown = thrownBy(() => withPackages("", "", "const __bundledPackages = 1;"));
      // Assess
      expect(String(thrown)).to.match(/uses the name __bundledPackages/);
    });
  });
});

describe("Function: usedExports", () => {
  const REQUIRE = 'const t = require("io-ts");\n';

  it("lists the exports read as members, a spread member included, and none of another object's", () => {
    expect(usedExports(`${REQUIRE}const a = [...t.x];\nt.y();\nother.t.z;`).get("io-ts")).to.deep.equal([
      "x",
      "y",
    ]);
  });

  it("keeps the whole module when the binding itself is used, spread or passed on", () => {
    expect(usedExports(`${REQUIRE}const a = { ...t };\nt.y();`).has("io-ts")).to.equal(false);
    expect(usedExports(`${REQUIRE}use(t);\nt.y();`).has("io-ts")).to.equal(false);
  });
});
