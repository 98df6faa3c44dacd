import { useMemo } from 'react';
import type { ColumnProfile } from '../../../../shared/data/report.js';
import { formatNumber, formatShare } from '../../../../shared/data/warnings.js';
import type { RowSelection } from './RowsPanel.js';
import { histogramSpec, topValuesSpec } from './specs.js';
import { VegaChart } from './VegaChart.js';

interface Props {
  column: ColumnProfile;
  onSelect(selection: RowSelection): void;
}

const count = new Intl.NumberFormat('en-US');

/** One column: its kind and flags, its key numbers and a chart whose bars open the rows behind them. */
export function ColumnCard({ column: c, onSelect }: Props) {
  const histogram = useMemo(() => (c.kind === 'numeric' || c.kind === 'date' ? histogramSpec(c) : null), [c]);
  const bars = useMemo(() => {
    if (histogram !== null || c.topValues === null) return null;
    const values: { value: string; count: number; other?: boolean }[] = c.topValues.values.slice(0, 12);
    if (c.topValues.other > 0) values.push({ value: 'other values', count: c.topValues.other, other: true });
    return topValuesSpec(values);
  }, [c, histogram]);
  const bins = c.histogram ?? [];
  const date = c.kind === 'date';
  const show = (v: number): string => (date ? new Date(v).toISOString().slice(0, 10) : formatNumber(v));

  const onBar = (datum: Record<string, unknown>): void => {
    if (typeof datum.index === 'number') {
      const bin = bins[datum.index];
      if (bin === undefined) return;
      const last = datum.index === bins.length - 1;
      onSelect({
        title: `${c.name} from ${show(bin.low)} to ${show(bin.high)}`,
        filters: [{ column: c.name, op: 'between', low: bin.low, high: bin.high, includeHigh: last }],
      });
    } else if (typeof datum.value === 'string' && datum.other !== true) {
      onSelect({ title: `${c.name} is “${datum.value}”`, filters: [{ column: c.name, op: 'eq', value: datum.value }] });
    }
  };

  const flags = [c.flags.constant && 'constant', c.flags.nearConstant && 'near-constant', c.flags.highCardinality && 'high cardinality', c.flags.idLike && 'ID-like'].filter(
    (f): f is string => typeof f === 'string',
  );
  const s = c.numeric;
  return (
    <article className="column-card" data-testid={`column-card-${c.name}`} aria-label={`Column ${c.name}`}>
      <header>
        <h4>{c.name}</h4>
        <span className="kind-pill">{c.kind}</span>
        <span className="muted">{c.type.toLowerCase()}</span>
      </header>
      {flags.length > 0 && (
        <p className="flags">
          {flags.map((f) => (
            <span key={f} className="flag-pill">
              {f}
            </span>
          ))}
        </p>
      )}
      <dl className="column-facts">
        <dt>Missing</dt>
        <dd data-testid="missing">
          {c.missing > 0 ? (
            <button className="linkish" onClick={() => onSelect({ title: `${c.name} is missing`, filters: [{ column: c.name, op: 'isnull' }] })}>
              {count.format(c.missing)} ({formatShare(c.missingShare)})
            </button>
          ) : (
            '0'
          )}
        </dd>
        <dt>Distinct</dt>
        <dd>{count.format(c.unique)}</dd>
        {s !== null && (
          <>
            <dt>Min … max</dt>
            <dd>
              {formatNumber(s.min)} … {formatNumber(s.max)}
            </dd>
            <dt>Mean ± std</dt>
            <dd>
              {formatNumber(s.mean)} ± {formatNumber(s.std)}
            </dd>
            <dt>Median (p25–p75)</dt>
            <dd>
              {formatNumber(s.median)} ({formatNumber(s.quantiles.p25)}–{formatNumber(s.quantiles.p75)})
            </dd>
            <dt>p01 · p99</dt>
            <dd>
              {formatNumber(s.quantiles.p01)} · {formatNumber(s.quantiles.p99)}
            </dd>
            <dt>Skew · zeros</dt>
            <dd>
              {formatNumber(s.skew)} · {count.format(s.zeros)}
            </dd>
            <dt>IQR outliers</dt>
            <dd>{count.format(s.outliers.count)}</dd>
          </>
        )}
        {c.dateRange !== null && (
          <>
            <dt>From … to</dt>
            <dd>
              {c.dateRange.min} … {c.dateRange.max}
            </dd>
          </>
        )}
      </dl>
      {histogram !== null && <VegaChart spec={histogram} label={`Histogram of ${c.name}`} onSelect={onBar} testId="histogram" />}
      {bars !== null && <VegaChart spec={bars} label={`Most common values of ${c.name}`} onSelect={onBar} testId="top-values" />}
    </article>
  );
}
