import { useState } from 'react';
import type { Cell } from '../../../shared/protocol/data-worker.js';
import { useApp } from '../store/index.js';

const count = new Intl.NumberFormat();

function show(cell: Cell | undefined): string {
  return cell === null || cell === undefined ? '' : String(cell);
}

/** The SQL console: one read-only DuckDB statement over the project's datasets, each under its name. */
export function SqlConsole() {
  const project = useApp((s) => s.project);
  const splits = useApp((s) => s.splits);
  const sql = useApp((s) => s.sql);
  const setSql = useApp((s) => s.setSql);
  const run = useApp((s) => s.runSql);
  const status = useApp((s) => s.sqlStatus);
  const result = useApp((s) => s.sqlResult);
  const save = useApp((s) => s.saveSqlResult);
  const [saving, setSaving] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (project === null) return null;
  const names = project.datasets.map((d) => d.name);
  const locked = project.datasets.filter((d) => splits?.some((s) => s.datasetId === d.id)).map((d) => d.name);
  const example = names[0] ? `SELECT * FROM ${/^[A-Za-z_][A-Za-z0-9_]*$/.test(names[0]) ? names[0] : `"${names[0]}"`} LIMIT 10` : 'SELECT 42';

  const submitSave = async () => {
    if (saving === null || saving.trim() === '') return;
    setBusy(true);
    if (await save(saving.trim())) setSaving(null);
    setBusy(false);
  };

  return (
    <section className="sql-console" aria-label="SQL console">
      <p className="muted">
        DuckDB SQL over this project's datasets: {names.join(', ') || 'none yet'}. One query that reads (SELECT, WITH,
        DESCRIBE, SUMMARIZE, PIVOT); Ctrl+Enter runs it.
        {locked.length > 0 && <> Split datasets ({locked.join(', ')}) show their training rows only.</>}
      </p>
      <textarea
        className="sql-input"
        aria-label="SQL query"
        spellCheck={false}
        rows={5}
        value={sql}
        placeholder={example}
        onChange={(e) => setSql(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            void run();
          }
        }}
      />
      <div className="sql-actions">
        <button className="primary" onClick={() => void run()} disabled={status === 'running' || sql.trim() === ''}>
          {status === 'running' ? 'Running…' : 'Run'}
        </button>
        {result?.kind === 'rows' && saving === null && <button onClick={() => setSaving('query result')}>Save as dataset…</button>}
        {saving !== null && (
          <form
            className="sql-save"
            onSubmit={(e) => {
              e.preventDefault();
              void submitSave();
            }}
          >
            <input aria-label="New dataset name" value={saving} onChange={(e) => setSaving(e.target.value)} autoFocus />
            <button type="submit" className="primary" disabled={busy}>
              {busy ? 'Saving…' : 'Save'}
            </button>
            <button type="button" onClick={() => setSaving(null)}>
              Cancel
            </button>
          </form>
        )}
      </div>
      {result?.kind === 'error' && (
        <p className="inline-error sql-error" role="alert" data-testid="sql-error">
          {result.line !== undefined && (
            <strong>
              Line {result.line}, column {result.column}:{' '}
            </strong>
          )}
          {result.message}
        </p>
      )}
      {result?.kind === 'rows' && (
        <>
          <p className="muted" data-testid="sql-count">
            {result.rows.length < result.totalRows
              ? `Showing the first ${count.format(result.rows.length)} of ${count.format(result.totalRows)} rows`
              : `${count.format(result.totalRows)} ${result.totalRows === 1 ? 'row' : 'rows'}`}
          </p>
          <div className="sql-result">
            <table data-testid="sql-result">
              <thead>
                <tr>
                  {result.columns.map((c, i) => (
                    <th key={i} title={c.type}>
                      {c.name}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {result.rows.map((row, r) => (
                  <tr key={r}>
                    {row.map((cell, i) => (
                      <td key={i} className={typeof cell === 'number' ? 'num' : cell === null ? 'null' : undefined}>
                        {show(cell)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
