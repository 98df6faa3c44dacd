import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Cell, TableInfo } from '../../../shared/protocol/data-worker.js';

const ROW_HEIGHT = 28;
const PAGE_ROWS = 256;
const MAX_CACHED_PAGES = 64;

interface Props {
  table: TableInfo;
  fetchPage(offset: number, limit: number): Promise<Cell[][]>;
}

function columnWidth(name: string, type: string): number {
  const base = Math.max(name.length, type.length * 0.8) * 8 + 32;
  return Math.round(Math.min(280, Math.max(96, base)));
}

function show(cell: Cell | undefined): string {
  if (cell === null) return '';
  if (cell === undefined) return '…';
  return typeof cell === 'number' ? String(cell) : String(cell);
}

/**
 * A virtualised grid: only the rows in view are in the DOM, and rows arrive from the data worker in pages of
 * 256 as they scroll into view (the oldest loaded pages are dropped past 64), so a million rows scroll smoothly.
 */
export function DataTable({ table, fetchPage }: Props) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const pages = useRef(new Map<number, Cell[][]>());
  const pending = useRef(new Set<number>());
  const [, setVersion] = useState(0);
  const [pageError, setPageError] = useState<string | null>(null);

  const widths = useMemo(() => table.columns.map((c) => columnWidth(c.name, c.type)), [table.columns]);
  const indexWidth = Math.max(56, String(table.rows).length * 9 + 20);
  const totalWidth = widths.reduce((a, b) => a + b, indexWidth);

  useEffect(() => {
    pages.current.clear();
    pending.current.clear();
    setPageError(null);
    setVersion((n) => n + 1);
  }, [table]);

  const virtualizer = useVirtualizer({
    count: table.rows,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 24,
  });

  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items.at(-1)?.index ?? -1;

  const load = useCallback(
    (page: number) => {
      if (pages.current.has(page) || pending.current.has(page)) return;
      pending.current.add(page);
      fetchPage(page * PAGE_ROWS, PAGE_ROWS).then(
        (rows) => {
          pending.current.delete(page);
          const cache = pages.current;
          cache.set(page, rows);
          if (cache.size > MAX_CACHED_PAGES) cache.delete(cache.keys().next().value as number);
          setVersion((n) => n + 1);
        },
        (err: unknown) => {
          pending.current.delete(page);
          setPageError(err instanceof Error ? err.message : String(err));
        },
      );
    },
    [fetchPage],
  );

  useEffect(() => {
    if (last < first) return;
    for (let p = Math.floor(first / PAGE_ROWS); p <= Math.floor(last / PAGE_ROWS); p++) load(p);
  }, [first, last, load]);

  const rowAt = (index: number): Cell[] | undefined => {
    const page = pages.current.get(Math.floor(index / PAGE_ROWS));
    return page?.[index % PAGE_ROWS];
  };

  return (
    <div className="grid-wrap">
      {pageError && (
        <p className="inline-error" role="alert">
          Rows could not be read: {pageError}
        </p>
      )}
      <div
        ref={scrollRef}
        className="grid-scroll"
        tabIndex={0}
        role="grid"
        aria-label="Dataset rows"
        aria-rowcount={table.rows + 1}
        aria-colcount={table.columns.length}
        data-testid="data-grid"
      >
        <div className="grid-header" role="row" style={{ width: totalWidth }}>
          <div className="grid-index" style={{ width: indexWidth }} />
          {table.columns.map((c, i) => (
            <div key={c.name} role="columnheader" className="grid-th" style={{ width: widths[i] }} title={`${c.name} (${c.type})`}>
              <span className="th-name">{c.name}</span>
              <span className="th-type">{c.type.toLowerCase()}</span>
            </div>
          ))}
        </div>
        <div style={{ height: virtualizer.getTotalSize(), width: totalWidth, position: 'relative' }}>
          {items.map((item) => {
            const row = rowAt(item.index);
            return (
              <div
                key={item.key}
                role="row"
                aria-rowindex={item.index + 2}
                className={`grid-row${item.index % 2 ? ' odd' : ''}`}
                style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT, width: totalWidth }}
              >
                <div className="grid-index" style={{ width: indexWidth }}>
                  {item.index + 1}
                </div>
                {table.columns.map((c, i) => {
                  const cell = row === undefined ? undefined : row[i];
                  return (
                    <div
                      key={c.name}
                      role="gridcell"
                      className={`grid-td${cell === null ? ' null' : ''}${typeof cell === 'number' ? ' num' : ''}`}
                      style={{ width: widths[i] }}
                    >
                      {show(cell)}
                    </div>
                  );
                })}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
