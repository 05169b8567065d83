// Orchestrations of one server instance: funds reserved at creation, PENDING above the approval threshold, approval or
// refusal by another operator, PROCESSING → COMPLETED after the settlement delay, FAILED on request (all sandbox assumptions).
import { randomUUID } from 'node:crypto';
import type Big from 'big.js';
import type { AppAsset } from '../seed';
import type { ProfileState, ResourceStore } from './store';

export const ORCHESTRATION_STATUSES = ['PROCESSING', 'COMPLETED', 'FAILED', 'PENDING', 'REJECTED'] as const;
export type OrchestrationStatus = (typeof ORCHESTRATION_STATUSES)[number];

/** Default approval threshold (USD equivalent): orders strictly above it wait in PENDING. */
export const DEFAULT_APPROVAL_THRESHOLD = '10000';

export interface OrchestrationRecord {
  readonly id: string;
  /** Monotonic creation sequence, the pagination key. */
  readonly seq: number;
  /** Subject of the operator who created it (the submitter). */
  readonly operator: string;
  readonly refId: string;
  readonly sourceProfileId: string;
  readonly destinationProfileId: string;
  readonly sourceAsset: AppAsset;
  readonly destinationAsset: AppAsset;
  readonly amount: Big;
  readonly identityId: string | undefined;
  readonly accountId: string | undefined;
  readonly metadata: Record<string, string> | undefined;
  readonly createdAtMs: number;
  status: OrchestrationStatus;
  updatedAtMs: number;
  failReason?: string;
  /** Subject of the operator who approved or refused it (not served: the published Orchestration has no such field). */
  decidedBy?: string;
}

export interface NewOrchestration {
  operator: string;
  refId: string;
  source: ProfileState;
  destination: ProfileState;
  sourceAsset: AppAsset;
  destinationAsset: AppAsset;
  amount: Big;
  identityId: string | undefined;
  accountId: string | undefined;
  metadata: Record<string, string> | undefined;
}

export type Decision = 'approve' | 'reject';

/** Why a decision or a failure could not be applied; the routes turn these into problems. */
export type BookRefusal = 'not-pending' | 'same-operator' | 'not-open';

export class OrchestrationBook {
  private readonly byId = new Map<string, OrchestrationRecord>();
  private readonly byOperator = new Map<string, OrchestrationRecord[]>();
  private readonly refIds = new Map<string, Map<string, OrchestrationRecord>>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private seq = 0;

  constructor(
    private readonly ledger: ResourceStore,
    /** Orders strictly above this amount (USD equivalent; the stablecoins are 1:1) wait for approval. */
    readonly approvalThreshold: Big,
    private readonly log: (line: string) => void,
  ) {}

  get(id: string): OrchestrationRecord | undefined {
    return this.byId.get(id);
  }

  of(operator: string): readonly OrchestrationRecord[] {
    return this.byOperator.get(operator) ?? [];
  }

  byRefId(operator: string, refId: string): OrchestrationRecord | undefined {
    return this.refIds.get(operator)?.get(refId);
  }

  /** Every orchestration awaiting approval, oldest first, of every operator. */
  pending(): OrchestrationRecord[] {
    return [...this.byId.values()].filter((o) => o.status === 'PENDING').sort((a, b) => a.seq - b.seq);
  }

  /** Reserves the source now (debits its available balance); PENDING above the threshold, else PROCESSING. */
  create(input: NewOrchestration): OrchestrationRecord {
    const balance = this.ledger.available(input.source, input.sourceAsset);
    if (balance.lt(input.amount)) throw new Error('create called without sufficient funds');
    input.source.available.set(input.sourceAsset, balance.minus(input.amount));
    const at = this.ledger.now();
    const record: OrchestrationRecord = {
      id: randomUUID(),
      seq: ++this.seq,
      operator: input.operator,
      refId: input.refId,
      sourceProfileId: input.source.seed.id,
      destinationProfileId: input.destination.seed.id,
      sourceAsset: input.sourceAsset,
      destinationAsset: input.destinationAsset,
      amount: input.amount,
      identityId: input.identityId,
      accountId: input.accountId,
      metadata: input.metadata,
      createdAtMs: at,
      status: input.amount.gt(this.approvalThreshold) ? 'PENDING' : 'PROCESSING',
      updatedAtMs: at,
    };
    this.byId.set(record.id, record);
    this.byOperator.set(record.operator, [...this.of(record.operator), record]);
    const refs = this.refIds.get(record.operator) ?? new Map<string, OrchestrationRecord>();
    refs.set(record.refId, record);
    this.refIds.set(record.operator, refs);
    if (record.status === 'PROCESSING') this.scheduleCompletion(record);
    else this.log(`resource: orchestration ${record.id} is PENDING approval (above ${this.approvalThreshold.toFixed()} USD)`);
    return record;
  }

  /** Approval (→ PROCESSING, completes after the settlement delay) or refusal (→ REJECTED, source released) by `approver`. */
  decide(record: OrchestrationRecord, decision: Decision, approver: string): BookRefusal | null {
    if (record.status !== 'PENDING') return 'not-pending';
    if (approver === record.operator) return 'same-operator';
    record.decidedBy = approver;
    record.updatedAtMs = this.ledger.now();
    if (decision === 'approve') {
      record.status = 'PROCESSING';
      this.scheduleCompletion(record);
    } else {
      record.status = 'REJECTED';
      this.release(record);
    }
    this.log(`resource: orchestration ${record.id} ${decision === 'approve' ? 'approved' : 'refused'} by ${approver}`);
    return null;
  }

  /** Fails an orchestration that is still PENDING or PROCESSING with `detail`; the reserved source is released. */
  fail(record: OrchestrationRecord, detail: string): BookRefusal | null {
    if (record.status !== 'PENDING' && record.status !== 'PROCESSING') return 'not-open';
    this.clearTimer(record.id);
    record.status = 'FAILED';
    record.failReason = detail;
    record.updatedAtMs = this.ledger.now();
    this.release(record);
    return null;
  }

  /** Stops pending completions (called from fastify onClose). */
  close(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private scheduleCompletion(record: OrchestrationRecord): void {
    const timer = setTimeout(() => this.complete(record.id), this.ledger.settleDelayMs);
    timer.unref();
    this.timers.set(record.id, timer);
  }

  private complete(id: string): void {
    this.timers.delete(id);
    const record = this.byId.get(id);
    const destination = record && this.ledger.profile(record.destinationProfileId);
    if (!record || !destination || record.status !== 'PROCESSING') return;
    this.ledger.deposit(destination, record.destinationAsset, record.amount);
    record.status = 'COMPLETED';
    record.updatedAtMs = this.ledger.now();
    this.log(`resource: orchestration ${record.id} completed`);
  }

  /** Gives the reserved source back (refusal, failure). */
  private release(record: OrchestrationRecord): void {
    const source = this.ledger.profile(record.sourceProfileId);
    if (source) this.ledger.deposit(source, record.sourceAsset, record.amount);
  }

  private clearTimer(id: string): void {
    const timer = this.timers.get(id);
    if (timer) clearTimeout(timer);
    this.timers.delete(id);
  }
}
