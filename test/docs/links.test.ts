import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { USAGE as GENERATE_USAGE } from "../../bench/generate/cli";
import { USAGE as BENCH_USAGE } from "../../bench/main";
import { USAGE as BACKTEST_USAGE } from "../../local/backtest/main";
import { USAGE as START_USAGE } from "../../local/cli-args";
import { USAGE as TRAIN_USAGE } from "../../local/train/main";

const ROOT = path.resolve(__dirname, "..", "..");
const DOCS = [
  "README.md",
  ...fs
    .readdirSync(path.join(ROOT, "docs"))
    .filter((name) => name.endsWith(".md"))
    .map((name) => `docs/${name}`),
];
const SCRIPTS = Object.keys(JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).scripts);

/** Each CLI's help text, which lists every flag it accepts. */
const USAGE_BY_SCRIPT: Record<string, string> = {
  start: START_USAGE,
  backtest: BACKTEST_USAGE,
  train: TRAIN_USAGE,
  "generate-history": GENERATE_USAGE,
  bench: BENCH_USAGE,
};

function read(doc: string): string {
  return fs.readFileSync(path.join(ROOT, doc), "utf8");
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/`/g, "")
    .replace(/[^\p{L}\p{N} _-]/gu, "")
    .replace(/ /g, "-");
}

function anchors(text: string): Set<string> {
  const found = new Set<string>();
  let fenced = false;
  for (const line of text.split("\n")) {
    if (line.startsWith("```")) fenced = !fenced;
    const heading = /^#{1,6} (.+)$/.exec(line);
    if (!fenced && heading) found.add(slug(heading[1].trim()));
  }
  return found;
}

/** Markdown links outside code: `[text](target)`. */
function links(text: string): string[] {
  const prose = text.replace(/```[\s\S]*?```/g, "").replace(/`[^`\n]*`/g, "");
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1]);
}

/**
 * Every command line that runs an npm script, continuation lines joined: `npm start ...` and
 * `npm run NAME ...` in code blocks and code spans.
 */
function commands(text: string): { script: string; line: string }[] {
  const lines = text.split("\n");
  const joined: string[] = [];
  for (const line of lines) {
    const previous = joined.length - 1;
    if (previous >= 0 && (joined[previous].endsWith("\\") || /^\s+\[--/.test(line))) {
      joined[previous] = `${joined[previous].replace(/\\$/, "")} ${line.trim()}`;
    } else joined.push(line);
  }
  const found: { script: string; line: string }[] = [];
  for (const line of joined) {
    for (const match of line.matchAll(/npm (?:run ([a-z][\w:-]*)|(start|test))\b([^`|;&#]*)/g)) {
      found.push({ script: match[1] ?? match[2], line: match[0] });
    }
  }
  return found;
}

function flagsAfterSeparator(command: string): string[] {
  const separator = command.indexOf(" -- ");
  if (separator < 0) return [];
  return [...command.slice(separator + 4).matchAll(/(?:^|[\s[])(--[a-z][a-z-]*)/g)].map((match) => match[1]);
}

function accepts(usage: string, flag: string): boolean {
  return new RegExp(`(^|[^a-z-])${flag}(?![a-z-])`).test(usage);
}

describe("Docs: README and docs/", () => {
  it("keep the README within 12 KB", () => {
    expect(Buffer.byteLength(read("README.md"))).to.be.at.most(12 * 1024);
  });

  for (const doc of DOCS) {
    describe(doc, () => {
      const text = read(doc);

      it("links only to files and headings that exist", () => {
        const broken: string[] = [];
        for (const target of links(text)) {
          if (/^[a-z]+:/i.test(target)) continue;
          const [file, anchor] = target.split("#");
          const resolved =
            file === "" ? path.join(ROOT, doc) : path.resolve(path.dirname(path.join(ROOT, doc)), file);
          if (!fs.existsSync(resolved)) broken.push(`${target}: no such file`);
          else if (
            anchor &&
            resolved.endsWith(".md") &&
            !anchors(fs.readFileSync(resolved, "utf8")).has(anchor)
          )
            broken.push(`${target}: no heading #${anchor}`);
        }
        expect(broken).to.deep.equal([]);
      });

      it("names only npm scripts that exist, with flags their CLI accepts", () => {
        const wrong: string[] = [];
        for (const { script, line } of commands(text)) {
          if (!SCRIPTS.includes(script)) {
            wrong.push(`${line}: no script "${script}" in package.json`);
            continue;
          }
          for (const flag of flagsAfterSeparator(line)) {
            const usage = USAGE_BY_SCRIPT[script];
            if (usage === undefined || !accepts(usage, flag))
              wrong.push(`${line}: ${script} does not accept ${flag}`);
          }
        }
        expect(wrong).to.deep.equal([]);
      });
    });
  }

  it("finds a wrong flag, a missing script and a broken link (the checks can fail)", () => {
    const sample = "```sh\nnpm run backtest -- FILE --no-such-flag\nnpm run nope\n```\n[x](missing.md)\n";
    const found = commands(sample);
    expect(found.map((c) => c.script)).to.deep.equal(["backtest", "nope"]);
    expect(accepts(BACKTEST_USAGE, "--no-such-flag")).to.equal(false);
    expect(accepts(BACKTEST_USAGE, "--model")).to.equal(true);
    expect(flagsAfterSeparator(found[0].line)).to.deep.equal(["--no-such-flag"]);
    expect(links(sample)).to.deep.equal(["missing.md"]);
    expect(slug("The `npm start` runner: options")).to.equal("the-npm-start-runner-options");
  });
});
