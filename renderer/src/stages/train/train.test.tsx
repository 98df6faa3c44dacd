// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ExperimentRecord } from '../../../../shared/ml/experiment.js';
import type { ProblemCard } from '../../../../shared/ml/problem.js';
import type { ModelKind } from '../../../../shared/ml/types.js';
import { leaderboardRows, tuneSpace, type RunState } from '../../store/modelling.js';
import { formatMeanStd, formatMetric, formatSeconds, paramsText, parseParams, thresholdNote } from './format.js';
import { Leaderboard } from './Leaderboard.js';
import { RunList } from './RunList.js';
import { comparisonRows } from './RunsBrowser.js';

afterEach(cleanup);

const card: ProblemCard = {
  schemaVersion: 1,
  objective: '',
  datasetId: 'ds_a',
  target: 'income',
  task: 'binary',
  positiveClass: '>50K',
  primaryMetric: 'auc',
  secondaryMetrics: ['f1'],
  baseline: { metric: 'auc', score: 0.5, splitId: 'sp_1' },
  updatedAt: '2026-11-28T10:00:00.000Z',
};

let n = 0;
function run(kind: ModelKind, cvAuc: number | null, validationAuc: number, over: Partial<ExperimentRecord> = {}): ExperimentRecord {
  n += 1;
  return {
    schemaVersion: 1,
    id: `ex_${String(n).padStart(16, '0')}`,
    createdAt: '2026-11-28T10:00:00.000Z',
    datasetId: 'ds_a',
    datasetSha256: 'a'.repeat(64),
    splitId: 'sp_1',
    plan: { target: 'income', task: 'binary', positiveClass: '>50K', pipeline: { steps: [] }, cv: { method: 'stratified', folds: 3 }, imbalance: 'none', primaryMetric: 'auc', seed: 42 },
    result: {
      kind,
      params: kind === 'gbdt' ? { nTrees: 50 } : {},
      ...(cvAuc === null ? {} : { cv: { mean: { auc: cvAuc, f1: 0.5 }, std: { auc: 0.01, f1: 0.02 }, folds: [] } }),
      validation: { auc: validationAuc, f1: 0.4 },
      score: cvAuc ?? validationAuc,
      trainRows: 100,
      validationRows: 20,
      cvSeconds: 1,
      fitSeconds: 0.5,
    },
    seconds: 2,
    ...over,
  };
}

describe('the leaderboard', () => {
  it('ranks the problem\u2019s runs on its split by the card\u2019s primary metric, leaving other problems\u2019 runs out', () => {
    const gbdt = run('gbdt', 0.91, 0.9);
    const logreg = run('logreg', 0.88, 0.87);
    const tuned = run('gbdt', 0.92, 0.905, { tuning: { strategy: 'random', trials: 4, stoppedBy: 'trials' } });
    const otherSplit = run('rf', 0.99, 0.99, { splitId: 'sp_2' });
    const otherTarget = run('rf', 0.99, 0.99, { plan: { ...gbdt.plan, target: 'age' } });
    const rows = leaderboardRows([logreg, gbdt, otherSplit, tuned, otherTarget], card, 'sp_1');
    expect(rows.map((r) => (r.type === 'run' ? r.experiment.id : 'baseline'))).toEqual([tuned.id, gbdt.id, logreg.id, 'baseline']);
  });

  it('ranks by the card\u2019s metric even when runs were trained under another, lower-is-better included', () => {
    const a = run('gbdt', 0.9, 0.9);
    const b = run('rf', 0.8, 0.8);
    a.result.cv!.mean.log_loss = 0.5;
    b.result.cv!.mean.log_loss = 0.3;
    const rows = leaderboardRows([a, b], { ...card, primaryMetric: 'log_loss', baseline: undefined }, 'sp_1');
    expect(rows.map((r) => (r.type === 'run' ? r.experiment.result.kind : 'baseline'))).toEqual(['rf', 'gbdt']);
  });

  it('always shows the baseline: its run when kept, else the card\u2019s score; it is marked', () => {
    const gbdt = run('gbdt', 0.91, 0.9);
    const base = run('baseline', 0.5, 0.5);
    expect(leaderboardRows([gbdt, base], card, 'sp_1').filter((r) => r.type === 'card-baseline')).toHaveLength(0);
    const rows = leaderboardRows([gbdt], card, 'sp_1');
    render(<Leaderboard rows={rows} primary="auc" metrics={['auc', 'f1']} selectedId={null} onSelect={() => undefined} />);
    const lines = screen.getAllByTestId('leaderboard-row');
    expect(lines).toHaveLength(2);
    expect(lines[1]!.getAttribute('data-kind')).toBe('baseline');
    expect(lines[1]!.textContent).toContain('baseline');
    expect(lines[1]!.textContent).toContain('0.5000');
    expect(lines[0]!.textContent).toContain('0.9100 ± 0.0100');
    expect(lines[0]!.textContent).toContain('1.5 s');
  });

  it('shows the MLP\u2019s backend and selects a row by keyboard-reachable button', () => {
    const mlp = run('mlp', 0.85, 0.84, { backend: { name: 'wasm', reason: 'No GPU; WASM was faster than WebGL here.' } });
    const onSelect = vi.fn();
    render(<Leaderboard rows={leaderboardRows([mlp], card, 'sp_1')} primary="auc" metrics={['auc']} selectedId={null} onSelect={onSelect} />);
    const backend = screen.getByTestId('backend');
    expect(backend.textContent).toBe('wasm');
    expect(backend.getAttribute('title')).toContain('WASM');
    fireEvent.click(screen.getByRole('button', { name: 'Neural network (MLP)' }));
    expect(onSelect).toHaveBeenCalledWith(mlp.id);
  });
});

describe('tuning a run', () => {
  it('searches the model’s space and holds the run’s other settings at their values', () => {
    const gbdt = run('gbdt', 0.9, 0.9);
    gbdt.result.params = { nTrees: 30, learningRate: 0.1, maxDepth: -1, monotone: [1, 0] };
    const { searched, held } = tuneSpace(gbdt);
    expect(searched.map((d) => d.name)).toContain('learningRate');
    expect(held).toEqual([
      { name: 'nTrees', type: 'categorical', choices: [30] },
      { name: 'maxDepth', type: 'categorical', choices: [-1] },
    ]);
  });
});

describe('the run list', () => {
  const runs: RunState[] = [
    { id: 1, kind: 'gbdt', params: { nTrees: 50 }, status: 'running', fraction: 0.42, message: 'Tree 21 of 50', error: null, experimentId: null },
    { id: 2, kind: 'mlp', params: {}, status: 'queued', fraction: 0, message: null, error: null, experimentId: null },
    { id: 3, kind: 'rf', params: {}, status: 'cancelled', fraction: 0.3, message: null, error: null, experimentId: null },
    { id: 4, kind: 'tree', params: {}, status: 'failed', fraction: 0, message: null, error: 'maxDepth must be ≥ 1', experimentId: null },
  ];

  it('shows a live bar per active run, and Cancel / Run again per state', () => {
    const onCancel = vi.fn();
    const onRetry = vi.fn();
    render(<RunList runs={runs} onCancel={onCancel} onRetry={onRetry} onClear={() => undefined} />);
    const bar = screen.getByRole('progressbar', { name: 'Training Gradient boosting' });
    expect(bar.getAttribute('value')).toBe('42');
    expect(screen.getByText(/42% · Tree 21 of 50/)).toBeTruthy();
    // A queued run's bar is indeterminate until it starts.
    expect(screen.getByRole('progressbar', { name: 'Training Neural network (MLP)' }).hasAttribute('value')).toBe(false);
    fireEvent.click(screen.getByRole('button', { name: 'Cancel Gradient boosting' }));
    expect(onCancel).toHaveBeenCalledWith(1);
    const cancelled = screen.getAllByTestId('run').find((el) => el.getAttribute('data-kind') === 'rf')!;
    expect(within(cancelled).getByText('Cancelled')).toBeTruthy();
    fireEvent.click(within(cancelled).getByRole('button', { name: 'Run Random forest again' }));
    expect(onRetry).toHaveBeenCalledWith(3);
    expect(screen.getByRole('alert').textContent).toContain('maxDepth must be ≥ 1');
  });
});

describe('formatting', () => {
  it('writes scores, mean ± std and times', () => {
    expect(formatMetric(0.876543)).toBe('0.8765');
    expect(formatMetric(Number.NaN)).toBe('—');
    expect(formatMetric(undefined)).toBe('—');
    expect(formatMetric(12345.6)).toBe('12345.6');
    expect(formatMeanStd(0.8, 0.012)).toBe('0.8000 ± 0.0120');
    expect(formatMeanStd(undefined, 0.1)).toBe('—');
    expect(formatSeconds(0.25)).toBe('250 ms');
    expect(formatSeconds(12.34)).toBe('12.3 s');
    expect(formatSeconds(125)).toBe('2 min 5 s');
  });

  it('reads typed parameters, and says which part it could not read', () => {
    expect(parseParams('nTrees=50, learningRate = 0.1; hiddenLayers=64-32, batchNorm=true')).toEqual({
      params: { nTrees: 50, learningRate: 0.1, hiddenLayers: '64-32', batchNorm: true },
    });
    expect(parseParams('')).toEqual({ params: {} });
    expect(parseParams('nTrees 50')).toEqual({ error: '"nTrees 50" is not name=value.' });
    expect(parseParams(paramsText({ epochs: 5, hiddenLayers: [64, 32] }))).toEqual({ params: { epochs: 5, hiddenLayers: '64-32' } });
  });

  it('compares two runs row by row: settings, every parameter of either, and scores', () => {
    const a = run('gbdt', 0.9, 0.89);
    const b = run('logreg', null, 0.85, { result: { ...run('logreg', null, 0.85).result, params: { C: 1 } } });
    const rows = comparisonRows([a, b], ['auc']);
    const byLabel = Object.fromEntries(rows.map((r) => [r.label, r.values]));
    expect(byLabel['Model']).toEqual(['Gradient boosting', 'Logistic regression']);
    expect(byLabel['param nTrees']).toEqual(['50', '—']);
    expect(byLabel['param C']).toEqual(['—', '1']);
    expect(byLabel['ROC AUC (CV)']).toEqual(['0.9000 ± 0.0100', '—']);
    expect(byLabel['ROC AUC (validation)']).toEqual(['0.8900', '0.8500']);
  });
});

describe('the threshold a run predicts at', () => {
  it('is explained when the card gave costs, and not mentioned for the plain 0.5', () => {
    const plain = run('logreg', 0.8, 0.8);
    expect(thresholdNote({ ...plain, result: { ...plain.result, threshold: 0.5 } })).toBeNull();
    const costly = run('logreg', 0.8, 0.8, { classes: ['<=50K', '>50K'] });
    costly.plan = { ...costly.plan, costs: { falsePositive: 1, falseNegative: 5 } };
    costly.result = { ...costly.result, threshold: 0.1734, validationCost: 812 };
    expect(thresholdNote(costly)).toBe(
      'Predicts ">50K" when its probability is at least 0.1734: the cheapest threshold on the validation partition when a false positive costs 1 and a false negative 5 (total 812).',
    );
  });
});
