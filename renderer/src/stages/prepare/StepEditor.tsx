import { useState } from 'react';
import {
  DATE_PARTS,
  describeStep,
  parseExpression,
  ROLLING_STATS,
  validateStep,
  type ColumnInfo,
  type ColumnType,
  type PipelineStep,
  type Selector,
} from '../../../../shared/ml/pipeline/index.js';
import { messageOf } from '../../store/status.js';
import { parseIntList, recipeOf, recipeType, RECIPES } from './edit.js';

const TYPE_WORDS: Record<ColumnType, string> = { number: 'number', category: 'category', text: 'text', datetime: 'date' };

interface Props {
  /** The step as it is (editing) or a fresh one (adding). */
  initial: PipelineStep;
  columns: ColumnInfo[];
  mode: 'add' | 'edit';
  onDone(step: PipelineStep): void;
  onCancel(): void;
}

type Loose = Record<string, unknown>;

/** The form of one step: its columns and its options, checked before it is kept. */
export function StepEditor({ initial, columns, mode, onDone, onCancel }: Props) {
  const [draft, setDraft] = useState<Loose>(() => ({ ...(initial as unknown as Loose) }));
  const [problem, setProblem] = useState<string | null>(null);
  const step = draft as unknown as PipelineStep;
  const recipe = recipeOf(step);
  const label = RECIPES.find((r) => r.recipe === recipe)?.label ?? recipe;
  const set = (patch: Loose) => {
    setDraft((d) => {
      const next = { ...d, ...patch };
      for (const [k, v] of Object.entries(patch)) if (v === undefined) delete next[k];
      return next;
    });
    setProblem(null);
  };

  const submit = () => {
    try {
      const checked = validateStep(draft, 'step');
      if (checked.kind === 'derive') parseExpression(checked.expression);
      if ('columns' in checked && Array.isArray(checked.columns) && checked.columns.length === 0) throw new Error('Choose at least one column.');
      if (checked.kind === 'lag' && checked.orderBy === '') throw new Error('Choose the column that orders the rows in time.');
      onDone(checked);
    } catch (err) {
      setProblem(messageOf(err));
    }
  };

  const num = (key: string, text: string, opts: { min?: number; max?: number; step?: string; optional?: boolean } = {}) => (
    <label className="field">
      {text}
      <input
        type="number"
        min={opts.min}
        max={opts.max}
        step={opts.step ?? 'any'}
        value={typeof draft[key] === 'number' ? String(draft[key]) : ''}
        onChange={(e) => set({ [key]: e.target.value === '' ? undefined : Number(e.target.value) })}
      />
    </label>
  );
  const choice = (key: string, text: string, options: readonly (readonly [string, string])[]) => (
    <label className="field">
      {text}
      <select value={String(draft[key] ?? '')} onChange={(e) => set({ [key]: e.target.value })}>
        {options.map(([value, words]) => (
          <option key={value} value={value}>
            {words}
          </option>
        ))}
      </select>
    </label>
  );
  const columnSelect = (key: string, text: string, optional: boolean) => (
    <label className="field">
      {text}
      <select value={String(draft[key] ?? '')} onChange={(e) => set({ [key]: e.target.value === '' && optional ? undefined : e.target.value })}>
        <option value="">{optional ? '(none)' : 'Choose a column…'}</option>
        {columns.map((c) => (
          <option key={c.name} value={c.name}>
            {c.name}
          </option>
        ))}
      </select>
    </label>
  );
  const checks = (key: string, text: string, all: readonly string[], fallback: readonly string[]) => {
    const chosen = (draft[key] as string[] | undefined) ?? fallback;
    return (
      <fieldset className="field inline-checks">
        <legend>{text}</legend>
        {all.map((x) => (
          <label key={x} className="check">
            <input type="checkbox" checked={chosen.includes(x)} onChange={(e) => set({ [key]: e.target.checked ? [...chosen, x] : chosen.filter((y) => y !== x) })} />
            {x}
          </label>
        ))}
      </fieldset>
    );
  };
  const intList = (key: string, text: string) => <IntListField key={key} label={text} value={(draft[key] as number[] | undefined) ?? []} onChange={(v) => set({ [key]: v })} />;

  const preview = sentenceOf(draft);

  return (
    <form
      className="step-editor panel"
      aria-label={mode === 'add' ? `Add step: ${label}` : `Edit step: ${label}`}
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onCancel();
      }}
    >
      <h3>{label}</h3>
      {'columns' in step && <ColumnsField selector={step.columns} columns={columns} type={recipeType(recipe)} onChange={(columns) => set({ columns })} />}
      {recipe === 'impute' && (
        <div className="field-row">
          {choice('strategy', 'Fill with', [
            ['median', 'the median (numbers)'],
            ['mean', 'the mean (numbers)'],
            ['most_frequent', 'the most frequent value'],
            ['constant', 'a constant'],
          ])}
          {draft.strategy === 'constant' && (
            <label className="field">
              Constant
              <input value={draft.fillValue === undefined ? '' : String(draft.fillValue)} onChange={(e) => set({ fillValue: e.target.value === '' ? undefined : Number.isFinite(Number(e.target.value)) ? Number(e.target.value) : e.target.value })} />
            </label>
          )}
          <label className="check">
            <input type="checkbox" checked={draft.indicator === true} onChange={(e) => set({ indicator: e.target.checked })} />
            Add a column marking missing values
          </label>
        </div>
      )}
      {recipe === 'onehot' && (
        <div className="field-row">
          {num('minFrequency', 'Group categories rarer than (share or count)', { min: 0 })}
          {num('maxCategories', 'At most this many columns per category column', { min: 1, step: '1' })}
          {choice('unknown', 'Categories not seen in training', [
            ['infrequent', 'count as infrequent'],
            ['ignore', 'all zeros'],
          ])}
        </div>
      )}
      {recipe === 'target' && (
        <div className="field-row">
          <label className="field">
            Smoothing (auto or m)
            <input value={String(draft.smoothing ?? 'auto')} onChange={(e) => set({ smoothing: e.target.value === 'auto' || e.target.value === '' ? 'auto' : Number(e.target.value) })} />
          </label>
          {num('folds', 'Out-of-fold folds', { min: 2, max: 100, step: '1' })}
        </div>
      )}
      {recipe === 'scale' &&
        choice('method', 'Scale to', [
          ['standard', 'mean 0, standard deviation 1'],
          ['minmax', 'the range 0 to 1'],
          ['robust', 'median 0, interquartile range 1'],
        ])}
      {recipe === 'clip' && (
        <div className="field-row">
          {num('lower', 'Lower quantile', { min: 0, max: 1 })}
          {num('upper', 'Upper quantile', { min: 0, max: 1 })}
        </div>
      )}
      {recipe === 'bins' && (
        <div className="field-row">
          {choice('strategy', 'Bins', [
            ['quantile', 'equally filled (quantiles)'],
            ['uniform', 'equally wide'],
          ])}
          {num('bins', 'How many', { min: 2, max: 10000, step: '1' })}
        </div>
      )}
      {recipe === 'dateparts' && checks('parts', 'Parts', DATE_PARTS, DATE_PARTS)}
      {recipe === 'derive' && (
        <div className="field-row">
          <label className="field">
            New column name
            <input value={String(draft.name ?? '')} onChange={(e) => set({ name: e.target.value })} />
          </label>
          <label className="field grow">
            Expression (+ − * / ^, log, exp, sqrt, abs, min, max, if; quote names with spaces)
            <input value={String(draft.expression ?? '')} onChange={(e) => set({ expression: e.target.value })} />
          </label>
        </div>
      )}
      {recipe === 'lag' && (
        <>
          <div className="field-row">
            {columnSelect('orderBy', 'Ordered by (time)', false)}
            {columnSelect('groupBy', 'Within each (optional)', true)}
          </div>
          <div className="field-row">
            {intList('lags', 'Lags (rows back)')}
            {intList('windows', 'Rolling windows (rows)')}
          </div>
          {checks('stats', 'Rolling statistics', ROLLING_STATS, ['mean'])}
        </>
      )}
      {recipe === 'tfidf' && (
        <div className="field-row">
          {choice('analyzer', 'Terms', [
            ['word', 'words'],
            ['char', 'characters'],
            ['char_wb', 'characters within words'],
          ])}
          <label className="field">
            n-grams from
            <input type="number" min={1} max={20} value={(draft.ngram as number[] | undefined)?.[0] ?? 1} onChange={(e) => set({ ngram: [Number(e.target.value), (draft.ngram as number[] | undefined)?.[1] ?? 1] })} />
          </label>
          <label className="field">
            to
            <input type="number" min={1} max={20} value={(draft.ngram as number[] | undefined)?.[1] ?? 1} onChange={(e) => set({ ngram: [(draft.ngram as number[] | undefined)?.[0] ?? 1, Number(e.target.value)] })} />
          </label>
          {num('maxFeatures', 'Most frequent terms kept', { min: 1, step: '1' })}
        </div>
      )}
      {recipe === 'variance' && num('threshold', 'Drop when the training variance is at most', { min: 0 })}
      {recipe === 'mutual_info' && num('k', 'Keep how many', { min: 1, step: '1' })}
      {preview !== null && (
        <p className="muted" data-testid="step-sentence">
          {preview}
        </p>
      )}
      {problem && (
        <p className="inline-error" role="alert">
          {problem}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="primary">
          {mode === 'add' ? 'Add step' : 'Save step'}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** The step's sentence while its options are valid; null while they are not. */
function sentenceOf(draft: Loose): string | null {
  try {
    return describeStep(validateStep(draft, 'step'));
  } catch {
    return null;
  }
}

/** Every column of a type, or the chosen ones. */
function ColumnsField({ selector, columns, type, onChange }: { selector: Selector; columns: ColumnInfo[]; type: ColumnType; onChange(s: Selector): void }) {
  const byType = !Array.isArray(selector);
  const shownType = byType ? selector.type : type;
  const chosen = Array.isArray(selector) ? selector : [];
  return (
    <fieldset className="field columns-field">
      <legend>Columns</legend>
      <div className="field-row">
        <label className="check">
          <input type="radio" name="columns-mode" checked={byType} onChange={() => onChange({ type: shownType })} />
          Every
        </label>
        <select aria-label="Column type" value={shownType} disabled={!byType} onChange={(e) => onChange({ type: e.target.value as ColumnType })}>
          {(Object.keys(TYPE_WORDS) as ColumnType[]).map((t) => (
            <option key={t} value={t}>
              {TYPE_WORDS[t]} column
            </option>
          ))}
        </select>
        <label className="check">
          <input type="radio" name="columns-mode" checked={!byType} onChange={() => onChange(columns.filter((c) => c.type === shownType).map((c) => c.name))} />
          These columns:
        </label>
      </div>
      {!byType && (
        <select
          multiple
          aria-label="Chosen columns"
          size={Math.min(8, Math.max(3, columns.length))}
          value={chosen}
          onChange={(e) => onChange(Array.from(e.target.selectedOptions, (o) => o.value))}
        >
          {columns.map((c) => (
            <option key={c.name} value={c.name}>
              {c.name} ({TYPE_WORDS[c.type]})
            </option>
          ))}
        </select>
      )}
    </fieldset>
  );
}

function IntListField({ label, value, onChange }: { label: string; value: number[]; onChange(v: number[]): void }) {
  const [text, setText] = useState(value.join(', '));
  const parsed = parseIntList(text);
  return (
    <label className="field">
      {label}
      <input
        value={text}
        aria-invalid={parsed === null}
        onChange={(e) => {
          setText(e.target.value);
          const list = parseIntList(e.target.value);
          if (list !== null) onChange(list);
        }}
      />
    </label>
  );
}
