import { useMemo, useState } from 'react';
import type { VisualizationSpec } from 'vega-embed';
import type { ExperimentRecord } from '../../../../shared/ml/experiment.js';
import { METRICS, type MetricName } from '../../../../shared/ml/metrics.js';
import { describeDimension } from '../../../../shared/ml/search-spaces.js';
import type { TuneStrategy } from '../../../../shared/ml/tuning.js';
import { tuneSpace, type CurveState, type TuneOptions, type TuneState } from '../../store/modelling.js';
import { VegaChart } from '../report/VegaChart.js';
import { formatMetric, formatParam, formatSeconds, runLabel } from './format.js';

/** A learning curve as a vega-lite line chart: training and validation score against training rows. */
export function curveSpec(curve: CurveState, metric: MetricName): VisualizationSpec {
  const values = curve.points.flatMap((p) => [
    { rows: p.rows, score: p.train, set: 'Training rows' },
    { rows: p.rows, score: p.validation, set: 'Validation partition' },
  ]).filter((v) => Number.isFinite(v.score));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 'container',
    height: 220,
    data: { values },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'rows', type: 'quantitative', title: 'Training rows' },
      y: { field: 'score', type: 'quantitative', title: METRICS[metric].label, scale: { zero: false } },
      color: { field: 'set', type: 'nominal', title: null },
      tooltip: [
        { field: 'set', type: 'nominal' },
        { field: 'rows', type: 'quantitative', title: 'Rows' },
        { field: 'score', type: 'quantitative', format: '.4f', title: METRICS[metric].label },
      ],
    },
  } as VisualizationSpec;
}

export function LearningCurvePanel({ curve, metric, onRetry }: { curve: CurveState | null; metric: MetricName; onRetry(): void }) {
  const spec = useMemo(() => (curve?.status === 'done' ? curveSpec(curve, metric) : null), [curve, metric]);
  if (curve === null) return null;
  return (
    <div className="curve" data-testid="learning-curve">
      <h3>Learning curve</h3>
      {curve.status === 'running' && (
        <div className="row-progress">
          <progress aria-label="Learning curve progress" max={100} value={Math.round(curve.fraction * 100)} />
          <span className="muted">Refitting on 10%, 25%, 50%, 75% and 100% of the training rows…</span>
        </div>
      )}
      {curve.status === 'failed' && (
        <p className="inline-error" role="alert">
          {curve.error} <button className="linklike" onClick={onRetry}>Try again</button>
        </p>
      )}
      {spec && (
        <>
          <VegaChart spec={spec} label={`Learning curve: ${METRICS[metric].label} against training rows`} testId="learning-curve-chart" />
          <p className="muted">
            A gap between the lines that stays wide means the model overfits; lines still rising at the right mean more data would help.
          </p>
        </>
      )}
    </div>
  );
}

const STRATEGIES: { value: TuneStrategy; label: string }[] = [
  { value: 'tpe', label: 'TPE (learns where good settings are)' },
  { value: 'random', label: 'Random search' },
  { value: 'grid', label: 'Grid (3 levels per parameter)' },
];

/** Tuning one run's model kind: the search, its live trials and the best configuration found. */
export function TunePanel({ experiment, tuning, metric, onStart, onCancel }: { experiment: ExperimentRecord; tuning: TuneState | null; metric: MetricName; onStart(o: TuneOptions): void; onCancel(): void }) {
  const [strategy, setStrategy] = useState<TuneStrategy>('tpe');
  const [budget, setBudget] = useState<'trials' | 'time'>('trials');
  const [trials, setTrials] = useState('20');
  const [seconds, setSeconds] = useState('120');
  const [problem, setProblem] = useState<string | null>(null);
  const { searched: space, held } = tuneSpace(experiment);
  const mine = tuning !== null && tuning.sourceId === experiment.id ? tuning : null;
  const running = tuning?.status === 'running';
  if (space.length === 0) return <p className="muted">The {runLabel(experiment).toLowerCase()} has nothing to tune.</p>;

  const start = () => {
    const n = Number(budget === 'trials' ? trials : seconds);
    if (!Number.isInteger(n) || n < 1 || n > 100_000) return setProblem(budget === 'trials' ? 'Trials is a whole number of at least 1.' : 'Seconds is a whole number of at least 1.');
    setProblem(null);
    onStart(budget === 'trials' ? { strategy, maxTrials: n } : { strategy, maxSeconds: n });
  };
  const best = mine?.trials.reduce<(typeof mine.trials)[number] | null>((b, t) => {
    if (!Number.isFinite(t.score)) return b;
    if (b === null) return t;
    return METRICS[metric].higherIsBetter ? (t.score > b.score ? t : b) : t.score < b.score ? t : b;
  }, null);

  return (
    <div className="tune" data-testid="tune-panel">
      <h3>Tune {runLabel(experiment)}</h3>
      <p className="muted">Searches: {space.map(describeDimension).join('; ')}. Every trial is scored {experiment.plan.cv.method === 'none' ? 'on the validation partition' : 'by cross-validation on the training partition'}; the test partition is never read.{held.length > 0 ? ` The run\u2019s other settings stay as they are (${held.map((d) => `${d.name} ${d.type === 'categorical' ? formatParam(d.choices[0]) : ''}`).join(', ')}).` : ''}</p>
      <form
        className="field-row"
        aria-label="Tuning"
        onSubmit={(e) => {
          e.preventDefault();
          start();
        }}
      >
        <label className="field">
          Strategy
          <select value={strategy} onChange={(e) => setStrategy(e.target.value as TuneStrategy)}>
            {STRATEGIES.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
        <fieldset className="field inline-checks">
          <legend>Budget</legend>
          <label className="check">
            <input type="radio" name="tune-budget" checked={budget === 'trials'} onChange={() => setBudget('trials')} />
            <input aria-label="Trials" type="number" min={1} step={1} value={trials} disabled={budget !== 'trials'} onChange={(e) => setTrials(e.target.value)} className="short" /> trials
          </label>
          <label className="check">
            <input type="radio" name="tune-budget" checked={budget === 'time'} onChange={() => setBudget('time')} />
            <input aria-label="Seconds" type="number" min={1} step={1} value={seconds} disabled={budget !== 'time'} onChange={(e) => setSeconds(e.target.value)} className="short" /> seconds
          </label>
        </fieldset>
        {running && mine ? (
          <button type="button" onClick={onCancel}>
            Cancel tuning
          </button>
        ) : (
          <button type="submit" className="primary" disabled={running}>
            Start tuning
          </button>
        )}
      </form>
      {problem && (
        <p className="inline-error" role="alert">
          {problem}
        </p>
      )}
      {mine && (
        <>
          {mine.status === 'running' && (
            <div className="row-progress">
              <progress aria-label="Tuning progress" max={100} value={mine.fraction === null ? undefined : Math.round(mine.fraction * 100)} />
              <span className="muted">{mine.trials.length} trials done…</span>
            </div>
          )}
          {mine.status === 'failed' && (
            <p className="inline-error" role="alert">
              {mine.error}
            </p>
          )}
          {mine.stoppedBy === 'cancelled' && mine.status !== 'running' && <p className="muted">Tuning was cancelled; nothing was kept.</p>}
          {mine.status === 'done' && mine.best && (
            <p data-testid="tune-best">
              Best of {mine.trials.length} trials ({mine.strategy}, stopped by {mine.stoppedBy}): {METRICS[metric].label} {formatMetric(mine.best.result.score)}. It is kept as a run and ranked on the leaderboard.
            </p>
          )}
          {best && (
            <p className="muted" data-testid="tune-best-config">
              {mine.status === 'running' ? 'Best configuration so far' : 'Best configuration'}: {space.map((d) => `${d.name} ${formatParam(best.params[d.name])}`).join(' · ')}
            </p>
          )}
          <div className="table-wrap">
            <table className="trials" data-testid="trials">
              <thead>
                <tr>
                  <th scope="col">Trial</th>
                  {space.map((d) => (
                    <th key={d.name} scope="col">
                      {d.name}
                    </th>
                  ))}
                  <th scope="col">{METRICS[metric].label}</th>
                  <th scope="col">Time</th>
                </tr>
              </thead>
              <tbody>
                {mine.trials.map((t) => (
                  <tr key={t.index} className={t === best ? 'selected' : undefined}>
                    <td>{t.index + 1}</td>
                    {space.map((d) => (
                      <td key={d.name}>{formatParam(t.params[d.name])}</td>
                    ))}
                    <td className="num">{t.error ? <span className="inline-error">{t.error}</span> : formatMetric(t.score)}</td>
                    <td className="num">{formatSeconds(t.seconds)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </div>
  );
}
