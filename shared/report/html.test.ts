import { describe, expect, it } from 'vitest';
import { emptyReport, type ColumnProfile, type QualityReport } from '../data/report.js';
import { reportWarnings } from '../data/warnings.js';
import { reportToHtml } from './html.js';

/** The exported page: self-contained, escaped, and sized by the columns, never by the rows. */

function column(name: string, rows: number, i: number): ColumnProfile {
  const numeric = i % 2 === 0;
  return {
    name,
    type: numeric ? 'DOUBLE' : 'VARCHAR',
    kind: numeric ? 'numeric' : 'categorical',
    count: rows - 10,
    missing: 10,
    missingShare: 10 / rows,
    unique: numeric ? rows / 2 : 5,
    flags: { constant: false, nearConstant: false, highCardinality: false, idLike: false },
    numeric: numeric
      ? {
          min: 0, max: rows, mean: rows / 2, median: rows / 2, std: rows / 4, skew: 0.1, zeros: 1, nonFinite: 0,
          quantiles: { p01: 1, p05: 5, p25: 25, p50: 50, p75: 75, p95: 95, p99: 99 },
          outliers: { count: 3, lowFence: -50, highFence: 150 },
        }
      : null,
    histogram: numeric ? Array.from({ length: 50 }, (_, b) => ({ low: b, high: b + 1, count: Math.round(rows / 50) })) : null,
    topValues: numeric ? null : { values: ['a', 'b', 'c', 'd', '<img src=x onerror=alert(1)>'].map((value) => ({ value, count: Math.round(rows / 5) })), other: 0 },
    dateRange: null,
    meanLength: numeric ? null : 3,
  };
}

function report(rows: number, columns: number): QualityReport {
  const cols = Array.from({ length: columns }, (_, i) => column(i === 1 ? '<script>alert("x")</script>' : `col_${i}`, rows, i));
  const names = cols.map((c) => c.name);
  const r: QualityReport = {
    ...emptyReport('t'),
    target: names[1]!,
    overview: cols,
    columns: cols,
    dataset: { rows, columns, duplicateRows: 7, memoryBytes: rows * 80, fileBytes: rows * 60, missingCells: 10 * columns, missingPatterns: [{ missing: [names[1]!], rows: 10 }] },
    correlations: { pearson: { method: 'pearson', columns: names.slice(0, 30), values: names.slice(0, 30).map((_a, i) => names.slice(0, 30).map((_b, j) => (i === j ? 1 : 0.5))) }, spearman: null, cramersV: null },
    targetAnalysis: {
      column: names[1]!, kind: 'classes', positive: { value: 'b', count: 10, share: 0.1 }, imbalance: 'Imbalanced & "rare" <b>',
      classes: [{ value: 'a', count: 90, share: 0.9 }, { value: 'b', count: 10, share: 0.1 }],
      features: [{ column: 'col_0', measure: 'auc', value: 0.99, strength: 0.98 }],
    },
  };
  return { ...r, warnings: reportWarnings(r) };
}

describe('reportToHtml', () => {
  it('escapes every name and value, and needs no script or outside resource', () => {
    const html = reportToHtml(report(1000, 6), { title: 'a<b>.csv' });
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).toContain('Quality report: a&lt;b&gt;.csv');
    expect(html).toContain('Imbalanced &amp; &quot;rare&quot; &lt;b&gt;');
    expect(html).not.toMatch(/<script|https?:\/\/|<link|@import|<[^>]*\s(src|href)=/i);
    expect(html).toContain('col_0 alone predicts');
  });

  it('stays the same size for a thousand rows or a billion, and small for 60 columns', () => {
    const small = reportToHtml(report(1000, 60));
    const huge = reportToHtml(report(1_000_000_000, 60));
    expect(Math.abs(huge.length - small.length)).toBeLessThan(small.length * 0.1);
    expect(huge.length).toBeLessThan(400_000);
    expect(huge).toContain('<b>1,000,000,000</b>');
  });
});
