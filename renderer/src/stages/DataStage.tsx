import { useCallback, useMemo, useState } from 'react';
import type { DatasetRecord } from '../../../shared/schema/project.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { DataTable } from '../components/DataTable.js';
import { DataViewSwitch, LockNote, useExploration, type DataView } from '../components/DataViews.js';
import { DropZone } from '../components/DropZone.js';
import { ImportList } from '../components/ImportList.js';
import { ImportPreview } from '../components/ImportPreview.js';
import { AppendQuestion } from '../components/AppendQuestion.js';
import { SplitPanel } from '../components/SplitPanel.js';
import { SqlConsole } from '../components/SqlConsole.js';
import { readPage } from '../data/tables.js';
import { QualityReportView } from './report/QualityReportView.js';
import { useApp } from '../store/index.js';
import { formatBytes as bytes } from '../../../shared/format.js';

const count = new Intl.NumberFormat();

/** The Data stage: import files, pick a dataset, scroll its rows. */
export function DataStage() {
  const project = useApp((s) => s.project);
  const activeId = useApp((s) => s.activeDatasetId);
  const table = useApp((s) => s.table);
  const status = useApp((s) => s.tableStatus);
  const error = useApp((s) => s.tableError);
  const select = useApp((s) => s.selectDataset);
  const remove = useApp((s) => s.removeDataset);
  const [removing, setRemoving] = useState<DatasetRecord | null>(null);
  const [view, setView] = useState<DataView>(() => useApp.getState().requestedDataView ?? 'rows');
  const exploration = useExploration();
  const partition = exploration.partition;
  const fetchPage = useCallback(
    (offset: number, limit: number) => (table ? readPage(table.table, offset, limit, partition ?? undefined) : Promise.resolve([])),
    [table, partition],
  );
  const shownTable = useMemo(() => (table && exploration.ready ? { ...table, rows: exploration.rows } : null), [table, exploration.ready, exploration.rows]);
  if (project === null) return null;
  const datasets = project.datasets;
  const active = datasets.find((d) => d.id === activeId);

  return (
    <main className="stage-main" aria-labelledby="data-title">
      <header className="stage-header">
        <h1 id="data-title">Data</h1>
        {project.sample && (
          <p className="credit">
            Sample data: {project.sample.title}. {project.sample.credit}. Licence {project.sample.licence}.
          </p>
        )}
      </header>
      <DropZone compact={datasets.length > 0} />
      <ImportList />
      <ImportPreview />
      <AppendQuestion />
      {datasets.length > 0 && (
        <div className="datasets" role="tablist" aria-label="Datasets">
          {datasets.map((d) => (
            <button
              key={d.id}
              role="tab"
              aria-selected={d.id === activeId}
              className="dataset-tab"
              onClick={() => void select(d.id)}
              title={`${d.originalName} · ${bytes(d.sizeBytes)} · SHA-256 ${d.sha256.slice(0, 12)}…`}
            >
              {d.name}
            </button>
          ))}
        </div>
      )}
      {active && (
        <section className="dataset" aria-label={active.name}>
          <div className="dataset-summary">
            <strong data-testid="dataset-shape">
              {count.format(active.rows)} rows × {count.format(active.columns.length)} columns
            </strong>
            <span className="muted">
              {active.originalName} · {active.format.toUpperCase()} · {bytes(active.sizeBytes)} · imported{' '}
              {new Date(active.importedAt).toLocaleString()}
            </span>
            <button className="danger-quiet" onClick={() => setRemoving(active)}>
              Remove dataset
            </button>
          </div>
          <DataViewSwitch view={view} onChange={setView} extra={[{ view: 'report', label: 'Quality report' }]} />
          <LockNote exploration={exploration} total={active.rows} />
          {view !== 'sql' && status === 'running' && <p className="muted">Loading rows…</p>}
          {view !== 'sql' && status === 'failed' && (
            <p className="inline-error" role="alert">
              {error}
            </p>
          )}
          {view === 'rows' && status === 'done' && shownTable && <DataTable table={shownTable} fetchPage={fetchPage} />}
          {view === 'split' && status === 'done' && exploration.ready && <SplitPanel columns={active.columns} split={exploration.split} />}
          {view === 'sql' && <SqlConsole />}
          {view === 'report' && status === 'done' && table && <QualityReportView dataset={active} table={table} />}
        </section>
      )}
      {removing && (
        <ConfirmDialog
          title={`Remove “${removing.name}”?`}
          confirmLabel="Remove dataset"
          danger
          onCancel={() => setRemoving(null)}
          onConfirm={() => {
            const id = removing.id;
            setRemoving(null);
            void remove(id);
          }}
        >
          The project's copy of {removing.originalName} is deleted. Your original file is not touched.
        </ConfirmDialog>
      )}
    </main>
  );
}
