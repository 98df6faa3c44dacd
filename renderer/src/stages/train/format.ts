import type { ExperimentRecord } from '../../../../shared/ml/experiment.js';
import type { MetricName } from '../../../../shared/ml/metrics.js';
import type { ModelKind } from '../../../../shared/ml/types.js';

/** How the Train stage writes numbers, models and parameters. Pure, so it is tested on its own. */

export const MODEL_LABELS: Record<ModelKind, string> = {
  baseline: 'Naive baseline',
  logreg: 'Logistic regression',
  linear: 'Linear regression',
  tree: 'Decision tree',
  rf: 'Random forest',
  gbdt: 'Gradient boosting',
  mlp: 'Neural network (MLP)',
};

export const MODEL_HINTS: Record<ModelKind, string> = {
  baseline: 'Ignores the features: the bar every model must clear.',
  logreg: 'A weighted sum of the features through a logistic curve; fast and easy to explain.',
  linear: 'A weighted sum of the features; fast and easy to explain.',
  tree: 'One tree of yes/no questions; easy to read, often overfits.',
  rf: 'Many trees on resampled rows, averaged; robust with little tuning.',
  gbdt: 'Trees added one by one, each fixing the last ones\u2019 errors; usually the strongest on tables.',
  mlp: 'A small neural network (TensorFlow.js); needs scaled numbers and more data.',
};

/** A score with four significant decimals; a dash when there is none. */
export function formatMetric(x: number | undefined): string {
  if (x === undefined || !Number.isFinite(x)) return '—';
  const a = Math.abs(x);
  if (a !== 0 && (a >= 1e5 || a < 1e-3)) return x.toExponential(2);
  return x.toFixed(a >= 100 ? 1 : 4);
}

/** "0.8123 ± 0.0101" from a CV mean and standard deviation. */
export function formatMeanStd(mean: number | undefined, std: number | undefined): string {
  if (mean === undefined || !Number.isFinite(mean)) return '—';
  return std === undefined || !Number.isFinite(std) ? formatMetric(mean) : `${formatMetric(mean)} ± ${formatMetric(std)}`;
}

export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '—';
  if (s < 1) return `${Math.round(s * 1000)} ms`;
  if (s < 60) return `${s.toFixed(1)} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

/** A parameter value as text: arrays as "64, 32", numbers trimmed. */
export function formatParam(value: unknown): string {
  if (Array.isArray(value)) return value.map(formatParam).join(', ');
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4)));
  if (value === null || value === undefined) return '—';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * Parameters typed as "nTrees=50, learningRate=0.05, hiddenLayers=64-32": numbers, true/false, and text.
 * Returns the parameters, or the first part that could not be read.
 */
export function parseParams(text: string): { params: Record<string, unknown> } | { error: string } {
  const params: Record<string, unknown> = {};
  for (const part of text.split(/[,;\n]+/)) {
    const item = part.trim();
    if (item === '') continue;
    const m = /^([A-Za-z_][A-Za-z0-9_]*)\s*[=:]\s*(.+)$/.exec(item);
    if (m === null) return { error: `"${item}" is not name=value.` };
    const raw = m[2]!.trim();
    if (/^(true|false)$/i.test(raw)) params[m[1]!] = raw.toLowerCase() === 'true';
    else if (raw !== '' && Number.isFinite(Number(raw))) params[m[1]!] = Number(raw);
    else params[m[1]!] = raw.replace(/^["']|["']$/g, '');
  }
  return { params };
}

/** Parameters back as the text `parseParams` reads. */
export function paramsText(params: Record<string, unknown>): string {
  return Object.entries(params)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('-') : String(v)}`)
    .join(', ');
}

/** The parameters the analyst changed in a run, shortest first, for a leaderboard line. */
export function paramSummary(params: Record<string, unknown>, max = 4): string {
  const entries = Object.entries(params).filter(([, v]) => typeof v !== 'object' || Array.isArray(v));
  const shown = entries.slice(0, max).map(([k, v]) => `${k} ${formatParam(v)}`);
  return shown.join(' · ') + (entries.length > max ? ` · +${entries.length - max}` : '');
}

/** The leaderboard's name of a run: the model, marked when tuned. */
export function runLabel(e: ExperimentRecord): string {
  return `${MODEL_LABELS[e.result.kind]}${e.tuning ? ' (tuned)' : ''}`;
}

/** The metric columns of a leaderboard: the primary first, then the others of the task in catalog order. */
export function metricColumns(primary: MetricName, taskMetrics: MetricName[]): MetricName[] {
  return [primary, ...taskMetrics.filter((m) => m !== primary)];
}

/**
 * For a binary run trained with the card's error costs: which threshold it predicts the positive class at, and
 * why that one. Null when the run used the plain 0.5.
 */
export function thresholdNote(e: ExperimentRecord): string | null {
  const { threshold, validationCost } = e.result;
  const costs = e.plan.costs;
  if (threshold === undefined || validationCost === undefined || costs === undefined) return null;
  const positive = e.classes?.[1] ?? e.plan.positiveClass ?? 'the positive class';
  const cost = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: 2 });
  return (
    `Predicts "${positive}" when its probability is at least ${formatMetric(threshold)}: the cheapest threshold on the validation partition ` +
    `when a false positive costs ${cost(costs.falsePositive)} and a false negative ${cost(costs.falseNegative)} (total ${cost(validationCost)}).`
  );
}
