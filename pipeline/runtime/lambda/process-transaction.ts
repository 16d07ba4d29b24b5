/** PLACEHOLDER until the runtime issue lands: replaced by the real factory (same export name). */
export function processTransactionFactory() {
  return async (_event: unknown, _context: unknown) => ({ placeholder: "process-transaction" });
}
