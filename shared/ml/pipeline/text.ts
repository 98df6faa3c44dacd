import { compareCodePoints } from './stats.js';

/**
 * TF-IDF as scikit-learn's TfidfVectorizer computes it, so the same options give the same numbers:
 *
 * - word analyzer: tokens are runs of two or more word characters (Python's `(?u)\b\w\w+\b`: letters, digits,
 *   underscore), n-grams joined by one space;
 * - char analyzer: runs of two or more whitespace characters become one space, then every n-gram of the text;
 * - char_wb analyzer: each whitespace-separated word padded with one space either side, then its n-grams (a word
 *   shorter than n gives itself once);
 * - vocabulary: terms in at least `minDf` training documents; with `maxFeatures`, the terms with the highest total
 *   count in the training documents (ties by term, which scikit-learn leaves to its sort); sorted by code point;
 * - idf = ln((1 + n) / (1 + df)) + 1 (smooth) or ln(n / df) + 1; tf is the count, or 1 + ln(count) (sublinear);
 *   each row scaled to unit length.
 *
 * Missing text counts as an empty document.
 */

export interface TfidfOptions {
  analyzer: 'word' | 'char' | 'char_wb';
  ngram: [number, number];
  lowercase: boolean;
  sublinearTf: boolean;
  smoothIdf: boolean;
  minDf: number;
  maxFeatures?: number;
}

/** A fitted vocabulary: the terms in output order and their idf weights. */
export interface TfidfState {
  vocabulary: string[];
  idf: number[];
}

/** Python's str.isspace() characters, which `\s` and str.split() use. */
const WS = '\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const WHITE_RUNS = new RegExp(`[${WS}]{2,}`, 'gu');
const WHITE_SPLIT = new RegExp(`[${WS}]+`, 'u');
const WORD = /[\p{L}\p{N}_]{2,}/gu;

function wordNgrams(tokens: string[], [minN, maxN]: [number, number], emit: (term: string) => void): void {
  if (maxN === 1) {
    if (minN === 1) for (const t of tokens) emit(t);
    return;
  }
  let from = minN;
  if (minN === 1) {
    for (const t of tokens) emit(t);
    from = 2;
  }
  for (let n = from; n <= Math.min(maxN, tokens.length); n++) {
    for (let i = 0; i + n <= tokens.length; i++) emit(tokens.slice(i, i + n).join(' '));
  }
}

/** Calls `emit` with every term of one document, as scikit-learn's analyzer lists them. */
export function analyze(text: string, options: Pick<TfidfOptions, 'analyzer' | 'ngram' | 'lowercase'>, emit: (term: string) => void): void {
  const doc = options.lowercase ? text.toLowerCase() : text;
  const [minN, maxN] = options.ngram;
  if (options.analyzer === 'word') {
    wordNgrams(doc.match(WORD) ?? [], options.ngram, emit);
  } else if (options.analyzer === 'char') {
    const chars = Array.from(doc.replace(WHITE_RUNS, ' '));
    let from = minN;
    if (minN === 1) {
      for (const c of chars) emit(c);
      from = 2;
    }
    for (let n = from; n <= Math.min(maxN, chars.length); n++) {
      for (let i = 0; i + n <= chars.length; i++) emit(chars.slice(i, i + n).join(''));
    }
  } else {
    for (const word of doc.replace(WHITE_RUNS, ' ').split(WHITE_SPLIT)) {
      if (word === '') continue;
      const w = Array.from(` ${word} `);
      for (let n = minN; n <= maxN; n++) {
        let offset = 0;
        emit(w.slice(offset, offset + n).join(''));
        while (offset + n < w.length) {
          offset++;
          emit(w.slice(offset, offset + n).join(''));
        }
        if (offset === 0) break;
      }
    }
  }
}

/** Learns the vocabulary and idf weights from the training documents. */
export function fitTfidf(docs: readonly (string | null)[], options: TfidfOptions): TfidfState {
  const df = new Map<string, number>();
  const total = new Map<string, number>();
  const seen = new Set<string>();
  for (const text of docs) {
    seen.clear();
    if (text !== null) {
      analyze(text, options, (term) => {
        total.set(term, (total.get(term) ?? 0) + 1);
        seen.add(term);
      });
    }
    for (const term of seen) df.set(term, (df.get(term) ?? 0) + 1);
  }
  let terms = [...df.keys()].filter((t) => df.get(t)! >= options.minDf);
  if (options.maxFeatures !== undefined && terms.length > options.maxFeatures) {
    terms.sort((a, b) => total.get(b)! - total.get(a)! || compareCodePoints(a, b));
    terms = terms.slice(0, options.maxFeatures);
  }
  terms.sort(compareCodePoints);
  const n = docs.length;
  const idf = terms.map((t) => {
    const d = df.get(t)!;
    return options.smoothIdf ? Math.log((1 + n) / (1 + d)) + 1 : Math.log(n / d) + 1;
  });
  return { vocabulary: terms, idf };
}

/** Writes the TF-IDF of each document into `out` (one Float64Array per term, zero-filled, `docs.length` rows). */
export function transformTfidf(
  docs: readonly (string | null)[],
  state: TfidfState,
  options: TfidfOptions,
  out: Float64Array[],
): void {
  const index = new Map<string, number>();
  state.vocabulary.forEach((t, i) => index.set(t, i));
  const counts = new Float64Array(state.vocabulary.length);
  const touched: number[] = [];
  for (let row = 0; row < docs.length; row++) {
    const text = docs[row];
    if (text === null || text === undefined) continue;
    analyze(text, options, (term) => {
      const j = index.get(term);
      if (j === undefined) return;
      if (counts[j] === 0) touched.push(j);
      counts[j]! += 1;
    });
    if (touched.length === 0) continue;
    touched.sort((a, b) => a - b);
    let norm = 0;
    for (const j of touched) {
      const tf = options.sublinearTf ? Math.log(counts[j]!) + 1 : counts[j]!;
      const w = tf * state.idf[j]!;
      counts[j] = w;
      norm += w * w;
    }
    norm = Math.sqrt(norm);
    for (const j of touched) {
      out[j]![row] = norm > 0 ? counts[j]! / norm : 0;
      counts[j] = 0;
    }
    touched.length = 0;
  }
}
