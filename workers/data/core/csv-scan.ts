import { badFile } from './sniff.js';

/**
 * A small RFC 4180 reader over the start of a CSV file, run before DuckDB sees it. DuckDB's sniffer, faced with
 * a ragged file, quietly picks a delimiter that makes every line one column, and reads an unclosed quote as
 * text; this scan finds the delimiter itself and refuses those files with the line number.
 */

export const DELIMITERS = [',', ';', '\t', '|'] as const;

export interface CsvScan {
  delimiter: string;
  /** '"' when any field is quoted, else '"' too (harmless); '' only when the caller asked for none. */
  quote: string;
  /** Records found, each with the line it starts on (1-based). */
  records: { line: number; fields: string[] }[];
  /** Whether the scanned text ends inside the file (so the last record may be cut). */
  partial: boolean;
}

interface Parsed {
  records: { line: number; fields: string[] }[];
  /** Line where a quote was opened and never closed, or null. */
  openQuoteLine: number | null;
}

/**
 * Splits `text` into records with `delimiter`, honouring double quotes (a doubled quote inside is one quote).
 * Runs of ordinary characters are sliced out whole rather than added one character at a time: the 4 MB scan
 * before every CSV load is then a few tens of milliseconds, not a few hundred.
 */
export function parseCsvText(text: string, delimiter: string, quote = '"', maxRecords = Infinity): Parsed {
  const records: Parsed['records'] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let inQuotes = false;
  let quoteLine = 0;
  let i = 0;
  const n = text.length;
  const d = delimiter.charCodeAt(0);
  const q = quote === '' ? -1 : quote.charCodeAt(0);
  const endRecord = (): void => {
    fields.push(field);
    records.push({ line: recordLine, fields });
    fields = [];
    field = '';
  };
  while (i < n && records.length < maxRecords) {
    if (inQuotes) {
      let j = i;
      for (let c = text.charCodeAt(j); j < n && c !== q; c = text.charCodeAt(++j)) if (c === LF) line++;
      field += text.slice(i, j);
      if (j >= n) break;
      if (text.charCodeAt(j + 1) === q) {
        field += quote;
        i = j + 2;
      } else {
        inQuotes = false;
        i = j + 1;
      }
      continue;
    }
    let j = i;
    for (let c = text.charCodeAt(j); j < n && c !== d && c !== LF && c !== CR && c !== q; c = text.charCodeAt(++j));
    if (j > i) {
      field += text.slice(i, j);
      i = j;
      if (i >= n) break;
    }
    const c = text.charCodeAt(i);
    if (c === q && field === '') {
      inQuotes = true;
      quoteLine = line;
    } else if (c === d) {
      fields.push(field);
      field = '';
    } else if (c === LF || c === CR) {
      if (c === CR && text.charCodeAt(i + 1) === LF) i++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      field += text[i]; // A quote inside an unquoted field is text.
    }
    i++;
  }
  if (inQuotes) return { records, openQuoteLine: quoteLine };
  if (records.length < maxRecords && (field !== '' || fields.length > 0)) endRecord();
  return { records, openQuoteLine: null };
}

const LF = 0x0a;
const CR = 0x0d;

/** Picks the delimiter that splits the first lines into the same number of fields (more than one), most often. */
export function detectDelimiter(text: string): string {
  const sample = text.slice(0, 256 * 1024);
  let best: { delimiter: string; score: number } = { delimiter: ',', score: 0 };
  for (const delimiter of DELIMITERS) {
    const { records } = parseCsvText(sample, delimiter, '"', 200);
    const counts = records.filter((r) => !(r.fields.length === 1 && r.fields[0] === '')).map((r) => r.fields.length);
    if (counts.length === 0) continue;
    const first = counts[0]!;
    const same = counts.filter((c) => c === first).length;
    // Consistency first, then how many fields: a tab file with commas inside text still splits best on tabs.
    const score = first > 1 ? (same / counts.length) * 1000 + Math.min(first, 999) : 0;
    if (score > best.score) best = { delimiter, score };
  }
  return best.delimiter;
}

/**
 * Scans the start of a CSV: delimiter (given or detected), and a refusal naming the line for an unclosed quote
 * or a row with a different number of fields from the first. `complete` says whether `text` is the whole file.
 */
export function scanCsv(fileName: string, text: string, complete: boolean, opts: { delimiter?: string; quote?: string }): CsvScan {
  const delimiter = opts.delimiter ?? detectDelimiter(text);
  const quote = opts.quote ?? '"';
  // A cut-off file ends mid-record: stop at the last line break so the cut is not mistaken for a fault.
  const cut = complete ? text : text.slice(0, Math.max(text.lastIndexOf('\n'), 0));
  const parsed = parseCsvText(cut, delimiter, quote);
  const records = parsed.records.filter((r) => !(r.fields.length === 1 && r.fields[0] === ''));
  if (parsed.openQuoteLine !== null && complete) {
    throw badFile(`${fileName} has a quote that is never closed: it opens on line ${parsed.openQuoteLine}.`);
  }
  const expected = records[0]?.fields.length ?? 0;
  const ragged = records.find((r) => r.fields.length !== expected);
  // Within a cut-off text an unclosed quote may close later; fields counted after it are not trusted.
  const trusted = parsed.openQuoteLine === null || ragged === undefined || ragged.line < parsed.openQuoteLine;
  if (ragged !== undefined && trusted) throw raggedRow(fileName, ragged.line, ragged.fields.length, expected);
  return { delimiter, quote, records, partial: !complete };
}

export function raggedRow(fileName: string, line: number, found: number, expected: number): Error {
  const fields = (k: number) => `${k} field${k === 1 ? '' : 's'}`;
  return badFile(`${fileName} has rows of different lengths: line ${line} has ${fields(found)}, expected ${expected} like line 1.`);
}

/** How the delimiter is named to an analyst. */
export function delimiterName(delimiter: string): string {
  const names: Record<string, string> = { ',': 'comma', ';': 'semicolon', '\t': 'tab', '|': 'pipe' };
  return names[delimiter] ?? `"${delimiter}"`;
}
