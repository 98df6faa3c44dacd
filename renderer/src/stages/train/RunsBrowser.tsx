import { useState } from 'react';
import type { ExperimentRecord } from '../../../../shared/ml/experiment.js';
import { METRICS, type MetricName } from '../../../../shared/ml/metrics.js';
import { MODEL_KINDS, type ModelKind } from '../../../../shared/ml/types.js';
import { formatMeanStd, formatMetric, formatParam, formatSeconds, MODEL_LABELS, runLabel } from './format.js';

/** The rows of a side-by-side comparison of runs: their settings, parameters and scores. */
export function comparisonRows(runs: ExperimentRecord[], metrics: MetricName[]): { label: string; values: string[] }[] {
  const rows: { label: string; values: string[] }[] = [
    { label: 'Model', values: runs.map(runLabel) },
    { label: 'Trained', values: runs.map((r) => new Date(r.createdAt).toLocaleString()) },
    { label: 'Cross-validation', values: runs.map((r) => (r.plan.cv.method === 'none' ? 'none' : `${r.plan.cv.method}, ${r.plan.cv.folds} folds`)) },
    { label: 'Class imbalance', values: runs.map((r) => r.plan.imbalance) },
    { label: 'Seed', values: runs.map((r) => String(r.plan.seed)) },
    { label: 'Pipeline steps', values: runs.map((r) => String(r.plan.pipeline.steps.length)) },
  ];
  const names = [...new Set(runs.flatMap((r) => Object.keys(r.result.params)))].sort();
  for (const name of names) rows.push({ label: `param ${name}`, values: runs.map((r) => (name in r.result.params ? formatParam(r.result.params[name]) : '—')) });
  for (const m of metrics) {
    rows.push({ label: `${METRICS[m].label} (CV)`, values: runs.map((r) => formatMeanStd(r.result.cv?.mean[m], r.result.cv?.std[m])) });
    rows.push({ label: `${METRICS[m].label} (validation)`, values: runs.map((r) => formatMetric(r.result.validation[m])) });
  }
  rows.push({ label: 'Train time', values: runs.map((r) => formatSeconds(r.result.cvSeconds + r.result.fitSeconds)) });
  return rows;
}

/** Every kept run of the project, filterable by model, and any two compared side by side. */
export function RunsBrowser({ experiments, metrics, onDelete }: { experiments: ExperimentRecord[]; metrics: MetricName[]; onDelete(id: string): void }) {
  const [kind, setKind] = useState<ModelKind | ''>('');
  const [picked, setPicked] = useState<string[]>([]);
  const shown = experiments.filter((e) => kind === '' || e.result.kind === kind);
  const compared = picked.map((id) => experiments.find((e) => e.id === id)).filter((e): e is ExperimentRecord => e !== undefined);
  const toggle = (id: string, on: boolean) => setPicked((p) => (on ? [...p.filter((x) => x !== id), id].slice(-2) : p.filter((x) => x !== id)));

  return (
    <section className="panel" aria-label="All runs">
      <div className="panel-head">
        <h2>All runs</h2>
        <label className="field inline">
          Model
          <select value={kind} onChange={(e) => setKind(e.target.value as ModelKind | '')}>
            <option value="">All models</option>
            {MODEL_KINDS.map((k) => (
              <option key={k} value={k}>
                {MODEL_LABELS[k]}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p className="muted">Pick two runs to compare their parameters and scores side by side.</p>
      <div className="table-wrap">
        <table className="runs-table" data-testid="runs-table">
          <thead>
            <tr>
              <th scope="col">Compare</th>
              <th scope="col">Model</th>
              <th scope="col">Trained</th>
              <th scope="col">Target</th>
              <th scope="col">Score</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {shown.map((e) => (
              <tr key={e.id} data-testid="runs-row" data-kind={e.result.kind}>
                <td>
                  <input type="checkbox" aria-label={`Compare ${runLabel(e)} of ${new Date(e.createdAt).toLocaleTimeString()}`} checked={picked.includes(e.id)} onChange={(ev) => toggle(e.id, ev.target.checked)} />
                </td>
                <td>{runLabel(e)}</td>
                <td>{new Date(e.createdAt).toLocaleString()}</td>
                <td>{e.plan.target}</td>
                <td className="num">
                  {METRICS[e.plan.primaryMetric].label} {formatMetric(e.result.score)}
                </td>
                <td>
                  <button className="danger-quiet" onClick={() => onDelete(e.id)} aria-label={`Delete run ${runLabel(e)} of ${new Date(e.createdAt).toLocaleTimeString()}`}>
                    Delete
                  </button>
                </td>
              </tr>
            ))}
            {shown.length === 0 && (
              <tr>
                <td colSpan={6} className="empty">
                  No runs{kind ? ` of ${MODEL_LABELS[kind]}` : ''} yet.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {compared.length === 2 && (
        <div className="table-wrap">
          <table className="compare-table" data-testid="compare-table" aria-label="Comparison">
            <thead>
              <tr>
                <th scope="col" />
                {compared.map((e) => (
                  <th key={e.id} scope="col">
                    {runLabel(e)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {comparisonRows(compared, metrics).map((row) => (
                <tr key={row.label} className={row.values[0] !== row.values[1] ? 'differs' : undefined}>
                  <th scope="row">{row.label}</th>
                  {row.values.map((v, i) => (
                    <td key={i}>{v}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
