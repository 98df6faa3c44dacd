import { useCallback, useEffect, useRef, useState } from 'react';
import type { PartitionFilter } from '../../../../shared/protocol/query.js';
import type { RowFilter } from '../../../../shared/protocol/report.js';
import type { TableInfo } from '../../../../shared/protocol/data-worker.js';
import { DataTable } from '../../components/DataTable.js';
import { readFilteredRows } from '../../data/report.js';
import { messageOf } from '../../store/status.js';

/** What a click picked: a sentence for the heading and the filters that find those rows. */
export interface RowSelection {
  title: string;
  filters: RowFilter[];
}

interface Props {
  table: TableInfo;
  partition: PartitionFilter | null;
  selection: RowSelection;
  onClose(): void;
}

const count = new Intl.NumberFormat('en-US');

/** The rows behind a bar or a heatmap cell, paged from the worker into the same grid as the Rows view. */
export function RowsPanel({ table, partition, selection, onClose }: Props) {
  const [shown, setShown] = useState<TableInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    ref.current?.scrollIntoView?.({ block: 'start' });
  }, [selection]);

  useEffect(() => {
    let live = true;
    setShown(null);
    setError(null);
    readFilteredRows(table.table, selection.filters, 0, 0, partition).then(
      ({ total }) => live && setShown({ table: table.table, rows: total, columns: table.columns }),
      (err: unknown) => live && setError(messageOf(err)),
    );
    return () => {
      live = false;
    };
  }, [table, partition, selection]);

  const fetchPage = useCallback(
    async (offset: number, limit: number) => (await readFilteredRows(table.table, selection.filters, offset, limit, partition)).rows,
    [table, partition, selection],
  );

  return (
    <section ref={ref} className="report-rows" aria-label="Rows behind the selection" data-testid="report-rows">
      <header>
        <h3>
          {selection.title}
          {shown !== null && <span className="muted"> · {count.format(shown.rows)} rows</span>}
        </h3>
        <button onClick={onClose}>Close</button>
      </header>
      {error !== null && (
        <p className="inline-error" role="alert">
          {error}
        </p>
      )}
      {shown !== null && <DataTable table={shown} fetchPage={fetchPage} />}
    </section>
  );
}
