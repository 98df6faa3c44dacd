import { describe, expect, it } from 'vitest';
import { applyReportPart, emptyReport, type ColumnProfile, type QualityReport } from './report.js';
import { formatNumber, reportWarnings } from './warnings.js';

/** The warnings are a pure function of the report: the UI, the CLI and the HTML export say the same. */

function numeric(name: string, over: Partial<ColumnProfile> = {}): ColumnProfile {
  return {
    name, type: 'DOUBLE', kind: 'numeric', count: 1000, missing: 0, missingShare: 0, unique: 500,
    flags: { constant: false, nearConstant: false, highCardinality: false, idLike: false },
    numeric: {
      min: 0, max: 1000, mean: 20, median: 3, std: 90, skew: 6, zeros: 10, nonFinite: 0,
      quantiles: { p01: 0, p05: 0.5, p25: 1, p50: 3, p75: 8, p95: 40, p99: 900 },
      outliers: { count: 60, lowFence: -9.5, highFence: 18.5 },
    },
    histogram: Array.from({ length: 20 }, (_, i) => ({ low: i * 50, high: (i + 1) * 50, count: i === 0 ? 850 : i === 19 ? 10 : 7 + (i % 2) })),
    topValues: null, dateRange: null, meanLength: null,
    ...over,
  };
}

function reportOf(columns: ColumnProfile[], extra: Partial<QualityReport> = {}): QualityReport {
  return { ...emptyReport('t'), overview: columns, columns, ...extra };
}

describe('reportWarnings', () => {
  it('says where a concentrated numeric column sits: "85.4% of rows … within 50 of zero"', () => {
    const [w] = reportWarnings(reportOf([numeric('spend')]));
    expect(w).toMatchObject({ severity: 'low', code: 'skew', column: 'spend' });
    expect(w?.message).toBe("85.4% of rows have spend within 50 of zero, yet it reaches 1,000 (skew 6). A log or rank transform may suit linear models; check the tail for errors.");
  });

  it('does not call a spread-out column skewed', () => {
    const flat = numeric('x', { numeric: { ...numeric('x').numeric!, skew: 0.1 }, histogram: Array.from({ length: 20 }, (_, i) => ({ low: i * 50, high: (i + 1) * 50, count: 50 })) });
    expect(reportWarnings(reportOf([flat]))).toEqual([]);
  });

  it('flags constant, heavily missing and ID-like columns, and names that sound recorded after the outcome', () => {
    const flags = { constant: false, nearConstant: false, highCardinality: false, idLike: false };
    const columns: ColumnProfile[] = [
      { ...numeric('same'), unique: 1, flags: { ...flags, constant: true }, histogram: null },
      { ...numeric('gappy'), missing: 900, count: 100, missingShare: 0.9, histogram: null },
      { ...numeric('customer_id'), kind: 'id-like', unique: 1000, flags: { ...flags, idLike: true }, histogram: null },
      { ...numeric('call_duration'), histogram: null },
    ];
    const codes = reportWarnings(reportOf(columns, { target: 'y' })).map((w) => `${w.severity}:${w.code}:${w.column}`);
    expect(codes).toEqual(['high:missing:gappy', 'high:id-like:customer_id', 'medium:constant:same', 'medium:after-outcome:call_duration']);
  });

  it('calls a single column that predicts the target almost perfectly a leakage suspect', () => {
    const r = applyReportPart(reportOf([], { target: 'churn' }), {
      section: 'target',
      target: {
        column: 'churn', kind: 'classes', classes: null, positive: null, imbalance: null,
        features: [
          { column: 'refund', measure: 'auc', value: 0.01, strength: 0.98 },
          { column: 'plan', measure: 'cramers-v', value: 0.97, strength: 0.97 },
          { column: 'age', measure: 'auc', value: 0.7, strength: 0.4 },
        ],
      },
    });
    const leaks = reportWarnings(r).filter((w) => w.code === 'leakage');
    expect(leaks.map((w) => w.column)).toEqual(['refund', 'plan']);
    expect(leaks[0]?.message).toMatch(/^refund alone predicts churn almost perfectly \(a ROC AUC of 0\.010\)/);
  });

  it('formats numbers for reading', () => {
    expect([1234567, 0.000012, 3.14159, -2.5e10, null, Number.NaN].map(formatNumber)).toEqual(['1,234,567', '1.20e-5', '3.14', '-2.50e+10', '–', '–']);
  });
});
