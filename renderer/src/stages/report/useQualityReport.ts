import { useCallback, useEffect, useRef, useState } from 'react';
import { applyReportPart, emptyReport, type QualityReport } from '../../../../shared/data/report.js';
import { reportWarnings } from '../../../../shared/data/warnings.js';
import { runQualityReport, type ReportRequest } from '../../data/report.js';
import { messageOf, type Status } from '../../store/status.js';

export interface ReportState {
  status: Status | 'cancelled';
  report: QualityReport;
  /** 0..1 while running. */
  fraction: number;
  error: string | null;
}

/** Finished reports for this session, by table, target and partition: switching views does not recompute. */
const finished = new Map<string, QualityReport>();
const keyOf = (r: ReportRequest): string => JSON.stringify([r.table, r.target, r.partition]);

/**
 * Runs the quality report for `request` and keeps the partial report as sections arrive (warnings recomputed as
 * they do). Cancel stops the worker after the section it is on (a DuckDB statement cannot be interrupted), so the
 * table and charts get the worker back; the sections already computed stay on screen.
 */
export function useQualityReport(request: ReportRequest | null): { state: ReportState; cancel(): void; rerun(): void } {
  const [state, setState] = useState<ReportState>(() => initial(request));
  const runId = useRef(0);
  const running = useRef<AbortController | null>(null);
  const key = request === null ? null : keyOf(request);
  const current = useRef(request);
  current.current = request;

  const start = useCallback((fresh: boolean) => {
    const req = current.current;
    const id = ++runId.current;
    running.current?.abort();
    running.current = null;
    if (req === null) return;
    const cached = fresh ? undefined : finished.get(keyOf(req));
    if (cached !== undefined) {
      setState({ status: 'done', report: cached, fraction: 1, error: null });
      return;
    }
    setState({ status: 'running', report: emptyReport(req.table), fraction: 0, error: null });
    const controller = new AbortController();
    running.current = controller;
    runQualityReport(req, (part, fraction) => {
      if (runId.current !== id) return;
      setState((s) => {
        const report = applyReportPart(s.report, part);
        return { ...s, report: { ...report, warnings: reportWarnings(report) }, fraction: fraction ?? s.fraction };
      });
    }, controller.signal).then(
      (report) => {
        finished.set(keyOf(req), report);
        if (runId.current === id) setState({ status: 'done', report, fraction: 1, error: null });
      },
      (err: unknown) => {
        if (runId.current === id) setState((s) => ({ ...s, status: 'failed', error: messageOf(err) }));
      },
    );
  }, []);

  useEffect(() => {
    if (key !== null) start(false);
  }, [key, start]);

  const cancel = useCallback(() => {
    runId.current++;
    running.current?.abort();
    running.current = null;
    setState((s) => (s.status === 'running' ? { ...s, status: 'cancelled' } : s));
  }, []);
  const rerun = useCallback(() => start(true), [start]);
  return { state, cancel, rerun };
}

function initial(request: ReportRequest | null): ReportState {
  return { status: 'idle', report: emptyReport(request?.table ?? ''), fraction: 0, error: null };
}
