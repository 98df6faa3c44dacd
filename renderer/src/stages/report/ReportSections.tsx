import { useMemo, useState } from 'react';
import type { ColumnProfile, CorrelationMatrix, QualityReport, ReportWarning, TargetAnalysis } from '../../../../shared/data/report.js';
import { formatShare, measureName } from '../../../../shared/data/warnings.js';
import type { RowSelection } from './RowsPanel.js';
import { heatmapSpec, histogramSpec } from './specs.js';
import { VegaChart } from './VegaChart.js';
import { formatBytes as bytes } from '../../../../shared/format.js';

const count = new Intl.NumberFormat('en-US');

export function DatasetFacts({ report }: { report: QualityReport }) {
  const d = report.dataset;
  const rows = d?.rows ?? report.overview.reduce((n, c) => Math.max(n, c.count + c.missing), 0);
  const facts: [string, string][] = [
    ['Rows', count.format(rows)],
    ['Columns', count.format(d?.columns ?? report.overview.length)],
    ['Duplicate rows', d === null ? '…' : count.format(d.duplicateRows)],
    ['Missing cells', d === null ? '…' : count.format(d.missingCells)],
    ['In memory', d === null ? '…' : `≈ ${bytes(d.memoryBytes)}`],
    ['On disk', d === null || d.fileBytes === null ? '–' : bytes(d.fileBytes)],
  ];
  return (
    <dl className="report-facts" data-testid="report-facts">
      {facts.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd data-testid={`fact-${k.toLowerCase().replaceAll(' ', '-')}`}>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

export function WarningsList({ warnings }: { warnings: ReportWarning[] }) {
  if (warnings.length === 0) return null;
  return (
    <section aria-labelledby="report-warnings">
      <h3 id="report-warnings">Warnings ({warnings.length})</h3>
      <ul className="report-warnings" data-testid="report-warnings">
        {warnings.map((w, i) => (
          <li key={`${w.code}:${w.column ?? ''}:${i}`} className={`warning-${w.severity}`}>
            <span className="severity">{w.severity}</span> {w.message}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function TargetSection({ target, column, onSelect }: { target: TargetAnalysis; column: ColumnProfile | undefined; onSelect(s: RowSelection): void }) {
  const distribution = useMemo(() => (target.kind === 'numeric' && column !== undefined ? histogramSpec(column, 420) : null), [target.kind, column]);
  return (
    <section className="report-target" aria-labelledby="report-target" data-testid="report-target">
      <h3 id="report-target">Target: {target.column}</h3>
      {target.classes !== null && (
        <ul className="class-balance" aria-label="Class balance">
          {target.classes.map((c) => (
            <li key={c.value}>
              <button className="linkish" onClick={() => onSelect({ title: `${target.column} is “${c.value}”`, filters: [{ column: target.column, op: 'eq', value: c.value }] })}>
                {c.value}
              </button>
              <span className="bar" style={{ width: `${Math.max(1, c.share * 100)}%` }} />
              <span>
                {formatShare(c.share)} ({count.format(c.count)})
              </span>
            </li>
          ))}
        </ul>
      )}
      {target.positive !== null && (
        <p>
          Positive class (the less common): <strong>{target.positive.value}</strong>, {formatShare(target.positive.share)} of rows.
        </p>
      )}
      {target.imbalance !== null && (
        <p className="imbalance-note" role="note" data-testid="imbalance-note">
          {target.imbalance}
        </p>
      )}
      {distribution !== null && <VegaChart spec={distribution} label={`Distribution of ${target.column}`} />}
      <table className="feature-table">
        <caption>
          Each column against {target.column}, strongest first
          {target.sampledRows !== undefined && ` (AUC on a random sample of ${count.format(target.sampledRows)} rows)`}
        </caption>
        <thead>
          <tr>
            <th>Column</th>
            <th>Measure</th>
            <th>Value</th>
            <th>Strength</th>
          </tr>
        </thead>
        <tbody>
          {target.features.map((f) => (
            <tr key={f.column}>
              <td>{f.column}</td>
              <td>{measureName(f.measure)}</td>
              <td className="num">
                {f.value.toFixed(3)}
                {f.second !== undefined && ` (ρ ${f.second.value.toFixed(3)})`}
              </td>
              <td>
                <span className="strength" style={{ width: `${Math.round(f.strength * 100)}%` }} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

type Method = 'pearson' | 'spearman' | 'cramersV';
const LABEL: Record<Method, string> = { pearson: 'Pearson', spearman: 'Spearman', cramersV: 'Cramér’s V' };

export function CorrelationHeatmap({ correlations, onSelect }: { correlations: NonNullable<QualityReport['correlations']>; onSelect(s: RowSelection): void }) {
  const available = (Object.keys(LABEL) as Method[]).filter((m) => correlations[m] !== null);
  const [chosen, setChosen] = useState<Method>('pearson');
  const method = available.includes(chosen) ? chosen : available[0];
  const matrix: CorrelationMatrix | null = method === undefined ? null : correlations[method];
  const spec = useMemo(() => (matrix === null ? null : heatmapSpec(matrix)), [matrix]);
  if (matrix === null || spec === null || method === undefined) return null;
  const onCell = (datum: Record<string, unknown>): void => {
    const a = String(datum.a);
    const b = String(datum.b);
    const value = typeof datum.value === 'number' ? ` (${LABEL[method]} ${datum.value.toFixed(2)})` : '';
    const columns = a === b ? [a] : [a, b];
    onSelect({ title: `Rows with ${columns.join(' and ')} present${value}`, filters: columns.map((column) => ({ column, op: 'notnull' as const })) });
  };
  return (
    <section className="report-heatmap" aria-labelledby="report-heatmap">
      <h3 id="report-heatmap">Correlations</h3>
      <div role="radiogroup" aria-label="Correlation measure" className="segmented">
        {available.map((m) => (
          <button key={m} role="radio" aria-checked={m === method} onClick={() => setChosen(m)}>
            {LABEL[m]}
          </button>
        ))}
      </div>
      {matrix.approximate === true && <p className="muted">Computed on a random sample of 200,000 rows.</p>}
      <VegaChart spec={spec} label={`${LABEL[method]} heatmap`} onSelect={onCell} testId="heatmap" renderer="canvas" />
    </section>
  );
}

export function MissingPatterns({ report }: { report: QualityReport }) {
  const patterns = report.dataset?.missingPatterns ?? [];
  if (patterns.length === 0) return null;
  return (
    <section aria-labelledby="report-missing">
      <h3 id="report-missing">Missing together</h3>
      <table className="feature-table">
        <thead>
          <tr>
            <th>Columns missing</th>
            <th>Rows</th>
          </tr>
        </thead>
        <tbody>
          {patterns.map((p) => (
            <tr key={p.missing.join('|')}>
              <td>{p.missing.length === 0 ? <em>nothing missing</em> : p.missing.join(', ')}</td>
              <td className="num">{count.format(p.rows)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
