/** PLACEHOLDER until the runtime issue lands: replaced by the real factory (same export name). */
export function notifyTeamFactory() {
  return async (_event: unknown, _context: unknown) => ({ placeholder: "notify-team" });
}
