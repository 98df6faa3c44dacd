import { useEffect, useRef, useState, type RefObject } from 'react';
import type { View } from 'vega';
import type { VisualizationSpec } from 'vega-embed';

interface Props {
  /** A vega-lite spec; keep it stable (useMemo), each new object redraws. */
  spec: VisualizationSpec;
  label: string;
  /** Called with the data object under a click (a bar's bin, a heatmap cell). */
  onSelect?: (datum: Record<string, unknown>) => void;
  testId?: string;
  /**
   * SVG by default (crisp, inspectable). Canvas for charts of many marks (the heatmap's hundreds of cells): one
   * bitmap instead of a DOM node per mark keeps drawing well under the 100 ms a frame may take.
   */
  renderer?: 'svg' | 'canvas';
}

/**
 * Charts are drawn one step per task (compile, parse, first run), with a yield to the event loop between them,
 * so a report of many columns never holds the main thread for all of its charts at once, nor for the whole of
 * its first chart (measured by the responsiveness benchmark).
 */
let drawing: Promise<void> = Promise.resolve();
const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
function inTurn<T>(work: () => Promise<T>): Promise<T> {
  const run = drawing.then(nextTask).then(work);
  drawing = run.then(
    () => undefined,
    () => undefined,
  );
  return run;
}

/** vega's View with its first run started in a task of its own, after vega's parse (loaded once). */
let laterView: Promise<typeof View> | null = null;
function viewRunningLater(): Promise<typeof View> {
  laterView ??= import('vega').then(({ View: VegaView }) => {
    return class ViewRunningLater extends VegaView {
      private started = false;
      // vega passes (encode, prerun, postrun) along, which its typings leave out.
      override async runAsync(...args: unknown[]): Promise<this> {
        if (!this.started) {
          this.started = true;
          await nextTask();
        }
        await (VegaView.prototype.runAsync as (...a: unknown[]) => Promise<unknown>).apply(this, args);
        return this;
      }
    };
  });
  return laterView;
}

/** True once the element is within a screen of the viewport (always true where IntersectionObserver is missing). */
function useNearViewport(ref: RefObject<HTMLElement | null>): boolean {
  const [near, setNear] = useState(typeof IntersectionObserver === 'undefined');
  useEffect(() => {
    if (near || ref.current === null) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) setNear(true);
    }, { rootMargin: '100% 0px' });
    observer.observe(ref.current);
    return () => observer.disconnect();
  }, [near, ref]);
  return near;
}

/**
 * One vega-lite chart, rendered (SVG, or canvas when asked) when it comes near the viewport. vega-embed is loaded on first use (it is large), and runs with
 * `ast: true`, which evaluates expressions with vega's interpreter instead of `new Function`: the app's CSP
 * allows no eval.
 */
export function VegaChart({ spec, label, onSelect, testId, renderer = 'svg' }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const select = useRef(onSelect);
  const [error, setError] = useState<string | null>(null);
  const near = useNearViewport(ref);
  useEffect(() => {
    select.current = onSelect;
  }, [onSelect]);

  useEffect(() => {
    if (!near) return;
    let cancelled = false;
    let finalize: (() => void) | null = null;
    void (async () => {
      try {
        const [{ default: embed }, { compile }, viewClass] = await Promise.all([import('vega-embed'), import('vega-lite'), viewRunningLater()]);
        // Three tasks: vega-lite's compile, vega's parse, the first run and render (each ~30-50 ms on the first, cold chart).
        const compiled = await inTurn(async () => (cancelled ? null : compile(spec as Parameters<typeof compile>[0]).spec));
        const result = await inTurn(async () => {
          if (cancelled || compiled === null || ref.current === null) return null;
          const options = { mode: 'vega', hover: false, actions: false, ast: true, renderer, tooltip: true, viewClass } as const;
          return embed(ref.current, compiled, options);
        });
        if (result === null) return;
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
  }, [spec, near, renderer]);

  return (
    <div className="vega-chart" role="figure" aria-label={label} data-testid={testId}>
      {error !== null && <p className="inline-error">The chart could not be drawn: {error}</p>}
      <div ref={ref} className="vega-target" />
    </div>
  );
}
