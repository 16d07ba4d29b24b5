import { expect } from "chai";
import { USAGE as BENCH_USAGE, main as bench } from "../../bench/main";
import { main as backtest } from "../../local/backtest/main";
import { parseStartArgs } from "../../local/cli-args";
import { flagsTakenByNpm } from "../../local/npm-flags";
import { main as train } from "../../local/train/main";
import { captureOutput } from "../helpers/local";

// What npm sets when a user types `npm run backtest FILE --threshold-sweep` without `--`.
const NPM_ENV = { npm_config_cache: "/root/.npm", npm_config_user_agent: "npm/11" };

describe("CLIs: flags npm took for itself", () => {
  it("names the CLI's own flags found among npm_config_* and ignores npm's", () => {
    const env = { ...NPM_ENV, npm_config_quick: "true", npm_config_markdown: "true" };

    expect(flagsTakenByNpm("npm run bench --", BENCH_USAGE, env)).to.equal(
      "npm took --quick, --markdown as its own config: put -- before the script's flags (npm run bench -- --quick ...)",
    );
    expect(flagsTakenByNpm("npm run bench --", BENCH_USAGE, NPM_ENV)).to.equal(undefined);
  });

  it("npm start refuses to run without the flags it was given", () => {
    const parsed = parseStartArgs(["3001"], { ...NPM_ENV, npm_config_port: "true" });

    expect(parsed).to.deep.equal({
      ok: false,
      error: "npm took --port as its own config: put -- before the script's flags (npm start -- --port ...)",
    });
  });

  it("backtest, train and bench exit 2 with one line", async () => {
    const runs = [
      () => backtest(["history.jsonl"], { ...NPM_ENV, npm_config_threshold_sweep: "true" }),
      () => train(["history.jsonl"], { ...NPM_ENV, npm_config_out: "true" }),
      () => bench([], { ...NPM_ENV, npm_config_quick: "true" }),
    ];
    const outputs = [];
    for (const run of runs) outputs.push(await captureOutput(run));

    expect(outputs.map((o) => o.result)).to.deep.equal([2, 2, 2]);
    expect(outputs.map((o) => o.stderr)).to.deep.equal([
      "backtest: npm took --threshold-sweep as its own config: put -- before the script's flags (npm run backtest -- FILE --threshold-sweep ...)\n",
      "train: npm took --out as its own config: put -- before the script's flags (npm run train -- FILE --out ...)\n",
      "bench: npm took --quick as its own config: put -- before the script's flags (npm run bench -- --quick ...)\n",
    ]);
  });
});
