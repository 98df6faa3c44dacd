import { useEffect, useRef, useState } from 'react';
import type { VisualizationSpec } from 'vega-embed';

interface Props {
  /** A vega-lite spec; keep it stable (useMemo), each new object redraws. */
  spec: VisualizationSpec;
  label: string;
  /** Called with the data object under a click (a bar's bin, a heatmap cell). */
  onSelect?: (datum: Record<string, unknown>) => void;
  testId?: string;
}

/**
 * One vega-lite chart, rendered to SVG. vega-embed is loaded on first use (it is large), and runs with
 * `ast: true`, which evaluates expressions with vega's interpreter instead of `new Function`: the app's CSP
 * allows no eval.
 */
export function VegaChart({ spec, label, onSelect, testId }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const select = useRef(onSelect);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    select.current = onSelect;
  }, [onSelect]);

  useEffect(() => {
    let cancelled = false;
    let finalize: (() => void) | null = null;
    void (async () => {
      try {
        const { default: embed } = await import('vega-embed');
        if (cancelled || ref.current === null) return;
        const result = await embed(ref.current, spec, { actions: false, ast: true, renderer: 'svg', tooltip: true });
        if (cancelled) {
          result.finalize();
          return;
        }
        finalize = () => result.finalize();
        result.view.addEventListener('click', (_event, item) => {
          const datum = (item as { datum?: unknown } | null | undefined)?.datum;
          if (datum !== null && typeof datum === 'object') select.current?.(datum as Record<string, unknown>);
        });
      } catch (err) {
        if (!cancelled) setError(err instanceof Error ? err.message : String(err));
      }
    })();
    return () => {
      cancelled = true;
      finalize?.();
    };
  }, [spec]);

  return (
    <div className="vega-chart" role="figure" aria-label={label} data-testid={testId}>
      {error !== null && <p className="inline-error">The chart could not be drawn: {error}</p>}
      <div ref={ref} />
    </div>
  );
}
