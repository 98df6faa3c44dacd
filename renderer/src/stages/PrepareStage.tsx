import { useCallback, useEffect, useMemo, useState } from 'react';
import { HostError } from '../../../shared/host/errors.js';
import type { LeakageWarning } from '../../../shared/ml/leakage.js';
import { describeStep, type ColumnInfo, type PipelineSpec, type PipelineStep } from '../../../shared/ml/pipeline/index.js';
import type { Frame } from '../../../shared/ml/types.js';
import { useShallow } from 'zustand/react/shallow';
import { useApp } from '../store/index.js';
import { modellingContext } from '../store/modelling.js';
import { messageOf, type Status } from '../store/status.js';
import { loadFrame, splitDataSource } from '../train/data.js';
import { trainPool, type JobHandle } from '../train/pool.js';
import { applyEdit, columnInfos, newStep, RECIPES, startEditing, startingPipeline, undo, type Edit, type Recipe } from './prepare/edit.js';
import { StepEditor } from './prepare/StepEditor.js';

/** Why each kind of leakage warning matters, in one sentence, shown beside the check's own message. */
const LEAKAGE_WHY: Record<LeakageWarning['kind'], string> = {
  'predicts-alone': 'A column that alone predicts the target almost perfectly is usually the answer in disguise, recorded after the fact.',
  identifier: 'Identifiers carry no meaning a model can use on new rows; a model can only memorise them.',
  'outcome-name': 'Its name suggests it is recorded after the outcome, so it will not exist when a prediction is needed.',
  time: 'Values from after the prediction time let the model peek at the future.',
};

interface Preview {
  status: Status;
  names: string[];
  rows: number[][];
  trainRows: number;
  leakage: LeakageWarning[];
  error: string | null;
}

const count = new Intl.NumberFormat();

/** Prepare: the preprocessing pipeline, step by step, previewed on the training partition. */
export function PrepareStage() {
  const project = useApp((s) => s.project);
  const load = useApp((s) => s.loadModelling);
  const saved = useApp((s) => s.pipelineSpec);
  const savePipeline = useApp((s) => s.savePipeline);
  const saving = useApp((s) => s.pipelineStatus === 'running');
  const context = useApp(useShallow(modellingContext));
  const loaded = useApp((s) => s.modellingProject === s.project?.name);
  const card = useApp((s) => s.problem);
  const setStage = useApp((s) => s.setStage);
  const openSplitView = useApp((s) => s.openSplitView);
  const [frame, setFrame] = useState<{ key: string; frame: Frame } | null>(null);
  const [frameError, setFrameError] = useState<string | null>(null);
  const editor = useApp((s) => (s.modellingProject === s.project?.name ? s.pipelineDraft : null));
  const setEditor = useApp((s) => s.updatePipelineDraft);
  const [editing, setEditing] = useState<{ index: number | null; step: PipelineStep } | null>(null);
  const [adding, setAdding] = useState<Recipe>('impute');
  const [preview, setPreview] = useState<Preview | null>(null);
  const [previewJob, setPreviewJob] = useState<JobHandle<unknown> | null>(null);

  useEffect(() => {
    void load();
  }, [load, project?.name]);

  const dataset = card ? project?.datasets.find((d) => d.id === card.datasetId) : undefined;
  const frameKey = dataset && card ? `${dataset.id}:${card.target}` : null;

  useEffect(() => {
    if (project === null || dataset === undefined || card === null || frameKey === null) return;
    let stale = false;
    setFrameError(null);
    loadFrame(project.name, dataset, card.target).then(
      (f) => !stale && setFrame({ key: frameKey, frame: f }),
      (err: unknown) => !stale && setFrameError(messageOf(err)),
    );
    return () => {
      stale = true;
    };
  }, [project, dataset, card, frameKey]);

  const shownFrame = frame?.key === frameKey ? frame.frame : null;
  const columns: ColumnInfo[] = useMemo(() => (shownFrame && card ? columnInfos(shownFrame).filter((c) => c.name !== card.target) : []), [shownFrame, card]);

  // The editor starts from the saved pipeline, or from the default one for these columns.
  useEffect(() => {
    if (editor !== null || shownFrame === null || card === null || !loaded) return;
    setEditor((d) => d ?? startEditing(saved ?? startingPipeline(shownFrame, card.target)));
  }, [editor, shownFrame, card, saved, loaded]);

  const edit = useCallback(
    (e: Edit) => {
      setEditor((s) => (s === null ? s : applyEdit(s, e)));
      setPreview(null);
    },
    [setEditor],
  );
  const undoLast = useCallback(() => {
    setEditor((s) => (s === null ? s : undo(s)));
    setPreview(null);
  }, [setEditor]);

  // Ctrl/Cmd+Z undoes the last change (outside text fields, which keep their own undo).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.isContentEditable)) return;
      if ((e.ctrlKey || e.metaKey) && !e.shiftKey && e.key.toLowerCase() === 'z') {
        e.preventDefault();
        undoLast();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [undoLast]);

  useEffect(() => () => previewJob?.cancel(), [previewJob]);

  if (project === null) return null;
  const header = (
    <header className="stage-header">
      <h1 id="prepare-title">Prepare</h1>
      <p className="muted">Each step learns its statistics from the training rows only and is applied unchanged to everything else, so nothing leaks from validation or test rows.</p>
    </header>
  );
  if (!loaded) {
    return (
      <main className="stage-main stage-scroll" aria-labelledby="prepare-title">
        {header}
        <p className="muted">Loading…</p>
      </main>
    );
  }
  if (card === null || dataset === undefined) {
    return (
      <main className="stage-main stage-scroll" aria-labelledby="prepare-title">
        {header}
        <p className="empty">
          The pipeline prepares the columns that predict a target, so define the problem first.{' '}
          <button className="linklike" onClick={() => setStage('define')}>
            Go to Define
          </button>
        </p>
      </main>
    );
  }

  const spec: PipelineSpec | null = editor?.spec ?? null;
  const dirty = spec !== null && JSON.stringify(spec) !== JSON.stringify(saved);

  const runPreview = () => {
    if (!context.ok || spec === null) return;
    previewJob?.cancel();
    setPreview({ status: 'running', names: [], rows: [], trainRows: 0, leakage: [], error: null });
    const c = context;
    const handle = trainPool().run('preview', splitDataSource(c.project, c.dataset, c.split, c.card.target), (key) => ({
      key,
      spec,
      target: c.card.target,
      task: c.card.task,
      ...(c.card.positiveClass ? { positiveClass: c.card.positiveClass } : {}),
      limit: 20,
    }));
    setPreviewJob(handle as JobHandle<unknown>);
    handle.promise.then(
      (r) => setPreview({ status: 'done', ...r, error: null }),
      (err: unknown) => setPreview((p) => (err instanceof HostError && err.code === 'cancelled' ? null : { ...(p ?? { names: [], rows: [], trainRows: 0, leakage: [] }), status: 'failed', error: messageOf(err) })),
    );
  };

  return (
    <main className="stage-main stage-scroll" aria-labelledby="prepare-title">
      {header}
      <p className="muted">
        Predicting <strong>{card.target}</strong> from {dataset.name} ({columns.length} candidate columns).
      </p>
      {frameError && (
        <p className="inline-error" role="alert">
          {frameError}
        </p>
      )}
      {editor === null ? (
        !frameError && <p className="muted">Reading the columns…</p>
      ) : (
        <>
          <div className="toolbar" role="toolbar" aria-label="Pipeline">
            <button onClick={undoLast} disabled={editor.history.length === 0} title="Ctrl+Z">
              {editor.lastChange ? `Undo ${editor.lastChange}` : 'Undo'}
            </button>
            <button onClick={() => shownFrame && edit({ type: 'reset', spec: startingPipeline(shownFrame, card.target), label: 'reset to the default' })} disabled={shownFrame === null}>
              Reset to default
            </button>
            <button onClick={runPreview} disabled={!context.ok || spec === null || spec.steps.length === 0 || preview?.status === 'running'}>
              Preview
            </button>
            <button className="primary" onClick={() => spec && void savePipeline(spec)} disabled={!dirty || saving}>
              {saving ? 'Saving…' : dirty ? 'Save pipeline' : 'Saved'}
            </button>
          </div>
          {!context.ok && context.reason === 'no-split' && (
            <p className="note">
              {context.message}{' '}
              <button className="linklike" onClick={() => openSplitView(dataset.id)}>
                Make a split
              </button>
            </p>
          )}
          <ol className="steps" aria-label="Pipeline steps">
            {editor.spec.steps.map((step, i) => (
              <li key={i} className="step" data-testid="pipeline-step">
                {editing?.index === i ? (
                  <StepEditor
                    initial={editing.step}
                    columns={columns}
                    mode="edit"
                    onCancel={() => setEditing(null)}
                    onDone={(s) => {
                      edit({ type: 'replace', index: i, step: s });
                      setEditing(null);
                    }}
                  />
                ) : (
                  <>
                    <span className="step-number">{i + 1}</span>
                    <span className="step-text">{describeStep(step)}</span>
                    <span className="step-actions">
                      <button onClick={() => setEditing({ index: i, step })} aria-label={`Edit step ${i + 1}`}>
                        Edit
                      </button>
                      <button className="icon" onClick={() => edit({ type: 'move', index: i, to: i - 1 })} disabled={i === 0} aria-label={`Move step ${i + 1} up`}>
                        ↑
                      </button>
                      <button className="icon" onClick={() => edit({ type: 'move', index: i, to: i + 1 })} disabled={i === editor.spec.steps.length - 1} aria-label={`Move step ${i + 1} down`}>
                        ↓
                      </button>
                      <button className="danger-quiet" onClick={() => edit({ type: 'remove', index: i })} aria-label={`Remove step ${i + 1}`}>
                        Remove
                      </button>
                    </span>
                  </>
                )}
              </li>
            ))}
            {editor.spec.steps.length === 0 && <li className="empty">No steps: the model would get the raw columns. Add one below.</li>}
          </ol>
          {editing?.index === null ? (
            <StepEditor
              initial={editing.step}
              columns={columns}
              mode="add"
              onCancel={() => setEditing(null)}
              onDone={(s) => {
                edit({ type: 'add', step: s });
                setEditing(null);
              }}
            />
          ) : (
            <div className="field-row add-step">
              <label className="field">
                Add a step
                <select value={adding} onChange={(e) => setAdding(e.target.value as Recipe)}>
                  {[...new Set(RECIPES.map((r) => r.group))].map((group) => (
                    <optgroup key={group} label={group}>
                      {RECIPES.filter((r) => r.group === group).map((r) => (
                        <option key={r.recipe} value={r.recipe}>
                          {r.label}
                        </option>
                      ))}
                    </optgroup>
                  ))}
                </select>
              </label>
              <button onClick={() => setEditing({ index: null, step: newStep(adding, columns) })}>Add…</button>
            </div>
          )}
          {preview && <PreviewView preview={preview} onCancel={() => previewJob?.cancel()} />}
        </>
      )}
    </main>
  );
}

function PreviewView({ preview, onCancel }: { preview: Preview; onCancel(): void }) {
  return (
    <section className="panel" aria-label="Preview" data-testid="pipeline-preview">
      <h2>Preview</h2>
      {preview.status === 'running' && (
        <div className="row-progress">
          <progress aria-label="Fitting the pipeline" />
          <span className="muted">Fitting the pipeline on the training partition…</span>
          <button onClick={onCancel}>Cancel</button>
        </div>
      )}
      {preview.status === 'failed' && (
        <p className="inline-error" role="alert">
          {preview.error}
        </p>
      )}
      {preview.status === 'done' && (
        <>
          <p className="muted">
            Fitted on {count.format(preview.trainRows)} training rows: {preview.names.length} model inputs. The first {preview.rows.length} rows after the pipeline:
          </p>
          <div className="table-wrap">
            <table className="preview-table" data-testid="preview-table">
              <thead>
                <tr>
                  {preview.names.map((n) => (
                    <th key={n} scope="col">
                      {n}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {preview.rows.map((row, r) => (
                  <tr key={r}>
                    {row.map((v, c) => (
                      <td key={c} className={Number.isNaN(v) ? 'missing' : 'num'}>
                        {Number.isNaN(v) ? 'missing' : Number.isInteger(v) ? v : v.toFixed(4)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <h3>Leakage check</h3>
          {preview.leakage.length === 0 ? (
            <p data-testid="leakage-none">No column looks like it leaks the target in the training rows.</p>
          ) : (
            <ul className="warnings" data-testid="leakage-warnings">
              {preview.leakage.map((w) => (
                <li key={`${w.column}:${w.kind}`} className={w.severity === 'high' ? 'warning-high' : undefined}>
                  <strong>{w.column}</strong> ({w.severity === 'high' ? 'likely leak' : 'possible leak'}): {w.message} <span className="muted">{LEAKAGE_WHY[w.kind]}</span>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
