// Checks an order request before anything is written or sent: amount format and precision, direction, scope, funds.
import { appError, type AppError } from '../../../shared/app-error';
import { writeScopeFor, type Asset, type Balance, type OrderKind, type OrdersApi, type Stablecoin } from '../../../shared/domain';
import { compareAmounts, parseAmount, type Amount } from '../../../shared/money';
import { err, ok, type Result } from '../../../shared/result';
import { notPermittedMessage } from '../api/problem';

export interface OrderRequest {
  readonly kind: OrderKind;
  readonly profileId: string;
  readonly asset: Stablecoin;
  readonly amount: string;
}

export interface CheckedAmount {
  readonly amount: Amount;
  readonly sourceAsset: Asset;
  readonly targetAsset: Asset;
}

/** Mint = USD → stablecoin; redeem = stablecoin → USD. */
export function direction(kind: OrderKind, asset: Stablecoin): { sourceAsset: Asset; targetAsset: Asset } {
  return kind === 'mint' ? { sourceAsset: 'USD', targetAsset: asset } : { sourceAsset: asset, targetAsset: 'USD' };
}

/**
 * The amount must be a plain positive decimal that both sides of the conversion can represent: the server moves the
 * same amount out of the source and into the target, so USD's 2 decimals bound every mint and redeem.
 */
export function checkAmount(request: OrderRequest): Result<CheckedAmount, AppError> {
  const { sourceAsset, targetAsset } = direction(request.kind, request.asset);
  const source = parseAmount(request.amount, sourceAsset);
  const target = parseAmount(request.amount, targetAsset);
  for (const parsed of [source, target]) {
    if (!parsed.ok) return err(appError('invalid_request', parsed.error.message, { detail: { field: 'amount', reason: parsed.error.code } }));
  }
  if (!source.ok) return err(appError('invalid_request', 'The amount is not valid.'));
  return ok({ amount: source.value, sourceAsset, targetAsset });
}

/**
 * The write scope of the API new orders go through. Scopes are known from the session; an empty list means "unknown"
 * and leaves the decision to the server.
 */
export function checkWriteScope(scopes: readonly string[], ordersApi: OrdersApi): Result<true, AppError> {
  const scope = writeScopeFor(ordersApi);
  if (scopes.length === 0 || scopes.includes(scope)) return ok(true);
  return err(appError('forbidden_scope', notPermittedMessage(scope), { detail: { missingScope: scope } }));
}

export function checkFunds(balances: readonly Balance[], asset: Asset, amount: Amount): Result<true, AppError> {
  const available = balances.find((b) => b.asset === asset)?.available ?? '0';
  if (compareAmounts(available, amount) >= 0) return ok(true);
  return err(
    appError('insufficient_funds', `Not enough ${asset}: ${amount} needed, ${available} available.`, { detail: { asset, needed: amount, available } }),
  );
}
