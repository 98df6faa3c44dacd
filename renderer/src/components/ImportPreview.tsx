import { useEffect, useRef, useState } from 'react';
import type { ImportOptions } from '../../../shared/host/contract.js';
import type { Cell } from '../../../shared/protocol/data-worker.js';
import { COLUMN_KINDS, type ColumnKind } from '../../../shared/schema/project.js';
import { useApp } from '../store/index.js';

const KIND_LABEL: Record<ColumnKind, string> = {
  number: 'Number',
  integer: 'Integer',
  category: 'Category',
  boolean: 'Yes / no',
  datetime: 'Date / time',
  text: 'Text',
  identifier: 'Identifier',
  ignore: 'Ignore',
};

const DELIMITER_LABEL: Record<string, string> = { ',': 'Comma', ';': 'Semicolon', '\t': 'Tab', '|': 'Pipe' };
const SAMPLE_SHOWN = 50;

/** How a missing-value token is shown: the empty string and spaces are invisible otherwise. */
export function tokenLabel(token: string): string {
  if (token === '') return 'empty cell';
  if (token.trim() === '') return token.length === 1 ? 'a single space' : `${token.length} spaces`;
  return token;
}

function cellText(cell: Cell | undefined): string {
  return cell === null || cell === undefined ? '' : String(cell);
}

/**
 * The step between choosing a file and saving it: what Orchard detected, a kind per column, the values read as
 * missing, and the first rows as they will be read. Every change is previewed again before Import.
 */
export function ImportPreview() {
  const pending = useApp((s) => s.pendingPreview);
  const update = useApp((s) => s.updatePreview);
  const decide = useApp((s) => s.decidePreview);
  const [token, setToken] = useState('');
  const importRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (pending === null) return;
    importRef.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') decide(false);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [pending?.importId, decide]);

  if (pending === null) return null;
  const { preview, options, fileName } = pending;
  const tokens = options.missingTokens ?? preview.missingTokens;
  const change = (next: ImportOptions) => void update({ ...options, ...next });
  const setKind = (column: string, kind: ColumnKind, suggested: ColumnKind) => {
    const types = { ...(options.types ?? {}) };
    if (kind === suggested && types[column] === undefined) return;
    types[column] = kind;
    change({ types });
  };
  const addToken = () => {
    if (tokens.includes(token)) return;
    change({ missingTokens: [...tokens, token] });
    setToken('');
  };
  // Ignored columns stay listed (so the choice can be undone) but have no values in the sample.
  const shown = preview.columns;
  const kept = preview.columns.filter((c) => c.suggested !== 'ignore');
  const d = preview.detected;

  return (
    <div className="backdrop">
      <div className="dialog dialog-wide" role="dialog" aria-modal="true" aria-labelledby="preview-title" data-testid="import-preview">
        <h2 id="preview-title">Import {fileName}</h2>
        <p className="muted" data-testid="detected">
          {d.format.toUpperCase()}
          {d.delimiter !== undefined && ` · ${DELIMITER_LABEL[d.delimiter] ?? `"${d.delimiter}"`}-separated`}
          {d.header !== undefined && (d.header ? ' · first row is the header' : ' · no header row')}
          {d.encoding !== undefined && ` · ${d.encoding}`}
        </p>
        {d.format === 'csv' && (
          <div className="preview-settings">
            <label>
              Separator{' '}
              <select aria-label="Separator" value={options.delimiter ?? d.delimiter ?? ','} onChange={(e) => change({ delimiter: e.target.value })}>
                {Object.entries(DELIMITER_LABEL).map(([value, label]) => (
                  <option key={label} value={value}>
                    {label}
                  </option>
                ))}
              </select>
            </label>
            <label>
              <input
                type="checkbox"
                checked={options.header ?? d.header ?? true}
                onChange={(e) => change({ header: e.target.checked })}
              />{' '}
              First row is the header
            </label>
          </div>
        )}
        {pending.appending.length > 0 && (
          <p className="note" data-testid="appending">
            {pending.appending.join(', ')} {pending.appending.length === 1 ? 'has' : 'have'} the same columns and will be appended into this
            dataset.
          </p>
        )}
        {preview.notes.map((note) => (
          <p key={note} className="note">
            {note}
          </p>
        ))}
        <div className="missing-tokens" aria-label="Missing values" data-testid="missing-tokens">
          <span>Read as missing:</span>
          {tokens.map((t) => (
            <span key={`[${t}]`} className="chip" data-token={t}>
              {tokenLabel(t)}
              <button className="icon" aria-label={`Stop reading ${tokenLabel(t)} as missing`} onClick={() => change({ missingTokens: tokens.filter((x) => x !== t) })}>
                ×
              </button>
            </span>
          ))}
          <input aria-label="Another missing value" placeholder="e.g. -999" value={token} onChange={(e) => setToken(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && addToken()} />
          <button onClick={addToken} disabled={tokens.includes(token)}>
            Add
          </button>
        </div>
        <div className="preview-table-wrap">
          <table className="preview-table">
            <thead>
              <tr>
                {shown.map((c) => (
                  <th key={c.name} scope="col">
                    <div>{c.name}</div>
                    <select aria-label={`Type of ${c.name}`} value={options.types?.[c.name] ?? c.suggested} onChange={(e) => setKind(c.name, e.target.value as ColumnKind, c.suggested)}>
                      {COLUMN_KINDS.map((k) => (
                        <option key={k} value={k}>
                          {KIND_LABEL[k]}
                        </option>
                      ))}
                    </select>
                    {c.detectedType !== '' && <div className="muted small">{c.detectedType}</div>}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {preview.sampleRows.slice(0, SAMPLE_SHOWN).map((row, r) => (
                <tr key={r}>
                  {shown.map((c) => {
                    const at = kept.indexOf(c);
                    const cell = at < 0 ? undefined : row[at];
                    return (
                      <td key={c.name} className={at >= 0 && cell === null ? 'missing' : undefined}>
                        {at < 0 ? '' : cell === null ? 'missing' : cellText(cell)}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {pending.status === 'running' && <p className="muted">Reading again with your choices…</p>}
        {pending.error !== null && (
          <p className="inline-error" role="alert">
            {pending.error}
          </p>
        )}
        <div className="dialog-actions">
          <button onClick={() => decide(false)}>Cancel</button>
          <button ref={importRef} className="primary" disabled={pending.status !== 'done'} onClick={() => decide(true)}>
            Import
          </button>
        </div>
      </div>
    </div>
  );
}
