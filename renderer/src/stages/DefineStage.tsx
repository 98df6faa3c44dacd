import { useEffect, useMemo, useState } from 'react';
import { frameTypeOf } from '../../../shared/ml/columns.js';
import { METRICS, type MetricName } from '../../../shared/ml/metrics.js';
import { defaultPrimaryMetric, defaultSecondaryMetrics, metricsFor, problemWarnings, type ProblemCard } from '../../../shared/ml/problem.js';
import { inferTask } from '../../../shared/ml/target.js';
import type { Task } from '../../../shared/ml/types.js';
import type { DatasetRecord } from '../../../shared/schema/project.js';
import { useApp } from '../store/index.js';
import { messageOf } from '../store/status.js';
import { classCounts, loadFrame, loadPartitions, minorityShare } from '../train/data.js';
import { formatMetric } from './train/format.js';

const TASKS: { value: Task; label: string }[] = [
  { value: 'binary', label: 'Binary classification (two classes)' },
  { value: 'multiclass', label: 'Multiclass classification' },
  { value: 'regression', label: 'Regression (a number)' },
];

/** What the target column looks like: the task it suggests and its classes (training rows when split). */
interface TargetFacts {
  target: string;
  suggested: Task | null;
  classes: { label: string; count: number }[];
  /** Which rows the counts are over. */
  over: 'training' | 'all';
  error: string | null;
}

type Draft = Omit<ProblemCard, 'schemaVersion' | 'updatedAt' | 'baseline'>;

function emptyDraft(datasets: DatasetRecord[]): Draft {
  return { objective: '', datasetId: datasets.at(-1)?.id ?? '', target: '', task: 'binary', primaryMetric: 'auc', secondaryMetrics: defaultSecondaryMetrics('binary') };
}

const percent = (x: number) => `${(x * 100).toFixed(1)}%`;
const count = new Intl.NumberFormat();

/** Define: the problem card (objective, target, task, metrics, costs) and the naive baseline it must beat. */
export function DefineStage() {
  const project = useApp((s) => s.project);
  const loaded = useApp((s) => s.modellingProject === s.project?.name);
  const card = useApp((s) => s.problem);
  const status = useApp((s) => s.problemStatus);
  const error = useApp((s) => s.problemError);
  const baselineStatus = useApp((s) => s.baselineStatus);
  const baselineNote = useApp((s) => s.baselineNote);
  const splits = useApp((s) => (s.splitsProject === s.project?.name ? s.splits : null));
  const load = useApp((s) => s.loadModelling);
  const save = useApp((s) => s.saveProblem);
  const openSplitView = useApp((s) => s.openSplitView);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [facts, setFacts] = useState<TargetFacts | null>(null);

  useEffect(() => {
    void load();
  }, [load, project?.name]);

  // The form starts from the saved card (or an empty one) once it is loaded.
  useEffect(() => {
    if (!loaded || project === null || draft !== null) return;
    if (card === null) setDraft(emptyDraft(project.datasets));
    else {
      const { schemaVersion: _v, updatedAt: _u, baseline: _b, ...rest } = card;
      setDraft(rest);
    }
  }, [loaded, card, project, draft]);

  const dataset = project?.datasets.find((d) => d.id === draft?.datasetId);
  const split = splits?.find((s) => s.datasetId === dataset?.id) ?? null;
  const target = draft?.target ?? '';

  // The target's classes and the task they suggest.
  useEffect(() => {
    if (project === null || dataset === undefined || target === '') return;
    let stale = false;
    void (async () => {
      try {
        const frame = await loadFrame(project.name, dataset, target);
        const column = frame.columns.find((c) => c.name === target);
        if (column === undefined) throw new Error(`${dataset.name} has no column "${target}".`);
        let suggested: Task | null = null;
        try {
          suggested = inferTask(column);
        } catch {
          suggested = null;
        }
        const partitions = split === null ? null : await loadPartitions(project.name, split);
        const classes = suggested === 'regression' ? [] : classCounts(frame, target, partitions);
        if (!stale) setFacts({ target, suggested, classes, over: partitions === null ? 'all' : 'training', error: suggested === null ? `${target} is free text or a date; choose a category or a number as the target.` : null });
      } catch (err) {
        if (!stale) setFacts({ target, suggested: null, classes: [], over: 'all', error: messageOf(err) });
      }
    })();
    return () => {
      stale = true;
    };
  }, [project, dataset, target, split]);

  const shownFacts = facts?.target === target ? facts : null;
  const minority = draft && draft.task !== 'regression' && shownFacts ? minorityShare(shownFacts.classes) : undefined;
  const warnings = useMemo(() => (draft && draft.target !== '' ? problemWarnings(draft, minority) : []), [draft, minority]);

  if (project === null) return null;
  const update = (change: Partial<Draft>) => setDraft((d) => (d === null ? d : { ...d, ...change }));
  const setTask = (task: Task) =>
    setDraft((d) => {
      if (d === null) return d;
      const share = task === 'regression' || !shownFacts ? undefined : minorityShare(shownFacts.classes);
      return { ...d, task, primaryMetric: defaultPrimaryMetric(task, share), secondaryMetrics: defaultSecondaryMetrics(task) };
    });
  const chooseTarget = (name: string) => {
    update({ target: name });
    setFacts(null);
  };
  // Once the target's facts arrive for a target the card did not have yet, suggest its task and positive class.
  const suggestFrom = shownFacts !== null && draft !== null && card?.target !== draft.target ? shownFacts : null;

  return (
    <main className="stage-main stage-scroll" aria-labelledby="define-title">
      <header className="stage-header">
        <h1 id="define-title">Define</h1>
        <p className="muted">State the problem once: everything after it (the leaderboard's order, tuning, thresholds) follows from this card.</p>
      </header>
      {!loaded || draft === null ? (
        status === 'failed' ? (
          <p className="inline-error" role="alert">
            {error}
          </p>
        ) : (
          <p className="muted">Loading the problem card…</p>
        )
      ) : project.datasets.length === 0 ? (
        <p className="empty">
          Import a dataset first.{' '}
          <button className="linklike" onClick={() => useApp.getState().setStage('data')}>
            Go to Data
          </button>
        </p>
      ) : (
        <ProblemForm
          draft={draft}
          datasets={project.datasets}
          facts={shownFacts}
          suggestFrom={suggestFrom}
          minority={minority}
          warnings={warnings}
          saving={status === 'running'}
          error={status === 'failed' ? error : null}
          onChange={update}
          onTask={setTask}
          onTarget={chooseTarget}
          onSave={() => void save(draft)}
        />
      )}
      {loaded && card !== null && (
        <section className="panel" aria-label="Baseline" data-testid="baseline">
          <h2>Naive baseline</h2>
          {baselineStatus === 'running' ? (
            <p className="muted" role="status">
              Scoring the naive baseline on the validation partition…
            </p>
          ) : card.baseline !== undefined && split !== null && card.baseline.splitId === split.id ? (
            <p>
              A model that ignores every feature ({card.task === 'regression' ? 'always predicting the training mean' : 'always predicting the training class shares'}) scores{' '}
              <strong data-testid="baseline-score">
                {METRICS[card.baseline.metric].label} {formatMetric(card.baseline.score)}
              </strong>{' '}
              on the validation partition. Every model must beat this.
            </p>
          ) : split === null ? (
            <p data-testid="no-split">
              {dataset?.name ?? 'This dataset'} has no split yet, so the baseline cannot be scored: models are compared on a validation partition the split sets aside.{' '}
              <button className="linklike" onClick={() => dataset && openSplitView(dataset.id)}>
                Make a split in the Data stage
              </button>
            </p>
          ) : (
            <p className="muted">{baselineNote ?? 'Save the card to score the naive baseline on the validation partition.'}</p>
          )}
          {baselineStatus === 'failed' && baselineNote && (
            <p className="inline-error" role="alert">
              {baselineNote}
            </p>
          )}
        </section>
      )}
    </main>
  );
}

interface FormProps {
  draft: Draft;
  datasets: DatasetRecord[];
  facts: TargetFacts | null;
  suggestFrom: TargetFacts | null;
  minority: number | undefined;
  warnings: string[];
  saving: boolean;
  error: string | null;
  onChange(change: Partial<Draft>): void;
  onTask(task: Task): void;
  onTarget(name: string): void;
  onSave(): void;
}

function ProblemForm({ draft, datasets, facts, suggestFrom, minority, warnings, saving, error, onChange, onTask, onTarget, onSave }: FormProps) {
  const dataset = datasets.find((d) => d.id === draft.datasetId);
  const targets = (dataset?.columns ?? []).filter((c) => frameTypeOf(c) !== null);
  const metrics = metricsFor(draft.task);
  const classes = facts?.classes ?? [];

  // Apply the suggestions of a newly chosen target once: its task, and the rarer class as the positive one.
  useEffect(() => {
    if (suggestFrom === null || suggestFrom.suggested === null) return;
    const task = suggestFrom.suggested;
    const rarest = suggestFrom.classes.length === 2 ? suggestFrom.classes[1]!.label : undefined;
    const share = task === 'regression' ? undefined : minorityShare(suggestFrom.classes);
    const change: Partial<Draft> = { task, primaryMetric: defaultPrimaryMetric(task, share), secondaryMetrics: defaultSecondaryMetrics(task) };
    if (task === 'binary' && rarest !== undefined) change.positiveClass = rarest;
    onChange(change);
    // Only when the facts for a newly chosen target arrive, not on every render.
  }, [suggestFrom?.target, suggestFrom?.suggested]);

  const canSave = draft.target !== '' && dataset !== undefined && !saving && (draft.task !== 'binary' || (draft.positiveClass ?? '') !== '');
  const fp = draft.costs?.falsePositive;
  const fn = draft.costs?.falseNegative;

  return (
    <form
      className="problem-form"
      aria-label="Problem card"
      onSubmit={(e) => {
        e.preventDefault();
        if (canSave) onSave();
      }}
    >
      <label className="field">
        Objective
        <textarea
          rows={2}
          value={draft.objective}
          placeholder="e.g. Find applicants likely to earn more than 50K, to target the premium offer."
          onChange={(e) => onChange({ objective: e.target.value })}
        />
      </label>
      <div className="field-row">
        <label className="field">
          Dataset
          <select value={draft.datasetId} onChange={(e) => onChange({ datasetId: e.target.value, target: '' })}>
            {datasets.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name} ({count.format(d.rows)} rows)
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          Target column
          <select value={draft.target} onChange={(e) => onTarget(e.target.value)}>
            <option value="">Choose the column to predict…</option>
            {targets.map((c) => (
              <option key={c.name} value={c.name}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          Task
          <select value={draft.task} onChange={(e) => onTask(e.target.value as Task)}>
            {TASKS.map((t) => (
              <option key={t.value} value={t.value}>
                {t.label}
                {facts?.suggested === t.value ? ' — suggested' : ''}
              </option>
            ))}
          </select>
        </label>
      </div>
      {facts?.error && (
        <p className="inline-error" role="alert">
          {facts.error}
        </p>
      )}
      {draft.target !== '' && facts === null && <p className="muted">Reading {draft.target}…</p>}
      {classes.length > 0 && draft.task !== 'regression' && (
        <p className="muted" data-testid="target-classes">
          {draft.target} over the {facts?.over === 'training' ? 'training' : 'whole dataset\u2019s'} rows:{' '}
          {classes
            .slice(0, 8)
            .map((c) => `${c.label} ${count.format(c.count)}`)
            .join(' · ')}
          {classes.length > 8 ? ` and ${classes.length - 8} more` : ''}
          {minority !== undefined ? ` — the smallest class is ${percent(minority)} of the rows.` : ''}
        </p>
      )}
      {draft.task === 'binary' && (
        <label className="field">
          Positive class (the one the model looks for)
          <select value={draft.positiveClass ?? ''} onChange={(e) => onChange({ positiveClass: e.target.value })}>
            <option value="">Choose…</option>
            {classes.map((c) => (
              <option key={c.label} value={c.label}>
                {c.label}
              </option>
            ))}
            {draft.positiveClass && !classes.some((c) => c.label === draft.positiveClass) && <option value={draft.positiveClass}>{draft.positiveClass}</option>}
          </select>
        </label>
      )}
      <label className="field">
        Primary metric
        <select value={draft.primaryMetric} onChange={(e) => onChange({ primaryMetric: e.target.value as MetricName, secondaryMetrics: draft.secondaryMetrics.filter((m) => m !== e.target.value) })}>
          {metrics.map((m) => (
            <option key={m} value={m}>
              {METRICS[m].label}
            </option>
          ))}
        </select>
        <span className="muted" data-testid="primary-description">
          {METRICS[draft.primaryMetric].description} {METRICS[draft.primaryMetric].higherIsBetter ? 'Higher is better.' : 'Lower is better.'}
        </span>
      </label>
      <fieldset className="field metric-list">
        <legend>Secondary metrics (also reported)</legend>
        {metrics
          .filter((m) => m !== draft.primaryMetric)
          .map((m) => (
            <label key={m} className="check">
              <input
                type="checkbox"
                checked={draft.secondaryMetrics.includes(m)}
                onChange={(e) => onChange({ secondaryMetrics: e.target.checked ? [...draft.secondaryMetrics, m] : draft.secondaryMetrics.filter((x) => x !== m) })}
              />
              <span>
                <strong>{METRICS[m].label}</strong> <span className="muted">{METRICS[m].description}</span>
              </span>
            </label>
          ))}
      </fieldset>
      {draft.task === 'binary' && (
        <fieldset className="field">
          <legend>What a wrong prediction costs (any one unit; optional)</legend>
          <div className="field-row">
          <label className="field">
            A false positive
            <input
              type="number"
              min={0}
              step="any"
              value={fp ?? ''}
              onChange={(e) => onChange({ costs: costsOf(e.target.value, fn) })}
            />
          </label>
          <label className="field">
            A false negative
            <input
              type="number"
              min={0}
              step="any"
              value={fn ?? ''}
              onChange={(e) => onChange({ costs: costsOf(fp, e.target.value) })}
            />
          </label>
          </div>
        </fieldset>
      )}
      {warnings.length > 0 && (
        <ul className="warnings" data-testid="problem-warnings" aria-label="Warnings">
          {warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
      {error && (
        <p className="inline-error" role="alert">
          {error}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="primary" disabled={!canSave}>
          {saving ? 'Saving…' : 'Save problem card'}
        </button>
      </div>
    </form>
  );
}

/** Costs from the two inputs: absent while both are empty; an empty one counts as 0 once the other is set. */
function costsOf(fp: string | number | undefined, fn: string | number | undefined): Draft['costs'] {
  const read = (x: string | number | undefined): number | undefined => (x === undefined || x === '' ? undefined : Number(x));
  const a = read(fp);
  const b = read(fn);
  if (a === undefined && b === undefined) return undefined;
  const clean = (x: number | undefined) => (x !== undefined && Number.isFinite(x) ? Math.max(0, x) : 0);
  return { falsePositive: clean(a), falseNegative: clean(b) };
}
