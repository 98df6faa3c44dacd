import { METRICS, type MetricName } from '../../../../shared/ml/metrics.js';
import type { LeaderboardRow } from '../../store/modelling.js';
import { formatMeanStd, formatMetric, formatSeconds, MODEL_LABELS, paramSummary, runLabel } from './format.js';

interface Props {
  rows: LeaderboardRow[];
  primary: MetricName;
  /** The task's metrics, primary first. */
  metrics: MetricName[];
  selectedId: string | null;
  onSelect(id: string): void;
}

/**
 * Every run of the problem, best first by the primary metric (as PyCaret's compare_models): cross-validated mean ±
 * standard deviation of each metric, the validation score, and the time it took. The baseline is marked.
 */
export function Leaderboard({ rows, primary, metrics, selectedId, onSelect }: Props) {
  const hasCv = rows.some((r) => r.type === 'run' && r.experiment.result.cv !== undefined);
  return (
    <section className="panel" aria-label="Leaderboard">
      <h2>Leaderboard</h2>
      <p className="muted">
        Sorted by {METRICS[primary].label} ({METRICS[primary].higherIsBetter ? 'higher' : 'lower'} is better){hasCv ? ': cross-validated mean ± standard deviation on the training partition (the validation score where a run has no folds)' : ': scores on the validation partition (no cross-validation)'}. Select a row for its learning curve and to tune it.
      </p>
      <div className="table-wrap">
        <table className="leaderboard" data-testid="leaderboard">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Model</th>
              {metrics.map((m) => (
                <th key={m} scope="col" title={METRICS[m].description} className={m === primary ? 'primary-col' : undefined}>
                  {METRICS[m].label}
                  <span className="muted small"> {hasCv ? 'CV' : 'validation'}</span>
                </th>
              ))}
              {hasCv && (
                <th scope="col" title={METRICS[primary].description}>
                  {METRICS[primary].label} <span className="muted small">validation</span>
                </th>
              )}
              <th scope="col">Train time</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row, i) => {
              if (row.type === 'card-baseline') {
                return (
                  <tr key="card-baseline" className="baseline-row" data-testid="leaderboard-row" data-kind="baseline">
                    <td>{i + 1}</td>
                    <td>
                      {MODEL_LABELS.baseline} <span className="badge">baseline</span> <span className="muted small">from the problem card</span>
                    </td>
                    {metrics.map((m) => (
                      <td key={m} className="num">
                        {!hasCv && m === primary ? formatMetric(row.score) : '—'}
                      </td>
                    ))}
                    {hasCv && <td className="num">{formatMetric(row.score)}</td>}
                    <td className="num">—</td>
                  </tr>
                );
              }
              const e = row.experiment;
              const r = e.result;
              const selected = e.id === selectedId;
              const isBaseline = r.kind === 'baseline';
              return (
                <tr
                  key={e.id}
                  className={[isBaseline ? 'baseline-row' : '', selected ? 'selected' : ''].join(' ').trim() || undefined}
                  aria-selected={selected}
                  data-testid="leaderboard-row"
                  data-kind={r.kind}
                  data-tuned={e.tuning ? 'true' : undefined}
                >
                  <td>{i + 1}</td>
                  <td>
                    <button className="linklike row-select" aria-pressed={selected} onClick={() => onSelect(e.id)}>
                      {runLabel(e)}
                    </button>
                    {isBaseline && <span className="badge">baseline</span>}
                    {r.kind === 'mlp' && e.backend && (
                      <span className="badge" title={e.backend.reason} data-testid="backend">
                        {e.backend.name}
                      </span>
                    )}
                    {!isBaseline && <div className="muted small">{paramSummary(r.params)}</div>}
                  </td>
                  {metrics.map((m) => (
                    <td key={m} className={m === primary ? 'num primary-col' : 'num'}>
                      {r.cv ? formatMeanStd(r.cv.mean[m], r.cv.std[m]) : formatMetric(r.validation[m])}
                    </td>
                  ))}
                  {hasCv && <td className="num">{formatMetric(r.validation[primary])}</td>}
                  <td className="num">{formatSeconds(r.cvSeconds + r.fitSeconds)}</td>
                </tr>
              );
            })}
            {rows.length === 0 && (
              <tr>
                <td colSpan={(hasCv ? 4 : 3) + metrics.length} className="empty">
                  No runs yet: choose models above and press Train.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}
