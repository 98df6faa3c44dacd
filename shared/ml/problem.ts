import { v, type Validator } from '../host/validate.js';
import { defineDocument } from '../schema/document.js';
import { METRICS, type MetricName } from './metrics.js';
import type { Task } from './types.js';

/**
 * The problem card (`<project>/problem.json`): what the project is for, stated once. It drives everything after
 * it: the leaderboard's sort (the primary metric), the tuning objective, the default threshold (the costs).
 */

export interface ProblemCard {
  schemaVersion: 1;
  /** The objective in one sentence, in the analyst's words. */
  objective: string;
  datasetId: string;
  target: string;
  task: Task;
  /** Binary tasks: the class the model scores (the defaulter, the churner). */
  positiveClass?: string;
  primaryMetric: MetricName;
  secondaryMetrics: MetricName[];
  /** Binary tasks: what a false positive and a false negative cost, in any one unit. */
  costs?: { falsePositive: number; falseNegative: number };
  /** The naive baseline's score on the validation partition, computed when the card is saved. */
  baseline?: { metric: MetricName; score: number; splitId: string };
  updatedAt: string;
}

export const METRIC_NAMES = Object.keys(METRICS) as MetricName[];

/** The metrics that make sense for a task, in catalog order. */
export function metricsFor(task: Task): MetricName[] {
  return METRIC_NAMES.filter((m) => METRICS[m].tasks.includes(task));
}

/** A safe first choice: AUC-PR on an imbalanced binary target, AUC-ROC otherwise, log loss for multiclass, RMSE for regression. */
export function defaultPrimaryMetric(task: Task, minorityShare?: number): MetricName {
  if (task === 'regression') return 'rmse';
  if (task === 'multiclass') return 'log_loss';
  return minorityShare !== undefined && minorityShare < 0.1 ? 'auc_pr' : 'auc';
}

export function defaultSecondaryMetrics(task: Task): MetricName[] {
  if (task === 'regression') return ['mae', 'r2'];
  if (task === 'multiclass') return ['accuracy', 'f1'];
  return ['auc_pr', 'f1', 'log_loss', 'accuracy'];
}

/** A target is imbalanced when its smallest class holds less than this share of the rows. */
export const IMBALANCED_SHARE = 0.3;

/**
 * What the card should tell the analyst before they go on, in plain words: accuracy on an imbalanced target, a
 * metric that does not fit the task, costs that cannot be right.
 */
export function problemWarnings(card: Pick<ProblemCard, 'task' | 'primaryMetric' | 'secondaryMetrics' | 'costs'>, minorityShare?: number): string[] {
  const out: string[] = [];
  for (const m of [card.primaryMetric, ...card.secondaryMetrics]) {
    if (!METRICS[m].tasks.includes(card.task)) out.push(`${METRICS[m].label} does not apply to a ${card.task} task.`);
  }
  if (card.primaryMetric === 'accuracy' && minorityShare !== undefined && minorityShare < IMBALANCED_SHARE) {
    const share = (minorityShare * 100).toFixed(1);
    out.push(
      `The smallest class is ${share}% of the rows, so a model that always predicts the largest class is already ${(100 - minorityShare * 100).toFixed(1)}% accurate. ` +
        'Accuracy will look good while the model misses the rare class: choose AUC-PR, AUC-ROC or F1 as the primary metric.',
    );
  }
  if (card.costs !== undefined && card.costs.falsePositive === 0 && card.costs.falseNegative === 0) {
    out.push('Both errors cost nothing, so no threshold is better than another: give at least one of them a cost.');
  }
  return out;
}

const metric: Validator<MetricName> = (value, path) => v.literal(...METRIC_NAMES)(value, path);
const cost = v.number({ min: 0, max: 1e12 });

export const validateProblemCard: Validator<ProblemCard> = v.object({
  schemaVersion: v.literal(1),
  objective: v.string({ max: 2000 }),
  datasetId: v.string({ min: 1, max: 64 }),
  target: v.string({ min: 1, max: 1000 }),
  task: v.literal('binary', 'multiclass', 'regression'),
  positiveClass: v.optional(v.string({ max: 1000 })),
  primaryMetric: metric,
  secondaryMetrics: v.array(metric, { max: 20 }),
  costs: v.optional(v.object({ falsePositive: cost, falseNegative: cost })),
  baseline: v.optional(v.object({ metric, score: v.number(), splitId: v.string({ min: 1, max: 64 }) })),
  updatedAt: v.string({ min: 1, max: 40 }),
});

export const problemDocument = defineDocument<ProblemCard>({
  kind: 'problem card',
  version: 1,
  migrations: [],
  validate: (value, path) => {
    const card = validateProblemCard(value, path);
    if (!METRICS[card.primaryMetric].tasks.includes(card.task)) {
      throw new Error(`${METRICS[card.primaryMetric].label} cannot be the primary metric of a ${card.task} task.`);
    }
    return card;
  },
});
