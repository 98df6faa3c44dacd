import type { StateCreator } from 'zustand';
import type { NewExperiment } from '../../../shared/host/contract.js';
import { HostError } from '../../../shared/host/errors.js';
import type { ExperimentRecord } from '../../../shared/ml/experiment.js';
import type { CvSpec, ImbalanceMode, LearningCurvePoint, ModelChoice, TrainingPlan } from '../../../shared/ml/job.js';
import { rankResults } from '../../../shared/ml/job.js';
import type { MetricName } from '../../../shared/ml/metrics.js';
import type { PipelineSpec } from '../../../shared/ml/pipeline/index.js';
import type { ProblemCard } from '../../../shared/ml/problem.js';
import { searchSpaceFor } from '../../../shared/ml/search-spaces.js';
import type { Dimension, Trial, TuneStrategy } from '../../../shared/ml/tuning.js';
import type { ModelKind } from '../../../shared/ml/types.js';
import type { BackendInfo, TrainedResult, TrainProgress } from '../../../shared/protocol/train-worker.js';
import type { DatasetRecord } from '../../../shared/schema/project.js';
import type { SplitDocument } from '../../../shared/schema/split.js';
import { host } from '../host/index.js';
import { startingPipeline, type EditorState } from '../stages/prepare/edit.js';
import { loadFrame, splitDataSource } from '../train/data.js';
import { trainPool, type DataSource, type JobHandle } from '../train/pool.js';
import type { AppState } from './index.js';
import type { StageId } from './project.js';
import { messageOf, type Status } from './status.js';

/**
 * Define, Prepare and Train: the problem card, the pipeline spec and the training runs of the open project.
 * Long work (baseline, preview, training, learning curves, tuning) runs in the training worker pool
 * (train/pool.ts); every finished run is kept by the host as an experiment.
 */

export type RunStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

/** One model being trained (or trained) in this session. */
export interface RunState {
  id: number;
  kind: ModelKind;
  params: Record<string, unknown>;
  status: RunStatus;
  fraction: number;
  message: string | null;
  error: string | null;
  experimentId: string | null;
}

export interface TrainConfig {
  kinds: ModelKind[];
  /** Parameters per kind, as the analyst typed them (the model's defaults fill the rest). */
  params: Partial<Record<ModelKind, Record<string, unknown>>>;
  cv: CvSpec;
  imbalance: ImbalanceMode;
  seed: number;
  timeColumn?: string;
}

export interface TuneOptions {
  strategy: TuneStrategy;
  maxTrials?: number;
  maxSeconds?: number;
}

export interface TuneState {
  /** The experiment whose model kind is tuned. */
  sourceId: string;
  kind: ModelKind;
  strategy: TuneStrategy;
  status: Status;
  fraction: number | null;
  trials: Trial[];
  /** The saved experiment of the best trial, once done. */
  best: ExperimentRecord | null;
  stoppedBy: string | null;
  error: string | null;
}

export interface CurveState {
  experimentId: string;
  status: Status;
  fraction: number;
  points: LearningCurvePoint[];
  error: string | null;
}

export interface ModellingSlice {
  /** The project the fields below belong to (null: not loaded). */
  modellingProject: string | null;
  problem: ProblemCard | null;
  problemStatus: Status;
  problemError: string | null;
  /** The baseline on save: running while the training worker scores it; the note says why there is none. */
  baselineStatus: Status;
  baselineNote: string | null;
  pipelineSpec: PipelineSpec | null;
  pipelineStatus: Status;
  /** The Prepare stage's pipeline being edited (with its undo history), kept while the analyst visits other stages. */
  pipelineDraft: EditorState | null;
  updatePipelineDraft(change: (draft: EditorState | null) => EditorState | null): void;
  experiments: ExperimentRecord[];
  runs: RunState[];
  tuning: TuneState | null;
  curve: CurveState | null;
  backend: BackendInfo | null;
  /** A Data view another stage asked for (the Split view); the Data stage opens on it. */
  requestedDataView: 'split' | null;

  setStage(stage: StageId): void;
  /** Goes to the Data stage's Split view for the card's dataset. */
  openSplitView(datasetId: string): void;
  loadModelling(force?: boolean): Promise<void>;
  /** Saves the card, then scores the naive baseline on the validation partition and saves that too. */
  saveProblem(card: Omit<ProblemCard, 'schemaVersion' | 'updatedAt' | 'baseline'>): Promise<boolean>;
  savePipeline(spec: PipelineSpec): Promise<boolean>;
  loadExperiments(): Promise<void>;
  trainModels(config: TrainConfig): Promise<void>;
  cancelRun(id: number): void;
  retryRun(id: number): void;
  clearFinishedRuns(): void;
  showLearningCurve(experimentId: string): Promise<void>;
  tuneExperiment(experimentId: string, options: TuneOptions): Promise<void>;
  cancelTuning(): void;
  deleteExperiment(id: string): Promise<void>;
}

/** What training needs, or why it cannot start yet. */
export type ModellingContext =
  | { ok: true; project: string; card: ProblemCard; dataset: DatasetRecord; split: SplitDocument }
  | { ok: false; reason: 'no-card' | 'no-dataset' | 'no-split' | 'loading'; message: string };

export function modellingContext(s: AppState): ModellingContext {
  const project = s.project;
  if (project === null || s.modellingProject !== project.name) return { ok: false, reason: 'loading', message: 'Loading…' };
  const card = s.problem;
  if (card === null) return { ok: false, reason: 'no-card', message: 'Define the problem first: the target, the task and how success is measured.' };
  const dataset = project.datasets.find((d) => d.id === card.datasetId);
  if (dataset === undefined) return { ok: false, reason: 'no-dataset', message: 'The problem card names a dataset this project no longer has; choose another in Define.' };
  if (s.splits === null || s.splitsProject !== project.name) return { ok: false, reason: 'loading', message: 'Loading the splits…' };
  const split = s.splits.find((x) => x.datasetId === dataset.id);
  if (split === undefined) {
    return { ok: false, reason: 'no-split', message: `${dataset.name} has no train / validation / test split yet. Make one in the Data stage's Split view: models are trained and compared on it.` };
  }
  return { ok: true, project: project.name, card, dataset, split };
}

/** The experiments of the card's problem on its current split (what the leaderboard ranks). */
export function leaderboardOf(experiments: ExperimentRecord[], card: ProblemCard, splitId: string): ExperimentRecord[] {
  const same = experiments.filter(
    (e) => e.datasetId === card.datasetId && e.splitId === splitId && e.plan.target === card.target && e.plan.task === card.task && (card.task !== 'binary' || e.plan.positiveClass === card.positiveClass),
  );
  return rankExperiments(same, card.primaryMetric);
}

/** The score an experiment is ranked by under `metric`: its CV mean when it has one, else its validation score. */
export function scoreOf(e: ExperimentRecord, metric: MetricName): number {
  return e.result.cv?.mean[metric] ?? e.result.validation[metric] ?? Number.NaN;
}

/** A leaderboard line: a kept run, or the card's baseline score when no baseline run is kept yet. */
export type LeaderboardRow = { type: 'run'; experiment: ExperimentRecord; score: number } | { type: 'card-baseline'; metric: MetricName; score: number };

/**
 * The leaderboard: the problem's runs on its split, best first by the card's primary metric. The baseline is
 * always there: its run when one is kept, else the score the card recorded (validation only).
 */
export function leaderboardRows(experiments: ExperimentRecord[], card: ProblemCard, splitId: string): LeaderboardRow[] {
  const rows: LeaderboardRow[] = leaderboardOf(experiments, card, splitId).map((experiment) => ({ type: 'run', experiment, score: scoreOf(experiment, card.primaryMetric) }));
  const hasBaseline = rows.some((r) => r.type === 'run' && r.experiment.result.kind === 'baseline');
  if (!hasBaseline && card.baseline !== undefined && card.baseline.splitId === splitId && card.baseline.metric === card.primaryMetric) {
    rows.push({ type: 'card-baseline', metric: card.baseline.metric, score: card.baseline.score });
  }
  return rankResults(rows, card.primaryMetric);
}

export function rankExperiments(experiments: ExperimentRecord[], metric: MetricName): ExperimentRecord[] {
  return rankResults(
    experiments.map((e) => ({ e, score: scoreOf(e, metric) })),
    metric,
  ).map((x) => x.e);
}

/**
 * What tuning a run searches: the model's declared space, plus every other setting of the run held at its value
 * (one-choice dimensions), so tuning starts from the run the analyst picked (e.g. its number of trees) rather
 * than from the model's defaults.
 */
export function tuneSpace(record: ExperimentRecord): { searched: Dimension[]; held: Dimension[] } {
  const searched = searchSpaceFor(record.result.kind, record.plan.task);
  const held: Dimension[] = [];
  for (const [name, value] of Object.entries(record.result.params)) {
    if (searched.some((d) => d.name === name)) continue;
    if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') held.push({ name, type: 'categorical', choices: [value] });
  }
  return { searched, held };
}

const jobs = new Map<number, JobHandle<unknown>>();
let tuneJob: JobHandle<unknown> | null = null;
let curveJob: JobHandle<unknown> | null = null;

const isCancel = (err: unknown) => err instanceof HostError && err.code === 'cancelled';

export const createModellingSlice: StateCreator<AppState, [], [], ModellingSlice> = (set, get) => {
  const patchRun = (id: number, change: Partial<RunState>) => set((s) => ({ runs: s.runs.map((r) => (r.id === id ? { ...r, ...change } : r)) }));

  /** Every training run goes through the card's dataset and split. */
  function context(): Extract<ModellingContext, { ok: true }> {
    const c = modellingContext(get());
    if (!c.ok) throw new HostError('invalid-argument', c.message);
    return c;
  }

  function source(c: Extract<ModellingContext, { ok: true }>): DataSource {
    return splitDataSource(c.project, c.dataset, c.split, c.card.target);
  }

  /** The saved pipeline, or the default one for the dataset's columns. */
  async function pipelineFor(c: Extract<ModellingContext, { ok: true }>): Promise<PipelineSpec> {
    const saved = get().pipelineSpec;
    if (saved !== null) return saved;
    return startingPipeline(await loadFrame(c.project, c.dataset, c.card.target), c.card.target);
  }

  function planOf(card: ProblemCard, pipeline: PipelineSpec, config: Pick<TrainConfig, 'cv' | 'imbalance' | 'seed' | 'timeColumn'>): TrainingPlan {
    const plan: TrainingPlan = { target: card.target, task: card.task, pipeline, cv: config.cv, imbalance: config.imbalance, primaryMetric: card.primaryMetric, seed: config.seed };
    if (card.positiveClass !== undefined && card.task === 'binary') plan.positiveClass = card.positiveClass;
    if (config.timeColumn) plan.timeColumn = config.timeColumn;
    if (card.task === 'binary' && card.costs !== undefined && card.costs.falsePositive + card.costs.falseNegative > 0) plan.costs = card.costs;
    return plan;
  }

  async function keep(c: Extract<ModellingContext, { ok: true }>, plan: TrainingPlan, trained: TrainedResult, seconds: number, tuning?: ExperimentRecord['tuning']): Promise<ExperimentRecord> {
    const record: NewExperiment = {
      datasetId: c.dataset.id,
      datasetSha256: c.dataset.sha256,
      splitId: c.split.id,
      plan,
      result: trained.result,
      seconds,
    };
    if (trained.classes !== undefined) record.classes = trained.classes;
    const backend = get().backend ?? trainPool().backend;
    if (trained.result.kind === 'mlp' && backend !== null) record.backend = backend;
    if (tuning !== undefined) record.tuning = tuning;
    const saved = await host.call('experiments.save', { project: c.project, record, pipeline: trained.pipeline, model: trained.model });
    if (get().project?.name === c.project) set((s) => ({ experiments: [saved, ...s.experiments.filter((e) => e.id !== saved.id)] }));
    return saved;
  }

  function startRun(run: RunState, c: Extract<ModellingContext, { ok: true }>, plan: TrainingPlan): void {
    const started = performance.now();
    const choice: ModelChoice = Object.keys(run.params).length > 0 ? { kind: run.kind, params: run.params } : { kind: run.kind };
    const onProgress = (p: TrainProgress) => {
      if (!Number.isFinite(p.fraction)) return;
      patchRun(run.id, { status: 'running', fraction: p.fraction, message: p.message ?? null });
    };
    const handle = trainPool().run('train', source(c), (key) => ({ key, plan, choice }), onProgress);
    jobs.set(run.id, handle as JobHandle<unknown>);
    void (async () => {
      try {
        const trained = await handle.promise;
        if (get().backend === null && trainPool().backend !== null) set({ backend: trainPool().backend });
        patchRun(run.id, { fraction: 1, message: 'Saving…' });
        const saved = await keep(c, plan, trained, (performance.now() - started) / 1000);
        patchRun(run.id, { status: 'done', fraction: 1, message: null, experimentId: saved.id });
      } catch (err) {
        if (isCancel(err)) patchRun(run.id, { status: 'cancelled', message: null });
        else patchRun(run.id, { status: 'failed', error: messageOf(err), message: null });
      } finally {
        jobs.delete(run.id);
      }
    })();
  }

  let nextRun = 1;
  const runPlans = new Map<number, TrainingPlan>();

  return {
    modellingProject: null,
    problem: null,
    problemStatus: 'idle',
    problemError: null,
    baselineStatus: 'idle',
    baselineNote: null,
    pipelineSpec: null,
    pipelineStatus: 'idle',
    pipelineDraft: null,
    updatePipelineDraft: (change) => set((s) => ({ pipelineDraft: change(s.pipelineDraft) })),
    experiments: [],
    runs: [],
    tuning: null,
    curve: null,
    backend: null,
    requestedDataView: null,

    setStage: (stage) => set({ stage, requestedDataView: null }),

    openSplitView: (datasetId) => {
      set({ stage: 'data', requestedDataView: 'split' });
      if (get().activeDatasetId !== datasetId) void get().selectDataset(datasetId);
    },

    loadModelling: async (force = false) => {
      const project = get().project;
      if (project === null) return;
      if (!force && get().modellingProject === project.name) return;
      set({ problemStatus: 'running', problemError: null });
      try {
        const [problem, pipelineSpec, experiments] = await Promise.all([
          host.call('problem.get', { project: project.name }),
          host.call('pipeline.get', { project: project.name }),
          host.call('experiments.list', { project: project.name }),
          get().splitsProject === project.name ? Promise.resolve() : get().loadSplits(),
        ]);
        if (get().project?.name !== project.name) return;
        if (get().modellingProject !== project.name) set({ runs: [], tuning: null, curve: null, baselineNote: null, baselineStatus: 'idle', pipelineDraft: null });
        set({ modellingProject: project.name, problem, pipelineSpec, experiments, problemStatus: 'done' });
      } catch (err) {
        set({ problemStatus: 'failed', problemError: messageOf(err) });
      }
    },

    saveProblem: async (draft) => {
      const project = get().project;
      if (project === null) return false;
      set({ problemStatus: 'running', problemError: null, baselineNote: null, baselineStatus: 'idle' });
      let card: ProblemCard;
      try {
        const toSave: ProblemCard = { ...draft, schemaVersion: 1, updatedAt: new Date().toISOString() };
        if (draft.task !== 'binary') {
          delete toSave.positiveClass;
          delete toSave.costs;
        }
        const before = get().problem;
        card = await host.call('problem.save', { project: project.name, card: toSave });
        // A pipeline being edited for another target or dataset starts again.
        const moved = before !== null && (before.target !== card.target || before.datasetId !== card.datasetId);
        set({ problem: card, problemStatus: 'done', modellingProject: project.name, ...(moved ? { pipelineDraft: null } : {}) });
      } catch (err) {
        set({ problemStatus: 'failed', problemError: messageOf(err) });
        return false;
      }
      // The baseline: the score any model must beat, on the validation partition.
      const c = modellingContext(get());
      if (!c.ok) {
        set({ baselineStatus: 'idle', baselineNote: c.reason === 'no-split' ? c.message : null });
        return true;
      }
      set({ baselineStatus: 'running' });
      try {
        const plan = planOf(c.card, await pipelineFor(c), { cv: { method: 'none', folds: 2 }, imbalance: 'none', seed: 42 });
        const result = await trainPool().run('baseline', source(c), (key) => ({ key, plan })).promise;
        const score = result.validation[c.card.primaryMetric];
        if (score === undefined || !Number.isFinite(score)) {
          set({ baselineStatus: 'done', baselineNote: 'The baseline has no score on the validation partition (is it empty?).' });
          return true;
        }
        const withBaseline = await host.call('problem.save', {
          project: c.project,
          card: { ...c.card, baseline: { metric: c.card.primaryMetric, score, splitId: c.split.id } },
        });
        if (get().project?.name === c.project) set({ problem: withBaseline, baselineStatus: 'done' });
      } catch (err) {
        set({ baselineStatus: 'failed', baselineNote: `The baseline could not be scored: ${messageOf(err)}` });
      }
      return true;
    },

    savePipeline: async (spec) => {
      const project = get().project;
      if (project === null) return false;
      set({ pipelineStatus: 'running' });
      try {
        const saved = await host.call('pipeline.save', { project: project.name, spec });
        set({ pipelineSpec: saved, pipelineStatus: 'done' });
        return true;
      } catch (err) {
        set({ pipelineStatus: 'failed' });
        get().notify('error', `The pipeline was not saved: ${messageOf(err)}`);
        return false;
      }
    },

    loadExperiments: async () => {
      const project = get().project;
      if (project === null) return;
      try {
        const experiments = await host.call('experiments.list', { project: project.name });
        if (get().project?.name === project.name) set({ experiments });
      } catch (err) {
        get().notify('error', `The runs could not be read: ${messageOf(err)}`);
      }
    },

    trainModels: async (config) => {
      let c: Extract<ModellingContext, { ok: true }>;
      let pipeline: PipelineSpec;
      try {
        c = context();
        pipeline = await pipelineFor(c);
      } catch (err) {
        get().notify('error', messageOf(err));
        return;
      }
      const plan = planOf(c.card, pipeline, config);
      const runs: RunState[] = config.kinds.map((kind) => ({
        id: nextRun++,
        kind,
        params: config.params[kind] ?? {},
        status: 'queued',
        fraction: 0,
        message: null,
        error: null,
        experimentId: null,
      }));
      set((s) => ({ runs: [...s.runs, ...runs] }));
      for (const run of runs) {
        runPlans.set(run.id, plan);
        startRun(run, c, plan);
      }
    },

    cancelRun: (id) => {
      jobs.get(id)?.cancel();
    },

    retryRun: (id) => {
      const old = get().runs.find((r) => r.id === id);
      const plan = runPlans.get(id);
      if (old === undefined || plan === undefined) return;
      let c: Extract<ModellingContext, { ok: true }>;
      try {
        c = context();
      } catch (err) {
        get().notify('error', messageOf(err));
        return;
      }
      const run: RunState = { ...old, id: nextRun++, status: 'queued', fraction: 0, message: null, error: null, experimentId: null };
      runPlans.set(run.id, plan);
      set((s) => ({ runs: [...s.runs.filter((r) => r.id !== id), run] }));
      startRun(run, c, plan);
    },

    clearFinishedRuns: () => set((s) => ({ runs: s.runs.filter((r) => r.status === 'queued' || r.status === 'running') })),

    showLearningCurve: async (experimentId) => {
      const record = get().experiments.find((e) => e.id === experimentId);
      if (record === undefined) return;
      curveJob?.cancel();
      set({ curve: { experimentId, status: 'running', fraction: 0, points: [], error: null } });
      try {
        const c = context();
        const choice: ModelChoice = { kind: record.result.kind, params: record.result.params };
        const plan = { ...record.plan, primaryMetric: c.card.primaryMetric };
        const handle = trainPool().run('learningCurve', source(c), (key) => ({ key, plan, choice }), (p) => {
          if (Number.isFinite(p.fraction) && get().curve?.experimentId === experimentId) set((s) => ({ curve: s.curve && { ...s.curve, fraction: p.fraction } }));
        });
        curveJob = handle as JobHandle<unknown>;
        const points = await handle.promise;
        if (get().curve?.experimentId === experimentId) set({ curve: { experimentId, status: 'done', fraction: 1, points, error: null } });
      } catch (err) {
        if (isCancel(err)) return;
        if (get().curve?.experimentId === experimentId) set((s) => ({ curve: s.curve && { ...s.curve, status: 'failed', error: messageOf(err) } }));
      }
    },

    tuneExperiment: async (experimentId, options) => {
      const record = get().experiments.find((e) => e.id === experimentId);
      if (record === undefined || get().tuning?.status === 'running') return;
      const kind = record.result.kind;
      set({ tuning: { sourceId: experimentId, kind, strategy: options.strategy, status: 'running', fraction: 0, trials: [], best: null, stoppedBy: null, error: null } });
      const started = performance.now();
      try {
        const c = context();
        const plan: TrainingPlan = { ...record.plan, primaryMetric: c.card.primaryMetric };
        const { searched, held } = tuneSpace(record);
        const space = [...searched, ...held];
        const handle = trainPool().run(
          'tune',
          source(c),
          (key) => ({ key, plan, kind, strategy: options.strategy, space, ...(options.maxTrials ? { maxTrials: options.maxTrials } : {}), ...(options.maxSeconds ? { maxSeconds: options.maxSeconds } : {}) }),
          (p) => {
            const t = get().tuning;
            if (t === null || t.sourceId !== experimentId) return;
            if (p.trial !== undefined) set({ tuning: { ...t, trials: [...t.trials, p.trial], fraction: options.maxTrials ? Math.min(1, (p.trial.index + 1) / options.maxTrials) : t.fraction } });
            else if (Number.isFinite(p.fraction) && options.maxTrials === undefined) set({ tuning: { ...t, fraction: null } });
          },
        );
        tuneJob = handle as JobHandle<unknown>;
        const tuned = await handle.promise;
        if (tuned.best === null) {
          set((s) => ({ tuning: s.tuning && { ...s.tuning, status: 'failed', trials: tuned.trials, stoppedBy: tuned.stoppedBy, error: 'No trial finished, so there is no tuned model. The trials say why.' } }));
          return;
        }
        const saved = await keep(c, plan, tuned.best, (performance.now() - started) / 1000, { strategy: options.strategy, trials: tuned.trials.length, stoppedBy: tuned.stoppedBy });
        set((s) => ({ tuning: s.tuning && { ...s.tuning, status: 'done', fraction: 1, trials: tuned.trials, best: saved, stoppedBy: tuned.stoppedBy } }));
      } catch (err) {
        const cancelledNow = isCancel(err);
        set((s) => ({ tuning: s.tuning && { ...s.tuning, status: cancelledNow ? 'idle' : 'failed', stoppedBy: cancelledNow ? 'cancelled' : s.tuning.stoppedBy, error: cancelledNow ? null : messageOf(err) } }));
      } finally {
        tuneJob = null;
      }
    },

    cancelTuning: () => tuneJob?.cancel(),

    deleteExperiment: async (id) => {
      const project = get().project;
      if (project === null) return;
      try {
        await host.call('experiments.delete', { project: project.name, id });
        set((s) => ({ experiments: s.experiments.filter((e) => e.id !== id) }));
      } catch (err) {
        get().notify('error', messageOf(err));
      }
    },
  };
};
