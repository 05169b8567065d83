// The bridge's name → channel table: every contract channel has exactly one method, every event exactly one subscriber.
import { describe, expect, it } from 'vitest';
import { BRIDGE_EVENTS, BRIDGE_METHODS } from '../../shared/bridge-methods';
import { CHANNELS, EVENTS } from '../../shared/ipc-contract';

/** channel → the method names that call it. */
function methodsPer(table: Record<string, string>, keys: readonly string[]): Map<string, string[]> {
  const per = new Map<string, string[]>(keys.map((k) => [k, []]));
  for (const [name, target] of Object.entries(table)) {
    if (!per.has(target)) per.set(target, []);
    per.get(target)!.push(name);
  }
  return per;
}

describe('BRIDGE_METHODS', () => {
  it('gives every contract channel exactly one method, and names no channel the contract lacks', () => {
    const per = methodsPer(BRIDGE_METHODS, CHANNELS);
    const wrong = [...per].filter(([, names]) => names.length !== 1).map(([channel, names]) => `${channel}: ${names.join(', ') || 'no method'}`);
    expect(wrong).toEqual([]);
    expect([...per.keys()].sort()).toEqual([...CHANNELS].sort());
  });

  it('gives every contract event exactly one subscriber named on<Something>', () => {
    const per = methodsPer(BRIDGE_EVENTS, EVENTS);
    const wrong = [...per].filter(([, names]) => names.length !== 1).map(([event, names]) => `${event}: ${names.join(', ') || 'no subscriber'}`);
    expect(wrong).toEqual([]);
    expect([...per.keys()].sort()).toEqual([...EVENTS].sort());
    expect(Object.keys(BRIDGE_EVENTS).every((name) => /^on[A-Z]/.test(name))).toBe(true);
  });

  it('uses each name once across methods and subscribers, and no method looks like a subscriber', () => {
    const names = [...Object.keys(BRIDGE_METHODS), ...Object.keys(BRIDGE_EVENTS)];
    expect(new Set(names).size).toBe(names.length);
    expect(Object.keys(BRIDGE_METHODS).filter((name) => /^on[A-Z]/.test(name))).toEqual([]);
  });
});
