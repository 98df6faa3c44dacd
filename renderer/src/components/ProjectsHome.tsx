import { useState, type FormEvent } from 'react';
import type { ProjectSummary } from '../../../shared/host/contract.js';
import { useApp } from '../store/index.js';
import { ConfirmDialog } from './ConfirmDialog.js';
import { SampleOffer } from './SampleOffer.js';

const when = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** The project list: create, open, rename and delete (with confirmation). */
export function ProjectsHome() {
  const projects = useApp((s) => s.projects);
  const status = useApp((s) => s.projectsStatus);
  const error = useApp((s) => s.projectsError);
  const workspace = useApp((s) => s.workspace);
  const createProject = useApp((s) => s.createProject);
  const loadProjects = useApp((s) => s.loadProjects);
  const [name, setName] = useState('');
  const [deleting, setDeleting] = useState<string | null>(null);
  const deleteProject = useApp((s) => s.deleteProject);

  async function onCreate(e: FormEvent) {
    e.preventDefault();
    if (name.trim() === '') return;
    if (await createProject(name)) setName('');
  }

  return (
    <main className="home" aria-labelledby="projects-title">
      <header className="home-header">
        <h1 id="projects-title">Projects</h1>
        {workspace && <p className="muted">Saved in {workspace.root}</p>}
      </header>
      <form className="create-form" onSubmit={onCreate}>
        <label htmlFor="new-project">New project</label>
        <input
          id="new-project"
          value={name}
          placeholder="e.g. Churn 2026"
          maxLength={64}
          onChange={(e) => setName(e.target.value)}
          autoFocus
        />
        <button className="primary" type="submit" disabled={name.trim() === ''}>
          Create project
        </button>
      </form>
      <SampleOffer />
      {status === 'failed' && (
        <div className="inline-error" role="alert">
          Could not read the workspace: {error}{' '}
          <button onClick={() => void loadProjects()}>Try again</button>
        </div>
      )}
      {status === 'done' && projects.length === 0 && (
        <p className="empty">No projects yet. Name one above to start.</p>
      )}
      <ul className="project-list" aria-label="Projects">
        {projects.map((p) => (
          <ProjectRow key={p.name} project={p} onDelete={() => setDeleting(p.name)} />
        ))}
      </ul>
      {deleting !== null && (
        <ConfirmDialog
          title={`Delete “${deleting}”?`}
          confirmLabel="Delete project"
          danger
          onCancel={() => setDeleting(null)}
          onConfirm={() => {
            const target = deleting;
            setDeleting(null);
            void deleteProject(target);
          }}
        >
          This removes the project folder with its imported copies of data. The original files you imported are not
          touched. This cannot be undone.
        </ConfirmDialog>
      )}
    </main>
  );
}

function ProjectRow({ project, onDelete }: { project: ProjectSummary; onDelete(): void }) {
  const openProject = useApp((s) => s.openProject);
  const renameProject = useApp((s) => s.renameProject);
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(project.name);

  async function commit() {
    if (draft.trim() === '' || draft.trim() === project.name) {
      setEditing(false);
      return;
    }
    if (await renameProject(project.name, draft)) setEditing(false);
  }

  return (
    <li className="project-row" data-project={project.name}>
      {editing ? (
        <input
          aria-label={`New name for ${project.name}`}
          value={draft}
          maxLength={64}
          autoFocus
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') void commit();
            if (e.key === 'Escape') setEditing(false);
          }}
          onBlur={() => void commit()}
        />
      ) : (
        <button className="project-open" onClick={() => void openProject(project.name)}>
          <span className="project-name">{project.name}</span>
          <span className="muted">
            {project.datasetCount} {project.datasetCount === 1 ? 'dataset' : 'datasets'} · updated{' '}
            {when.format(new Date(project.updatedAt))}
            {project.sample ? ' · sample' : ''}
          </span>
        </button>
      )}
      <div className="row-actions">
        <button
          onClick={() => {
            setDraft(project.name);
            setEditing(true);
          }}
          aria-label={`Rename ${project.name}`}
        >
          Rename
        </button>
        <button className="danger-quiet" onClick={onDelete} aria-label={`Delete ${project.name}`}>
          Delete
        </button>
      </div>
    </li>
  );
}
