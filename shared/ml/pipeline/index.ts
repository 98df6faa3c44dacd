/**
 * The leakage-safe preprocessing pipeline: a JSON spec of steps (spec.ts), fitted only on training rows
 * (`fitPipeline`), applied to anything else (`transform`), saved and reloaded as one JSON document
 * (`loadPipeline`).
 */
export * from './spec.js';
export { fitPipeline, transform, loadPipeline, previewRows, FITTED_PIPELINE, type FittedPipeline, type InputColumn } from './pipeline.js';
export { describeStep, defaultPipeline, withTargetDropped, type ColumnInfo } from './describe.js';
export { parseExpression, expressionColumns, evaluateExpression, type Expr } from './expression.js';
export type { FittedStep, Category } from './steps.js';
