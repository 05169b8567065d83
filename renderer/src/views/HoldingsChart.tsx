// Holdings chart: one horizontal SVG bar per asset (available + trading) with text labels; no chart library, no floats for amounts shown.
import type { Balance } from '../../../shared/domain';
import { addAmounts, compareAmounts, formatAmount } from '../../../shared/money';

const WIDTH = 640;
const LABEL = 84;
const VALUE = 170;
const BAR_HEIGHT = 22;
const GAP = 14;

/**
 * Bar length as a fraction of the largest holding. Only the drawing uses a float ratio,
 * computed from the leading digits of exact strings; every number shown is formatted from the string.
 */
function ratio(value: string, max: string): number {
  if (compareAmounts(max, '0') === 0) return 0;
  const [vi = '0', vf = ''] = value.split('.');
  const [mi = '0', mf = ''] = max.split('.');
  const scale = Math.max(vf.length, mf.length);
  const v = BigInt(vi + vf.padEnd(scale, '0'));
  const m = BigInt(mi + mf.padEnd(scale, '0'));
  return Number((v * 10_000n) / m) / 10_000;
}

export function HoldingsChart({ balances }: { readonly balances: readonly Balance[] }) {
  const rows = balances.map((b) => ({ asset: b.asset, total: addAmounts(b.available, b.trading) }));
  const max = rows.reduce((m, r) => (compareAmounts(r.total, m) > 0 ? r.total : m), '0');
  const height = rows.length * (BAR_HEIGHT + GAP) + GAP;
  const summary = rows.map((r) => `${r.asset} ${formatAmount(r.total, r.asset)}`).join(', ');
  const track = WIDTH - LABEL - VALUE;
  return (
    <figure className="chart">
      <figcaption>Holdings by asset (available + trading; each stablecoin is worth 1 USD)</figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-label={`Holdings: ${summary}`} className="chart-svg">
        {rows.map((r, i) => {
          const y = GAP + i * (BAR_HEIGHT + GAP);
          const w = Math.max(ratio(r.total, max) * track, compareAmounts(r.total, '0') > 0 ? 2 : 0);
          return (
            <g key={r.asset}>
              <text x={0} y={y + BAR_HEIGHT / 2} dominantBaseline="central" className="chart-label">
                {r.asset}
              </text>
              <rect x={LABEL} y={y} width={track} height={BAR_HEIGHT} rx={4} className="chart-track" />
              <rect x={LABEL} y={y} width={w} height={BAR_HEIGHT} rx={4} className={`chart-bar chart-bar-${r.asset.toLowerCase()}`} />
              <text x={WIDTH} y={y + BAR_HEIGHT / 2} dominantBaseline="central" textAnchor="end" className="chart-value">
                {formatAmount(r.total, r.asset)}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
