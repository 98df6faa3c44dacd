import { useEffect, useMemo, useState } from 'react';
import type { PartitionFilter } from '../../../../shared/protocol/query.js';
import type { DatasetRecord } from '../../../../shared/schema/project.js';
import type { TableInfo } from '../../../../shared/protocol/data-worker.js';
import { reportToHtml } from '../../../../shared/report/html.js';
import { useApp } from '../../store/index.js';
import { explorationOf } from '../../store/explore.js';
import { ColumnCard } from './ColumnCard.js';
import { PairPlotPanel } from './PairPlotPanel.js';
import { CorrelationHeatmap, DatasetFacts, MissingPatterns, TargetSection, WarningsList } from './ReportSections.js';
import { RowsPanel, type RowSelection } from './RowsPanel.js';
import { useQualityReport } from './useQualityReport.js';
import './report.css';

const CARD_BATCH = 60;

interface Props {
  dataset: DatasetRecord;
  table: TableInfo;
}

/**
 * The quality report of the active dataset (its training partition once it is split): it fills in section by
 * section as the worker finishes them, and every bar and heatmap cell opens the rows behind it.
 */
export function QualityReportView({ dataset, table }: Props) {
  const [target, setTarget] = useState<string | null>(null);
  const [selection, setSelection] = useState<RowSelection | null>(null);
  /** Column cards drawn so far: a very wide table shows them in batches, each card has a chart. */
  const [cards, setCards] = useState(CARD_BATCH);
  const ready = useApp((s) => explorationOf(s).ready);
  const partitionKey = useApp((s) => {
    const p = explorationOf(s).partition;
    return p === null ? null : JSON.stringify(p);
  });
  const partition = useMemo(() => (partitionKey === null ? null : (JSON.parse(partitionKey) as PartitionFilter)), [partitionKey]);
  const request = useMemo(
    () => (ready ? { table: table.table, target, partition, fileBytes: dataset.sizeBytes } : null),
    [ready, table.table, target, partition, dataset.sizeBytes],
  );
  const { state, cancel, rerun } = useQualityReport(request);
  const { report, status } = state;
  useEffect(() => {
    setSelection(null);
  }, [table, target, partition]);

  const exportHtml = (): void => {
    const html = reportToHtml(report, { title: dataset.originalName, generatedAt: new Date().toLocaleString() });
    const url = URL.createObjectURL(new Blob([html], { type: 'text/html' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = `${dataset.name.replace(/[^\w.-]+/g, '_')}-quality-report.html`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };

  return (
    <div className="quality-report" data-testid="quality-report">
      <div className="report-toolbar">
        <label>
          Target{' '}
          <select aria-label="Target" data-testid="target-picker" value={target ?? ''} onChange={(e) => setTarget(e.target.value === '' ? null : e.target.value)}>
            <option value="">(none)</option>
            {table.columns.map((c) => (
              <option key={c.name} value={c.name}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        {partition !== null && <span className="partition-note">Training partition only: the test rows stay unseen.</span>}
        {status === 'running' && (
          <>
            <progress max={1} value={state.fraction} aria-label="Report progress" />
            <button onClick={cancel}>Cancel</button>
          </>
        )}
        {(status === 'cancelled' || status === 'failed' || status === 'done') && <button onClick={rerun}>{status === 'done' ? 'Recompute' : 'Run again'}</button>}
        <button onClick={exportHtml} disabled={status !== 'done'}>
          Export HTML
        </button>
      </div>
      {!ready && <p className="muted">Waiting for the dataset's split…</p>}
      {status === 'cancelled' && <p className="muted">Cancelled. The sections already computed are shown.</p>}
      {status === 'failed' && (
        <p className="inline-error" role="alert">
          The report could not be computed: {state.error}
        </p>
      )}
      <div className="report-body">
        <DatasetFacts report={report} />
        <WarningsList warnings={report.warnings} />
        {selection !== null && <RowsPanel table={table} partition={partition} selection={selection} onClose={() => setSelection(null)} />}
        {report.targetAnalysis !== null && <TargetSection target={report.targetAnalysis} column={report.columns.find((c) => c?.name === report.targetAnalysis?.column)} onSelect={setSelection} />}
        {report.correlations !== null && <CorrelationHeatmap correlations={report.correlations} onSelect={setSelection} />}
        <PairPlotPanel key={table.table} table={table} partition={partition} target={target} ready={ready} />
        <MissingPatterns report={report} />
        <h3>Columns</h3>
        <div className="column-cards">
          {report.overview.slice(0, cards).map((o, i) => {
            const column = report.columns[i];
            if (column !== undefined) return <ColumnCard key={o.name} column={column} onSelect={setSelection} />;
            return (
              <article key={o.name} className="column-card pending" aria-label={`Column ${o.name}`} data-testid={`column-card-${o.name}`}>
                <header>
                  <h4>{o.name}</h4>
                  <span className="kind-pill">{o.kind}</span>
                </header>
                <p className="muted">
                  {o.missing.toLocaleString('en-US')} missing · {o.unique.toLocaleString('en-US')} distinct · statistics coming…
                </p>
              </article>
            );
          })}
        </div>
        {report.overview.length > cards && (
          <button onClick={() => setCards((n) => n + CARD_BATCH)}>Show {Math.min(CARD_BATCH, report.overview.length - cards)} more columns</button>
        )}
      </div>
    </div>
  );
}
