// The business checks a create (conversion or orchestration) makes before it commits: funds, and the ref_id in the order
// the published service presumably uses (ref_id first), or funds first under the `fundsBeforeIdempotency` chaos knob.
import type Big from 'big.js';
import type { ListedAsset } from '../seed';
import type { ChaosEngine } from './chaos';
import { canonicalAmount } from './decimal';
import { ProblemError } from './problems';
import type { ProfileState, ResourceStore } from './store';

/** 403 `insufficient-funds` (with the published meta) unless `profile` holds `amount` of `asset`. */
export function requireFunds(store: ResourceStore, profile: ProfileState, asset: ListedAsset, amount: Big): void {
  const available = store.available(profile, asset);
  if (available.gte(amount)) return;
  const [needed, have] = [canonicalAmount(amount), canonicalAmount(available)];
  throw new ProblemError(403, `insufficient ${asset} funds in profile ${profile.seed.id}: ${needed} needed, ${have} available`, {
    slug: 'insufficient-funds',
    meta: { asset, available: have, needed, profile_id: profile.seed.id },
  });
}

/** ref_id first, then funds; the `fundsBeforeIdempotency` chaos knob swaps them (a resend of a landed POST may get 403). */
export function checkInOrder(chaos: ChaosEngine, idempotency: () => void, funds: () => void): void {
  if (chaos.fundsBeforeIdempotency()) {
    funds();
    idempotency();
  } else {
    idempotency();
    funds();
  }
}
