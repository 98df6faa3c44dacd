import { useApp } from '../store/index.js';
import { overallFraction } from '../store/imports.js';

const PHASE_LABEL = { upload: 'Reading', copy: 'Copying into the project', inspect: 'Checking rows and columns', save: 'Saving' };

/** One progress bar per running import; failures stay until dismissed, with the reason. */
export function ImportList() {
  const imports = useApp((s) => s.imports);
  const dismiss = useApp((s) => s.dismissImport);
  const cancel = useApp((s) => s.cancelImport);
  if (imports.length === 0) return null;
  return (
    <ul className="imports" aria-label="Imports">
      {imports.map((job) => {
        const pct = Math.round(overallFraction(job.phase, job.fraction) * 100);
        return (
          <li key={job.importId} className={`import import-${job.status}`}>
            <div className="import-head">
              <span className="import-name">{job.fileName}</span>
              <span className="muted">
                {job.status === 'running' && `${PHASE_LABEL[job.phase]}… ${pct}%`}
                {job.status === 'done' && 'Imported'}
                {job.status === 'failed' && 'Not imported'}
              </span>
              {job.status === 'running' && job.phase !== 'save' && (
                <button onClick={() => cancel(job.importId)} aria-label={`Cancel importing ${job.fileName}`}>
                  Cancel
                </button>
              )}
              {job.status !== 'running' && (
                <button className="icon" aria-label={`Dismiss ${job.fileName}`} onClick={() => dismiss(job.importId)}>
                  ×
                </button>
              )}
            </div>
            {job.status === 'running' && (
              <progress max={100} value={pct} aria-label={`Importing ${job.fileName}`} />
            )}
            {job.error && (
              <p className="inline-error" role="alert">
                {job.error}
              </p>
            )}
          </li>
        );
      })}
    </ul>
  );
}
