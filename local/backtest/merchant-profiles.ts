/**
 * Merchant risk profiles in memory for the backtest and training replays: day buckets of
 * transactions and confirmed frauds per merchant, the same layout and rules as the deployed
 * merchant-risk table (pipeline/runtime/detect/merchant-risk.ts). Windows read only their own
 * days, so old buckets are harmless; at one small entry per merchant and day they are kept.
 */
import { emptyProfile, type MerchantProfile } from "../../pipeline/runtime/detect/merchant-risk";

const NO_BUCKETS = emptyProfile();

interface MemoryMerchantRisk {
  profileOf(merchantId: string): MerchantProfile;
  add(merchantId: string, day: number, transactions: number, frauds: number): void;
}

/**
 * An empty in-memory profile store.
 *
 * @example
 * const merchants = makeMemoryMerchantRisk();
 * merchants.add("m-1", dayOf(tx.timestamp), 1, 0);
 * merchants.profileOf("m-1").get(dayOf(tx.timestamp)); // { transactions: 1, frauds: 0 }
 */
function makeMemoryMerchantRisk(): MemoryMerchantRisk {
  const profiles = new Map<string, Map<number, { transactions: number; frauds: number }>>();
  return {
    profileOf: (merchantId) => profiles.get(merchantId) ?? NO_BUCKETS,
    add(merchantId, day, transactions, frauds) {
      let profile = profiles.get(merchantId);
      if (profile === undefined) {
        profile = new Map();
        profiles.set(merchantId, profile);
      }
      // Counted in place: a profile is read only while its transaction is scored, never kept.
      const counts = profile.get(day);
      if (counts === undefined) profile.set(day, { transactions, frauds });
      else {
        counts.transactions += transactions;
        counts.frauds += frauds;
      }
    },
  };
}

export type { MemoryMerchantRisk };
export { makeMemoryMerchantRisk };
