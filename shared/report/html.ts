import type { ColumnProfile, QualityReport, TargetAnalysis } from '../data/report.js';
import { formatNumber, formatShare, measureName } from '../data/warnings.js';
import { barChart, escapeHtml as esc, heatmap, type Bar } from './svg.js';
import { formatBytes as bytes } from '../format.js';

/**
 * The quality report as one self-contained HTML page: inline CSS and SVG, no scripts, no external URLs. It holds
 * only the report's aggregates, so its size depends on the number of columns, never on the number of rows.
 */

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d2433;margin:0;background:#f6f7f9}
main{max-width:1080px;margin:0 auto;padding:24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 10px}h3{font-size:15px;margin:0 0 6px}
.muted{color:#5d6675}.facts{display:flex;flex-wrap:wrap;gap:8px 24px;margin:12px 0}
.facts div{background:#fff;border:1px solid #dde1e7;border-radius:6px;padding:8px 12px}.facts b{display:block;font-size:18px}
ul.warnings{list-style:none;padding:0}ul.warnings li{background:#fff;border-left:4px solid #9aa3b0;margin:6px 0;padding:8px 12px;border-radius:4px}
li.high{border-color:#c62828!important}li.medium{border-color:#ef8f00!important}li.low{border-color:#4f7bd9!important}
.sev{font-size:11px;text-transform:uppercase;letter-spacing:.04em;color:#5d6675;margin-right:6px}
table{border-collapse:collapse;background:#fff}td,th{border:1px solid #e3e6eb;padding:3px 8px;text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(340px,1fr));gap:12px}
.card{background:#fff;border:1px solid #dde1e7;border-radius:8px;padding:12px}.card table{font-size:12px;margin-top:6px}
.flag{display:inline-block;background:#fdecea;color:#8a1c1c;border-radius:10px;padding:0 8px;font-size:11px;margin-right:4px}
.kind{display:inline-block;background:#e8eefb;color:#23407a;border-radius:10px;padding:0 8px;font-size:11px}
svg text{font-size:10px;fill:#4a5261}svg.chart rect{fill:#4f7bd9}.heatmaps{display:flex;flex-wrap:wrap;gap:24px}
`;

export interface HtmlOptions {
  /** Shown in the heading, e.g. the dataset's file name. */
  title?: string;
  /** When the report was made, as text (the caller's clock; this module stays pure). */
  generatedAt?: string;
}

export function reportToHtml(report: QualityReport, opts: HtmlOptions = {}): string {
  const title = opts.title ?? report.table;
  const d = report.dataset;
  const facts: [string, string][] = [
    ['Rows', (d?.rows ?? 0).toLocaleString('en-US')],
    ['Columns', String(d?.columns ?? report.overview.length)],
    ['Duplicate rows', d === null ? '–' : d.duplicateRows.toLocaleString('en-US')],
    ['Missing cells', d === null ? '–' : d.missingCells.toLocaleString('en-US')],
    ['In memory', d === null ? '–' : bytes(d.memoryBytes)],
    ['On disk', d?.fileBytes === null || d === null ? '–' : bytes(d.fileBytes)],
  ];
  const parts = [
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">`,
    `<title>${esc(`Quality report: ${title}`)}</title><style>${CSS}</style></head><body><main>`,
    `<h1>Quality report: ${esc(title)}</h1>`,
    `<p class="muted">${report.partition === null ? 'All rows' : `Only the ${esc(report.partition)} partition`}${report.target === null ? '' : ` · target ${esc(report.target)}`}${opts.generatedAt === undefined ? '' : ` · made ${esc(opts.generatedAt)}`} · made by Orchard</p>`,
    `<div class="facts">${facts.map(([k, v]) => `<div>${esc(k)}<b>${esc(v)}</b></div>`).join('')}</div>`,
    warningsSection(report),
    report.targetAnalysis === null ? '' : targetSection(report.targetAnalysis),
    correlationSection(report),
    missingSection(report),
    `<h2>Columns</h2><div class="cards">${report.columns.filter(Boolean).map(columnCard).join('')}</div>`,
    `</main></body></html>`,
  ];
  return parts.join('\n');
}

function warningsSection(report: QualityReport): string {
  if (report.warnings.length === 0) return '<h2>Warnings</h2><p>Nothing stands out.</p>';
  const items = report.warnings.map((w) => `<li class="${w.severity}"><span class="sev">${esc(w.severity)}</span>${esc(w.message)}</li>`);
  return `<h2>Warnings (${report.warnings.length})</h2><ul class="warnings">${items.join('')}</ul>`;
}

function targetSection(t: TargetAnalysis): string {
  let out = `<h2>Target: ${esc(t.column)}</h2>`;
  if (t.classes !== null) {
    const bars: Bar[] = t.classes.map((c) => ({ label: c.value, count: c.count, title: `${c.value}: ${c.count} (${formatShare(c.share)})` }));
    out += barChart(bars, { vertical: false, width: 480 });
    out += `<p>${t.classes.map((c) => `${esc(c.value)}: ${esc(formatShare(c.share))}`).join(' · ')}</p>`;
  }
  if (t.imbalance !== null) out += `<p><b>Imbalance.</b> ${esc(t.imbalance)}</p>`;
  const rows = t.features.map(
    (f) => `<tr><td>${esc(f.column)}</td><td>${esc(measureName(f.measure))}</td><td class="n">${f.value.toFixed(3)}</td><td class="n">${f.strength.toFixed(3)}</td></tr>`,
  );
  const sampled = t.sampledRows === undefined ? '' : ` (AUC on a sample of ${t.sampledRows.toLocaleString('en-US')} rows)`;
  return `${out}<h3>Each column against ${esc(t.column)}${sampled}</h3><table><tr><th>Column</th><th>Measure</th><th>Value</th><th>Strength (0–1)</th></tr>${rows.join('')}</table>`;
}

function correlationSection(report: QualityReport): string {
  const c = report.correlations;
  if (c === null) return '';
  const maps = [
    ['Pearson', c.pearson],
    ['Spearman', c.spearman],
    ["Cramér's V", c.cramersV],
  ] as const;
  const shown = maps
    .filter(([, m]) => m !== null)
    .map(([name, m]) => `<div><h3>${esc(name)}${m!.approximate === true ? ' (on a sample of 200,000 rows)' : ''}</h3>${heatmap(m!)}</div>`);
  return shown.length === 0 ? '' : `<h2>Correlations</h2><div class="heatmaps">${shown.join('')}</div>`;
}

function missingSection(report: QualityReport): string {
  const patterns = report.dataset?.missingPatterns ?? [];
  if (patterns.length === 0) return '';
  const rows = patterns.map((p) => `<tr><td>${p.missing.length === 0 ? '<i>nothing missing</i>' : esc(p.missing.join(', '))}</td><td class="n">${p.rows.toLocaleString('en-US')}</td></tr>`);
  return `<h2>Missing together</h2><table><tr><th>Columns missing</th><th>Rows</th></tr>${rows.join('')}</table>`;
}

function columnCard(c: ColumnProfile): string {
  const flags = [
    c.flags.constant && 'constant',
    c.flags.nearConstant && 'near-constant',
    c.flags.highCardinality && 'high cardinality',
    c.flags.idLike && 'ID-like',
  ].filter((f): f is string => typeof f === 'string');
  const stats: [string, string][] = [
    ['Type', c.type],
    ['Missing', `${c.missing.toLocaleString('en-US')} (${formatShare(c.missingShare)})`],
    ['Distinct', c.unique.toLocaleString('en-US')],
  ];
  const s = c.numeric;
  if (s !== null) {
    stats.push(['Min / max', `${formatNumber(s.min)} / ${formatNumber(s.max)}`], ['Mean ± std', `${formatNumber(s.mean)} ± ${formatNumber(s.std)}`]);
    stats.push(['Median', formatNumber(s.median)], ['p01 · p25 · p75 · p99', [s.quantiles.p01, s.quantiles.p25, s.quantiles.p75, s.quantiles.p99].map(formatNumber).join(' · ')]);
    stats.push(['Skew', formatNumber(s.skew)], ['Zeros', s.zeros.toLocaleString('en-US')], ['IQR outliers', `${s.outliers.count.toLocaleString('en-US')} outside ${formatNumber(s.outliers.lowFence)} … ${formatNumber(s.outliers.highFence)}`]);
  }
  if (c.dateRange !== null) stats.push(['From / to', `${c.dateRange.min} / ${c.dateRange.max}`]);
  if (c.meanLength !== null) stats.push(['Mean length', formatNumber(c.meanLength)]);
  let chart = '';
  if (c.histogram !== null && c.kind !== 'date') {
    const bars = c.histogram.map((b) => ({ label: '', count: b.count, title: `${formatNumber(b.low)} – ${formatNumber(b.high)}: ${b.count}` }));
    chart = barChart(bars, { vertical: true, axis: [formatNumber(c.histogram[0]?.low), formatNumber(c.histogram.at(-1)?.high)] });
  } else if (c.topValues !== null) {
    const bars = c.topValues.values.slice(0, 10).map((v) => ({ label: v.value, count: v.count, title: `${v.value}: ${v.count}` }));
    if (c.topValues.other > 0) bars.push({ label: 'other', count: c.topValues.other, title: `other values: ${c.topValues.other}` });
    chart = barChart(bars, { vertical: false });
  }
  return (
    `<section class="card"><h3>${esc(c.name)} <span class="kind">${esc(c.kind)}</span></h3>` +
    `${flags.map((f) => `<span class="flag">${esc(f)}</span>`).join('')}${chart}` +
    `<table>${stats.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('')}</table></section>`
  );
}
