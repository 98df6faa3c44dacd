import type { VisualizationSpec } from 'vega-embed';
import type { ColumnProfile, CorrelationMatrix } from '../../../../shared/data/report.js';

/** vega-lite specs for the report's charts, from the report's aggregates only. */

const CONFIG = { view: { stroke: null }, axis: { labelFontSize: 10, titleFontSize: 11 }, background: 'transparent' } as const;

/** A histogram from the column's bins: clicking a bar selects `{ index, low, high }`. */
export function histogramSpec(column: ColumnProfile, width = 260): VisualizationSpec | null {
  const bins = column.histogram;
  if (bins === null || bins.length === 0) return null;
  const date = column.kind === 'date';
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width,
    height: 90,
    data: { values: bins.map((b, index) => ({ index, low: b.low, high: b.high, count: b.count })) },
    mark: { type: 'bar', cursor: 'pointer', color: '#4f7bd9' },
    encoding: {
      x: { field: 'low', type: date ? 'temporal' : 'quantitative', bin: { binned: true }, title: null },
      x2: { field: 'high' },
      y: { field: 'count', type: 'quantitative', title: null },
      tooltip: [
        { field: 'low', type: date ? 'temporal' : 'quantitative', title: 'from' },
        { field: 'high', type: date ? 'temporal' : 'quantitative', title: 'to' },
        { field: 'count', type: 'quantitative', title: 'rows' },
      ],
    },
    config: CONFIG,
  } as VisualizationSpec;
}

/** Bars of the most common values (and "other"): clicking one selects `{ value }`. */
export function topValuesSpec(values: { value: string; count: number; other?: boolean }[], width = 220): VisualizationSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width,
    height: { step: 14 },
    data: { values },
    mark: { type: 'bar', cursor: 'pointer', color: '#4f7bd9' },
    encoding: {
      y: { field: 'value', type: 'nominal', sort: null, title: null, axis: { labelLimit: 110 } },
      x: { field: 'count', type: 'quantitative', title: null },
      tooltip: [
        { field: 'value', type: 'nominal' },
        { field: 'count', type: 'quantitative', title: 'rows' },
      ],
    },
    config: CONFIG,
  } as VisualizationSpec;
}

/** The correlation heatmap: clicking a cell selects `{ a, b, value }`. */
export function heatmapSpec(matrix: CorrelationMatrix): VisualizationSpec {
  const cells = matrix.columns.flatMap((a, i) => matrix.columns.map((b, j) => ({ a, b, value: matrix.values[i]![j] ?? null, shown: formatCell(matrix.values[i]![j] ?? null) })));
  const signed = matrix.method !== 'cramers-v';
  const size = Math.max(12, Math.min(32, Math.floor(520 / matrix.columns.length)));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: { step: size },
    height: { step: size },
    data: { values: cells },
    encoding: {
      x: { field: 'b', type: 'nominal', sort: matrix.columns, title: null, axis: { labelAngle: -50, labelLimit: 120 } },
      y: { field: 'a', type: 'nominal', sort: matrix.columns, title: null, axis: { labelLimit: 120 } },
    },
    layer: [
      {
        mark: { type: 'rect', cursor: 'pointer' },
        encoding: {
          color: {
            field: 'value',
            type: 'quantitative',
            scale: signed ? { domain: [-1, 1], scheme: 'redblue' } : { domain: [0, 1], scheme: 'blues' },
            title: null,
          },
          tooltip: [
            { field: 'a', type: 'nominal', title: 'row' },
            { field: 'b', type: 'nominal', title: 'column' },
            { field: 'shown', type: 'nominal', title: 'value' },
          ],
        },
      },
      ...(size >= 24 ? [{ mark: { type: 'text' as const, fontSize: 9 }, encoding: { text: { field: 'shown', type: 'nominal' as const } } }] : []),
    ],
    config: CONFIG,
  } as VisualizationSpec;
}

function formatCell(value: number | null): string {
  return value === null ? '–' : value.toFixed(2);
}
