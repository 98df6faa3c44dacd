import { HostError } from '../../host/errors.js';
import { v, type Validator } from '../../host/validate.js';
import { defineDocument, readDocument } from '../../schema/document.js';
import type { FeatureMatrix, Frame, FrameColumn, Target, TrainingFrame } from '../types.js';
import { COLUMN_TYPES, DATE_PARTS, ROLLING_STATS, validatePipelineSpec, type ColumnType, type PipelineSpec, type PipelineStep } from './spec.js';
import { applyStep, fitStep, fittedOp, StepError, type FittedStep, type Work } from './steps.js';
import { describeStep } from './describe.js';
import { parseExpression } from './expression.js';

/**
 * Fitting and applying a pipeline. `fitPipeline` is the only place statistics are learned, and it accepts only a
 * `TrainingFrame`; everything else (validation, test, new rows, the CLI, an exported bundle) goes through
 * `transform` with the fitted document, which is plain JSON and carries everything the transform needs.
 */

/** A column the pipeline reads. `required` is false for columns whose values never reach the output (the target
 * column a first step drops, say): new data may leave those out. */
export interface InputColumn {
  name: string;
  type: ColumnType;
  /** A category column's levels in the training rows. */
  levels?: string[];
  required: boolean;
}

/** A fitted pipeline: the spec, each step's learned state (steps[i] belongs to spec.steps[i]), and its output. */
export interface FittedPipeline {
  schemaVersion: 1;
  spec: PipelineSpec;
  steps: FittedStep[];
  inputColumns: InputColumn[];
  outputNames: string[];
}

function stepError(err: unknown, index: number, step: PipelineStep): never {
  if (err instanceof StepError || (err instanceof HostError && err.code === 'invalid-argument')) {
    throw new HostError('invalid-argument', `Step ${index + 1} (${describeStep(step)}) failed: ${err.message}`);
  }
  throw err;
}

/**
 * Fits the pipeline on the training rows and returns it with the training matrix. Target encoding's columns in
 * that matrix are out-of-fold (see TargetEncodeStep); every other value equals `transform(fitted, train)`.
 * `seed` makes the folds reproducible.
 */
export function fitPipeline(
  spec: PipelineSpec,
  train: TrainingFrame,
  target: Target | undefined,
  seed: number,
): { fitted: FittedPipeline; train: FeatureMatrix } {
  const checked = validatePipelineSpec(spec, 'spec');
  if (target !== undefined && target.values.length !== train.rowCount) {
    throw new HostError('invalid-argument', `The target has ${target.values.length} values for ${train.rowCount} training rows.`);
  }
  const seen = new Set<string>();
  for (const c of train.columns) {
    if (seen.has(c.name)) throw new HostError('invalid-argument', `The training rows have two columns named "${c.name}".`);
    seen.add(c.name);
  }
  let work: Work = {
    rowCount: train.rowCount,
    columns: train.columns,
    lineage: new Map(train.columns.map((c) => [c.name, new Set([c.name])])),
  };
  const steps: FittedStep[] = [];
  checked.steps.forEach((step, i) => {
    try {
      const fitted = fitStep(step, work, { target, seed });
      steps.push(fitted.state);
      work = fitted.train ?? applyStep(fitted.state, work);
    } catch (err) {
      stepError(err, i, step);
    }
  });
  const left = work.columns.filter((c) => c.type !== 'number');
  if (left.length > 0) {
    const list = left.map((c) => `"${c.name}" (${c.type})`).join(', ');
    throw new HostError('invalid-argument', `These columns are not numbers at the end of the pipeline: ${list}. Encode, transform or drop them.`);
  }
  const required = new Set<string>();
  for (const c of work.columns) for (const x of work.lineage?.get(c.name) ?? []) required.add(x);
  const inputColumns = train.columns.map((c): InputColumn => {
    const out: InputColumn = { name: c.name, type: c.type, required: required.has(c.name) };
    if (c.type === 'category') out.levels = [...c.levels];
    return out;
  });
  const fitted: FittedPipeline = {
    schemaVersion: 1,
    spec: checked,
    steps,
    inputColumns,
    outputNames: work.columns.map((c) => c.name),
  };
  return { fitted, train: toMatrix(work, train) };
}

/** The output as a matrix; a column that is still one of the frame's own arrays is copied, so the two never alias. */
function toMatrix(work: Work, frame: Frame): FeatureMatrix {
  const inputs = new Set<unknown>(frame.columns.map((c) => (c.type === 'category' ? c.codes : c.values)));
  const numbers = work.columns as Extract<FrameColumn, { type: 'number' }>[];
  const matrix: FeatureMatrix = {
    rowCount: work.rowCount,
    names: numbers.map((c) => c.name),
    columns: numbers.map((c) => (inputs.has(c.values) ? c.values.slice() : c.values)),
  };
  if (numbers.some((c) => c.categorical === true)) matrix.categorical = numbers.map((c) => c.categorical === true);
  return matrix;
}

function placeholder(column: InputColumn, n: number): FrameColumn {
  switch (column.type) {
    case 'number':
    case 'datetime':
      return { name: column.name, type: column.type, values: new Float64Array(n).fill(Number.NaN) };
    case 'category':
      return { name: column.name, type: 'category', codes: new Int32Array(n).fill(-1), levels: [] };
    case 'text':
      return { name: column.name, type: 'text', values: new Array<string | null>(n).fill(null) };
  }
}

/**
 * Applies a fitted pipeline to any rows: validation, test or new data. Columns the pipeline needs must be
 * there with their training type (the error names every one that is not); other columns are ignored.
 * Categories are matched by their text, so a frame may number its levels differently and hold new ones.
 */
export function transform(fitted: FittedPipeline, frame: Frame): FeatureMatrix {
  const byName = new Map(frame.columns.map((c) => [c.name, c]));
  const missing: string[] = [];
  const wrong: string[] = [];
  const columns = fitted.inputColumns.map((input) => {
    const col = byName.get(input.name);
    if (col !== undefined && col.type === input.type) return col;
    if (input.required) {
      if (col === undefined) missing.push(`"${input.name}"`);
      else wrong.push(`"${input.name}" is ${col.type}, not ${input.type}`);
    }
    return placeholder(input, frame.rowCount);
  });
  if (missing.length > 0) {
    throw new HostError('invalid-argument', `The data lacks ${missing.length === 1 ? 'a column' : 'columns'} the pipeline needs: ${missing.join(', ')}.`);
  }
  if (wrong.length > 0) throw new HostError('invalid-argument', `Columns have the wrong type: ${wrong.join('; ')}.`);
  let work: Work = { rowCount: frame.rowCount, columns, lineage: null };
  fitted.steps.forEach((state, i) => {
    try {
      work = applyStep(state, work);
    } catch (err) {
      stepError(err, i, fitted.spec.steps[i]!);
    }
  });
  const names = work.columns.map((c) => c.name);
  if (names.length !== fitted.outputNames.length || names.some((n, i) => n !== fitted.outputNames[i] || work.columns[i]!.type !== 'number')) {
    throw new HostError('internal', 'The pipeline produced other columns than it was fitted with.');
  }
  return toMatrix(work, frame);
}

/** The first rows of a frame (sharing its arrays). */
function headRows(frame: Frame, limit: number): Frame {
  const n = Math.min(limit, frame.rowCount);
  return {
    rowCount: n,
    columns: frame.columns.map((c): FrameColumn => {
      switch (c.type) {
        case 'category':
          return { ...c, codes: c.codes.subarray(0, n) };
        case 'text':
          return { ...c, values: c.values.slice(0, n) };
        default:
          return { ...c, values: c.values.subarray(0, n) };
      }
    }),
  };
}

/**
 * The first `limit` training rows after the pipeline, for the UI: names, and one array of values per row (NaN
 * where missing). Target-encoded columns show the full-training encoding that `transform` uses, not the
 * out-of-fold values the model trains on. A pipeline with lag features transforms all rows, since a row's lags
 * depend on rows elsewhere in the frame.
 */
export function previewRows(fitted: FittedPipeline, train: TrainingFrame, limit: number): { names: string[]; rows: number[][] } {
  const n = Math.max(0, Math.min(Math.floor(limit), train.rowCount));
  const needsAll = fitted.steps.some((s) => s.op === 'lag');
  const X = transform(fitted, needsAll ? train : headRows(train, n));
  const rows: number[][] = [];
  for (let i = 0; i < n; i++) rows.push(X.columns.map((c) => c[i]!));
  return { names: X.names, rows };
}

// ---------------------------------------------------------------------------------------------------------------
// the document

const name = v.string({ min: 1, max: 1000 });
const num = v.number();
const category: Validator<string | null> = v.nullable(v.string({ max: 10_000 }));
const names = v.array(name, { max: 1_000_000 });

const validateFittedStep: Validator<FittedStep> = v.union('op', {
  impute: v.object({
    op: v.literal('impute'),
    columns: v.array(v.object({ name, fill: (x, p) => (typeof x === 'string' ? v.string()(x, p) : num(x, p)), indicator: v.boolean() })),
  }),
  onehot: v.object({
    op: v.literal('onehot'),
    columns: v.array(
      v.object({ name, categories: v.array(category), infrequent: v.array(category), unknown: v.literal('ignore', 'infrequent') }),
    ),
  }),
  ordinal: v.object({ op: v.literal('ordinal'), columns: v.array(v.object({ name, categories: v.array(v.string({ max: 10_000 })) })) }),
  target: v.object({
    op: v.literal('target'),
    outputs: v.array(v.string({ max: 10_000 })),
    columns: v.array(v.object({ name, categories: v.array(category), encodings: v.array(v.array(num)), prior: v.array(num) })),
  }),
  scale: v.object({ op: v.literal('scale'), columns: v.array(v.object({ name, center: num, scale: num })) }),
  log1p: v.object({ op: v.literal('log1p'), columns: names }),
  clip: v.object({ op: v.literal('clip'), columns: v.array(v.object({ name, lower: v.nullable(num), upper: v.nullable(num) })) }),
  bins: v.object({ op: v.literal('bins'), columns: v.array(v.object({ name, edges: v.array(num) })) }),
  dateparts: v.object({ op: v.literal('dateparts'), columns: names, parts: v.array(v.literal(...DATE_PARTS)) }),
  derive: v.object({ op: v.literal('derive'), name, expression: v.string({ min: 1, max: 10_000 }) }),
  lag: v.object({
    op: v.literal('lag'),
    columns: names,
    orderBy: name,
    groupBy: v.nullable(name),
    lags: v.array(v.number({ min: 1, integer: true })),
    windows: v.array(v.number({ min: 1, integer: true })),
    stats: v.array(v.literal(...ROLLING_STATS)),
  }),
  tfidf: v.object({
    op: v.literal('tfidf'),
    options: v.object({
      analyzer: v.literal('word', 'char', 'char_wb'),
      ngram: (x, p) => {
        const pair = v.array(v.number({ min: 1, max: 20, integer: true }), { max: 2 })(x, p);
        if (pair.length !== 2) throw new Error(`${p} must hold two numbers`);
        return [pair[0]!, pair[1]!] as [number, number];
      },
      lowercase: v.boolean(),
      sublinearTf: v.boolean(),
      smoothIdf: v.boolean(),
      minDf: v.number({ min: 1, integer: true }),
      maxFeatures: v.optional(v.number({ min: 1, integer: true })),
    }),
    columns: v.array(v.object({ name, vocabulary: v.array(v.string({ max: 10_000 })), idf: v.array(num) })),
  }),
  drop: v.object({ op: v.literal('drop'), columns: names }),
}) as Validator<FittedStep>;

/** Checks what the shapes alone cannot: steps match the spec, and the arrays that go together have equal lengths. */
function checkConsistent(doc: FittedPipeline): FittedPipeline {
  if (doc.steps.length !== doc.spec.steps.length) {
    throw new Error(`it has ${doc.steps.length} fitted steps for ${doc.spec.steps.length} steps`);
  }
  doc.steps.forEach((state, i) => {
    const want = fittedOp(doc.spec.steps[i]!);
    if (state.op !== want) throw new Error(`steps[${i}] is ${state.op} where the spec has ${want}`);
    if (state.op === 'target') {
      for (const c of state.columns) {
        if (c.prior.length !== state.outputs.length || c.encodings.length !== state.outputs.length) {
          throw new Error(`steps[${i}] "${c.name}" has ${c.encodings.length} encodings for ${state.outputs.length} outputs`);
        }
        if (c.encodings.some((e) => e.length !== c.categories.length)) throw new Error(`steps[${i}] "${c.name}" has encodings of the wrong length`);
      }
    }
    if (state.op === 'tfidf') {
      for (const c of state.columns) {
        if (c.idf.length !== c.vocabulary.length) throw new Error(`steps[${i}] "${c.name}" has ${c.idf.length} idf weights for ${c.vocabulary.length} terms`);
      }
    }
    if (state.op === 'scale' && state.columns.some((c) => c.scale === 0)) throw new Error(`steps[${i}] has a scale of 0`);
    if (state.op === 'derive') {
      try {
        parseExpression(state.expression);
      } catch (err) {
        throw new Error(`steps[${i}] has an expression that does not parse: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
      }
    }
  });
  const inputs = new Set<string>();
  for (const c of doc.inputColumns) {
    if (inputs.has(c.name)) throw new Error(`inputColumns names "${c.name}" twice`);
    inputs.add(c.name);
  }
  return doc;
}

const validateFittedPipeline: Validator<FittedPipeline> = (value, path) =>
  checkConsistent(
    v.object({
      schemaVersion: v.literal(1),
      spec: validatePipelineSpec,
      steps: v.array(validateFittedStep, { max: 1000 }),
      inputColumns: v.array(
        v.object({
          name,
          type: v.literal(...COLUMN_TYPES),
          levels: v.optional(v.array(v.string({ max: 10_000 }))),
          required: v.boolean(),
        }),
      ),
      outputNames: names,
    })(value, path) as FittedPipeline,
  );

/** The fitted pipeline as a persisted document kind (version 1). */
export const FITTED_PIPELINE = defineDocument<FittedPipeline>({
  kind: 'fitted pipeline',
  version: 1,
  migrations: [],
  validate: validateFittedPipeline,
});

/**
 * Reads a fitted pipeline from parsed JSON (a saved experiment, an exported bundle), checking every field:
 * a damaged or foreign document is refused with a `bad-file` HostError saying what is wrong, and one from a
 * newer Orchard with `not-supported`.
 */
export function loadPipeline(json: unknown): FittedPipeline {
  return readDocument(FITTED_PIPELINE, json);
}
