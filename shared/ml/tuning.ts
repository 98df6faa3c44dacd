import { mulberry32 } from '../data/random.js';
import { HostError } from '../host/errors.js';

/**
 * Hyperparameter search over a declared space: an exhaustive grid, seeded random search, or the Tree-structured
 * Parzen Estimator (TPE, Bergstra, Bardenet, Bengio and Kégl, "Algorithms for Hyper-Parameter Optimization",
 * NeurIPS 2011) with Optuna's default settings.
 *
 * The search calls an async objective once per trial and keeps every trial, including the ones whose objective
 * threw (they carry `error` and a NaN score, and the search goes on). A `cancelled` HostError thrown by the
 * objective, or `isCancelled()` turning true, ends the search with `stoppedBy: 'cancelled'` and the trials so far.
 *
 * Budgets: `maxTrials` counts every trial started (failed ones too); `maxSeconds` is checked before each trial
 * against the injected clock, so a trial that starts before the deadline runs to its end (an objective that must
 * stop sooner checks `isCancelled` itself). Random and TPE search need at least one of the two budgets; a grid is
 * finite and stops with `'grid-exhausted'` once every point is tried.
 *
 * Everything random comes from one mulberry32 stream seeded by `seed`, so a search with a deterministic objective
 * proposes exactly the same parameters every time it is run.
 */

/** A value a categorical dimension can take. */
export type CategoricalValue = string | number | boolean;

/**
 * One searched parameter. Numeric bounds are inclusive. `log` searches uniformly in log space (bounds must be
 * positive; for `int`, at least 1). Int bounds must be whole numbers.
 */
export type Dimension =
  | { name: string; type: 'int'; low: number; high: number; log?: boolean }
  | { name: string; type: 'float'; low: number; high: number; log?: boolean }
  | { name: string; type: 'categorical'; choices: CategoricalValue[] };

/** The parameters a search varies, in a stable order (the grid varies the last one fastest). */
export type SearchSpace = Dimension[];

/** One evaluated point of the search. */
export interface Trial {
  /** 0-based, in the order the trials ran. */
  index: number;
  /** Every parameter the objective received: the sampled ones and `fixed`. */
  params: Record<string, unknown>;
  /** What the objective returned; NaN when it threw or returned a non-finite number (see `error`). */
  score: number;
  /** Wall time of the objective call, by the search's clock. */
  seconds: number;
  /** Why the trial failed; absent for a completed trial. */
  error?: string;
}

/** Which proposer a search uses. */
export type TuneStrategy = 'grid' | 'random' | 'tpe';

/** What a search is scored on: one number per trial, `params` as the trial's parameters. */
export type Objective = (params: Record<string, unknown>, trial: number) => Promise<number>;

export interface TuneOptions {
  strategy: TuneStrategy;
  direction: 'maximize' | 'minimize';
  /** Stop after this many trials (failed ones count). */
  maxTrials?: number;
  /** Stop before starting a trial once this many seconds have passed since the search began. */
  maxSeconds?: number;
  seed: number;
  /** Milliseconds; defaults to `Date.now`. Tests inject a fake clock. */
  now?: () => number;
  isCancelled?: () => boolean;
  /** Called after each trial with it and the best completed trial so far. */
  onTrial?: (trial: Trial, best: Trial | undefined) => void;
  /** Grid points per numeric dimension (default 3): evenly spaced, log-spaced when `log`, ints rounded and deduplicated. */
  gridLevels?: number;
  /** TPE only: completed trials drawn at random before TPE proposes (default 10, as Optuna). */
  startupTrials?: number;
  /** Parameters held constant: passed to every trial, and any dimension of the same name is not searched. */
  fixed?: Record<string, unknown>;
}

/** Why a search ended. */
export type StopReason = 'trials' | 'time' | 'grid-exhausted' | 'cancelled';

export interface TuneResult {
  trials: Trial[];
  /** The best completed trial (ties: the earliest); undefined when none completed. */
  best: Trial | undefined;
  stoppedBy: StopReason;
}

/** Candidates TPE draws from l(x) per dimension before keeping the one with the largest l(x)/g(x) (Optuna: 24). */
export const TPE_CANDIDATES = 24;

/** Weight of the prior kernel in each Parzen estimator (Optuna's `prior_weight`). */
const PRIOR_WEIGHT = 1;

/**
 * Runs a hyperparameter search and resolves with every trial, the best one and why it stopped. Throws an
 * `invalid-argument` HostError for a malformed space or options; never throws for a failing objective.
 */
export async function tune(space: SearchSpace, objective: Objective, opts: TuneOptions): Promise<TuneResult> {
  validateSpace(space);
  validateOptions(opts);
  const fixed = opts.fixed ?? {};
  const dims = space.filter((d) => !Object.prototype.hasOwnProperty.call(fixed, d.name));
  const now = opts.now ?? Date.now;
  const random = mulberry32(opts.seed);
  const maximize = opts.direction === 'maximize';
  const better = (a: number, b: number): boolean => (maximize ? a > b : a < b);

  const grid = opts.strategy === 'grid' ? gridOf(dims, opts.gridLevels ?? 3) : undefined;
  // An empty space has exactly one point, whatever the strategy.
  const pointCount = grid ? grid.total : dims.length === 0 ? 1 : Infinity;
  const startup = opts.startupTrials ?? 10;

  const trials: Trial[] = [];
  /** Internal coordinates (see `toInternal`) of each completed trial, for TPE. */
  const completed: { index: number; score: number; x: number[] }[] = [];
  let best: Trial | undefined;
  let stoppedBy: StopReason;
  const start = now();

  for (;;) {
    if (opts.isCancelled?.()) {
      stoppedBy = 'cancelled';
      break;
    }
    if (trials.length >= pointCount) {
      stoppedBy = 'grid-exhausted';
      break;
    }
    if (opts.maxTrials !== undefined && trials.length >= opts.maxTrials) {
      stoppedBy = 'trials';
      break;
    }
    const t0 = now();
    if (opts.maxSeconds !== undefined && (t0 - start) / 1000 >= opts.maxSeconds) {
      stoppedBy = 'time';
      break;
    }

    const index = trials.length;
    let x: number[];
    if (grid) x = grid.point(index);
    else if (opts.strategy === 'tpe' && completed.length >= startup) x = proposeTpe(dims, completed, maximize, random);
    else x = dims.map((d) => sampleUniform(d, random));

    const sampled: Record<string, unknown> = {};
    dims.forEach((d, i) => (sampled[d.name] = fromInternal(d, x[i]!)));
    const params = { ...fixed, ...sampled };

    let score = NaN;
    let error: string | undefined;
    try {
      score = await objective({ ...params }, index);
      if (typeof score !== 'number' || !Number.isFinite(score)) {
        error = `The objective returned ${String(score)}, not a finite number.`;
        score = NaN;
      }
    } catch (err) {
      if ((err instanceof HostError && err.code === 'cancelled') || opts.isCancelled?.()) {
        stoppedBy = 'cancelled';
        break;
      }
      error = err instanceof Error ? err.message : String(err);
    }
    const trial: Trial = { index, params, score, seconds: (now() - t0) / 1000 };
    if (error !== undefined) trial.error = error;
    trials.push(trial);
    if (error === undefined) {
      // Store the coordinates of the value actually used (ints rounded, floats clamped).
      completed.push({ index, score, x: dims.map((d) => toInternal(d, sampled[d.name])) });
      if (best === undefined || better(score, best.score)) best = trial;
    }
    opts.onTrial?.(trial, best);
  }
  return { trials, best, stoppedBy };
}

// ---------------------------------------------------------------------------------------------------------------
// Validation

function invalid(message: string): never {
  throw new HostError('invalid-argument', message);
}

function validateSpace(space: SearchSpace): void {
  const names = new Set<string>();
  for (const d of space) {
    if (typeof d.name !== 'string' || d.name === '') invalid('Every search dimension needs a name.');
    if (names.has(d.name)) invalid(`The search space names "${d.name}" twice.`);
    names.add(d.name);
    if (d.type === 'categorical') {
      if (!Array.isArray(d.choices) || d.choices.length === 0) invalid(`"${d.name}" has no choices to search.`);
      continue;
    }
    if (d.type !== 'int' && d.type !== 'float') invalid(`"${(d as Dimension).name}" has an unknown type.`);
    if (!Number.isFinite(d.low) || !Number.isFinite(d.high) || d.low > d.high) {
      invalid(`"${d.name}" needs finite bounds with low ≤ high (got ${d.low}..${d.high}).`);
    }
    if (d.type === 'int' && (!Number.isInteger(d.low) || !Number.isInteger(d.high))) {
      invalid(`"${d.name}" is an integer dimension: its bounds must be whole numbers.`);
    }
    if (d.log && (d.type === 'int' ? d.low < 1 : d.low <= 0)) {
      invalid(`"${d.name}" is searched on a log scale, so its lower bound must be ${d.type === 'int' ? 'at least 1' : 'positive'}.`);
    }
  }
}

function validateOptions(opts: TuneOptions): void {
  if (!['grid', 'random', 'tpe'].includes(opts.strategy)) invalid(`Unknown search strategy "${String(opts.strategy)}".`);
  if (opts.direction !== 'maximize' && opts.direction !== 'minimize') invalid('direction must be "maximize" or "minimize".');
  if (opts.maxTrials !== undefined && !(Number.isInteger(opts.maxTrials) && opts.maxTrials >= 1)) {
    invalid('maxTrials must be a whole number of at least 1.');
  }
  if (opts.maxSeconds !== undefined && !(opts.maxSeconds > 0)) invalid('maxSeconds must be positive.');
  if (opts.gridLevels !== undefined && !(Number.isInteger(opts.gridLevels) && opts.gridLevels >= 1)) {
    invalid('gridLevels must be a whole number of at least 1.');
  }
  if (opts.startupTrials !== undefined && !(Number.isInteger(opts.startupTrials) && opts.startupTrials >= 0)) {
    invalid('startupTrials must be a whole number (0 or more).');
  }
  if (opts.strategy !== 'grid' && opts.maxTrials === undefined && opts.maxSeconds === undefined) {
    invalid(`A ${opts.strategy} search needs a budget: maxTrials, maxSeconds or both.`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Coordinates. Each dimension has an internal coordinate the samplers work in: ln(value) for log dimensions, the
// value itself otherwise, and the choice's index for categoricals. An int's internal range is widened by half a
// step on each side (as Optuna does), so that rounding gives every integer its fair share.

/** The internal interval a numeric dimension is sampled in. */
function internalRange(d: Extract<Dimension, { type: 'int' | 'float' }>): { lo: number; hi: number } {
  const lo = d.type === 'int' ? d.low - 0.5 : d.low;
  const hi = d.type === 'int' ? d.high + 0.5 : d.high;
  return d.log ? { lo: Math.log(lo), hi: Math.log(hi) } : { lo, hi };
}

function toInternal(d: Dimension, value: unknown): number {
  if (d.type === 'categorical') return d.choices.indexOf(value as CategoricalValue);
  return d.log ? Math.log(value as number) : (value as number);
}

function fromInternal(d: Dimension, x: number): CategoricalValue {
  if (d.type === 'categorical') return d.choices[x]!;
  let v = d.log ? Math.exp(x) : x;
  if (d.type === 'int') v = Math.round(v);
  return Math.min(d.high, Math.max(d.low, v));
}

/**
 * A uniform draw along one dimension. A dimension with one value (a setting the search holds, such as a run's
 * other parameters) takes no draw, so adding or removing one never changes the configurations a seed tries.
 */
function sampleUniform(d: Dimension, random: () => number): number {
  if (d.type === 'categorical') return d.choices.length === 1 ? 0 : Math.min(d.choices.length - 1, Math.floor(random() * d.choices.length));
  const { lo, hi } = internalRange(d);
  return lo + random() * (hi - lo);
}

// ---------------------------------------------------------------------------------------------------------------
// Grid

/**
 * The values a grid takes along one dimension: the choices of a categorical; otherwise `levels` points from low to
 * high inclusive, evenly spaced (geometrically when `log`; the midpoint when `levels` is 1), ints rounded and
 * deduplicated, in increasing order.
 */
export function gridValues(d: Dimension, levels: number): CategoricalValue[] {
  if (d.type === 'categorical') return [...d.choices];
  const lo = d.log ? Math.log(d.low) : d.low;
  const hi = d.log ? Math.log(d.high) : d.high;
  const out: number[] = [];
  for (let i = 0; i < levels; i++) {
    let v: number;
    if (levels === 1) v = d.log ? Math.exp((lo + hi) / 2) : (lo + hi) / 2;
    else if (i === 0) v = d.low;
    else if (i === levels - 1) v = d.high;
    else {
      const x = lo + ((hi - lo) * i) / (levels - 1);
      v = d.log ? Math.exp(x) : x;
    }
    if (d.type === 'int') v = Math.round(v);
    if (!out.includes(v)) out.push(v);
  }
  return out;
}

/** The cartesian product of the dimensions' grid values, enumerated lazily with the last dimension fastest. */
function gridOf(dims: Dimension[], levels: number): { total: number; point: (i: number) => number[] } {
  const axes = dims.map((d) => gridValues(d, levels).map((v) => toInternal(d, v)));
  const total = axes.reduce((n, a) => n * a.length, 1);
  return {
    total,
    point(i: number): number[] {
      const x = new Array<number>(axes.length);
      for (let j = axes.length - 1; j >= 0; j--) {
        const axis = axes[j]!;
        x[j] = axis[i % axis.length]!;
        i = Math.floor(i / axis.length);
      }
      return x;
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// TPE, univariate, with Optuna's defaults (optuna.samplers.TPESampler: n_startup_trials=10, n_ei_candidates=24,
// gamma(n) = min(ceil(0.1·n), 25), default weights, prior_weight=1, consider_prior, consider_magic_clip, no
// endpoints, not multivariate).
//
// Completed trials are ranked by score and the best gamma(n) of them are "good" (l), the rest "bad" (g). gamma is
// Optuna's: with few trials l is built from the single best trial, which makes TPE greedy early; capping it at 25
// keeps l focused when there are hundreds of trials. Each dimension is handled on its own: a Parzen estimator
// (a mixture of one kernel per observation plus a prior kernel) is fitted to the good and to the bad values,
// 24 candidates are drawn from l, and the candidate with the largest log l(x) − log g(x) is kept.
//
// Numeric kernels are Gaussians truncated to the internal range (so log dimensions get log-normal kernels). Each
// observation's bandwidth is the larger gap to its sorted neighbours (the prior's centre, the middle of the range,
// counts as a neighbour; the range's ends do not), clipped to [range / min(100, kernels + 1), range]; the prior
// kernel sits in the middle with bandwidth = range. Ints use the continuous density at the integer (bins are all
// one wide, so the ratio l/g matches Optuna's bin masses closely). Observation weights are 1 up to 25
// observations; beyond, the oldest ones ramp down linearly (Optuna's `default_weights`); the prior weighs 1.
// Categorical kernels put 1 + a on the observed choice and a on every choice, a = 1/kernels, normalised; the
// prior kernel is uniform.

interface CompletedPoint {
  index: number;
  score: number;
  x: number[];
}

function proposeTpe(dims: Dimension[], completed: CompletedPoint[], maximize: boolean, random: () => number): number[] {
  const ranked = [...completed].sort((a, b) => (a.score !== b.score ? (maximize ? b.score - a.score : a.score - b.score) : a.index - b.index));
  const nGood = tpeGamma(completed.length);
  const byIndex = (a: CompletedPoint, b: CompletedPoint): number => a.index - b.index;
  const good = ranked.slice(0, nGood).sort(byIndex);
  const bad = ranked.slice(nGood).sort(byIndex);
  return dims.map((d, j) => {
    const goodObs = good.map((p) => p.x[j]!);
    const badObs = bad.map((p) => p.x[j]!);
    if (d.type === 'categorical') {
      if (d.choices.length === 1) return 0;
      const l = categoricalParzen(goodObs, d.choices.length);
      const g = categoricalParzen(badObs, d.choices.length);
      return pickBest(TPE_CANDIDATES, () => sampleCategorical(l, random), (c) => Math.log(l[c]!) - Math.log(g[c]!));
    }
    const { lo, hi } = internalRange(d);
    if (hi === lo) return lo;
    const l = numericParzen(goodObs, lo, hi);
    const g = numericParzen(badObs, lo, hi);
    return pickBest(TPE_CANDIDATES, () => sampleNumeric(l, random), (x) => logPdfNumeric(l, x) - logPdfNumeric(g, x));
  });
}

/** How many of n completed trials TPE counts as good: Optuna's default, min(ceil(0.1·n), 25). */
export function tpeGamma(n: number): number {
  return Math.min(Math.ceil(0.1 * n), 25);
}

/** Observation weights by age (oldest first): Optuna's `default_weights`. */
function observationWeights(n: number): number[] {
  if (n < 25) return new Array<number>(n).fill(1);
  const ramp = n - 25;
  const out: number[] = [];
  for (let i = 0; i < ramp; i++) out.push(ramp === 1 ? 1 / n : 1 / n + ((1 - 1 / n) * i) / (ramp - 1));
  for (let i = 0; i < 25; i++) out.push(1);
  return out;
}

function pickBest(count: number, draw: () => number, score: (x: number) => number): number {
  let bestX = NaN;
  let bestScore = -Infinity;
  for (let i = 0; i < count; i++) {
    const x = draw();
    const s = score(x);
    if (Number.isNaN(bestX) || s > bestScore) {
      bestX = x;
      bestScore = s;
    }
  }
  return bestX;
}

interface NumericParzen {
  mus: number[];
  sigmas: number[];
  /** Normalised mixture weights. */
  weights: number[];
  /** log of each kernel's mass inside [lo, hi], for the truncation. */
  logMass: number[];
  lo: number;
  hi: number;
}

function numericParzen(obs: number[], lo: number, hi: number): NumericParzen {
  const range = hi - lo;
  const mus = [...obs, (lo + hi) / 2];
  const n = mus.length;
  const order = mus.map((_, i) => i).sort((a, b) => mus[a]! - mus[b]! || a - b);
  const sorted = order.map((i) => mus[i]!);
  const withEnds = [lo, ...sorted, hi];
  const sortedSigma = sorted.map((_, i) => Math.max(withEnds[i + 1]! - withEnds[i]!, withEnds[i + 2]! - withEnds[i + 1]!));
  if (withEnds.length >= 4) {
    // consider_endpoints=False: the outermost kernels look only inwards.
    sortedSigma[0] = withEnds[2]! - withEnds[1]!;
    sortedSigma[n - 1] = withEnds[n]! - withEnds[n - 1]!;
  }
  const minSigma = range / Math.min(100, 1 + n);
  const sigmas = new Array<number>(n);
  order.forEach((i, k) => (sigmas[i] = Math.min(range, Math.max(minSigma, sortedSigma[k]!))));
  sigmas[n - 1] = range; // the prior
  const raw = [...observationWeights(obs.length), PRIOR_WEIGHT];
  const total = raw.reduce((a, b) => a + b, 0);
  const weights = raw.map((w) => w / total);
  const logMass = mus.map((mu, i) => {
    const s = sigmas[i]!;
    return Math.log(normalCdf((hi - mu) / s) - normalCdf((lo - mu) / s));
  });
  return { mus, sigmas, weights, logMass, lo, hi };
}

function sampleNumeric(p: NumericParzen, random: () => number): number {
  const k = sampleIndex(p.weights, random);
  const mu = p.mus[k]!;
  const s = p.sigmas[k]!;
  // Rejection: every kernel's centre lies in [lo, hi] and its bandwidth is at most the range, so at least a third
  // of its mass is inside and 64 tries fail with probability below 1e-11; clamp if they ever do.
  for (let tries = 0; tries < 64; tries++) {
    const x = mu + s * standardNormal(random);
    if (x >= p.lo && x <= p.hi) return x;
  }
  return Math.min(p.hi, Math.max(p.lo, mu));
}

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

function logPdfNumeric(p: NumericParzen, x: number): number {
  // log Σ w_k N(x; mu_k, s_k) / mass_k, by log-sum-exp.
  const terms = p.mus.map((mu, k) => {
    const s = p.sigmas[k]!;
    const z = (x - mu) / s;
    return Math.log(p.weights[k]!) - 0.5 * z * z - Math.log(s) - LOG_SQRT_2PI - p.logMass[k]!;
  });
  const m = Math.max(...terms);
  return m + Math.log(terms.reduce((acc, t) => acc + Math.exp(t - m), 0));
}

/** The mixture of categorical kernels collapsed into one distribution over the choices. */
function categoricalParzen(obs: number[], k: number): number[] {
  const kernels = obs.length + 1;
  const a = PRIOR_WEIGHT / kernels;
  const raw = [...observationWeights(obs.length), PRIOR_WEIGHT];
  const total = raw.reduce((s, w) => s + w, 0);
  const probs = new Array<number>(k).fill(raw[obs.length]! / total / k); // the uniform prior kernel
  obs.forEach((c, i) => {
    const w = raw[i]! / total;
    for (let j = 0; j < k; j++) probs[j]! += (w * ((j === c ? 1 : 0) + a)) / (1 + k * a);
  });
  return probs;
}

function sampleCategorical(probs: number[], random: () => number): number {
  return sampleIndex(probs, random);
}

function sampleIndex(weights: number[], random: () => number): number {
  let u = random();
  for (let i = 0; i < weights.length; i++) {
    u -= weights[i]!;
    if (u < 0) return i;
  }
  return weights.length - 1;
}

/** Box–Muller; one draw per call (the second value is dropped to keep the stream simple). */
function standardNormal(random: () => number): number {
  const u1 = 1 - random(); // (0, 1]
  const u2 = random();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** Φ(z) through erfc (Numerical Recipes' Chebyshev fit, relative error below 1.2e-7 everywhere). */
function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}
