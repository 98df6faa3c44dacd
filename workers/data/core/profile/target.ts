import type { DuckDBConnection } from '@duckdb/duckdb-wasm/blocking';
import type { ClassShare, ColumnOverview, FeatureAssociation, TargetAnalysis } from '../../../../shared/data/report.js';
import type { ColumnInfo } from '../../../../shared/schema/project.js';
import { correlationRatio, cramersVPairs, pearsonPairs, spearmanPairs, univariateAuc } from './associations.js';
import { SAMPLE_ROWS, sampledAuc } from './sampled.js';
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

export function targetAnalysis(conn: DuckDBConnection, source: ProfileSource, columns: ColumnInfo[], overview: ColumnOverview[], targetName: string): TargetAnalysis {
  const index = columns.findIndex((c) => c.name === targetName);
  const target = columns[index]!;
  const targetView = overview[index]!;
  const features = columns
    .map((c, i) => ({ c, o: overview[i]! }))
    .filter(({ c, o }) => c.name !== targetName && o.unique > 1 && o.kind !== 'id-like' && o.kind !== 'text' && o.kind !== 'date');
  const missing = (c: ColumnInfo): boolean => (overview.find((o) => o.name === c.name)?.missing ?? 0) > 0;
  const categorical = features.filter(({ o }) => (o.kind === 'categorical' || o.kind === 'boolean') && o.unique <= MAX_FEATURE_CATEGORIES).map(({ c }) => c);
  const numeric = features.filter(({ o }) => o.kind === 'numeric').map(({ c }) => c);
  const out: FeatureAssociation[] = [];

  if (!isClassTarget(target, targetView)) {
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

  const classes = classBalance(conn, source, target);
  const binary = classes.length === 2;
  const positive = binary ? classes[1]! : null;
  const cramers = cramersVPairs(conn, source, categorical.map((c): [ColumnInfo, ColumnInfo] => [c, target]));
  categorical.forEach((c, i) => push(out, c.name, 'cramers-v', cramers[i] ?? null));
  const rows = targetView.count + targetView.missing;
  const sampled = positive !== null && rows > SAMPLE_ROWS;
  // Above SAMPLE_ROWS rows, every AUC comes from one seeded sample (sampled.ts) rather than a ranking per column.
  const aucs = sampled ? sampledAuc(conn, source, numeric, target, positive.value) : numeric.map((c) => (positive === null ? null : univariateAuc(conn, source, c, target, positive.value)));
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
    ...(sampled ? { sampledRows: SAMPLE_ROWS } : {}),
  };
}

function push(out: FeatureAssociation[], column: string, measure: 'cramers-v' | 'eta', value: number | null): void {
  if (value !== null) out.push({ column, measure, value, strength: value });
}

function strongestFirst(features: FeatureAssociation[]): FeatureAssociation[] {
  return features.sort((a, b) => b.strength - a.strength || a.column.localeCompare(b.column));
}

function classBalance(conn: DuckDBConnection, source: ProfileSource, target: ColumnInfo): ClassShare[] {
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
