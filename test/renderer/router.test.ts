// renderer/src/router.ts: hash routes parse to views, unknown or unsafe paths fall back to the accounts list.
import { describe, expect, it } from 'vitest';
import { href, parseRoute } from '../../renderer/src/router';

describe('parseRoute', () => {
  it('maps every href back to its route', () => {
    expect(parseRoute(href.accounts())).toEqual({ name: 'accounts' });
    expect(parseRoute(href.account('a0000001-0000'))).toEqual({ name: 'account', profileId: 'a0000001-0000' });
    expect(parseRoute(href.convert('p_1'))).toEqual({ name: 'convert', profileId: 'p_1' });
    expect(parseRoute(href.orders())).toEqual({ name: 'orders' });
    expect(parseRoute(href.activity())).toEqual({ name: 'activity' });
    expect(parseRoute(href.session())).toEqual({ name: 'session' });
  });
  it('falls back to the accounts list for anything else', () => {
    for (const hash of ['', '#', '#/nope', '#/accounts/../x', '#/accounts/%2e%2e', '#/accounts/a/b/c', '#/orders/extra', '#/accounts/<script>']) {
      expect(parseRoute(hash)).toEqual({ name: 'accounts' });
    }
  });
});
