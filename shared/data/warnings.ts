import { AFTER_OUTCOME_NAME, type ColumnProfile, type QualityReport, type ReportWarning, type WarningSeverity } from './report.js';

/**
 * The warnings an analyst should read before modelling, from a (possibly partial) report: pure, so the UI can
 * recompute them as sections arrive and the CLI and HTML export say the same. Most serious first.
 */

/** A single column that predicts the target this well alone is suspect. */
export const LEAKAGE_AUC = 0.98;
export const LEAKAGE_ASSOCIATION = 0.95;
export const HEAVY_MISSING = 0.4;
/** A numeric column where this share of values sits in a narrow band is called concentrated. */
const CONCENTRATED_SHARE = 0.8;

const percent = (share: number): string => (share === 0 ? '0%' : `${(share * 100).toFixed(share < 0.001 ? 2 : 1).replace(/\.0$/, '')}%`);
const count = (n: number): string => n.toLocaleString('en-US');

/** Short, readable numbers: 3 significant digits, no exponent below a million. */
export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
  const abs = Math.abs(value);
  if (abs !== 0 && (abs >= 1e9 || abs < 1e-4)) return value.toExponential(2);
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  return Number(value.toPrecision(abs >= 1000 ? 6 : 3)).toLocaleString('en-US', { maximumFractionDigits: 6 });
}

export function reportWarnings(report: QualityReport): ReportWarning[] {
  const out: ReportWarning[] = [];
  const rows = report.dataset?.rows ?? report.overview.reduce((n, c) => Math.max(n, c.count + c.missing), 0);
  const target = report.target;
  for (const column of report.columns) {
    if (column === undefined || column === null) continue;
    columnWarnings(column, column.name === target, out);
  }
  if (report.columns.length === 0) {
    for (const c of report.overview) {
      if (c.missingShare > HEAVY_MISSING) out.push(missingWarning(c.name, c.missing, c.missingShare));
    }
  }
  const duplicates = report.dataset?.duplicateRows ?? 0;
  if (duplicates > 0) {
    out.push({
      severity: duplicates / Math.max(rows, 1) > 0.05 ? 'medium' : 'low',
      code: 'duplicates',
      message: `${count(duplicates)} rows (${percent(duplicates / Math.max(rows, 1))}) are exact copies of another row. Duplicates can land on both sides of a split and flatter a model's scores.`,
    });
  }
  targetWarnings(report, out);
  const rank: Record<WarningSeverity, number> = { high: 0, medium: 1, low: 2 };
  return out.sort((a, b) => rank[a.severity] - rank[b.severity]);
}

function missingWarning(name: string, missing: number, share: number): ReportWarning {
  return {
    severity: share > 0.8 ? 'high' : 'medium',
    code: 'missing',
    column: name,
    message: `${name} is missing in ${percent(share)} of rows (${count(missing)}). Decide whether "missing" means something here, impute it, or drop the column.`,
  };
}

function columnWarnings(c: ColumnProfile, isTarget: boolean, out: ReportWarning[]): void {
  if (c.missingShare > HEAVY_MISSING) out.push(missingWarning(c.name, c.missing, c.missingShare));
  if (c.flags.constant && c.count > 0) {
    out.push({ severity: 'medium', code: 'constant', column: c.name, message: `${c.name} has a single value${c.missing > 0 ? ' (besides missing)' : ''}: it carries no information. Drop it.` });
  } else if (c.flags.nearConstant) {
    const top = c.topValues?.values[0];
    const what = top !== undefined ? `"${top.value}" in ${percent(top.count / Math.max(c.count, 1))} of rows` : 'one value in 99% of rows or more';
    out.push({ severity: 'low', code: 'near-constant', column: c.name, message: `${c.name} is almost constant (${what}); it will tell a model little.` });
  }
  if (!isTarget && c.flags.idLike) {
    out.push({
      severity: 'high',
      code: 'id-like',
      column: c.name,
      message: `${c.name} looks like an identifier (${count(c.unique)} distinct values in ${count(c.count)} rows). A model can memorise IDs instead of learning; leave it out of the features, or use it to group a split.`,
    });
  }
  if (!isTarget && AFTER_OUTCOME_NAME.test(c.name)) {
    out.push({
      severity: 'medium',
      code: 'after-outcome',
      column: c.name,
      message: `${c.name} sounds like something recorded after the outcome (a duration, result or cancellation). If it is only known once the outcome is, it leaks the answer: check when it is filled in.`,
    });
  }
  if (c.flags.highCardinality && !c.flags.idLike && (c.kind === 'categorical' || c.kind === 'text')) {
    out.push({ severity: 'low', code: 'high-cardinality', column: c.name, message: `${c.name} has ${count(c.unique)} distinct values. One-hot encoding would make as many columns; group rare values or use a target or hash encoding.` });
  }
  const skew = concentration(c);
  if (skew !== null) out.push(skew);
}

/**
 * "80% of rows are within x of zero": walking the histogram from the long tail's far side, the bins that hold
 * 80% of the values. Called out when they cover a tenth of the range or less (a heavily concentrated column).
 */
function concentration(c: ColumnProfile): ReportWarning | null {
  const s = c.numeric;
  const bins = c.histogram;
  if (s === null || bins === null || bins.length < 5 || c.kind !== 'numeric' || c.count < 10) return null;
  const range = s.max - s.min;
  if (!(range > 0)) return null;
  const zeroShare = s.zeros / c.count;
  if (zeroShare >= CONCENTRATED_SHARE) {
    return { severity: 'medium', code: 'skew', column: c.name, message: `${percent(zeroShare)} of ${c.name}'s values are exactly zero; the others reach ${formatNumber(Math.abs(s.min) > Math.abs(s.max) ? s.min : s.max)}. Consider a flag "is non-zero" plus the amount, or a log scale.` };
  }
  if (Math.abs(s.skew ?? 0) < 1) return null;
  const ordered = (s.skew ?? 0) >= 0 ? bins : bins.slice().reverse();
  const total = bins.reduce((n, b) => n + b.count, 0);
  let held = 0;
  let used = 0;
  while (used < ordered.length && held < total * CONCENTRATED_SHARE) held += ordered[used++]!.count;
  const span = ordered.slice(0, used);
  const low = Math.min(...span.map((b) => b.low));
  const high = Math.max(...span.map((b) => b.high));
  if (high - low > range * 0.1) return null;
  const share = percent(held / Math.max(total, 1));
  const nearZero = low <= 0 && high >= 0 ? true : Math.min(Math.abs(low), Math.abs(high)) <= range * 0.01;
  const where = nearZero ? `within ${formatNumber(Math.max(Math.abs(low), Math.abs(high)))} of zero` : `between ${formatNumber(low)} and ${formatNumber(high)}`;
  const far = (s.skew ?? 0) >= 0 ? s.max : s.min;
  return {
    severity: 'low',
    code: 'skew',
    column: c.name,
    message: `${share} of rows have ${c.name} ${where}, yet it reaches ${formatNumber(far)} (skew ${formatNumber(s.skew)}). A log or rank transform may suit linear models; check the tail for errors.`,
  };
}

function targetWarnings(report: QualityReport, out: ReportWarning[]): void {
  const t = report.targetAnalysis;
  if (t === null) return;
  if (t.imbalance !== null) out.push({ severity: 'medium', code: 'imbalance', column: t.column, message: t.imbalance });
  for (const f of t.features) {
    const leak =
      (f.measure === 'auc' && Math.max(f.value, 1 - f.value) > LEAKAGE_AUC) ||
      (f.measure !== 'auc' && f.strength > LEAKAGE_ASSOCIATION);
    if (!leak) continue;
    const label = f.measure === 'auc' ? `a ROC AUC of ${f.value.toFixed(3)}` : `${measureName(f.measure)} ${f.value.toFixed(3)}`;
    out.push({
      severity: 'high',
      code: 'leakage',
      column: f.column,
      message: `${f.column} alone predicts ${t.column} almost perfectly (${label}). Real predictors rarely do: check that it is known before the outcome and is not derived from it.`,
    });
  }
}

export function measureName(measure: string): string {
  return measure === 'cramers-v' ? "Cramér's V" : measure === 'eta' ? 'η' : measure === 'auc' ? 'AUC' : measure === 'pearson' ? 'Pearson r' : 'Spearman ρ';
}

export { percent as formatShare };
