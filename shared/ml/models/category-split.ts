/**
 * Category splits for the histogram grower (hist-tree.ts), as LightGBM makes them with its default settings: a
 * feature of at most 4 categories tries each category against the rest; otherwise the node's categories with at
 * least 10 rows are sorted by G/(H + 10) and the best prefix from either end of that order, of at most 32
 * categories, goes left, scored with 10 added to the L2 penalty, trying a cut only after each further 100 rows
 * and keeping 100 rows on the right. Bin b of the feature is category code b (see `categoryEdges`); the missing
 * bin is one of the categories.
 */

/** LightGBM's defaults (max_cat_to_onehot, cat_smooth, cat_l2, max_cat_threshold, min_data_per_group). */
const CAT_ONE_VS_REST = 4;
const CAT_SMOOTH = 10;
const CAT_L2 = 10;
const CAT_MAX_LEFT = 32;
const CAT_GROUP_ROWS = 100;

/** Finds category splits, reusing its buffers from node to node. */
export class CategorySplit {
  /** The last split's bins that go left (1), the missing bin included. */
  readonly set = new Uint8Array(256);
  /** The last split's left side: [G, H, count]. */
  readonly left = new Float64Array(3);
  /** Candidate bins and their sort keys. */
  private readonly order = new Int32Array(256);
  private readonly key = new Float64Array(256);

  /**
   * The best set split of a categorical feature (histogram `h` from `base`, `nb` categories and the missing bin
   * at nb): returns its gain (-Infinity when no set is allowed), with the set in `set` (1 for the bins that go
   * left, the missing bin included) and the left side's [G, H, count] in `left`.
   */
  best(
    h: Float64Array,
    base: number,
    nb: number,
    G: number,
    H: number,
    count: number,
    parentScore: number,
    lambda: number,
    minLeaf: number,
    minW: number,
  ): number {
    const set = this.set;
    set.fill(0, 0, nb + 1);
    let best = -Infinity;
    if (nb <= CAT_ONE_VS_REST) {
      let pick = -1;
      for (let b = 0; b <= nb; b++) {
        const k = base + b * 3;
        const cl = h[k + 2]!;
        const hl = h[k + 1]!;
        if (cl < minLeaf || count - cl < minLeaf || hl < minW || H - hl < minW) continue;
        const gl = h[k]!;
        const gr = G - gl;
        const gain = (gl * gl) / (hl + lambda) + (gr * gr) / (H - hl + lambda) - parentScore;
        if (gain > best) {
          best = gain;
          pick = b;
        }
      }
      if (pick >= 0) {
        set[pick] = 1;
        const k = base + pick * 3;
        this.left[0] = h[k]!;
        this.left[1] = h[k + 1]!;
        this.left[2] = h[k + 2]!;
      }
      return best;
    }
    // Categories with enough rows, in the order of their smoothed mean gradient (ties by code).
    const order = this.order;
    const key = this.key;
    let used = 0;
    for (let b = 0; b <= nb; b++) {
      const k = base + b * 3;
      if (h[k + 2]! < CAT_SMOOTH) continue;
      const v = h[k]! / (h[k + 1]! + CAT_SMOOTH);
      let i = used++;
      while (i > 0 && key[i - 1]! > v) {
        key[i] = key[i - 1]!;
        order[i] = order[i - 1]!;
        i--;
      }
      key[i] = v;
      order[i] = b;
    }
    const most = Math.min(CAT_MAX_LEFT, (used + 1) >> 1);
    const l2 = lambda + CAT_L2;
    let bestFrom = 0;
    let bestTake = 0;
    for (let dir = 0; dir < 2; dir++) {
      let gl = 0;
      let hl = 0;
      let cl = 0;
      let group = 0;
      for (let i = 0; i < used && i < most; i++) {
        const k = base + order[dir === 0 ? i : used - 1 - i]! * 3;
        gl += h[k]!;
        hl += h[k + 1]!;
        cl += h[k + 2]!;
        group += h[k + 2]!;
        if (cl < minLeaf || hl < minW) continue;
        const cr = count - cl;
        if (cr < minLeaf || cr < CAT_GROUP_ROWS || H - hl < minW) break;
        if (group < CAT_GROUP_ROWS) continue;
        group = 0;
        const gr = G - gl;
        const gain = (gl * gl) / (hl + l2) + (gr * gr) / (H - hl + l2) - parentScore;
        if (gain > best) {
          best = gain;
          bestFrom = dir;
          bestTake = i + 1;
          this.left[0] = gl;
          this.left[1] = hl;
          this.left[2] = cl;
        }
      }
    }
    for (let i = 0; i < bestTake; i++) set[order[bestFrom === 0 ? i : used - 1 - i]!] = 1;
    return best;
  }
}
