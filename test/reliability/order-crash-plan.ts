// The crash suite's seeded plan: per iteration, the orders API, the orders, where the child is killed, and the journal faults.
import { mulberry32 } from '../../sandbox/resource/chaos';
import type { SeedData } from '../../sandbox/seed';
import type { ChildKill, ChildOrder, FaultPlan, Keep } from '../electron/core/orders/crash-child';

/** Kills the parent makes: a delay after the start (start-up, reconciling) or after `ready` (submitting), or when the server has the nth order POST (before it commits, or once answered). */
export type ParentKill = { readonly at: 'timer'; readonly from: 'spawn' | 'ready'; readonly ms: number } | { readonly at: 'post-received' | 'post-answered'; readonly nth: number };

export interface IterationPlan {
  readonly ordersApi: 'orchestrations' | 'conversions';
  readonly orders: readonly ChildOrder[];
  readonly concurrency: number;
  readonly kill: ChildKill | ParentKill;
  readonly faults: readonly FaultPlan[];
}

export type Random = () => number;

export const seededRandom = (seed: number): Random => mulberry32(seed);

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const between = (random: Random, lo: number, hi: number): number => lo + Math.floor(random() * (hi - lo + 1));

/** Mints and redeems the seed's first three profiles can afford many times over (Acme, Blue Harbor, Cedar). */
function menu(seed: SeedData): Array<Omit<ChildOrder, 'amount'>> {
  const [acme, blue, cedar] = seed.profiles;
  return [
    { kind: 'mint', profileId: acme!.id, asset: 'USDP' },
    { kind: 'mint', profileId: acme!.id, asset: 'PYUSD' },
    { kind: 'redeem', profileId: acme!.id, asset: 'USDP' },
    { kind: 'mint', profileId: blue!.id, asset: 'USDG' },
    { kind: 'redeem', profileId: cedar!.id, asset: 'PYUSD' },
  ];
}

/**
 * The kinds of kill, one per iteration in turn (so the ten iterations of the short form meet each of them), with seeded
 * random parameters. `quit-on-storage`: a fault on a `sent` record, and the operator quits on the `storage` answer (before
 * anything else is written); once with the cut of the failed write failing too.
 */
const KINDS = ['record', 'torn-write', 'answer', 'quit-on-storage', 'post-received', 'post-answered', 'timer-start', 'timer-ready', 'record', 'quit-on-storage-uncut'] as const;

function killPoint(random: Random, kind: (typeof KINDS)[number], orders: number): ChildKill | ParentKill {
  switch (kind) {
    case 'record':
      return { at: 'record', nth: between(random, 1, orders * 3) };
    case 'torn-write':
      return { at: 'torn-write', nth: between(random, 1, orders * 2), keep: pick<Keep>(random, ['part', 'json', 'all']) };
    case 'answer':
      return { at: 'answer', nth: between(random, 1, orders) };
    case 'quit-on-storage':
    case 'quit-on-storage-uncut':
      return { at: 'answer', nth: 1, code: 'storage' };
    case 'post-received':
    case 'post-answered':
      return { at: kind, nth: between(random, 1, Math.ceil(orders / 2)) };
    case 'timer-start':
      return { at: 'timer', from: 'spawn', ms: between(random, 100, 700) };
    case 'timer-ready':
      return { at: 'timer', from: 'ready', ms: between(random, 0, 250) };
  }
}

function faultPlan(random: Random, force?: { on: 'sent'; truncateFails: boolean }): FaultPlan {
  const fault = pick(random, ['short-write', 'short-write', 'write', 'fsync', 'fsync'] as const);
  return {
    on: force?.on ?? pick(random, ['sent', 'sent', 'intent', 'accepted', 'any'] as const),
    nth: force ? 1 : between(random, 1, 2),
    fault: force?.truncateFails ? 'fsync' : fault,
    code: fault === 'fsync' || force?.truncateFails ? 'EIO' : force ? 'ENOSPC' : pick(random, ['ENOSPC', 'EIO'] as const),
    keep: pick<Keep>(random, ['part', 'json', 'all']),
    truncateFails: force?.truncateFails ?? random() < 0.3,
    holdMs: between(random, 5, 80),
  };
}

/**
 * Iteration `index` (counted over all lanes): its kill kind in turn, seeded parameters, and a journal fault in about a
 * third of the others. Iterations 2 and 7, and a fifth of those after the tenth, go through conversions; the rest through
 * orchestrations (the default). `nextAmount` hands out amounts unique within the lane, so each answer can be matched
 * with its journal intent.
 */
export function planIteration(random: Random, seed: SeedData, index: number, ordersPerChild: number, nextAmount: () => string): IterationPlan {
  const choices = menu(seed);
  const orders = Array.from({ length: ordersPerChild }, () => ({ ...pick(random, choices), amount: nextAmount() }));
  const kind = KINDS[index % KINDS.length]!;
  const faults: FaultPlan[] = [];
  if (kind === 'quit-on-storage' || kind === 'quit-on-storage-uncut') faults.push(faultPlan(random, { on: 'sent', truncateFails: kind === 'quit-on-storage-uncut' }));
  else if (random() < 0.35) faults.push(faultPlan(random));
  if (random() < 0.1) faults.push(faultPlan(random));
  const conversions = index === 2 || index === 7 || (index >= 10 && random() < 0.2);
  return { ordersApi: conversions ? 'conversions' : 'orchestrations', orders, concurrency: 3, kill: killPoint(random, kind, ordersPerChild), faults };
}
