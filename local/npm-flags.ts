/**
 * Flags typed without npm's `--` separator (`npm run backtest FILE --json`) are taken by npm as
 * its own configuration and never reach the script; npm exports them as `npm_config_<name>`
 * variables. Each CLI looks for its own flags there, so the user hears why a flag had no effect.
 */

/** Every `--flag` a CLI's help text names. */
function flagsOf(usage: string): string[] {
  return [...new Set([...usage.matchAll(/(?:^|[\s[(])--([a-z][a-z-]*)/gm)].map((match) => match[1]))];
}

/**
 * An error text when npm took any of the CLI's flags for itself, or undefined.
 *
 * @example
 * flagsTakenByNpm("npm run backtest -- FILE", usage, { npm_config_threshold_sweep: "true" });
 * // "npm took --threshold-sweep as its own config: put -- before the script's flags (npm run backtest -- FILE --threshold-sweep ...)"
 */
function flagsTakenByNpm(command: string, usage: string, env: NodeJS.ProcessEnv): string | undefined {
  const taken = flagsOf(usage)
    .filter((flag) => flag !== "help" && env[`npm_config_${flag.replace(/-/g, "_")}`] !== undefined)
    .map((flag) => `--${flag}`);
  if (taken.length === 0) return undefined;
  return `npm took ${taken.join(", ")} as its own config: put -- before the script's flags (${command} ${taken[0]} ...)`;
}

export { flagsTakenByNpm };
