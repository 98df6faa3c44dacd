import { useState } from 'react';
import { DEFAULT_FRACTIONS } from '../../../shared/data/split.js';
import type { ColumnInfo } from '../../../shared/schema/project.js';
import type { SplitDocument, SplitMethod, SplitSpec } from '../../../shared/schema/split.js';
import { useApp } from '../store/index.js';
import { ConfirmDialog } from './ConfirmDialog.js';

const PARTS = ['Train', 'Validation', 'Test'] as const;
const METHODS: { value: SplitMethod; label: string }[] = [
  { value: 'stratified', label: 'Stratified on the target' },
  { value: 'random', label: 'Random' },
  { value: 'time', label: 'By time (earliest rows train)' },
  { value: 'group', label: 'By group (no group in two partitions)' },
];
const count = new Intl.NumberFormat();
const percent = (x: number) => `${(x * 100).toFixed(1)}%`;

/** The Split view: make a train / validation / test split of the active dataset, or show the one it has. */
export function SplitPanel({ columns, split }: { columns: ColumnInfo[]; split: SplitDocument | null }) {
  return split === null ? <SplitForm columns={columns} /> : <SplitSummaryView split={split} />;
}

function SplitForm({ columns }: { columns: ColumnInfo[] }) {
  const create = useApp((s) => s.createSplit);
  const status = useApp((s) => s.splitStatus);
  const error = useApp((s) => s.splitError);
  const [method, setMethod] = useState<SplitMethod>('stratified');
  const [target, setTarget] = useState('');
  const [timeColumn, setTimeColumn] = useState('');
  const [groupColumn, setGroupColumn] = useState('');
  const [fractions, setFractions] = useState<string[]>(DEFAULT_FRACTIONS.map((f) => String(Math.round(f * 100))));
  const [seed, setSeed] = useState('42');
  const [gap, setGap] = useState('0');
  const [gapUnit, setGapUnit] = useState<'rows' | 'span'>('rows');
  const [problem, setProblem] = useState<string | null>(null);

  const submit = () => {
    const f = fractions.map((x) => Number(x) / 100) as [number, number, number];
    if (f.some((x) => !Number.isFinite(x)) || Math.abs(f[0] + f[1] + f[2] - 1) > 1e-6) {
      return setProblem('Train, validation and test must add up to 100%.');
    }
    const n = Number(seed);
    if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) return setProblem('The seed is a whole number from 0 to 4294967295.');
    const need = method === 'stratified' ? target : method === 'time' ? timeColumn : method === 'group' ? groupColumn : 'x';
    if (need === '') return setProblem('Choose the column this split needs.');
    const spec: SplitSpec = { method, fractions: f, seed: n };
    if (method === 'stratified' || (method === 'group' && target !== '')) spec.target = target;
    if (method === 'time') {
      spec.timeColumn = timeColumn;
      const g = Number(gap);
      if (g > 0) spec.gap = gapUnit === 'rows' ? { rows: Math.floor(g) } : { span: g };
    }
    if (method === 'group') spec.groupColumn = groupColumn;
    setProblem(null);
    void create(spec);
  };

  const columnSelect = (label: string, value: string, onChange: (v: string) => void, optional = false) => (
    <label className="split-field">
      {label}
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{optional ? '(none)' : 'Choose a column…'}</option>
        {columns.map((c) => (
          <option key={c.name} value={c.name}>
            {c.name}
          </option>
        ))}
      </select>
    </label>
  );

  return (
    <form className="split-form" aria-label="Make a split" onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}>
      <p className="muted">
        Keep validation and test rows apart before exploring: once a split exists, every view shows the training
        partition only, and the test rows stay unseen until the final evaluation.
      </p>
      <label className="split-field">
        Method
        <select value={method} onChange={(e) => setMethod(e.target.value as SplitMethod)}>
          {METHODS.map((m) => (
            <option key={m.value} value={m.value}>
              {m.label}
            </option>
          ))}
        </select>
      </label>
      {method === 'stratified' && columnSelect('Target column', target, setTarget)}
      {method === 'time' && columnSelect('Date or time column', timeColumn, setTimeColumn)}
      {method === 'group' && columnSelect('Group column (e.g. a customer ID)', groupColumn, setGroupColumn)}
      {method === 'group' && columnSelect('Balance classes of', target, setTarget, true)}
      <fieldset className="split-fractions">
        <legend>Partitions (%)</legend>
        {PARTS.map((p, i) => (
          <label key={p}>
            {p}
            <input type="number" min={0} max={100} value={fractions[i]} onChange={(e) => setFractions(fractions.map((x, k) => (k === i ? e.target.value : x)))} />
          </label>
        ))}
      </fieldset>
      {method !== 'time' && (
        <label className="split-field">
          Seed
          <input type="number" min={0} value={seed} onChange={(e) => setSeed(e.target.value)} />
        </label>
      )}
      {method === 'time' && (
        <label className="split-field">
          Gap before validation and test
          <span>
            <input type="number" min={0} value={gap} onChange={(e) => setGap(e.target.value)} aria-label="Gap size" />
            <select value={gapUnit} onChange={(e) => setGapUnit(e.target.value as 'rows' | 'span')} aria-label="Gap unit">
              <option value="rows">rows</option>
              <option value="span">days (or the column's units)</option>
            </select>
          </span>
        </label>
      )}
      <button type="submit" className="primary" disabled={status === 'running'}>
        {status === 'running' ? 'Splitting…' : 'Create split'}
      </button>
      {(problem ?? (status === 'failed' ? error : null)) && (
        <p className="inline-error" role="alert">
          {problem ?? error}
        </p>
      )}
    </form>
  );
}

function SplitSummaryView({ split }: { split: SplitDocument }) {
  const remove = useApp((s) => s.deleteSplit);
  const [confirming, setConfirming] = useState(false);
  const { counts, spec } = split;
  const parts = [counts.train, counts.validation, counts.test];
  const column = spec.target ?? spec.timeColumn ?? spec.groupColumn;
  return (
    <section className="split-summary" aria-label="Split">
      <p>
        <strong>{METHODS.find((m) => m.value === spec.method)?.label}</strong>
        {column && <> on {column}</>}, seed {spec.seed}, made {new Date(split.createdAt).toLocaleString()}.
      </p>
      <ul className="split-counts" data-testid="split-counts">
        {PARTS.map((p, i) => (
          <li key={p}>
            {p}: <strong>{count.format(parts[i]!)}</strong> rows ({percent(parts[i]! / Math.max(1, split.rows))})
          </li>
        ))}
        {counts.excluded > 0 && <li>Left out by the gap or with no time: {count.format(counts.excluded)}</li>}
      </ul>
      {split.classes && <ClassBars split={split} />}
      <button className="danger-quiet" onClick={() => setConfirming(true)}>
        Delete split
      </button>
      {confirming && (
        <ConfirmDialog
          title="Delete this split?"
          confirmLabel="Delete split"
          danger
          onCancel={() => setConfirming(false)}
          onConfirm={() => {
            setConfirming(false);
            void remove(split.id);
          }}
        >
          The test rows are unlocked, and any split made afterwards may mix them with rows you have already explored.
        </ConfirmDialog>
      )}
    </section>
  );
}

/** Class shares per partition as stacked bars: they should look alike when the split is stratified. */
function ClassBars({ split }: { split: SplitDocument }) {
  const classes = split.classes ?? [];
  return (
    <div className="class-bars" aria-label="Class proportions per partition">
      {PARTS.map((p, i) => {
        const total = classes.reduce((a, c) => a + c.counts[i]!, 0);
        return (
          <div key={p} className="class-bar-row">
            <span className="class-bar-label">{p}</span>
            <div className="class-bar" role="img" aria-label={`${p}: ${classes.map((c) => `${c.label} ${percent(c.counts[i]! / Math.max(1, total))}`).join(', ')}`}>
              {classes.map((c, k) => (
                <span key={c.label} className={`class-seg class-seg-${k % 8}`} style={{ width: percent(c.counts[i]! / Math.max(1, total)) }} title={`${c.label}: ${count.format(c.counts[i]!)}`} />
              ))}
            </div>
          </div>
        );
      })}
      <p className="class-legend">
        {classes.slice(0, 8).map((c, k) => (
          <span key={c.label}>
            <span className={`class-swatch class-seg-${k % 8}`} /> {c.label}
          </span>
        ))}
      </p>
    </div>
  );
}
