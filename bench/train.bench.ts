/**
 * The training benchmarks (issue: Define, prepare, train): model quality against XGBoost and scikit-learn on the
 * team's datasets, gradient boosting speed against XGBoost `hist` and scikit-learn on 1,000,000 × 20, and MLP
 * rows per second on each TensorFlow.js backend of Node and of Debian's Chromium. Writes its section of docs/benchmarks.md.
 * Usage: npx tsx bench/train.bench.ts [--quick]   (--quick: 80,000 rows instead of 1,000,000 for the speed run)
 */
import { writeSection } from './doc.js';
import { gbdtTable, GBDT_BENCH_PARAMS, runGbdtBench } from './gbdt.bench.js';
import { runBrowserMlpBench } from './mlp-browser.bench.js';
import { runMlpBench } from './mlp.bench.js';
import { mlpTable } from './mlp-problem.js';
import { qualityMarkdown, runQualityBench } from './quality.bench.js';

const quick = process.argv.includes('--quick');
const quality = await runQualityBench();
const speed = await runGbdtBench({ rows: quick ? [80_000] : [80_000, 1_000_000], repeats: 2 });
const mlp = [...(await runMlpBench()), ...(await runBrowserMlpBench())];
const p = GBDT_BENCH_PARAMS;
const section = `## Training

${qualityMarkdown(quality)}
## Gradient boosting speed

A seeded synthetic binary problem (20 features, noise, 5% missing values; shared/ml/models/synthetic.ts), written
as raw float64 for the references (\`scripts/bench/gbdt_reference.py\`). ${p.nTrees} trees, ${p.maxLeaves} leaves,
learning rate ${p.learningRate}, L2 ${p.l2}, at least ${p.minSamplesLeaf} rows per leaf, on every side. Orchard trains in
TypeScript with WebAssembly histogram kernels (shared/ml/models/wasm-hist.ts) on two threads (the second builds half
of each large node's histograms and half of each round's gradients and score updates; the trees are bit-for-bit
those of one thread); XGBoost \`hist\` (lossguide) and scikit-learn's HistGradientBoostingClassifier use 2 threads.
Best of 2 runs. Target: no slower than 2× XGBoost.

${gbdtTable(speed)}

## MLP on each TensorFlow.js backend

A 64-32 MLP (the default: dropout 0.1, Adam 1e-3, batch 256) on a seeded 80,000 × 20 problem, in Node and in a
module Web Worker of Debian's headless Chromium (as the app trains; \`bench/browser/\`). This machine has no GPU: Chromium's
WebGPU adapter is SwiftShader's fallback and WebGL also renders in software, so those two train on 10,000 rows for one
epoch. The app uses WebGPU only on a real adapter and otherwise probes WASM against WebGL and takes the faster
(workers/train/backend.ts); here that is WASM.

${mlpTable(mlp)}
`;
await writeSection('train', section);
console.log(section);
