// An amount in an asset, formatted exactly with shared/money (never through a JS number), with tabular figures.
import type { Asset } from '../../../shared/domain';
import { formatAmount } from '../../../shared/money';

export interface AmountProps {
  readonly value: string;
  readonly asset: Asset;
  /** Show the asset code after the figure (default true). */
  readonly withAsset?: boolean;
}

export function Amount({ value, asset, withAsset = true }: AmountProps) {
  return (
    <span className="amount">
      <span className="num">{formatAmount(value, asset)}</span>
      {withAsset && <span className="asset-code"> {asset}</span>}
    </span>
  );
}
