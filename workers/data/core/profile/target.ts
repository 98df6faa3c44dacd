import type { DuckDBConnection } from '@duckdb/duckdb-wasm/blocking';
import type { ClassShare, ColumnOverview, FeatureAssociation, TargetAnalysis } from '../../../../shared/data/report.js';
import type { ColumnInfo } from '../../../../shared/schema/project.js';
import { correlationRatio, cramersVPairs, pearsonPairs, spearmanPairs, univariateAuc } from './associations.js';
import { SAMPLE_ROWS, type RowSample } from './sampled.js';
import { isIntegerType, isNumericType, num, queryRows, textExpr, type ProfileSource } from './source.js';

/**
 * The target: class balance (or its distribution, which the column's own profile has), and every other column
 * measured against it. Categorical target: Cramér's V for categories, ROC AUC (binary) or η (more classes) for
 * numbers. Numeric target: Pearson and Spearman for numbers, η for categories.
 */

/** An integer target with this many distinct values or fewer is read as classes. */
const MAX_CLASSES = 20;
const SHOWN_CLASSES = 50;
const MAX_FEATURE_CATEGORIES = 100;

export function isClassTarget(column: ColumnInfo, overview: ColumnOverview): boolean {
  if (!isNumericType(column.type)) return true;
  return isIntegerType(column.type) && overview.unique <= MAX_CLASSES;
}

/** What the target analysis measures: the target, and the other columns by how they are measured against it. */
export interface TargetPlan {
  target: ColumnInfo;
  view: ColumnOverview;
  /** Classes (categorical, boolean or few-valued integer) rather than a number. */
  classes: boolean;
  categorical: ColumnInfo[];
  numeric: ColumnInfo[];
}

export function targetPlan(columns: ColumnInfo[], overview: ColumnOverview[], targetName: string): TargetPlan {
  const index = columns.findIndex((c) => c.name === targetName);
  const target = columns[index]!;
  const view = overview[index]!;
  const features = columns
    .map((c, i) => ({ c, o: overview[i]! }))
    .filter(({ c, o }) => c.name !== targetName && o.unique > 1 && o.kind !== 'id-like' && o.kind !== 'text' && o.kind !== 'date');
  return {
    target,
    view,
    classes: isClassTarget(target, view),
    categorical: features.filter(({ o }) => (o.kind === 'categorical' || o.kind === 'boolean') && o.unique <= MAX_FEATURE_CATEGORIES).map(({ c }) => c),
    numeric: features.filter(({ o }) => o.kind === 'numeric').map(({ c }) => c),
  };
}

/** What other sections already have: the class balance, the shared row sample, Cramér's V of pairs in the heatmap. */
export interface TargetShared {
  classes: ClassShare[] | null;
  sample: () => RowSample;
  cramersV: (a: string, b: string) => number | null | undefined;
}

export function targetAnalysis(conn: DuckDBConnection, source: ProfileSource, overview: ColumnOverview[], plan: TargetPlan, shared: TargetShared): TargetAnalysis {
  const { target, view: targetView, categorical, numeric } = plan;
  const targetName = target.name;
  const missing = (c: ColumnInfo): boolean => (overview.find((o) => o.name === c.name)?.missing ?? 0) > 0;
  const out: FeatureAssociation[] = [];

  if (!plan.classes) {
    const pairs = numeric.map((c): [ColumnInfo, ColumnInfo] => [c, target]);
    const pearson = pearsonPairs(conn, source, pairs);
    const spearman = spearmanPairs(conn, source, pairs, missing);
    numeric.forEach((c, i) => {
      const r = pearson[i];
      if (r === null || r === undefined) return;
      const rho = spearman[i];
      out.push({ column: c.name, measure: 'pearson', value: r, strength: Math.abs(r), ...(rho !== null && rho !== undefined ? { second: { measure: 'spearman' as const, value: rho } } : {}) });
    });
    for (const c of categorical) push(out, c.name, 'eta', correlationRatio(conn, source, target, c));
    return { column: targetName, kind: 'numeric', classes: null, positive: null, imbalance: null, features: strongestFirst(out) };
  }

  const classes = shared.classes ?? classBalance(conn, source, target);
  const binary = classes.length === 2;
  const positive = binary ? classes[1]! : null;
  // Pairs the heatmap has already measured are not measured again.
  const known = categorical.map((c) => shared.cramersV(c.name, targetName));
  const rest = categorical.filter((_c, i) => known[i] === undefined);
  const measured = cramersVPairs(conn, source, rest.map((c): [ColumnInfo, ColumnInfo] => [c, target]));
  categorical.forEach((c, i) => push(out, c.name, 'cramers-v', known[i] !== undefined ? known[i] : (measured[rest.indexOf(c)] ?? null)));
  const rows = targetView.count + targetView.missing;
  const sampled = positive !== null && rows > SAMPLE_ROWS;
  // Above SAMPLE_ROWS rows, every AUC comes from the shared sample (sampled.ts) rather than a ranking per column.
  const sample = sampled ? shared.sample() : null;
  const aucs = sample !== null ? sample.auc(numeric) : numeric.map((c) => (positive === null ? null : univariateAuc(conn, source, c, target, positive.value)));
  numeric.forEach((c, i) => {
    const auc = aucs[i] ?? null;
    if (positive === null) push(out, c.name, 'eta', correlationRatio(conn, source, c, target));
    else if (auc !== null) out.push({ column: c.name, measure: 'auc', value: auc, strength: Math.abs(2 * auc - 1) });
  });
  return {
    column: targetName,
    kind: 'classes',
    classes,
    positive,
    imbalance: imbalanceNote(targetName, classes),
    features: strongestFirst(out),
    ...(sample !== null ? { sampledRows: sample.rows } : {}),
  };
}

function push(out: FeatureAssociation[], column: string, measure: 'cramers-v' | 'eta', value: number | null): void {
  if (value !== null) out.push({ column, measure, value, strength: value });
}

function strongestFirst(features: FeatureAssociation[]): FeatureAssociation[] {
  return features.sort((a, b) => b.strength - a.strength || a.column.localeCompare(b.column));
}

/** Every class with its count and share, most common first (the first SHOWN_CLASSES of them). */
export function classBalance(conn: DuckDBConnection, source: ProfileSource, target: ColumnInfo): ClassShare[] {
  const rows = queryRows(
    conn,
    `SELECT ${textExpr(target)} AS v, count(*) AS n FROM ${source.from} WHERE v IS NOT NULL GROUP BY v ORDER BY n DESC, v`,
  );
  const total = rows.reduce((sum, [, n]) => sum + (num(n) ?? 0), 0);
  return rows.slice(0, SHOWN_CLASSES).map(([v, n]) => ({ value: String(v), count: num(n) ?? 0, share: (num(n) ?? 0) / Math.max(total, 1) }));
}

/** Why the balance needs care: the smallest class under 30% of rows, or the largest over 3 times the smallest. */
export function imbalanceNote(target: string, classes: ClassShare[]): string | null {
  if (classes.length < 2) return null;
  const major = classes[0]!;
  const minor = classes[classes.length - 1]!;
  const ratio = major.count / Math.max(minor.count, 1);
  if (minor.share >= 0.3 && ratio <= 3) return null;
  const pct = (s: number): string => `${(s * 100).toFixed(1)}%`;
  return (
    `${target} is imbalanced: "${minor.value}" is ${pct(minor.share)} of rows against ${pct(major.share)} for "${major.value}" (${ratio.toFixed(1)} to 1). ` +
    `Always predicting "${major.value}" would already be ${pct(major.share)} accurate, so judge models by ROC AUC, precision and recall, and stratify the split.`
  );
}
