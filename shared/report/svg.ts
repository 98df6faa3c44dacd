import type { CorrelationMatrix } from '../data/report.js';

/** Small inline SVG charts for the exported report: plain markup, no scripts, every text escaped. */

export function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');
}

const fmt = (n: number): string => String(Math.round(n * 10) / 10);

export interface Bar {
  label: string;
  count: number;
  /** Shown in the bar's tooltip. */
  title: string;
}

/** Vertical bars (a histogram) when `vertical`, else horizontal bars with labels (top values, class balance). */
export function barChart(bars: Bar[], opts: { vertical: boolean; width?: number; axis?: [string, string] }): string {
  const max = Math.max(1, ...bars.map((b) => b.count));
  if (opts.vertical) {
    const width = opts.width ?? 320;
    const height = 110;
    const w = width / Math.max(bars.length, 1);
    const rects = bars
      .map((b, i) => {
        const h = (b.count / max) * (height - 14);
        return `<rect x="${fmt(i * w + 0.5)}" y="${fmt(height - 14 - h)}" width="${fmt(Math.max(w - 1, 0.5))}" height="${fmt(h)}"><title>${escapeHtml(b.title)}</title></rect>`;
      })
      .join('');
    const [lo, hi] = opts.axis ?? ['', ''];
    return (
      `<svg class="chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img">` +
      `${rects}<text x="0" y="${height - 2}">${escapeHtml(lo)}</text><text x="${width}" y="${height - 2}" text-anchor="end">${escapeHtml(hi)}</text></svg>`
    );
  }
  const width = opts.width ?? 320;
  const row = 16;
  const labelWidth = 120;
  const height = row * bars.length + 2;
  const items = bars
    .map((b, i) => {
      const w = (b.count / max) * (width - labelWidth - 50);
      const y = i * row + 1;
      const label = b.label.length > 18 ? `${b.label.slice(0, 17)}…` : b.label;
      return (
        `<text x="${labelWidth - 4}" y="${y + 11}" text-anchor="end">${escapeHtml(label)}</text>` +
        `<rect x="${labelWidth}" y="${y + 2}" width="${fmt(Math.max(w, 0.5))}" height="${row - 4}"><title>${escapeHtml(b.title)}</title></rect>` +
        `<text x="${fmt(labelWidth + w + 4)}" y="${y + 11}">${b.count.toLocaleString('en-US')}</text>`
      );
    })
    .join('');
  return `<svg class="chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img">${items}</svg>`;
}

/** Blue for positive, red for negative, white at zero; grey for no value. */
export function heatColor(value: number | null): string {
  if (value === null) return '#eeeeee';
  const v = Math.max(-1, Math.min(1, value));
  const t = Math.abs(v);
  const mix = (to: number): number => Math.round(255 + (to - 255) * t);
  return v >= 0 ? `rgb(${mix(33)},${mix(102)},${mix(172)})` : `rgb(${mix(178)},${mix(24)},${mix(43)})`;
}

export function heatmap(matrix: CorrelationMatrix): string {
  const n = matrix.columns.length;
  const cell = Math.max(10, Math.min(28, Math.floor(520 / Math.max(n, 1))));
  const label = 130;
  const size = label + n * cell;
  const names = matrix.columns.map((c) => (c.length > 20 ? `${c.slice(0, 19)}…` : c));
  let out = `<svg class="heatmap" viewBox="0 0 ${size} ${size}" width="${size}" height="${size}" role="img">`;
  names.forEach((name, i) => {
    out += `<text x="${label - 4}" y="${label + i * cell + cell * 0.7}" text-anchor="end">${escapeHtml(name)}</text>`;
    out += `<text transform="translate(${label + i * cell + cell * 0.7},${label - 4}) rotate(-60)">${escapeHtml(name)}</text>`;
  });
  matrix.values.forEach((row, i) =>
    row.forEach((v, j) => {
      const title = `${matrix.columns[i]} × ${matrix.columns[j]}: ${v === null ? 'no value' : v.toFixed(3)}`;
      out += `<rect x="${label + j * cell}" y="${label + i * cell}" width="${cell - 1}" height="${cell - 1}" fill="${heatColor(v)}"><title>${escapeHtml(title)}</title></rect>`;
    }),
  );
  return `${out}</svg>`;
}
