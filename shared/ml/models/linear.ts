import { HostError } from '../../host/errors.js';
import type { FeatureMatrix, FitContext, FittedModel, ModelState, Predictions, Target, Task } from '../types.js';
import { checkCancelled, classCount } from '../types.js';

/**
 * Linear models, fitted to the same optimum as scikit-learn's.
 *
 * Logistic regression (`fitLogistic`, kind 'logreg') minimises sklearn's objective
 *   C·Σᵢ sᵢ·logloss(xᵢ) + penalty(W),
 * with sᵢ the sample weights (`ctx.weights`, 1 when absent) and the intercepts never penalised. Penalties: 'l2'
 * ½‖W‖², 'l1' ‖W‖₁, 'elasticnet' l1Ratio·‖W‖₁ + ½(1−l1Ratio)‖W‖², 'none'. A binary task has one coefficient
 * vector (for class index 1, as sklearn's `coef_`); a multiclass task the multinomial (softmax) model, one vector
 * per class, with the intercepts centred to sum to 0 (the softmax does not change; this is where sklearn's
 * solvers end too). Internally the objective is divided by C·Σsᵢ, which moves no optimum but makes `tol`
 * independent of the row count: the fit stops once the largest violation of the optimality conditions of that
 * scaled objective (the gradient for 'l2'/'none'; the subgradient distance for 'l1'/'elasticnet') is ≤ `tol`.
 *
 * Both solvers work on standardised features (shifted and scaled as the kernels read them, never copied), with
 * the penalty kept on the raw coefficients, so raw scales and offsets cost no iterations; `tol` applies in
 * those standardised coordinates.
 *
 * Solvers: L-BFGS (10 pairs) for 'l2' and 'none'. Its line search evaluates trial steps on the linear predictor
 * (Z + t·X·d), so a trial costs O(n·k), not O(n·d), and it accepts Hager–Zhang's approximate Wolfe condition
 * once the objective's change is lost in rounding, which lets it reach gradients of 1e-8 and below. For 'l1' and
 * 'elasticnet', proximal Newton (glmnet's method): each outer step builds the quadratic model of the log loss at
 * the current point (the exact Hessian for binary; per class the diagonal Hessian block, cycling over classes,
 * for multinomial), minimises it plus the penalty by coordinate descent with an active set, and takes the step
 * with a backtracking line search on the true objective. Below 200 features the Hessian is formed ((d+1)², one
 * O(n·d²/2) pass) and the model minimised to high accuracy in O(d²) per sweep; wider data runs coordinate descent
 * on the rows (O(n) per coordinate, no d² matrix). Multinomial fits also move, after each cycle, along the one
 * direction the loss is flat in (the same vector added to every class), to the penalty's minimum there.
 *
 * Cost: L-BFGS does two passes over X per iteration (X·d and Xᵀr, four columns per pass); 35,000 × 100 L2 takes
 * about 0.35 s of CPU, 1,000,000 × 20 about 1.3 s.
 *
 * Linear regression (`fitLinear`, kind 'linear') minimises sklearn's objectives: 'none' (LinearRegression)
 * Σsᵢrᵢ²; 'l2' (Ridge) Σsᵢrᵢ² + alpha‖w‖²; 'l1' (Lasso) and 'elasticnet' (ElasticNet)
 * 1/(2Σsᵢ)·Σsᵢrᵢ² + alpha·l1Ratio‖w‖₁ + ½alpha(1−l1Ratio)‖w‖² ('l1' is l1Ratio = 1). All four work on the
 * weighted-centred Gram matrix (one pass over the rows, O(n·d²/2), in row blocks): Cholesky for 'none' and 'l2'
 * (a rank-deficient 'none' gets a 1e-10 ridge, which lands within rounding of lstsq's minimum-norm solution),
 * covariance-update coordinate descent for 'l1' and 'elasticnet' until the subgradient violation is ≤ `tol`.
 *
 * Features must be complete: a NaN is refused with the feature's name (add an impute step). Progress reports
 * the fraction of `maxIter` used and metric {name: 'loss', step, train}, where train is the scaled objective.
 */

/** The penalty on the coefficients (never on the intercepts). */
export type Penalty = 'none' | 'l2' | 'l1' | 'elasticnet';

const PENALTIES: readonly Penalty[] = ['none', 'l2', 'l1', 'elasticnet'];

/** Parameters of `fitLogistic` (sklearn's LogisticRegression names, camel-cased; see `LOGISTIC_DEFAULTS`). */
export interface LogisticParams {
  penalty: Penalty;
  /** Inverse penalty strength: the loss is multiplied by C. */
  C: number;
  /** Share of L1 in 'elasticnet' (0: pure L2, 1: pure L1). */
  l1Ratio: number;
  /** Most solver iterations (L-BFGS steps, or proximal Newton steps). */
  maxIter: number;
  /** Stop once the optimality violation of the objective divided by C·Σweights is ≤ tol. */
  tol: number;
  fitIntercept: boolean;
}

/** Defaults of `fitLogistic`. */
export const LOGISTIC_DEFAULTS: Readonly<LogisticParams> = Object.freeze({
  penalty: 'l2',
  C: 1,
  l1Ratio: 0.5,
  maxIter: 1000,
  tol: 1e-8,
  fitIntercept: true,
});

/** Parameters of `fitLinear` (sklearn's Ridge / Lasso / ElasticNet names, camel-cased; see `LINEAR_DEFAULTS`). */
export interface LinearParams {
  penalty: Penalty;
  /** Penalty strength (ignored for 'none'). */
  alpha: number;
  /** Share of L1 in 'elasticnet'. */
  l1Ratio: number;
  /** Most coordinate-descent sweeps ('l1', 'elasticnet'). */
  maxIter: number;
  /** Stop once the optimality violation of the objective divided by Σweights is ≤ tol ('l1', 'elasticnet'). */
  tol: number;
  fitIntercept: boolean;
}

/** Defaults of `fitLinear`. */
export const LINEAR_DEFAULTS: Readonly<LinearParams> = Object.freeze({
  penalty: 'none',
  alpha: 1,
  l1Ratio: 0.5,
  maxIter: 1000,
  tol: 1e-8,
  fitIntercept: true,
});

/** A fitted logistic or linear regression. */
export interface LinearModel extends FittedModel {
  readonly kind: 'logreg' | 'linear';
  readonly featureNames: readonly string[];
  /** Class names of a classification target, when the target had them. */
  readonly classes: readonly string[] | undefined;
  /** Solver iterations used, and whether the optimality tolerance was reached within `maxIter`. */
  readonly iterations: number;
  readonly converged: boolean;
  /**
   * Feature name → weight, for the UI. `row` picks the class of a multiclass model (its index in the target's
   * classes); binary (the positive class's log-odds) and regression models have only row 0.
   */
  coefficients(row?: number): Record<string, number>;
  /** The intercept of row `row` (see `coefficients`). */
  intercept(row?: number): number;
  /** The linear predictor before the link: per row (binary, regression) or row-major per class (multiclass). */
  predictRaw(X: FeatureMatrix): Float64Array;
}

/** The JSON state of a linear model (`toJSON()`); `coefficients[r][j]` is row r's weight of feature j. */
export interface LinearModelState extends ModelState {
  kind: 'logreg' | 'linear';
  version: 1;
  coefficients: number[][];
  intercepts: number[];
  featureNames: string[];
  classes?: string[];
  iterations: number;
  converged: boolean;
}

// ---------------------------------------------------------------------------------------------------------------
// Parameters and inputs

function bad(model: string, what: string): never {
  throw new HostError('invalid-argument', `${model}: ${what}.`);
}

function pick<T extends object>(defaults: Readonly<T>, params: Partial<T>): T {
  const p = { ...defaults } as T;
  for (const key of Object.keys(defaults) as (keyof T)[]) {
    const v = params[key];
    if (v !== undefined) p[key] = v as T[keyof T];
  }
  return p;
}

function checkCommon(model: string, p: { penalty: Penalty; l1Ratio: number; maxIter: number; tol: number; fitIntercept: boolean }): void {
  if (!PENALTIES.includes(p.penalty)) bad(model, `penalty must be one of ${PENALTIES.join(', ')}`);
  if (!(p.l1Ratio >= 0 && p.l1Ratio <= 1)) bad(model, 'l1Ratio must be in [0, 1]');
  if (!Number.isInteger(p.maxIter) || p.maxIter < 1) bad(model, 'maxIter must be a whole number ≥ 1');
  if (!(p.tol > 0 && Number.isFinite(p.tol))) bad(model, 'tol must be > 0');
  if (typeof p.fitIntercept !== 'boolean') bad(model, 'fitIntercept must be true or false');
}

/** Resolves and checks logistic regression parameters. */
export function logisticParams(params: Partial<LogisticParams> = {}): LogisticParams {
  const p = pick(LOGISTIC_DEFAULTS, params);
  checkCommon('Logistic regression', p);
  if (!(p.C > 0 && Number.isFinite(p.C))) bad('Logistic regression', 'C must be a positive number');
  return p;
}

/** Resolves and checks linear regression parameters. */
export function linearParams(params: Partial<LinearParams> = {}): LinearParams {
  const p = pick(LINEAR_DEFAULTS, params);
  checkCommon('Linear regression', p);
  if (!(p.alpha >= 0 && Number.isFinite(p.alpha))) bad('Linear regression', 'alpha must be a number ≥ 0');
  return p;
}

/** Refuses a missing or infinite value, naming the feature. */
function checkFinite(X: FeatureMatrix): void {
  for (let j = 0; j < X.columns.length; j++) {
    const col = X.columns[j]!;
    for (let i = 0; i < col.length; i++) {
      const v = col[i]!;
      if (v - v !== 0) {
        const name = X.names[j] ?? `#${j + 1}`;
        throw new HostError(
          'invalid-argument',
          Number.isNaN(v)
            ? `Feature "${name}" has missing values (row ${i + 1}); linear models need complete features, so add an impute step for it.`
            : `Feature "${name}" has an infinite value (row ${i + 1}); linear models need finite features.`,
        );
      }
    }
  }
}

/** Checks shapes and returns the sample weights divided by their sum, and that sum. */
function checkInputs(X: FeatureMatrix, y: Target, ctx: FitContext): { w: Float64Array; total: number } {
  const n = X.rowCount;
  if (y.values.length !== n) throw new HostError('invalid-argument', `The target has ${y.values.length} rows but the features ${n}.`);
  if (n === 0) throw new HostError('invalid-argument', 'There are no training rows.');
  if (X.columns.length !== X.names.length) throw new HostError('invalid-argument', 'The feature names do not match the columns.');
  for (const c of X.columns) if (c.length !== n) throw new HostError('invalid-argument', 'A feature column has the wrong length.');
  checkFinite(X);
  const w = new Float64Array(n);
  if (ctx.weights) {
    if (ctx.weights.length !== n) throw new HostError('invalid-argument', 'The weights have the wrong length.');
    w.set(ctx.weights);
  } else w.fill(1);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const v = w[i]!;
    if (!(v >= 0 && v < Infinity)) throw new HostError('invalid-argument', `Weight ${v} of row ${i + 1} is not a finite number ≥ 0.`);
    total += v;
  }
  if (!(total > 0)) throw new HostError('invalid-argument', 'The weights sum to 0.');
  for (let i = 0; i < n; i++) w[i]! /= total;
  return { w, total };
}

function report(ctx: FitContext, iter: number, maxIter: number, loss: number): void {
  ctx.onProgress?.({ fraction: Math.min(1, iter / maxIter), metric: { name: 'loss', step: iter, train: loss } });
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const v = Math.abs(a[i]!);
    if (v > m) m = v;
  }
  return m;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

// ---------------------------------------------------------------------------------------------------------------
// Logistic regression

/**
 * The scaled problem: mean loss Σ wᵢ·ℓᵢ (weights summing to 1) + l2/2‖W‖² + l1‖W‖₁. Parameters θ hold K blocks
 * (1 for binary) of d coefficients followed by the intercept: block k is θ[k(d+1) .. k(d+1)+d].
 */
interface LogisticProblem {
  n: number;
  d: number;
  K: number;
  cols: Float64Array[];
  w: Float64Array;
  /** Class index per row. */
  label: Int32Array;
  l1: number;
  l2: number;
  fitIntercept: boolean;
  /**
   * The solver works on standardised features x̃ⱼ = (xⱼ − mu[j])·sc[j] (weighted mean and 1/std; without an
   * intercept no mean, and 1/root-mean-square), never copied: the kernels shift and scale as they read. So
   * raw scales and offsets cost no iterations. The penalty stays on the raw coefficients wⱼ = vⱼ·sc[j]: per
   * coordinate l1·sc[j]·|vⱼ| + l2/2·sc[j]²·vⱼ².
   */
  mu: Float64Array;
  sc: Float64Array;
  /** Scratch for raw coefficients (d). */
  raw: Float64Array;
}

/** Z_k = X̃·v_k + c_k for every block (`theta` may also be a direction). */
function linearPredictor(pr: LogisticProblem, theta: Float64Array, Z: Float64Array[]): void {
  for (let k = 0; k < pr.K; k++) blockPredictor(pr, theta, k, Z[k]!);
}

function blockPredictor(pr: LogisticProblem, theta: Float64Array, k: number, z: Float64Array): void {
  predictorOf(pr, theta, k * (pr.d + 1), z);
}

/** z = X̃·v + c for the standardised coefficients v = vec[off..off+d−1] and c = vec[off+d]. */
function predictorOf(pr: LogisticProblem, vec: Float64Array, off: number, z: Float64Array): void {
  const { d, mu, sc, raw } = pr;
  let c = vec[off + d]!;
  for (let j = 0; j < d; j++) {
    const w = vec[off + j]! * sc[j]!;
    raw[j] = w;
    c -= w * mu[j]!;
  }
  z.fill(c);
  addProduct(pr.cols, pr.n, raw, 0, z);
}

/**
 * z += Σⱼ coef[offset+j]·cols[j], four columns per pass over z (so z is read and written d/4 times, not d), zero
 * coefficients skipped.
 */
function addProduct(cols: Float64Array[], n: number, coef: Float64Array, offset: number, z: Float64Array): void {
  const live: number[] = [];
  for (let j = 0; j < cols.length; j++) if (coef[offset + j] !== 0) live.push(j);
  let t = 0;
  for (; t + 3 < live.length; t += 4) {
    const a0 = cols[live[t]!]!;
    const a1 = cols[live[t + 1]!]!;
    const a2 = cols[live[t + 2]!]!;
    const a3 = cols[live[t + 3]!]!;
    const c0 = coef[offset + live[t]!]!;
    const c1 = coef[offset + live[t + 1]!]!;
    const c2 = coef[offset + live[t + 2]!]!;
    const c3 = coef[offset + live[t + 3]!]!;
    for (let i = 0; i < n; i++) z[i]! += c0 * a0[i]! + c1 * a1[i]! + c2 * a2[i]! + c3 * a3[i]!;
  }
  for (; t < live.length; t++) {
    const a = cols[live[t]!]!;
    const c = coef[offset + live[t]!]!;
    for (let i = 0; i < n; i++) z[i]! += c * a[i]!;
  }
}

/** out[offset+j] = Σᵢ (cols[j][i] − mu[j])·r[i] for every column, four columns per pass over r. */
function transposeProduct(cols: Float64Array[], mu: Float64Array, n: number, r: Float64Array, out: Float64Array, offset: number): void {
  const d = cols.length;
  let j = 0;
  for (; j + 3 < d; j += 4) {
    const a0 = cols[j]!;
    const a1 = cols[j + 1]!;
    const a2 = cols[j + 2]!;
    const a3 = cols[j + 3]!;
    const m0 = mu[j]!;
    const m1 = mu[j + 1]!;
    const m2 = mu[j + 2]!;
    const m3 = mu[j + 3]!;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let i = 0; i < n; i++) {
      const v = r[i]!;
      s0 += (a0[i]! - m0) * v;
      s1 += (a1[i]! - m1) * v;
      s2 += (a2[i]! - m2) * v;
      s3 += (a3[i]! - m3) * v;
    }
    out[offset + j] = s0;
    out[offset + j + 1] = s1;
    out[offset + j + 2] = s2;
    out[offset + j + 3] = s3;
  }
  for (; j < d; j++) {
    const a = cols[j]!;
    const m = mu[j]!;
    let s = 0;
    for (let i = 0; i < n; i++) s += (a[i]! - m) * r[i]!;
    out[offset + j] = s;
  }
}

/**
 * The mean log loss at predictors Z; fills R_k[i] = wᵢ(p_ik − [yᵢ = k]) (the loss's derivative in z) and, when
 * given, P_k[i] = p_ik.
 */
function logLoss(pr: LogisticProblem, Z: Float64Array[], R: Float64Array[], P?: Float64Array[]): number {
  const { n, K, w, label } = pr;
  let loss = 0;
  if (K === 1) {
    const z = Z[0]!;
    const r = R[0]!;
    const pp = P?.[0];
    for (let i = 0; i < n; i++) {
      const zi = z[i]!;
      const yi = label[i]!;
      // ℓ = softplus(z) − y·z, p = σ(z)
      let p: number;
      let l: number;
      if (zi >= 0) {
        const e = Math.exp(-zi);
        p = 1 / (1 + e);
        l = zi + Math.log1p(e) - yi * zi;
      } else {
        const e = Math.exp(zi);
        p = e / (1 + e);
        l = Math.log1p(e) - yi * zi;
      }
      loss += w[i]! * l;
      r[i] = w[i]! * (p - yi);
      if (pp) pp[i] = p;
    }
    return loss;
  }
  for (let i = 0; i < n; i++) {
    let m = -Infinity;
    for (let k = 0; k < K; k++) {
      const v = Z[k]![i]!;
      if (v > m) m = v;
    }
    let s = 0;
    for (let k = 0; k < K; k++) s += Math.exp(Z[k]![i]! - m);
    const lse = m + Math.log(s);
    const yi = label[i]!;
    const wi = w[i]!;
    loss += wi * (lse - Z[yi]![i]!);
    for (let k = 0; k < K; k++) {
      const p = Math.exp(Z[k]![i]! - lse);
      R[k]![i] = wi * (k === yi ? p - 1 : p);
      if (P) P[k]![i] = p;
    }
  }
  return loss;
}

/** Gradient of the mean loss + l2/2‖W‖² for block k, into g at block k's offset. */
function blockGradient(pr: LogisticProblem, theta: Float64Array, R: Float64Array[], k: number, g: Float64Array): void {
  const { d, n, cols, l2, fitIntercept } = pr;
  const off = k * (d + 1);
  const { mu, sc } = pr;
  const r = R[k]!;
  transposeProduct(cols, mu, n, r, g, off);
  for (let j = 0; j < d; j++) g[off + j] = sc[j]! * g[off + j]! + l2 * sc[j]! * sc[j]! * theta[off + j]!;
  if (fitIntercept) {
    let s = 0;
    for (let i = 0; i < n; i++) s += r[i]!;
    g[off + d] = s;
  } else g[off + d] = 0;
}

function gradient(pr: LogisticProblem, theta: Float64Array, R: Float64Array[], g: Float64Array): void {
  for (let k = 0; k < pr.K; k++) blockGradient(pr, theta, R, k, g);
}

/** The penalty l2/2‖W‖² + l1‖W‖₁ on the raw coefficients W (intercepts excluded). */
function penalty(pr: LogisticProblem, theta: Float64Array): number {
  const { d, K, l1, l2, sc } = pr;
  let sq = 0;
  let ab = 0;
  for (let k = 0; k < K; k++) {
    const off = k * (d + 1);
    for (let j = 0; j < d; j++) {
      const v = theta[off + j]! * sc[j]!;
      sq += v * v;
      ab += Math.abs(v);
    }
  }
  return 0.5 * l2 * sq + l1 * ab;
}

/**
 * Largest violation of the optimality conditions in the standardised coordinates, given the smooth gradient g
 * (which includes the L2 term): |gⱼ| for a free coordinate, its distance from the L1 subgradient otherwise.
 */
function kktViolation(pr: LogisticProblem, theta: Float64Array, g: Float64Array): number {
  const { d, K, sc } = pr;
  let m = 0;
  for (let k = 0; k < K; k++) {
    const off = k * (d + 1);
    for (let j = 0; j <= d; j++) {
      const gj = g[off + j]!;
      const l1 = j === d ? 0 : pr.l1 * sc[j]!;
      let v: number;
      if (l1 === 0) v = Math.abs(gj);
      else {
        const t = theta[off + j]!;
        v = t !== 0 ? Math.abs(gj + (t > 0 ? l1 : -l1)) : Math.max(0, Math.abs(gj) - l1);
      }
      if (v > m) m = v;
    }
  }
  return m;
}

interface SolverResult {
  theta: Float64Array;
  iterations: number;
  converged: boolean;
}

const MEMORY = 10;

/** L-BFGS on the smooth objective (penalty 'l2' or 'none'). */
function lbfgs(pr: LogisticProblem, maxIter: number, tol: number, ctx: FitContext): SolverResult {
  const { n, d, K } = pr;
  const m = K * (d + 1);
  const arrays = (): Float64Array[] => Array.from({ length: K }, () => new Float64Array(n));
  let Z = arrays();
  let R = arrays();
  let Zt = arrays();
  let Rt = arrays();
  const ZD = arrays();
  const theta = new Float64Array(m);
  const thetaT = new Float64Array(m);
  const g = new Float64Array(m);
  const gNew = new Float64Array(m);
  const dir = new Float64Array(m);
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho: number[] = [];
  const alpha = new Float64Array(MEMORY);
  const freeIntercept = pr.fitIntercept;
  const maskIntercepts = (v: Float64Array): void => {
    if (!freeIntercept) for (let k = 0; k < K; k++) v[k * (d + 1) + d] = 0;
  };

  linearPredictor(pr, theta, Z);
  let f = logLoss(pr, Z, R) + penalty(pr, theta);
  gradient(pr, theta, R, g);
  let iterations = 0;
  let converged = false;
  while (true) {
    checkCancelled(ctx);
    if (maxAbs(g) <= tol) {
      converged = true;
      break;
    }
    if (iterations >= maxIter) break;
    iterations++;

    // Two-loop recursion: dir = −H·g.
    for (let i = 0; i < m; i++) dir[i] = -g[i]!;
    const h = S.length;
    for (let i = h - 1; i >= 0; i--) {
      const a = rho[i]! * dot(S[i]!, dir);
      alpha[i] = a;
      const y = Y[i]!;
      for (let t = 0; t < m; t++) dir[t]! -= a * y[t]!;
    }
    let gamma: number;
    if (h > 0) gamma = dot(S[h - 1]!, Y[h - 1]!) / dot(Y[h - 1]!, Y[h - 1]!);
    else gamma = 1 / Math.max(1, maxAbs(g));
    for (let t = 0; t < m; t++) dir[t]! *= gamma;
    for (let i = 0; i < h; i++) {
      const b = rho[i]! * dot(Y[i]!, dir);
      const s = S[i]!;
      const c = alpha[i]! - b;
      for (let t = 0; t < m; t++) dir[t]! += c * s[t]!;
    }
    maskIntercepts(dir);
    let slope0 = dot(g, dir);
    if (!(slope0 < 0)) {
      // Not a descent direction (rounding): restart from steepest descent.
      S.length = 0;
      Y.length = 0;
      rho.length = 0;
      const scale = 1 / Math.max(1, maxAbs(g));
      for (let t = 0; t < m; t++) dir[t] = -g[t]! * scale;
      maskIntercepts(dir);
      slope0 = dot(g, dir);
    }

    linearPredictor(pr, dir, ZD);
    // Line search on φ(t) = F(θ + t·dir), evaluated through Z + t·ZD.
    let step = 1;
    let accepted = false;
    for (let trial = 0; trial < 40; trial++) {
      for (let t = 0; t < m; t++) thetaT[t] = theta[t]! + step * dir[t]!;
      for (let k = 0; k < K; k++) {
        const z = Z[k]!;
        const zd = ZD[k]!;
        const zt = Zt[k]!;
        for (let i = 0; i < n; i++) zt[i] = z[i]! + step * zd[i]!;
      }
      const ft = logLoss(pr, Zt, Rt) + penalty(pr, thetaT);
      if (Number.isFinite(ft)) {
        let slope = 0;
        for (let k = 0; k < K; k++) slope += dot(Rt[k]!, ZD[k]!);
        for (let k = 0; k < K; k++) {
          const off = k * (d + 1);
          for (let j = 0; j < d; j++) slope += pr.l2 * pr.sc[j]! * pr.sc[j]! * thetaT[off + j]! * dir[off + j]!;
        }
        const armijo = ft <= f + 1e-4 * step * slope0;
        const approxWolfe = ft <= f + 1e-12 * Math.abs(f) && slope <= -0.8 * slope0;
        if (armijo || approxWolfe) {
          accepted = true;
          f = ft;
          break;
        }
        // Safeguarded quadratic interpolation.
        const denom = 2 * (ft - f - slope0 * step);
        const next = denom > 0 ? (-slope0 * step * step) / denom : 0.5 * step;
        step = Math.min(0.5 * step, Math.max(0.1 * step, next));
      } else step *= 0.1;
    }
    if (!accepted) break; // No progress is possible at this precision.

    [Z, Zt] = [Zt, Z];
    [R, Rt] = [Rt, R];
    gradient(pr, thetaT, R, gNew);
    const s = new Float64Array(m);
    const y = new Float64Array(m);
    for (let t = 0; t < m; t++) {
      s[t] = thetaT[t]! - theta[t]!;
      y[t] = gNew[t]! - g[t]!;
    }
    theta.set(thetaT);
    g.set(gNew);
    const sy = dot(s, y);
    if (sy > 1e-14 * Math.sqrt(dot(s, s) * dot(y, y))) {
      if (S.length === MEMORY) {
        S.shift();
        Y.shift();
        rho.shift();
      }
      S.push(s);
      Y.push(y);
      rho.push(1 / sy);
    }
    report(ctx, iterations, maxIter, f);
  }
  return { theta, iterations, converged };
}

/** Below this many features, proximal Newton forms the Hessian explicitly (see `proximalNewton`). */
const EXPLICIT_HESSIAN_MAX = 200;

/** Block of rows a Gram matrix is accumulated over (about 2·d·rows·8 bytes stay in a 512 KiB cache). */
function gramBlockRows(d: number): number {
  return Math.max(64, Math.min(2048, Math.floor(32_768 / Math.max(1, d))));
}

/**
 * G[j][k] += Σᵢ left[j][i]·right[k][offset+i] for k ≥ j, i < len (row-major, `stride` wide): four k at a time,
 * so each left value is read once per four products and the four sums do not wait on each other.
 */
function accumulateGram(left: Float64Array[], right: Float64Array[], offset: number, len: number, G: Float64Array, stride: number): void {
  const d = left.length;
  for (let j = 0; j < d; j++) {
    const b = left[j]!;
    let k = j;
    for (; k + 3 < d; k += 4) {
      const c0 = right[k]!;
      const c1 = right[k + 1]!;
      const c2 = right[k + 2]!;
      const c3 = right[k + 3]!;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let i = 0; i < len; i++) {
        const v = b[i]!;
        const r = offset + i;
        s0 += v * c0[r]!;
        s1 += v * c1[r]!;
        s2 += v * c2[r]!;
        s3 += v * c3[r]!;
      }
      const at = j * stride + k;
      G[at]! += s0;
      G[at + 1]! += s1;
      G[at + 2]! += s2;
      G[at + 3]! += s3;
    }
    for (; k < d; k++) {
      const c = right[k]!;
      let s = 0;
      for (let i = 0; i < len; i++) s += b[i]! * c[offset + i]!;
      G[j * stride + k]! += s;
    }
  }
}

/** X̃ᵀ·diag(h)·X̃ for X̃ = [standardised X, 1], row-major (d+1)×(d+1), accumulated over blocks of rows. */
function weightedGram(pr: LogisticProblem, h: Float64Array): Float64Array {
  const { cols, n, d, mu, sc } = pr;
  const D1 = d + 1;
  const G = new Float64Array(D1 * D1);
  const B = gramBlockRows(D1);
  const hx = Array.from({ length: d }, () => new Float64Array(B));
  const xt = Array.from({ length: d }, () => new Float64Array(B));
  for (let start = 0; start < n; start += B) {
    const len = Math.min(B, n - start);
    let hs = 0;
    for (let i = 0; i < len; i++) hs += h[start + i]!;
    G[d * D1 + d]! += hs;
    for (let j = 0; j < d; j++) {
      const col = cols[j]!;
      const m = mu[j]!;
      const f = sc[j]!;
      const a = xt[j]!;
      const b = hx[j]!;
      let s = 0;
      for (let i = 0; i < len; i++) {
        const x = (col[start + i]! - m) * f;
        a[i] = x;
        const v = h[start + i]! * x;
        b[i] = v;
        s += v;
      }
      G[j * D1 + d]! += s;
    }
    accumulateGram(hx, xt, 0, len, G, D1);
  }
  for (let j = 0; j < D1; j++) for (let k = 0; k < j; k++) G[j * D1 + k] = G[k * D1 + j]!;
  return G;
}

/**
 * The softmax does not change when one vector v is added to every class's coefficients, so the loss is flat in
 * that direction and only the penalty fixes it; block (class-by-class) steps crawl along it. This moves there
 * exactly: per feature j, the shift v minimising Σₖ l1|W_kj + v| + l2/2·(W_kj + v)² (a convex piecewise
 * quadratic; its minimum is at a breakpoint −W_kj or a stationary point between two). Ties (pure L1, an even
 * number of classes) keep the smallest shift. Returns whether anything moved.
 */
function shiftToPenaltyMinimum(pr: LogisticProblem, theta: Float64Array): boolean {
  const { d, K } = pr;
  const a = new Float64Array(K);
  let l1 = 0;
  let l2 = 0;
  const cost = (v: number): number => {
    let s = 0;
    for (let k = 0; k < K; k++) {
      const t = a[k]! + v;
      s += l1 * Math.abs(t) + 0.5 * l2 * t * t;
    }
    return s;
  };
  let moved = false;
  for (let j = 0; j < d; j++) {
    // In the standardised coordinates the penalty of feature j is l1·sc|v| + l2/2·sc²v².
    const f = pr.sc[j]!;
    if (f === 0) continue;
    l1 = pr.l1 * f;
    l2 = pr.l2 * f * f;
    let sum = 0;
    for (let k = 0; k < K; k++) {
      a[k] = theta[k * (d + 1) + j]!;
      sum += a[k]!;
    }
    const breaks = Array.from(a, (x) => -x).sort((x, y) => x - y);
    const candidates = [0, ...breaks];
    if (l2 > 0) {
      // Between breakpoints m−1 and m, m of the K terms are positive: the slope is l2(Σa + Kv) + l1(2m − K).
      for (let m = 0; m <= K; m++) {
        const v = (-(l1 * (2 * m - K)) / l2 - sum) / K;
        const lo = m === 0 ? -Infinity : breaks[m - 1]!;
        const hi = m === K ? Infinity : breaks[m]!;
        if (v >= lo && v <= hi) candidates.push(v);
      }
    }
    let best = 0;
    let bestCost = cost(0);
    for (const v of candidates) {
      const c = cost(v);
      if (c < bestCost - 1e-15 * Math.max(1, bestCost) || (c <= bestCost && Math.abs(v) < Math.abs(best))) {
        best = v;
        bestCost = c;
      }
    }
    if (best !== 0) {
      moved = true;
      for (let k = 0; k < K; k++) theta[k * (d + 1) + j]! += best;
    }
  }
  return moved;
}

/** Proximal Newton with coordinate descent on the quadratic model (penalty 'l1' or 'elasticnet'). */
function proximalNewton(pr: LogisticProblem, maxIter: number, tol: number, ctx: FitContext): SolverResult {
  const { n, d, K, cols, mu, sc, fitIntercept } = pr;
  const m = K * (d + 1);
  // Per-coordinate penalties in the standardised coordinates.
  const l1j = Float64Array.from(sc, (f) => pr.l1 * f);
  const l2j = Float64Array.from(sc, (f) => pr.l2 * f * f);
  const arrays = (): Float64Array[] => Array.from({ length: K }, () => new Float64Array(n));
  let Z = arrays();
  let R = arrays();
  let P = arrays();
  let Zt = arrays();
  let Rt = arrays();
  let Pt = arrays();
  const theta = new Float64Array(m);
  const g = new Float64Array(m);
  const h = new Float64Array(n);
  const u = new Float64Array(n);
  const delta = new Float64Array(d + 1);
  const curv = new Float64Array(d + 1);
  const trial = new Float64Array(m);

  linearPredictor(pr, theta, Z);
  let f = logLoss(pr, Z, R, P) + penalty(pr, theta);
  let iterations = 0;
  let converged = false;
  while (true) {
    checkCancelled(ctx);
    gradient(pr, theta, R, g);
    const kkt = kktViolation(pr, theta, g);
    if (kkt <= tol) {
      converged = true;
      break;
    }
    if (iterations >= maxIter) break;
    iterations++;
    const innerTol = Math.max(0.01 * tol, Math.min(0.1 * kkt, 1e-3));
    let progressed = false;

    for (let k = 0; k < K; k++) {
      const off = k * (d + 1);
      if (k > 0) {
        checkCancelled(ctx);
        blockGradient(pr, theta, R, k, g);
      }
      // Hessian weights of block k: wᵢ·p(1−p).
      const w = pr.w;
      const p = P[k]!;
      for (let i = 0; i < n; i++) h[i] = w[i]! * p[i]! * (1 - p[i]!);
      delta.fill(0);
      /** The minimiser over coordinate j of the model, now at value v with slope q and curvature a. */
      const coordinate = (j: number, v: number, q: number, a: number): number => {
        const z = v - q / a;
        if (j === d) return z;
        const shrunk = Math.abs(z) - l1j[j]! / a;
        return shrunk > 0 ? (z > 0 ? shrunk : -shrunk) : 0;
      };
      const isActive = (j: number): boolean => j === d || theta[off + j]! + delta[j]! !== 0;
      /** Coordinate descent: full sweeps, each followed by sweeps over the nonzero coordinates until they settle. */
      const descend = (update: (j: number) => number, sweeps: number, innerTol: number): void => {
        for (let sweep = 0; sweep < sweeps; sweep++) {
          let change = 0;
          for (let j = 0; j <= d; j++) change = Math.max(change, update(j));
          if (change <= innerTol) break;
          for (let inner = 0; inner < sweeps; inner++) {
            let c = 0;
            for (let j = 0; j <= d; j++) if (isActive(j)) c = Math.max(c, update(j));
            if (c <= innerTol) break;
          }
        }
      };

      if (d < EXPLICIT_HESSIAN_MAX) {
        // The (d+1)² Hessian X̃ᵀHX̃ once (O(n·d²/2)); the model is then minimised in O(d²) per sweep, tightly.
        const D1 = d + 1;
        const H = weightedGram(pr, h);
        const Hd = new Float64Array(D1); // H·Δ
        descend(
          (j) => {
            if (j === d && !fitIntercept) return 0;
            const a = H[j * D1 + j]! + (j < d ? l2j[j]! : 0);
            if (!(a > 0)) return 0;
            const q = g[off + j]! + Hd[j]! + (j < d ? l2j[j]! * delta[j]! : 0);
            const v = theta[off + j]! + delta[j]!;
            const step = coordinate(j, v, q, a) - v;
            if (step === 0) return 0;
            delta[j]! += step;
            for (let t = 0; t < D1; t++) Hd[t]! += step * H[t * D1 + j]!;
            return Math.abs(step) * a;
          },
          1000,
          Math.max(1e-3 * tol, Math.min(1e-2 * kkt, 1e-4)),
        );
        predictorOf(pr, delta, 0, u);
      } else {
        // Wide data: coordinate descent on the rows, keeping u = X̃Δ, so each step costs O(n) and no d² matrix.
        for (let j = 0; j < d; j++) {
          const col = cols[j]!;
          const mj = mu[j]!;
          let s = 0;
          for (let i = 0; i < n; i++) s += h[i]! * (col[i]! - mj) ** 2;
          curv[j] = sc[j]! * sc[j]! * s + l2j[j]!;
        }
        let hs = 0;
        for (let i = 0; i < n; i++) hs += h[i]!;
        curv[d] = hs;
        u.fill(0);
        descend(
          (j) => {
            if (j === d && !fitIntercept) return 0;
            const a = curv[j]!;
            if (!(a > 0)) return 0;
            let q = g[off + j]!;
            let s = 0;
            if (j < d) {
              const col = cols[j]!;
              const mj = mu[j]!;
              for (let i = 0; i < n; i++) s += h[i]! * (col[i]! - mj) * u[i]!;
              q += sc[j]! * s + l2j[j]! * delta[j]!;
            } else {
              for (let i = 0; i < n; i++) s += h[i]! * u[i]!;
              q += s;
            }
            const v = theta[off + j]! + delta[j]!;
            const step = coordinate(j, v, q, a) - v;
            if (step === 0) return 0;
            delta[j]! += step;
            if (j < d) {
              const col = cols[j]!;
              const mj = mu[j]!;
              const c = step * sc[j]!;
              for (let i = 0; i < n; i++) u[i]! += c * (col[i]! - mj);
            } else for (let i = 0; i < n; i++) u[i]! += step;
            return Math.abs(step) * a;
          },
          100,
          innerTol,
        );
      }

      // Predicted decrease D = gᵀΔ + l1(‖θ+Δ‖₁ − ‖θ‖₁) (the L2 term is in g).
      let D = 0;
      for (let j = 0; j <= d; j++) {
        D += g[off + j]! * delta[j]!;
        if (j < d) D += l1j[j]! * (Math.abs(theta[off + j]! + delta[j]!) - Math.abs(theta[off + j]!));
      }
      if (!(D < 0)) continue;
      let step = 1;
      let accepted = false;
      for (let t = 0; t < 40; t++) {
        trial.set(theta);
        for (let j = 0; j <= d; j++) trial[off + j]! += step * delta[j]!;
        for (let kk = 0; kk < K; kk++) {
          if (kk === k) {
            const z = Z[k]!;
            const zt = Zt[k]!;
            for (let i = 0; i < n; i++) zt[i] = z[i]! + step * u[i]!;
          } else Zt[kk]!.set(Z[kk]!);
        }
        const ft = logLoss(pr, Zt, Rt, Pt) + penalty(pr, trial);
        if (ft <= f + 1e-4 * step * D || ft <= f + 1e-13 * Math.abs(f)) {
          accepted = true;
          f = ft;
          break;
        }
        step *= 0.5;
      }
      if (!accepted) continue;
      progressed = true;
      theta.set(trial);
      [Z, Zt] = [Zt, Z];
      [R, Rt] = [Rt, R];
      [P, Pt] = [Pt, P];
    }
    if (K > 1 && shiftToPenaltyMinimum(pr, theta)) {
      linearPredictor(pr, theta, Z);
      f = logLoss(pr, Z, R, P) + penalty(pr, theta);
    }
    report(ctx, iterations, maxIter, f);
    if (!progressed) break; // No step improves the objective at this precision.
  }
  return { theta, iterations, converged };
}

/**
 * Per feature, the weighted mean (0 without an intercept) and 1 / the weighted standard deviation around it; a
 * constant feature gets scale 0, which keeps its coefficient at 0 (the intercept carries it).
 */
function standardisation(cols: Float64Array[], w: Float64Array, center: boolean): { mu: Float64Array; sc: Float64Array } {
  const d = cols.length;
  const mu = new Float64Array(d);
  const sc = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    const col = cols[j]!;
    const m = center ? dot(col, w) : 0;
    let v = 0;
    let big = 0;
    for (let i = 0; i < col.length; i++) {
      if (w[i] === 0) continue;
      v += w[i]! * (col[i]! - m) ** 2;
      big = Math.max(big, Math.abs(col[i]!));
    }
    const sd = Math.sqrt(v);
    mu[j] = m;
    sc[j] = sd > 1e-12 * big ? 1 / sd : 0;
  }
  return { mu, sc };
}

/** Fits a (multinomial) logistic regression; see the file's header for the objective and solvers. */
export function fitLogistic(X: FeatureMatrix, y: Target, params: Partial<LogisticParams>, ctx: FitContext): LinearModel {
  const p = logisticParams(params);
  if (y.task === 'regression') throw new HostError('invalid-argument', 'Logistic regression classifies; use linear regression for a numeric target.');
  const { w, total } = checkInputs(X, y, ctx);
  const classes = classCount(y);
  const n = X.rowCount;
  const label = new Int32Array(n);
  const present = new Set<number>();
  for (let i = 0; i < n; i++) {
    const v = y.values[i]!;
    if (!(Number.isInteger(v) && v >= 0 && v < classes)) throw new HostError('invalid-argument', `Class index ${v} is outside 0..${classes - 1}.`);
    label[i] = v;
    if (w[i]! > 0) present.add(v);
  }
  if (present.size < 2) throw new HostError('invalid-argument', 'The training rows hold only one class; logistic regression needs at least two.');
  const K = y.task === 'multiclass' ? classes : 1;
  const d = X.columns.length;
  const scale = 1 / (p.C * total);
  const l1Share = p.penalty === 'l1' ? 1 : p.penalty === 'elasticnet' ? p.l1Ratio : 0;
  const { mu, sc } = standardisation(X.columns, w, p.fitIntercept);
  const pr: LogisticProblem = {
    n,
    d,
    K,
    cols: X.columns,
    w,
    label,
    l1: p.penalty === 'none' ? 0 : scale * l1Share,
    l2: p.penalty === 'none' ? 0 : scale * (1 - l1Share),
    fitIntercept: p.fitIntercept,
    mu,
    sc,
    raw: new Float64Array(d),
  };
  checkCancelled(ctx);
  const result = pr.l1 > 0 ? proximalNewton(pr, p.maxIter, p.tol, ctx) : lbfgs(pr, p.maxIter, p.tol, ctx);
  const coefficients: Float64Array[] = [];
  const intercepts = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    // Back from the standardised coordinates: wⱼ = vⱼ·sc[j], b = c − Σ wⱼ·mu[j].
    const off = k * (d + 1);
    const coef = new Float64Array(d);
    let b = result.theta[off + d]!;
    for (let j = 0; j < d; j++) {
      coef[j] = result.theta[off + j]! * sc[j]!;
      b -= coef[j]! * mu[j]!;
    }
    coefficients.push(coef);
    intercepts[k] = b;
  }
  if (K > 1) {
    let mean = 0;
    for (let k = 0; k < K; k++) mean += intercepts[k]! / K;
    for (let k = 0; k < K; k++) intercepts[k]! -= mean;
  }
  ctx.onProgress?.({ fraction: 1 });
  return makeModel('logreg', y.task, { ...p }, coefficients, intercepts, [...X.names], y.classes ? [...y.classes] : undefined, result.iterations, result.converged);
}

// ---------------------------------------------------------------------------------------------------------------
// Linear regression

/**
 * The weighted-centred moments: means m, ȳ, Σwᵢ(yᵢ−ȳ)²; G = Σwᵢ(xᵢ−m)(xᵢ−m)ᵀ (row-major d×d) and c = Σwᵢ(xᵢ−m)(yᵢ−ȳ),
 * with w summing to 1. Without an intercept nothing is centred.
 */
function moments(X: FeatureMatrix, yv: Float64Array, w: Float64Array, center: boolean, ctx: FitContext) {
  const n = X.rowCount;
  const d = X.columns.length;
  const means = new Float64Array(d);
  let ybar = 0;
  if (center) {
    for (let j = 0; j < d; j++) means[j] = dot(X.columns[j]!, w);
    ybar = dot(yv, w);
  }
  let yvar = 0;
  for (let i = 0; i < n; i++) yvar += w[i]! * (yv[i]! - ybar) ** 2;
  const G = new Float64Array(d * d);
  const c = new Float64Array(d);
  const B = gramBlockRows(d);
  const xc = Array.from({ length: d }, () => new Float64Array(B));
  const wx = Array.from({ length: d }, () => new Float64Array(B));
  const yc = new Float64Array(B);
  for (let start = 0; start < n; start += B) {
    checkCancelled(ctx);
    const len = Math.min(B, n - start);
    for (let i = 0; i < len; i++) yc[i] = yv[start + i]! - ybar;
    for (let j = 0; j < d; j++) {
      const col = X.columns[j]!;
      const mj = means[j]!;
      const a = xc[j]!;
      const b = wx[j]!;
      let s = 0;
      for (let i = 0; i < len; i++) {
        const v = col[start + i]! - mj;
        a[i] = v;
        const wv = w[start + i]! * v;
        b[i] = wv;
        s += wv * yc[i]!;
      }
      c[j]! += s;
    }
    accumulateGram(wx, xc, 0, len, G, d);
  }
  for (let j = 0; j < d; j++) for (let k = 0; k < j; k++) G[j * d + k] = G[k * d + j]!;
  return { means, ybar, yvar, G, c };
}

/** Solves (G + ridge·I)x = c by Cholesky; returns null when the matrix is not numerically positive definite. */
function choleskySolve(G: Float64Array, d: number, ridge: number, c: Float64Array): Float64Array | null {
  const L = new Float64Array(d * d);
  let maxDiag = 0;
  for (let j = 0; j < d; j++) maxDiag = Math.max(maxDiag, G[j * d + j]! + ridge);
  for (let j = 0; j < d; j++) {
    for (let k = 0; k <= j; k++) {
      let s = G[j * d + k]! + (j === k ? ridge : 0);
      for (let t = 0; t < k; t++) s -= L[j * d + t]! * L[k * d + t]!;
      if (j === k) {
        if (!(s > 1e-13 * maxDiag)) return null;
        L[j * d + j] = Math.sqrt(s);
      } else L[j * d + k] = s / L[k * d + k]!;
    }
  }
  const x = Float64Array.from(c);
  for (let j = 0; j < d; j++) {
    let s = x[j]!;
    for (let t = 0; t < j; t++) s -= L[j * d + t]! * x[t]!;
    x[j] = s / L[j * d + j]!;
  }
  for (let j = d - 1; j >= 0; j--) {
    let s = x[j]!;
    for (let t = j + 1; t < d; t++) s -= L[t * d + j]! * x[t]!;
    x[j] = s / L[j * d + j]!;
  }
  return x;
}

/** Fits a linear regression (least squares, Ridge, Lasso or ElasticNet); see the file's header. */
export function fitLinear(X: FeatureMatrix, y: Target, params: Partial<LinearParams>, ctx: FitContext): LinearModel {
  const p = linearParams(params);
  if (y.task !== 'regression') throw new HostError('invalid-argument', 'Linear regression needs a numeric target; use logistic regression to classify.');
  const { w, total } = checkInputs(X, y, ctx);
  for (let i = 0; i < y.values.length; i++) {
    const v = y.values[i]!;
    if (v - v !== 0) throw new HostError('invalid-argument', `The target is missing or infinite in row ${i + 1}.`);
  }
  const d = X.columns.length;
  checkCancelled(ctx);
  const { means, ybar, yvar, G, c } = moments(X, y.values, w, p.fitIntercept, ctx);
  let coef: Float64Array;
  let iterations = 1;
  let converged = true;
  if (p.penalty === 'none' || p.penalty === 'l2' || p.alpha === 0) {
    // Ridge: Σsᵢrᵢ² + alpha‖w‖², divided by Σsᵢ.
    const ridge = p.penalty === 'l2' ? p.alpha / total : 0;
    let solved = choleskySolve(G, d, ridge, c);
    let trace = 0;
    for (let j = 0; j < d; j++) trace += G[j * d + j]!;
    for (let jitter = 1e-10 * Math.max(trace / Math.max(1, d), 1e-300); solved === null && jitter < 1e300; jitter *= 100) {
      solved = choleskySolve(G, d, ridge + jitter, c);
    }
    coef = solved ?? new Float64Array(d);
  } else {
    // Elastic net on the scaled objective ½wᵀGw − cᵀw + const + l1‖w‖₁ + ½l2‖w‖².
    const r = p.penalty === 'l1' ? 1 : p.l1Ratio;
    const l1 = p.alpha * r;
    const l2 = p.alpha * (1 - r);
    coef = new Float64Array(d);
    const q = new Float64Array(d); // G·coef
    converged = false;
    iterations = 0;
    while (true) {
      checkCancelled(ctx);
      let kkt = 0;
      for (let j = 0; j < d; j++) {
        const gj = q[j]! - c[j]! + l2 * coef[j]!;
        const v = coef[j]!;
        const viol = v !== 0 ? Math.abs(gj + (v > 0 ? l1 : -l1)) : Math.max(0, Math.abs(gj) - l1);
        if (viol > kkt) kkt = viol;
      }
      if (kkt <= p.tol) {
        converged = true;
        break;
      }
      if (iterations >= p.maxIter) break;
      iterations++;
      for (let j = 0; j < d; j++) {
        const a = G[j * d + j]! + l2;
        if (!(a > 0)) continue;
        const old = coef[j]!;
        const z = c[j]! - (q[j]! - G[j * d + j]! * old);
        const shrunk = Math.abs(z) - l1;
        const next = shrunk > 0 ? (z > 0 ? shrunk : -shrunk) / a : 0;
        const step = next - old;
        if (step === 0) continue;
        coef[j] = next;
        for (let k = 0; k < d; k++) q[k]! += step * G[k * d + j]!;
      }
      let obj = 0.5 * yvar;
      for (let j = 0; j < d; j++) obj += coef[j]! * (0.5 * q[j]! - c[j]!) + l1 * Math.abs(coef[j]!) + 0.5 * l2 * coef[j]! ** 2;
      report(ctx, iterations, p.maxIter, obj);
    }
  }
  let b = ybar;
  for (let j = 0; j < d; j++) b -= means[j]! * coef[j]!;
  ctx.onProgress?.({ fraction: 1 });
  return makeModel('linear', 'regression', { ...p }, [coef], Float64Array.of(b), [...X.names], undefined, iterations, converged);
}

// ---------------------------------------------------------------------------------------------------------------
// The fitted model

/** The columns of X in the order of `names` (matched by name), refusing missing features and values. */
function alignColumns(X: FeatureMatrix, names: readonly string[]): Float64Array[] {
  const same = X.names.length === names.length && names.every((nm, j) => X.names[j] === nm);
  let cols: Float64Array[];
  if (same) cols = X.columns;
  else {
    const at = new Map(X.names.map((nm, j) => [nm, j]));
    cols = names.map((nm) => {
      const j = at.get(nm);
      if (j === undefined) throw new HostError('invalid-argument', `Feature "${nm}" the model was trained on is missing.`);
      return X.columns[j]!;
    });
  }
  checkFinite({ rowCount: X.rowCount, names: [...names], columns: cols });
  return cols;
}

function makeModel(
  kind: 'logreg' | 'linear',
  task: Task,
  params: LogisticParams | LinearParams,
  coefficients: Float64Array[],
  intercepts: Float64Array,
  featureNames: string[],
  classes: string[] | undefined,
  iterations: number,
  converged: boolean,
): LinearModel {
  const K = coefficients.length;
  const raw = (X: FeatureMatrix): Float64Array => {
    const cols = alignColumns(X, featureNames);
    const n = X.rowCount;
    const out = new Float64Array(n * K);
    const z = new Float64Array(n);
    for (let k = 0; k < K; k++) {
      z.fill(intercepts[k]!);
      addProduct(cols, n, coefficients[k]!, 0, z);
      if (K === 1) out.set(z);
      else for (let i = 0; i < n; i++) out[i * K + k] = z[i]!;
    }
    return out;
  };
  const checkRow = (row: number): number => {
    if (!(Number.isInteger(row) && row >= 0 && row < K)) throw new HostError('invalid-argument', `Coefficient row ${row} is outside 0..${K - 1}.`);
    return row;
  };
  return {
    kind,
    task,
    params: { ...params },
    featureNames,
    classes,
    iterations,
    converged,
    predictRaw: raw,
    predict(X: FeatureMatrix): Predictions {
      const out = raw(X);
      if (kind === 'linear') return out;
      if (K === 1) {
        for (let i = 0; i < out.length; i++) out[i] = 1 / (1 + Math.exp(-out[i]!));
        return out;
      }
      for (let i = 0; i < X.rowCount; i++) {
        let m = -Infinity;
        for (let k = 0; k < K; k++) m = Math.max(m, out[i * K + k]!);
        let s = 0;
        for (let k = 0; k < K; k++) {
          const e = Math.exp(out[i * K + k]! - m);
          out[i * K + k] = e;
          s += e;
        }
        for (let k = 0; k < K; k++) out[i * K + k]! /= s;
      }
      return out;
    },
    coefficients(row = 0): Record<string, number> {
      const coef = coefficients[checkRow(row)]!;
      const out: Record<string, number> = {};
      featureNames.forEach((nm, j) => {
        out[nm] = coef[j]!;
      });
      return out;
    },
    intercept(row = 0): number {
      return intercepts[checkRow(row)]!;
    },
    toJSON(): LinearModelState {
      return {
        kind,
        task,
        version: 1,
        params: { ...params },
        coefficients: coefficients.map((c) => Array.from(c)),
        intercepts: Array.from(intercepts),
        featureNames: [...featureNames],
        ...(classes ? { classes: [...classes] } : {}),
        iterations,
        converged,
      };
    },
  };
}

function loadState(state: ModelState, kind: 'logreg' | 'linear'): LinearModel {
  if (state.kind !== kind || state.version !== 1) throw new HostError('invalid-argument', `Not a version 1 ${kind} state (${state.kind} v${state.version}).`);
  const names = state.featureNames;
  const coefs = state.coefficients;
  const inter = state.intercepts;
  const malformed = (): never => {
    throw new HostError('invalid-argument', `The ${kind} state is malformed.`);
  };
  if (!Array.isArray(names) || !names.every((nm) => typeof nm === 'string')) malformed();
  if (!Array.isArray(coefs) || !Array.isArray(inter) || coefs.length === 0 || coefs.length !== inter.length) malformed();
  const featureNames = names as string[];
  const coefficients = (coefs as unknown[]).map((row) => {
    if (!Array.isArray(row) || row.length !== featureNames.length || !row.every((v) => typeof v === 'number' && Number.isFinite(v))) malformed();
    return Float64Array.from(row as number[]);
  });
  if (!(inter as unknown[]).every((v) => typeof v === 'number' && Number.isFinite(v))) malformed();
  const K = coefficients.length;
  if (kind === 'linear' ? state.task !== 'regression' || K !== 1 : state.task === 'regression' || (state.task === 'binary') !== (K === 1)) malformed();
  const classes = Array.isArray(state.classes) ? (state.classes as string[]) : undefined;
  const params = kind === 'logreg' ? logisticParams(state.params as Partial<LogisticParams>) : linearParams(state.params as Partial<LinearParams>);
  const iterations = typeof state.iterations === 'number' ? state.iterations : 0;
  return makeModel(kind, state.task, params, coefficients, Float64Array.from(inter as number[]), featureNames, classes, iterations, state.converged !== false);
}

/** Rebuilds a logistic regression from its `toJSON()` state (after a JSON round trip). */
export function loadLogistic(state: ModelState): LinearModel {
  return loadState(state, 'logreg');
}

/** Rebuilds a linear regression from its `toJSON()` state (after a JSON round trip). */
export function loadLinear(state: ModelState): LinearModel {
  return loadState(state, 'linear');
}
