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

/** Splits `text` into records with `delimiter`, honouring double quotes (a doubled quote inside is one quote). */
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
  const endRecord = (): void => {
    fields.push(field);
    records.push({ line: recordLine, fields });
    fields = [];
    field = '';
  };
  while (i < n && records.length < maxRecords) {
    const ch = text[i]!;
    if (inQuotes) {
      if (ch === quote) {
        if (text[i + 1] === quote) {
          field += quote;
          i += 2;
          continue;
        }
        inQuotes = false;
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
      i++;
      continue;
    }
    if (quote !== '' && ch === quote && field === '') {
      inQuotes = true;
      quoteLine = line;
    } else if (ch === delimiter) {
      fields.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      field += ch;
    }
    i++;
  }
  if (inQuotes) return { records, openQuoteLine: quoteLine };
  if (records.length < maxRecords && (field !== '' || fields.length > 0)) endRecord();
  return { records, openQuoteLine: null };
}

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
