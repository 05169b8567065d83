// In-memory ledger of one server instance: profiles and their balances, conversions, settlement timers.
import { randomUUID } from 'node:crypto';
import Big from 'big.js';
import { ASSETS, type SandboxAsset, type SeedData, type SeedProfile } from '../seed';

export type ConversionStatus = 'CREATED' | 'SETTLED' | 'CANCELLED';
export const CONVERSION_STATUSES: readonly ConversionStatus[] = ['CREATED', 'SETTLED', 'CANCELLED'];

export interface ProfileState {
  readonly seed: SeedProfile;
  /** Position in the operator's listing (stable, seed order). */
  readonly index: number;
  readonly createdAt: string;
  readonly available: Map<SandboxAsset, Big>;
}

export interface ConversionRecord {
  readonly id: string;
  /** Monotonic creation sequence, the pagination key. */
  readonly seq: number;
  readonly operator: string;
  readonly profileId: string;
  readonly amount: Big;
  readonly sourceAsset: SandboxAsset;
  readonly targetAsset: SandboxAsset;
  readonly refId: string | undefined;
  readonly identityId: string;
  readonly accountId: string;
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
  sourceAsset: SandboxAsset;
  targetAsset: SandboxAsset;
  refId: string | undefined;
  metadata: Record<string, string> | undefined;
}

/** Seeded profiles get stable creation times one minute apart from this instant. */
const SEED_EPOCH_MS = Date.parse('2024-01-02T09:00:00.000Z');

export class ResourceStore {
  private readonly profilesById = new Map<string, ProfileState>();
  private readonly profilesByOperator = new Map<string, ProfileState[]>();
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
      const available = new Map<SandboxAsset, Big>();
      for (const asset of ASSETS) available.set(asset, new Big(p.balances[asset] ?? '0'));
      const state: ProfileState = { seed: p, index: list.length, createdAt: new Date(SEED_EPOCH_MS + i * 60_000).toISOString(), available };
      list.push(state);
      this.profilesByOperator.set(p.operator, list);
      this.profilesById.set(p.id, state);
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

  /** Strictly increasing wall-clock ms, so ordering by time matches ordering by creation. */
  private now(): number {
    this.lastTimestamp = Math.max(Date.now(), this.lastTimestamp + 1);
    return this.lastTimestamp;
  }

  profile(id: string): ProfileState | undefined {
    return this.profilesById.get(id);
  }

  profilesOf(operator: string): readonly ProfileState[] {
    return this.profilesByOperator.get(operator) ?? [];
  }

  available(profile: ProfileState, asset: SandboxAsset): Big {
    return profile.available.get(asset) ?? new Big(0);
  }

  deposit(profile: ProfileState, asset: SandboxAsset, amount: Big): void {
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
      identityId: profile.seed.identity_id,
      accountId: profile.seed.account_id,
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
    const profile = record && this.profilesById.get(record.profileId);
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
