// Seeded operator accounts for the authorization server: password check and oidc-provider's findAccount.
import { createHash, timingSafeEqual } from 'node:crypto';
import { SANDBOX_PASSWORD, type SeedOperator } from '../seed';

/** The claims oidc-provider may put in ID tokens and userinfo for an operator: the subject only, as on Paxos. */
export interface OperatorClaims {
  sub: string;
}

export interface ProviderAccount {
  accountId: string;
  claims(): Promise<OperatorClaims>;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

export function operatorClaims(operator: SeedOperator): OperatorClaims {
  return { sub: operator.sub };
}

/**
 * Returns the operator when email and password match, otherwise undefined. The password is always
 * compared (in constant time), so an unknown email and a wrong password look the same.
 */
export function authenticate(
  operators: readonly SeedOperator[],
  email: string,
  password: string,
): SeedOperator | undefined {
  const wanted = email.trim().toLowerCase();
  const operator = operators.find((o) => o.email.toLowerCase() === wanted);
  const passwordOk = timingSafeEqual(digest(password), digest(SANDBOX_PASSWORD));
  return operator && passwordOk ? operator : undefined;
}

/** oidc-provider `findAccount`: resolves a subject to the seeded operator. */
export function createFindAccount(operators: readonly SeedOperator[]) {
  return async (_ctx: unknown, sub: string): Promise<ProviderAccount | undefined> => {
    const operator = operators.find((o) => o.sub === sub);
    if (!operator) return undefined;
    return { accountId: operator.sub, claims: async () => operatorClaims(operator) };
  };
}
