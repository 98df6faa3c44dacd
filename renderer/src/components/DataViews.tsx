import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { explorationOf, type Exploration } from '../store/explore.js';
import { useApp } from '../store/index.js';

/** The views of the active dataset. The quality report adds its own entry. */
export type DataView = 'rows' | 'report' | 'sql' | 'split';

const LABELS: { view: DataView; label: string }[] = [
  { view: 'rows', label: 'Rows' },
  { view: 'sql', label: 'SQL' },
  { view: 'split', label: 'Split' },
];

const count = new Intl.NumberFormat();

/**
 * The exploration lock for the active dataset: loads the project's splits, registers the active dataset's split
 * in the data worker, and returns what views may show (see `explorationOf`).
 */
export function useExploration(): Exploration {
  const projectName = useApp((s) => s.project?.name ?? null);
  const tableName = useApp((s) => s.table?.table ?? null);
  const splits = useApp((s) => s.splits);
  const loadSplits = useApp((s) => s.loadSplits);
  const attach = useApp((s) => s.attachActiveSplit);
  const exploration = useApp(useShallow(explorationOf));
  useEffect(() => {
    if (projectName !== null) void loadSplits();
  }, [projectName, loadSplits]);
  useEffect(() => {
    if (tableName !== null && exploration.split !== null && !exploration.ready) void attach();
  }, [tableName, splits, exploration.split, exploration.ready, attach]);
  return exploration;
}

/** Rows | (Quality report) | SQL | Split. `extra` views (the report) go after Rows. */
export function DataViewSwitch({ view, onChange, extra = [] }: { view: DataView; onChange(view: DataView): void; extra?: { view: DataView; label: string }[] }) {
  const views = [LABELS[0]!, ...extra, ...LABELS.slice(1)];
  return (
    <div className="data-views" role="tablist" aria-label="Data views">
      {views.map((v) => (
        <button key={v.view} role="tab" aria-selected={view === v.view} onClick={() => onChange(v.view)}>
          {v.label}
        </button>
      ))}
    </div>
  );
}

/** Said wherever a split dataset is explored. */
export function LockNote({ exploration, total }: { exploration: Exploration; total: number }) {
  const failed = useApp((s) => (s.splitStatus === 'failed' ? s.splitError : null));
  if (exploration.split === null) return null;
  return (
    <>
      <p className="lock-note" data-testid="split-lock">
        Test rows are locked: exploration shows the training partition only ({count.format(exploration.split.counts.train)} of{' '}
        {count.format(total)} rows).
      </p>
      {!exploration.ready && failed !== null && (
        <p className="inline-error" role="alert">
          The split could not be loaded, so nothing is shown: {failed}
        </p>
      )}
      {!exploration.ready && failed === null && <p className="muted">Loading the split…</p>}
    </>
  );
}
