// Mint/redeem drafts per profile, kept outside the form so input survives a failed submit or a session that expired mid-form.
import { create } from 'zustand';
import type { OrderKind, Stablecoin } from '../../../shared/domain';

export interface OrderDraft {
  readonly kind: OrderKind;
  readonly asset: Stablecoin;
  readonly amount: string;
}

export const EMPTY_DRAFT: OrderDraft = { kind: 'mint', asset: 'USDP', amount: '' };

export interface OrderDraftsStore {
  readonly drafts: Readonly<Record<string, OrderDraft>>;
  update(profileId: string, patch: Partial<OrderDraft>): void;
  clear(profileId: string): void;
  clearAll(): void;
}

export const useOrderDrafts = create<OrderDraftsStore>()((set, get) => ({
  drafts: {},
  update(profileId, patch) {
    set({ drafts: { ...get().drafts, [profileId]: { ...(get().drafts[profileId] ?? EMPTY_DRAFT), ...patch } } });
  },
  clear(profileId) {
    const { [profileId]: _, ...rest } = get().drafts;
    set({ drafts: rest });
  },
  clearAll() {
    set({ drafts: {} });
  },
}));
