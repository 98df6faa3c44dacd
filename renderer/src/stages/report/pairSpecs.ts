import type { VisualizationSpec } from 'vega-embed';
import type { PairPlot } from '../../../../shared/protocol/report.js';

/**
 * vega-lite specs for two columns against each other, from the worker's `pairPlot` answer only: points of a
 * bounded sample, box-plot aggregates drawn as layered rule + bar + tick (never vega-lite's boxplot transform,
 * which needs every row), or counts as stacked bars.
 */

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const CONFIG = { view: { stroke: null }, axis: { labelFontSize: 10, titleFontSize: 11 }, background: 'transparent' } as const;
const MISSING = '(missing)';

type Scatter = Extract<PairPlot, { kind: 'scatter' }>;
type Boxes = Extract<PairPlot, { kind: 'box' }>;
type Counts = Extract<PairPlot, { kind: 'counts' }>;

export function pairSpec(plot: PairPlot): VisualizationSpec {
  if (plot.kind === 'scatter') return scatterSpec(plot);
  if (plot.kind === 'box') return boxSpec(plot);
  return countsSpec(plot);
}

function scatterSpec(plot: Scatter): VisualizationSpec {
  const values = plot.points.map((p) => ({ x: p.x, y: p.y, color: p.color ?? (plot.colorType === 'nominal' ? MISSING : null) }));
  const axis = (date: boolean) => (date ? 'temporal' : 'quantitative');
  const color = plot.color === null ? {} : { color: { field: 'color', type: plot.colorType ?? 'nominal', title: plot.color } };
  return {
    $schema: SCHEMA,
    width: 520,
    height: 320,
    data: { values },
    mark: { type: 'point', filled: true, size: 14, opacity: 0.55 },
    encoding: {
      x: { field: 'x', type: axis(plot.xDate), title: plot.x, scale: { zero: false } },
      y: { field: 'y', type: axis(plot.yDate), title: plot.y, scale: { zero: false } },
      ...color,
      tooltip: [
        { field: 'x', type: axis(plot.xDate), title: plot.x },
        { field: 'y', type: axis(plot.yDate), title: plot.y },
        ...(plot.color === null ? [] : [{ field: 'color', type: plot.colorType ?? 'nominal', title: plot.color }]),
      ],
    },
    config: CONFIG,
  } as VisualizationSpec;
}

function boxSpec(plot: Boxes): VisualizationSpec {
  const coloured = plot.color !== null;
  const label = (c: string | null) => c ?? MISSING;
  const values = plot.boxes.map((b) => ({ ...b, color: label(b.color), outliers: undefined }));
  const outliers = plot.boxes.flatMap((b) => b.outliers.map((v) => ({ category: b.category, color: label(b.color), value: v })));
  const categories = [...new Set(plot.boxes.map((b) => b.category))];
  // The category runs along one axis, the values along the other; colour classes sit side by side in a category.
  const [cat, val] = plot.categoryAxis === 'x' ? (['x', 'y'] as const) : (['y', 'x'] as const);
  const valueTitle = plot.categoryAxis === 'x' ? plot.y : plot.x;
  const shared = {
    [cat]: { field: 'category', type: 'nominal', sort: categories, title: plot.categoryAxis === 'x' ? plot.x : plot.y, axis: { labelLimit: 120 } },
    ...(coloured ? { [`${cat}Offset`]: { field: 'color', type: 'nominal' }, color: { field: 'color', type: 'nominal', title: plot.color } } : {}),
  };
  const position = (from: string, to?: string) => ({
    [val]: { field: from, type: 'quantitative', title: valueTitle, scale: { zero: false } },
    ...(to === undefined ? {} : { [`${val}2`]: { field: to } }),
  });
  const tooltip = [
    { field: 'category', type: 'nominal', title: 'category' },
    ...(coloured ? [{ field: 'color', type: 'nominal', title: plot.color }] : []),
    ...(['count', 'min', 'lowerWhisker', 'q1', 'median', 'q3', 'upperWhisker', 'max', 'outlierCount'] as const).map((field) => ({ field, type: 'quantitative', title: field })),
  ];
  const size = coloured ? 10 : 18;
  return {
    $schema: SCHEMA,
    width: plot.categoryAxis === 'x' ? { step: coloured ? 44 : 36 } : 480,
    height: plot.categoryAxis === 'x' ? 300 : { step: coloured ? 36 : 24 },
    layer: [
      { data: { values }, mark: { type: 'rule' }, encoding: { ...shared, ...position('lowerWhisker', 'upperWhisker'), color: coloured ? shared.color : { value: '#555' } } },
      { data: { values }, mark: { type: 'bar', size }, encoding: { ...shared, ...position('q1', 'q3'), tooltip, ...(coloured ? {} : { color: { value: '#4f7bd9' } }) } },
      { data: { values }, mark: { type: 'tick', color: '#111', size, thickness: 2 }, encoding: { ...shared, ...position('median'), color: { value: '#111' }, tooltip } },
      {
        data: { values: outliers },
        mark: { type: 'point', size: 12, opacity: 0.6 },
        encoding: { ...shared, ...position('value'), tooltip: [{ field: 'category', type: 'nominal' }, { field: 'value', type: 'quantitative', title: valueTitle }] },
      },
    ],
    config: CONFIG,
  } as VisualizationSpec;
}

function countsSpec(plot: Counts): VisualizationSpec {
  const xs = [...new Set(plot.cells.map((c) => c.x))];
  const ys = [...new Set(plot.cells.map((c) => c.y))];
  return {
    $schema: SCHEMA,
    width: { step: 28 },
    height: 280,
    data: { values: plot.cells },
    mark: { type: 'bar' },
    encoding: {
      x: { field: 'x', type: 'nominal', sort: xs, title: plot.x, axis: { labelAngle: -40, labelLimit: 120 } },
      y: { field: 'count', type: 'quantitative', title: 'rows', stack: 'zero' },
      color: { field: 'y', type: 'nominal', sort: ys, title: plot.y, scale: { scheme: ys.length > 10 ? 'category20' : 'tableau10' } },
      tooltip: [
        { field: 'x', type: 'nominal', title: plot.x },
        { field: 'y', type: 'nominal', title: plot.y },
        { field: 'count', type: 'quantitative', title: 'rows' },
      ],
    },
    config: CONFIG,
  } as VisualizationSpec;
}
