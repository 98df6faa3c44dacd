import type { RunState } from '../../store/modelling.js';
import { MODEL_LABELS, paramSummary } from './format.js';

const STATUS_WORDS: Record<RunState['status'], string> = {
  queued: 'Waiting for a worker',
  running: 'Training',
  done: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** The runs of this session: a live progress bar each, Cancel while it waits or trains, Run again after. */
export function RunList({ runs, onCancel, onRetry, onClear }: { runs: RunState[]; onCancel(id: number): void; onRetry(id: number): void; onClear(): void }) {
  if (runs.length === 0) return null;
  const finished = runs.some((r) => r.status !== 'queued' && r.status !== 'running');
  return (
    <section className="panel" aria-label="Training runs">
      <div className="panel-head">
        <h2>Runs</h2>
        {finished && (
          <button className="linklike" onClick={onClear}>
            Clear finished
          </button>
        )}
      </div>
      <ul className="runs" aria-label="Runs in progress">
        {runs.map((run) => {
          const label = MODEL_LABELS[run.kind];
          const active = run.status === 'queued' || run.status === 'running';
          return (
            <li key={run.id} className={`run run-${run.status}`} data-testid="run" data-kind={run.kind} data-status={run.status}>
              <span className="run-name">
                {label}
                {Object.keys(run.params).length > 0 && <span className="muted"> · {paramSummary(run.params)}</span>}
              </span>
              {active ? (
                <progress
                  aria-label={`Training ${label}`}
                  max={100}
                  value={run.status === 'running' ? Math.round(run.fraction * 100) : undefined}
                />
              ) : (
                <span className="run-spacer" />
              )}
              <span className="run-status" role={run.status === 'failed' ? 'alert' : undefined}>
                {run.status === 'running' ? `${Math.round(run.fraction * 100)}%${run.message ? ` · ${run.message}` : ''}` : STATUS_WORDS[run.status]}
                {run.status === 'failed' && run.error ? `: ${run.error}` : ''}
              </span>
              {active ? (
                <button onClick={() => onCancel(run.id)} aria-label={`Cancel ${label}`}>
                  Cancel
                </button>
              ) : run.status === 'cancelled' || run.status === 'failed' ? (
                <button onClick={() => onRetry(run.id)} aria-label={`Run ${label} again`}>
                  Run again
                </button>
              ) : (
                <span />
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
