import { useState } from 'react';
import type { CvMethod, ImbalanceMode } from '../../../../shared/ml/job.js';
import { kindFitsTask } from '../../../../shared/ml/models/registry.js';
import type { ProblemCard } from '../../../../shared/ml/problem.js';
import { MODEL_KINDS, type ModelKind } from '../../../../shared/ml/types.js';
import type { DatasetRecord } from '../../../../shared/schema/project.js';
import type { TrainConfig } from '../../store/modelling.js';
import { MODEL_HINTS, MODEL_LABELS, parseParams } from './format.js';

const CV_METHODS: { value: CvMethod; label: string }[] = [
  { value: 'stratified', label: 'Stratified k-fold' },
  { value: 'kfold', label: 'k-fold' },
  { value: 'group', label: 'Group k-fold (rows of a group stay together)' },
  { value: 'time', label: 'Time-series folds (train on the past only)' },
  { value: 'none', label: 'None (validation partition only)' },
];

const IMBALANCE: { value: ImbalanceMode; label: string }[] = [
  { value: 'none', label: 'None' },
  { value: 'class-weights', label: 'Class weights (rare classes count more)' },
  { value: 'smote', label: 'SMOTE (synthetic rows of rare classes, training folds only)' },
];

interface Props {
  card: ProblemCard;
  dataset: DatasetRecord;
  busy: boolean;
  onTrain(config: TrainConfig): void;
}

/** The models to train and how: cross-validation, class imbalance, seed, and any parameters to change. */
export function TrainSetup({ card, dataset, busy, onTrain }: Props) {
  const kinds = MODEL_KINDS.filter((k) => kindFitsTask(k, card.task));
  const [chosen, setChosen] = useState<ModelKind[]>(kinds);
  const [paramText, setParamText] = useState<Partial<Record<ModelKind, string>>>({});
  const [cv, setCv] = useState<CvMethod>(card.task === 'regression' ? 'kfold' : 'stratified');
  const [folds, setFolds] = useState('5');
  const [groupColumn, setGroupColumn] = useState('');
  const [timeColumn, setTimeColumn] = useState('');
  const [imbalance, setImbalance] = useState<ImbalanceMode>('none');
  const [seed, setSeed] = useState('42');
  const [problem, setProblem] = useState<string | null>(null);
  const classification = card.task !== 'regression';

  const submit = () => {
    if (chosen.length === 0) return setProblem('Choose at least one model.');
    const k = Number(folds);
    if (cv !== 'none' && (!Number.isInteger(k) || k < 2 || k > 20)) return setProblem('Folds is a whole number from 2 to 20.');
    const s = Number(seed);
    if (!Number.isInteger(s) || s < 0 || s > 0xffffffff) return setProblem('The seed is a whole number from 0 to 4294967295.');
    if (cv === 'group' && groupColumn === '') return setProblem('Group folds need the column whose rows must stay together.');
    if (cv === 'time' && timeColumn === '') return setProblem('Time-series folds need the column that orders the rows.');
    const params: TrainConfig['params'] = {};
    for (const kind of chosen) {
      const text = paramText[kind]?.trim();
      if (!text) continue;
      const parsed = parseParams(text);
      if ('error' in parsed) return setProblem(`${MODEL_LABELS[kind]}: ${parsed.error}`);
      params[kind] = parsed.params;
    }
    setProblem(null);
    const config: TrainConfig = {
      kinds: kinds.filter((kind) => chosen.includes(kind)),
      params,
      cv: { method: cv, folds: cv === 'none' ? 2 : k, ...(cv === 'group' ? { groupColumn } : {}) },
      imbalance: classification ? imbalance : 'none',
      seed: s,
    };
    if (cv === 'time') config.timeColumn = timeColumn;
    onTrain(config);
  };

  return (
    <form
      className="train-setup panel"
      aria-label="Training setup"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <fieldset className="field model-choices">
        <legend>Models</legend>
        {kinds.map((kind) => (
          <div key={kind} className="model-choice">
            <label className="check">
              <input
                type="checkbox"
                checked={chosen.includes(kind)}
                onChange={(e) => setChosen((c) => (e.target.checked ? [...c, kind] : c.filter((x) => x !== kind)))}
              />
              <span>
                <strong>{MODEL_LABELS[kind]}</strong> <span className="muted">{MODEL_HINTS[kind]}</span>
              </span>
            </label>
            {kind !== 'baseline' && (
              <input
                className="params-input"
                aria-label={`${MODEL_LABELS[kind]} parameters`}
                placeholder={kind === 'gbdt' ? 'defaults; e.g. nTrees=50, learningRate=0.1' : kind === 'mlp' ? 'defaults; e.g. epochs=20, hiddenLayers=64-32' : kind === 'rf' ? 'defaults; e.g. nTrees=100' : 'defaults'}
                value={paramText[kind] ?? ''}
                onChange={(e) => setParamText((p) => ({ ...p, [kind]: e.target.value }))}
              />
            )}
          </div>
        ))}
      </fieldset>
      <div className="field-row">
        <label className="field">
          Cross-validation
          <select value={cv} onChange={(e) => setCv(e.target.value as CvMethod)}>
            {CV_METHODS.filter((m) => classification || m.value !== 'stratified').map((m) => (
              <option key={m.value} value={m.value}>
                {m.label}
              </option>
            ))}
          </select>
        </label>
        {cv !== 'none' && (
          <label className="field">
            Folds
            <input type="number" min={2} max={20} step={1} value={folds} onChange={(e) => setFolds(e.target.value)} />
          </label>
        )}
        {cv === 'group' && (
          <label className="field">
            Group column
            <select value={groupColumn} onChange={(e) => setGroupColumn(e.target.value)}>
              <option value="">Choose…</option>
              {dataset.columns.map((c) => (
                <option key={c.name}>{c.name}</option>
              ))}
            </select>
          </label>
        )}
        {cv === 'time' && (
          <label className="field">
            Time column
            <select value={timeColumn} onChange={(e) => setTimeColumn(e.target.value)}>
              <option value="">Choose…</option>
              {dataset.columns.map((c) => (
                <option key={c.name}>{c.name}</option>
              ))}
            </select>
          </label>
        )}
        {classification && (
          <label className="field">
            Class imbalance
            <select value={imbalance} onChange={(e) => setImbalance(e.target.value as ImbalanceMode)}>
              {IMBALANCE.map((m) => (
                <option key={m.value} value={m.value}>
                  {m.label}
                </option>
              ))}
            </select>
          </label>
        )}
        <label className="field">
          Seed
          <input type="number" min={0} step={1} value={seed} onChange={(e) => setSeed(e.target.value)} />
        </label>
      </div>
      {problem && (
        <p className="inline-error" role="alert">
          {problem}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="primary">
          {busy ? 'Train more' : 'Train'}
        </button>
        <span className="muted">Two models train at a time, each in its own worker; the test partition is never read.</span>
      </div>
    </form>
  );
}
