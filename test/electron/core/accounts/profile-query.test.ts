// Profile list queries over the cache: search by nickname or id, sort by name or total, paging with an opaque cursor.
import { describe, expect, it } from 'vitest';
import { queryProfiles, type ProfileRecord } from '../../../../electron/core/accounts/profile-query';

const rec = (id: string, nickname: string, total: string | null): ProfileRecord => ({
  profile: { id, nickname, type: 'NORMAL', identityId: `i-${id}`, accountId: `a-${id}` },
  balances: total === null ? { status: 'loading' } : { status: 'ready', items: [], others: [], totalUsd: total, loadedAt: '2025-01-01T00:00:00.000Z' },
});
const records = [rec('p3', 'cedar Payments', '5000'), rec('p1', 'Acme Treasury', '251500.5'), rec('p2', 'Blue Harbor', '1608.87'), rec('p4', 'Zeta', null), rec('p10', 'acme 2', '9.99')];
const names = (r: ReturnType<typeof queryProfiles>) => (r.ok ? r.value.items.map((i) => i.profile.nickname) : r.error.code);

describe('queryProfiles', () => {
  it('sorts by name case-insensitively, both directions', () => {
    expect(names(queryProfiles(records, { sort: 'name', direction: 'asc', limit: 10 }))).toEqual(['acme 2', 'Acme Treasury', 'Blue Harbor', 'cedar Payments', 'Zeta']);
    expect(names(queryProfiles(records, { sort: 'name', direction: 'desc', limit: 10 }))).toEqual(['Zeta', 'cedar Payments', 'Blue Harbor', 'Acme Treasury', 'acme 2']);
  });

  it('sorts by exact decimal total with unloaded balances last either way', () => {
    expect(names(queryProfiles(records, { sort: 'total', direction: 'asc', limit: 10 }))).toEqual(['acme 2', 'Blue Harbor', 'cedar Payments', 'Acme Treasury', 'Zeta']);
    expect(names(queryProfiles(records, { sort: 'total', direction: 'desc', limit: 10 }))).toEqual(['Acme Treasury', 'cedar Payments', 'Blue Harbor', 'acme 2', 'Zeta']);
  });

  it('searches nickname and id, case-insensitively', () => {
    expect(names(queryProfiles(records, { search: 'ACME', sort: 'name', direction: 'asc', limit: 10 }))).toEqual(['acme 2', 'Acme Treasury']);
    expect(names(queryProfiles(records, { search: ' p10 ', sort: 'name', direction: 'asc', limit: 10 }))).toEqual(['acme 2']);
    const none = queryProfiles(records, { search: 'nothing', sort: 'name', direction: 'asc', limit: 10 });
    expect(none.ok && none.value).toEqual({ items: [], nextCursor: null, total: 0 });
  });

  it('pages with a cursor until null, covering every match exactly once', () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 10; i++) {
      const page = queryProfiles(records, { sort: 'name', direction: 'asc', limit: 2, cursor });
      if (!page.ok) throw new Error(page.error.message);
      expect(page.value.total).toBe(5);
      seen.push(...page.value.items.map((r) => r.profile.id));
      if (page.value.nextCursor === null) break;
      cursor = page.value.nextCursor;
    }
    expect(seen).toEqual(['p10', 'p1', 'p2', 'p3', 'p4']);
  });

  it('rejects a cursor from another query or a forged one', () => {
    const first = queryProfiles(records, { sort: 'name', direction: 'asc', limit: 2 });
    const cursor = first.ok ? first.value.nextCursor! : '';
    expect(names(queryProfiles(records, { sort: 'total', direction: 'asc', limit: 2, cursor }))).toBe('invalid_request');
    expect(names(queryProfiles(records, { sort: 'name', direction: 'asc', limit: 2, cursor: 'bm9wZQ' }))).toBe('invalid_request');
    expect(names(queryProfiles(records, { sort: 'name', direction: 'asc', limit: 2, cursor: '%%%' }))).toBe('invalid_request');
  });
});
