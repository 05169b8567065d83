// An environments.json that puts the "Local sandbox" on one orders API, written as an operator would (e2e runs of one API pass it to startDesktop).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OrdersApi } from '../../shared/domain';

export async function ordersApiFile(ordersApi: OrdersApi): Promise<{ readonly path: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'pc-e2e-orders-api-'));
  const path = join(dir, 'environments.json');
  await writeFile(path, JSON.stringify({ environments: [], builtIns: { 'sandbox-local': { ordersApi } } }), { mode: 0o600 });
  return { path, remove: () => rm(dir, { recursive: true, force: true }) };
}
