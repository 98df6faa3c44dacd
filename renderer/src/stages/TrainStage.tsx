import { useEffect, useMemo, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { METRICS } from '../../../shared/ml/metrics.js';
import { metricsFor } from '../../../shared/ml/problem.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { useApp } from '../store/index.js';
import { leaderboardRows, modellingContext } from '../store/modelling.js';
import { LearningCurvePanel, TunePanel } from './train/Details.js';
import { formatMetric, metricColumns, paramSummary, runLabel, thresholdNote } from './train/format.js';
import { Leaderboard } from './train/Leaderboard.js';
import { RunList } from './train/RunList.js';
import { RunsBrowser } from './train/RunsBrowser.js';
import { TrainSetup } from './train/TrainSetup.js';

/** Train: run several models on the problem's split, rank them, look at one, tune the best. */
export function TrainStage() {
  const project = useApp((s) => s.project);
  const load = useApp((s) => s.loadModelling);
  const context = useApp(useShallow(modellingContext));
  const experiments = useApp((s) => s.experiments);
  const runs = useApp((s) => s.runs);
  const curve = useApp((s) => s.curve);
  const tuning = useApp((s) => s.tuning);
  const pipelineSaved = useApp((s) => s.pipelineSpec !== null);
  const problem = useApp((s) => s.problem);
  const actions = useApp(
    useShallow((s) => ({
      trainModels: s.trainModels,
      cancelRun: s.cancelRun,
      retryRun: s.retryRun,
      clearFinishedRuns: s.clearFinishedRuns,
      showLearningCurve: s.showLearningCurve,
      tuneExperiment: s.tuneExperiment,
      cancelTuning: s.cancelTuning,
      deleteExperiment: s.deleteExperiment,
      setStage: s.setStage,
      openSplitView: s.openSplitView,
    })),
  );
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<string | null>(null);
  const detailsRef = useRef<HTMLElement>(null);

  useEffect(() => {
    void load();
  }, [load, project?.name]);

  // A selected run's details open below the leaderboard: bring them into view.
  useEffect(() => {
    if (selectedId !== null) detailsRef.current?.scrollIntoView({ block: 'start' });
  }, [selectedId]);

  const card = context.ok ? context.card : null;
  const splitId = context.ok ? context.split.id : null;
  const rows = useMemo(() => (card && splitId ? leaderboardRows(experiments, card, splitId) : []), [experiments, card, splitId]);
  const selected = experiments.find((e) => e.id === selectedId) ?? null;

  if (project === null) return null;
  const header = (
    <header className="stage-header">
      <h1 id="train-title">Train</h1>
      <p className="muted">Models are fitted on the training partition (cross-validated there) and ranked; the validation partition checks them, the test partition stays locked.</p>
    </header>
  );
  if (!context.ok) {
    return (
      <main className="stage-main stage-scroll" aria-labelledby="train-title">
        {header}
        {context.reason === 'loading' ? (
          <p className="muted">{context.message}</p>
        ) : (
          <p className="empty" data-testid="train-blocked">
            {context.message}{' '}
            {context.reason === 'no-split' ? (
              <button className="linklike" onClick={() => problem && actions.openSplitView(problem.datasetId)}>
                Make a split
              </button>
            ) : (
              <button className="linklike" onClick={() => actions.setStage('define')}>
                Go to Define
              </button>
            )}
          </p>
        )}
      </main>
    );
  }

  const { card: c, dataset } = context;
  const metrics = metricColumns(c.primaryMetric, metricsFor(c.task));
  const active = runs.some((r) => r.status === 'queued' || r.status === 'running');
  const select = (id: string) => {
    setSelectedId(id);
    void actions.showLearningCurve(id);
  };
  const best = rows[0]?.type === 'run' ? rows[0].experiment : null;

  return (
    <main className="stage-main stage-scroll" aria-labelledby="train-title">
      {header}
      <p className="muted">
        Predicting <strong>{c.target}</strong> ({c.task}
        {c.positiveClass ? `, positive class ${c.positiveClass}` : ''}) from {dataset.name}, ranked by {METRICS[c.primaryMetric].label}.{' '}
        {pipelineSaved ? 'Using the saved pipeline.' : 'No pipeline saved yet: using the default one.'}{' '}
        {!pipelineSaved && (
          <button className="linklike" onClick={() => actions.setStage('prepare')}>
            Build one in Prepare
          </button>
        )}
      </p>
      <TrainSetup card={c} dataset={dataset} busy={active} onTrain={(config) => void actions.trainModels(config)} />
      <RunList runs={runs} onCancel={actions.cancelRun} onRetry={actions.retryRun} onClear={actions.clearFinishedRuns} />
      {best && (
        <p className="muted" data-testid="leader">
          Best so far: {runLabel(best)} with {METRICS[c.primaryMetric].label} {formatMetric(rows[0]!.score)}
          {c.baseline ? ` (the baseline scores ${formatMetric(c.baseline.score)} on validation)` : ''}.
        </p>
      )}
      <Leaderboard rows={rows} primary={c.primaryMetric} metrics={metrics} selectedId={selectedId} onSelect={select} />
      {selected && (
        <section ref={detailsRef} className="panel" aria-label={`Run: ${runLabel(selected)}`} data-testid="run-details">
          <div className="panel-head">
            <h2>{runLabel(selected)}</h2>
            <button className="linklike" onClick={() => setSelectedId(null)}>
              Close
            </button>
          </div>
          <p className="muted">
            {paramSummary(selected.result.params, 12)}
            {selected.backend ? ` · trained on ${selected.backend.name}: ${selected.backend.reason}` : ''}
          </p>
          {thresholdNote(selected) !== null && <p data-testid="threshold">{thresholdNote(selected)}</p>}
          <LearningCurvePanel curve={curve?.experimentId === selected.id ? curve : null} metric={c.primaryMetric} onRetry={() => void actions.showLearningCurve(selected.id)} />
          <TunePanel
            experiment={selected}
            tuning={tuning}
            metric={c.primaryMetric}
            onStart={(o) => void actions.tuneExperiment(selected.id, o)}
            onCancel={actions.cancelTuning}
          />
        </section>
      )}
      <RunsBrowser experiments={experiments} metrics={metrics} onDelete={setDeleting} />
      {deleting && (
        <ConfirmDialog
          title="Delete this run?"
          confirmLabel="Delete run"
          danger
          onCancel={() => setDeleting(null)}
          onConfirm={() => {
            const id = deleting;
            setDeleting(null);
            if (selectedId === id) setSelectedId(null);
            void actions.deleteExperiment(id);
          }}
        >
          Its record, fitted pipeline and model are removed from the project.
        </ConfirmDialog>
      )}
    </main>
  );
}
