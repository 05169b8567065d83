// One request budget per environment, made on first use and shared by its API client and its token requests.
import type { Environment } from '../config';
import { resolveRateLimits } from './rate-limits';
import { createRequestBudget, realScheduler, type BudgetState, type RequestBudget, type Scheduler } from './request-budget';

export interface Budgets {
  forEnvironment(environment: Environment): RequestBudget;
  /** The budget's state, if the environment has one yet (else it is open). */
  stateOf(environmentId: string): BudgetState;
  close(): void;
}

export interface BudgetsOptions {
  readonly scheduler?: Scheduler;
  /** Every lockout that begins or ends, by environment id. */
  readonly onChange?: (environmentId: string, state: BudgetState) => void;
}

export function createBudgets(options: BudgetsOptions = {}): Budgets {
  const budgets = new Map<string, RequestBudget>();
  return {
    forEnvironment(environment) {
      let budget = budgets.get(environment.id);
      if (!budget) {
        budget = createRequestBudget(resolveRateLimits(environment.rateLimits), options.scheduler ?? realScheduler);
        const onChange = options.onChange;
        if (onChange) budget.onChange((state) => onChange(environment.id, state));
        budgets.set(environment.id, budget);
      }
      return budget;
    },
    stateOf: (environmentId) => budgets.get(environmentId)?.state() ?? { status: 'open' },
    close() {
      for (const budget of budgets.values()) budget.close();
      budgets.clear();
    },
  };
}
