import { describe, expect, it } from 'vitest';
import { readDocument } from '../schema/document.js';
import { METRICS } from './metrics.js';
import { defaultPrimaryMetric, metricsFor, problemDocument, problemWarnings, type ProblemCard } from './problem.js';

const card: ProblemCard = {
  schemaVersion: 1,
  objective: 'Find applicants likely to default',
  datasetId: 'ds_1',
  target: 'class',
  task: 'binary',
  positiveClass: 'bad',
  primaryMetric: 'auc',
  secondaryMetrics: ['f1'],
  costs: { falsePositive: 1, falseNegative: 5 },
  updatedAt: '2026-11-28T00:00:00.000Z',
};

describe('the problem card', () => {
  it('offers only the metrics of its task', () => {
    expect(metricsFor('regression')).toEqual(expect.arrayContaining(['mae', 'rmse', 'r2', 'mape']));
    expect(metricsFor('regression')).not.toContain('auc');
    expect(metricsFor('binary')).toEqual(expect.arrayContaining(['auc', 'auc_pr', 'f1', 'log_loss', 'mcc', 'accuracy']));
    expect(defaultPrimaryMetric('binary', 0.05)).toBe('auc_pr');
    expect(defaultPrimaryMetric('binary', 0.3)).toBe('auc');
    expect(defaultPrimaryMetric('regression')).toBe('rmse');
  });

  it('warns when accuracy is chosen on an imbalanced target, and not otherwise', () => {
    const warnings = problemWarnings({ ...card, primaryMetric: 'accuracy' }, 0.239);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('The smallest class is 23.9% of the rows');
    expect(warnings[0]).toContain('76.1% accurate');
    expect(problemWarnings({ ...card, primaryMetric: 'accuracy' }, 0.45)).toEqual([]);
    expect(problemWarnings(card, 0.239)).toEqual([]);
    expect(problemWarnings({ ...card, secondaryMetrics: ['rmse'] })).toEqual([`${METRICS.rmse.label} does not apply to a binary task.`]);
  });

  it('is a versioned document that refuses a metric of another task', () => {
    expect(readDocument(problemDocument, card)).toEqual(card);
    expect(() => readDocument(problemDocument, { ...card, primaryMetric: 'rmse' })).toThrow('cannot be the primary metric of a binary task');
    expect(() => readDocument(problemDocument, { ...card, primaryMetric: 'speed' })).toThrow('primaryMetric must be one of');
    expect(() => readDocument(problemDocument, { ...card, schemaVersion: 2 })).toThrow('newer Orchard');
  });
});
