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

function killPoint(random: Random, orders: number): ChildKill | ParentKill {
  const r = random();
  if (r < 0.28) return { at: 'record', nth: between(random, 1, orders * 3) };
  if (r < 0.38) return { at: 'torn-write', nth: between(random, 1, orders * 2), keep: pick<Keep>(random, ['part', 'json', 'all']) };
  if (r < 0.52) return { at: 'answer', nth: between(random, 1, orders) };
  if (r < 0.66) return { at: 'post-received', nth: between(random, 1, Math.ceil(orders / 2)) };
  if (r < 0.78) return { at: 'post-answered', nth: between(random, 1, Math.ceil(orders / 2)) };
  return random() < 0.3 ? { at: 'timer', from: 'spawn', ms: between(random, 100, 700) } : { at: 'timer', from: 'ready', ms: between(random, 0, 250) };
}

function faultPlan(random: Random): FaultPlan {
  const fault = pick(random, ['short-write', 'short-write', 'write', 'fsync', 'fsync'] as const);
  return {
    on: pick(random, ['sent', 'sent', 'intent', 'accepted', 'any'] as const),
    nth: between(random, 1, 2),
    fault,
    code: fault === 'fsync' ? 'EIO' : pick(random, ['ENOSPC', 'EIO'] as const),
    keep: pick<Keep>(random, ['part', 'json', 'all']),
    truncateFails: random() < 0.2,
    holdMs: between(random, 5, 80),
  };
}

/**
 * Iteration `index` of a lane: every fifth goes through conversions, the rest through orchestrations (the default).
 * `nextAmount` hands out amounts unique within the lane, so each answer can be matched with its journal intent.
 */
export function planIteration(random: Random, seed: SeedData, index: number, ordersPerChild: number, nextAmount: () => string): IterationPlan {
  const choices = menu(seed);
  const orders = Array.from({ length: ordersPerChild }, () => ({ ...pick(random, choices), amount: nextAmount() }));
  const faults: FaultPlan[] = [];
  if (random() < 0.3) faults.push(faultPlan(random));
  if (random() < 0.1) faults.push(faultPlan(random));
  // With a fault, half the time the operator quits right after the first `storage` answer (before anything else is written).
  const kill = faults.length > 0 && random() < 0.5 ? { at: 'answer' as const, nth: 1, code: 'storage' } : killPoint(random, ordersPerChild);
  return { ordersApi: index % 5 === 2 ? 'conversions' : 'orchestrations', orders, concurrency: 3, kill, faults };
}
