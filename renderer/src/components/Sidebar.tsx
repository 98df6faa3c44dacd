import { useApp } from '../store/index.js';
import type { StageId } from '../store/project.js';

/** The lifecycle, in order. Stages not built yet are shown as coming, never as dead links. */
export const STAGES: readonly { id: StageId; label: string; ready: boolean; hint: string }[] = [
  { id: 'define', label: 'Define', ready: true, hint: 'The problem, its target and success metrics' },
  { id: 'data', label: 'Data', ready: true, hint: 'Import files and look at their rows' },
  { id: 'prepare', label: 'Prepare', ready: true, hint: 'A preprocessing pipeline that cannot leak' },
  { id: 'train', label: 'Train', ready: true, hint: 'Baselines, stronger models and tuning' },
  { id: 'evaluate', label: 'Evaluate', ready: false, hint: 'ROC, calibration, subgroups, explanations' },
  { id: 'models', label: 'Models', ready: false, hint: 'Versioned models with model cards' },
  { id: 'deploy', label: 'Deploy', ready: false, hint: 'Bundles that serve a REST API' },
  { id: 'monitor', label: 'Monitor', ready: false, hint: 'Drift in inputs and predictions' },
  { id: 'govern', label: 'Govern', ready: false, hint: 'Lineage, approvals and the audit record' },
];

export function Sidebar() {
  const project = useApp((s) => s.project);
  const stage = useApp((s) => s.stage);
  const close = useApp((s) => s.closeProject);
  const setStage = useApp((s) => s.setStage);
  if (project === null) return null;
  return (
    <nav className="sidebar" aria-label="Project stages">
      <button className="back" onClick={close}>
        ← All projects
      </button>
      <div className="sidebar-project" title={project.name}>
        {project.name}
      </div>
      <ol className="stages">
        {STAGES.map((s) => (
          <li key={s.id}>
            {s.ready ? (
              <button className="stage" aria-current={stage === s.id ? 'page' : undefined} title={s.hint} onClick={() => setStage(s.id)}>
                {s.label}
              </button>
            ) : (
              <span className="stage stage-coming" aria-disabled="true" title={`${s.hint} — coming soon`}>
                {s.label} <span className="badge">soon</span>
              </span>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}
