// In-memory ledger of one server instance: profiles, their identity accounts and balances, conversions, settlement timers.
import { randomUUID } from 'node:crypto';
import Big from 'big.js';
import { LISTED_ASSETS, type AppAsset, type ListedAsset, type SeedData, type SeedProfile } from '../seed';

export type ConversionStatus = 'CREATED' | 'SETTLED' | 'CANCELLED';
export const CONVERSION_STATUSES: readonly ConversionStatus[] = ['CREATED', 'SETTLED', 'CANCELLED'];

export interface ProfileState {
  readonly seed: SeedProfile;
  /** Position in the operator's listing (stable, seed order). */
  readonly index: number;
  /** Creation time (epoch ms); the profile's identity account, if any, was created at the same time. */
  readonly createdAtMs: number;
  readonly available: Map<ListedAsset, Big>;
}

/** The identity account of a NORMAL profile's delegated user (DEFAULT profiles have none). */
export interface AccountState {
  readonly id: string;
  readonly identityId: string;
  readonly profile: ProfileState;
}

export interface ConversionRecord {
  readonly id: string;
  /** Monotonic creation sequence, the pagination key. */
  readonly seq: number;
  readonly operator: string;
  readonly profileId: string;
  readonly amount: Big;
  readonly sourceAsset: AppAsset;
  readonly targetAsset: AppAsset;
  readonly refId: string | undefined;
  /** As given in the request, else the nil UUID (as the published examples show). */
  readonly identityId: string;
  readonly accountId: string;
  /** Profile credited on settlement when given (`recipient_profile_id`), else the source profile. */
  readonly recipientProfileId: string | undefined;
  readonly metadata: Record<string, string> | undefined;
  readonly createdAtMs: number;
  status: ConversionStatus;
  updatedAtMs: number;
  settledAtMs?: number;
  cancelledAtMs?: number;
}

export interface NewConversion {
  operator: string;
  profile: ProfileState;
  amount: Big;
  sourceAsset: AppAsset;
  targetAsset: AppAsset;
  refId: string | undefined;
  identityId: string | undefined;
  accountId: string | undefined;
  recipient: ProfileState | undefined;
  metadata: Record<string, string> | undefined;
}

/** What a conversion created without identity_id/account_id carries for them, as in the published examples. */
export const NIL_UUID = '00000000-0000-0000-0000-000000000000';

/** Seeded profiles get stable creation times one minute apart from this instant. */
const SEED_EPOCH_MS = Date.parse('2024-01-02T09:00:00.000Z');

export class ResourceStore {
  private readonly profilesById = new Map<string, ProfileState>();
  private readonly profilesByOperator = new Map<string, ProfileState[]>();
  private readonly accountsById = new Map<string, AccountState>();
  private readonly accountsByOperator = new Map<string, AccountState[]>();
  private readonly conversionsById = new Map<string, ConversionRecord>();
  private readonly conversionsByOperator = new Map<string, ConversionRecord[]>();
  private readonly refIds = new Map<string, Map<string, ConversionRecord>>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private seq = 0;
  private lastTimestamp = 0;

  constructor(
    seed: SeedData,
    private settleMs: number,
    private readonly log: (line: string) => void,
  ) {
    seed.profiles.forEach((p, i) => {
      const list = this.profilesByOperator.get(p.operator) ?? [];
      const available = new Map<ListedAsset, Big>();
      for (const asset of LISTED_ASSETS) available.set(asset, new Big(p.balances[asset] ?? '0'));
      const state: ProfileState = { seed: p, index: list.length, createdAtMs: SEED_EPOCH_MS + i * 60_000, available };
      list.push(state);
      this.profilesByOperator.set(p.operator, list);
      this.profilesById.set(p.id, state);
      if (p.account_id !== undefined && p.identity_id !== undefined) {
        const account: AccountState = { id: p.account_id, identityId: p.identity_id, profile: state };
        this.accountsById.set(account.id, account);
        this.accountsByOperator.set(p.operator, [...(this.accountsByOperator.get(p.operator) ?? []), account]);
      }
    });
  }

  /** Settlement delay of conversions created from now on (ones already created keep theirs). */
  get settleDelayMs(): number {
    return this.settleMs;
  }

  set settleDelayMs(ms: number) {
    if (!Number.isSafeInteger(ms) || ms < 0) throw new RangeError('the settlement delay must be a whole number of milliseconds ≥ 0');
    this.settleMs = ms;
  }

  /** Strictly increasing wall-clock ms, so ordering by time matches ordering by creation (conversions and orchestrations alike). */
  now(): number {
    this.lastTimestamp = Math.max(Date.now(), this.lastTimestamp + 1);
    return this.lastTimestamp;
  }

  profile(id: string): ProfileState | undefined {
    return this.profilesById.get(id);
  }

  profilesOf(operator: string): readonly ProfileState[] {
    return this.profilesByOperator.get(operator) ?? [];
  }

  account(id: string): AccountState | undefined {
    return this.accountsById.get(id);
  }

  /** Identity accounts of the operator's delegated users, in creation order. */
  accountsOf(operator: string): readonly AccountState[] {
    return this.accountsByOperator.get(operator) ?? [];
  }

  available(profile: ProfileState, asset: ListedAsset): Big {
    return profile.available.get(asset) ?? new Big(0);
  }

  deposit(profile: ProfileState, asset: ListedAsset, amount: Big): void {
    profile.available.set(asset, this.available(profile, asset).plus(amount));
  }

  conversion(id: string): ConversionRecord | undefined {
    return this.conversionsById.get(id);
  }

  conversionsOf(operator: string): readonly ConversionRecord[] {
    return this.conversionsByOperator.get(operator) ?? [];
  }

  byRefId(operator: string, refId: string): ConversionRecord | undefined {
    return this.refIds.get(operator)?.get(refId);
  }

  /** Debits the source now and schedules settlement. The caller has checked funds and ref_id uniqueness. */
  createConversion(input: NewConversion): ConversionRecord {
    const { profile } = input;
    const balance = this.available(profile, input.sourceAsset);
    if (balance.lt(input.amount)) throw new Error('createConversion called without sufficient funds');
    profile.available.set(input.sourceAsset, balance.minus(input.amount));
    const at = this.now();
    const record: ConversionRecord = {
      id: randomUUID(),
      seq: ++this.seq,
      operator: input.operator,
      profileId: profile.seed.id,
      amount: input.amount,
      sourceAsset: input.sourceAsset,
      targetAsset: input.targetAsset,
      refId: input.refId,
      identityId: input.identityId ?? NIL_UUID,
      accountId: input.accountId ?? NIL_UUID,
      recipientProfileId: input.recipient?.seed.id,
      metadata: input.metadata,
      createdAtMs: at,
      status: 'CREATED',
      updatedAtMs: at,
    };
    this.conversionsById.set(record.id, record);
    const list = this.conversionsByOperator.get(record.operator) ?? [];
    list.push(record);
    this.conversionsByOperator.set(record.operator, list);
    if (record.refId !== undefined) {
      const refs = this.refIds.get(record.operator) ?? new Map<string, ConversionRecord>();
      refs.set(record.refId, record);
      this.refIds.set(record.operator, refs);
    }
    const timer = setTimeout(() => this.settle(record.id), this.settleMs);
    timer.unref();
    this.timers.set(record.id, timer);
    return record;
  }

  private settle(id: string): void {
    this.timers.delete(id);
    const record = this.conversionsById.get(id);
    const profile = record && this.profilesById.get(record.recipientProfileId ?? record.profileId);
    if (!record || !profile || record.status !== 'CREATED') return;
    this.deposit(profile, record.targetAsset, record.amount);
    record.status = 'SETTLED';
    record.settledAtMs = record.updatedAtMs = this.now();
    this.log(`resource: conversion ${record.id} settled`);
  }

  /** Cancels a CREATED conversion and refunds its source. Returns false when it is no longer CREATED. */
  cancel(record: ConversionRecord): boolean {
    const profile = this.profilesById.get(record.profileId);
    if (record.status !== 'CREATED' || !profile) return false;
    const timer = this.timers.get(record.id);
    if (timer) clearTimeout(timer);
    this.timers.delete(record.id);
    this.deposit(profile, record.sourceAsset, record.amount);
    record.status = 'CANCELLED';
    record.cancelledAtMs = record.updatedAtMs = this.now();
    return true;
  }

  /** Stops pending settlements (called from fastify onClose). */
  close(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
