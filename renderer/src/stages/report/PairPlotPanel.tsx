import { useEffect, useId, useMemo, useState } from 'react';
import type { TableInfo } from '../../../../shared/protocol/data-worker.js';
import type { PartitionFilter } from '../../../../shared/protocol/query.js';
import type { PairPlot } from '../../../../shared/protocol/report.js';
import { readPairPlot } from '../../data/report.js';
import { messageOf } from '../../store/status.js';
import { pairSpec } from './pairSpecs.js';
import { VegaChart } from './VegaChart.js';

interface Props {
  table: TableInfo;
  partition: PartitionFilter | null;
  /** The report's target: the points, boxes' colour. */
  target: string | null;
  /** False until the dataset's split is registered (nothing is shown before). */
  ready: boolean;
}

type State = { status: 'idle' } | { status: 'running' } | { status: 'failed'; error: string } | { status: 'done'; plot: PairPlot };

const count = new Intl.NumberFormat('en-US');

/**
 * "Compare two columns": a scatter of two numbers (a seeded sample on big tables), boxes of a number per
 * category, or stacked counts of two categories, coloured by the report's target. Computed by the data worker;
 * only the sample or the aggregates reach this view.
 */
export function PairPlotPanel({ table, partition, target, ready }: Props) {
  const [x, setX] = useState('');
  const [y, setY] = useState('');
  const [state, setState] = useState<State>({ status: 'idle' });
  const id = useId();

  useEffect(() => {
    if (!ready || x === '' || y === '') {
      setState({ status: 'idle' });
      return;
    }
    let live = true;
    setState({ status: 'running' });
    readPairPlot(table.table, x, y, target, partition).then(
      (plot) => live && setState({ status: 'done', plot }),
      (err: unknown) => live && setState({ status: 'failed', error: messageOf(err) }),
    );
    return () => {
      live = false;
    };
  }, [ready, table.table, x, y, target, partition]);

  const plot = state.status === 'done' ? state.plot : null;
  const spec = useMemo(() => (plot === null ? null : pairSpec(plot)), [plot]);
  const picker = (value: string, set: (v: string) => void, name: 'x' | 'y') => (
    <label htmlFor={`${id}-${name}`}>
      {name === 'x' ? 'Horizontal (x)' : 'Vertical (y)'}{' '}
      <select id={`${id}-${name}`} data-testid={`pair-${name}`} value={value} onChange={(e) => set(e.target.value)}>
        <option value="">(choose a column)</option>
        {table.columns.map((c) => (
          <option key={c.name} value={c.name}>
            {c.name}
          </option>
        ))}
      </select>
    </label>
  );

  return (
    <section className="pair-plot" aria-labelledby={`${id}-title`} data-testid="pair-plot">
      <h3 id={`${id}-title`}>Compare two columns</h3>
      <div className="pair-plot-pickers">
        {picker(x, setX, 'x')}
        {picker(y, setY, 'y')}
        <span className="muted">{target === null ? 'Choose a target above to colour by it.' : `Coloured by ${target}.`}</span>
      </div>
      {state.status === 'running' && <p className="muted">Computing…</p>}
      {state.status === 'failed' && (
        <p className="inline-error" role="alert">
          The chart could not be computed: {state.error}
        </p>
      )}
      {plot !== null && spec !== null && (
        <>
          <p className="muted" data-testid="pair-caption">
            {caption(plot)}
          </p>
          {plot.colorNote !== null && <p className="muted">{plot.colorNote}</p>}
          <VegaChart spec={spec} label={`${plot.x} against ${plot.y}`} testId={`pair-chart-${plot.kind}`} />
        </>
      )}
    </section>
  );
}

function caption(plot: PairPlot): string {
  const left = plot.totalRows - plot.pairedRows;
  const missing = left > 0 ? ` ${count.format(left)} rows missing ${plot.x === plot.y ? plot.x : `${plot.x} or ${plot.y}`} are left out.` : '';
  if (plot.kind === 'scatter') {
    const shown = plot.sampled
      ? `Showing ${count.format(plot.points.length)} of ${count.format(plot.pairedRows)} rows (seeded sample).`
      : `Showing all ${count.format(plot.pairedRows)} rows.`;
    return shown + missing;
  }
  if (plot.kind === 'box') {
    const outliers = plot.boxes.reduce((n, b) => n + b.outlierCount, 0);
    return `${count.format(plot.pairedRows)} rows in ${plot.boxes.length} boxes; whiskers reach the furthest values within 1.5 IQR, ${count.format(outliers)} outliers beyond.${missing}`;
  }
  return `Rows per pair of values, ${count.format(plot.pairedRows)} in all (the 20 most common values of each, the rest as "(other)").${missing}`;
}
