/**
 * A stream batch's view of its merchants' risk profiles: the stored profiles, plus the batch's
 * earlier transactions counted as they are assessed. The backtest counts each transaction right
 * after scoring it, so this keeps the deployed function's feature vectors equal to the backtest's.
 */
import type { Transaction } from "../contract/transaction";
import { dayOf, decodeMerchantProfile, type MerchantDayCounts, type MerchantProfile } from "./merchant-risk";

interface BatchProfiles {
  /** The merchant's profile as of the current record. */
  profileOf(merchantId: string): MerchantProfile;
  /** Counts an assessed transaction for the records after it. */
  count(tx: Transaction): void;
}

/**
 * Decodes the stored items once and keeps a copy per merchant that the batch's counts go into.
 *
 * @example
 * const profiles = makeBatchProfiles(await merchantProfiles.profiles(ids));
 * assessTransaction(tx, history, config, profiles.profileOf(tx.merchant_id)); profiles.count(tx);
 */
function makeBatchProfiles(items: ReadonlyMap<string, unknown>): BatchProfiles {
  const profiles = new Map<string, Map<number, MerchantDayCounts>>();
  const profileOf = (merchantId: string) => {
    let profile = profiles.get(merchantId);
    if (profile === undefined) {
      profile = new Map(decodeMerchantProfile(items.get(merchantId)));
      profiles.set(merchantId, profile);
    }
    return profile;
  };
  return {
    profileOf,
    count(tx) {
      const profile = profileOf(tx.merchant_id);
      const day = dayOf(tx.timestamp);
      const counts = profile.get(day) ?? { transactions: 0, frauds: 0 };
      profile.set(day, { transactions: counts.transactions + 1, frauds: counts.frauds });
    },
  };
}

export type { BatchProfiles };
export { makeBatchProfiles };
