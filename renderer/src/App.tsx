import { useEffect } from 'react';
import { Notices } from './components/Notices.js';
import { ProjectsHome } from './components/ProjectsHome.js';
import { Sidebar } from './components/Sidebar.js';
import { host, onMenuCommand } from './host/index.js';
import { DataStage } from './stages/DataStage.js';
import { DefineStage } from './stages/DefineStage.js';
import { PrepareStage } from './stages/PrepareStage.js';
import { TrainStage } from './stages/TrainStage.js';
import { useApp } from './store/index.js';

export function App() {
  const project = useApp((s) => s.project);
  const stage = useApp((s) => s.stage);

  useEffect(() => {
    const s = useApp.getState();
    void s.loadProjects();
    // The open project lives in the URL, so a reload returns to it.
    const fromHash = /^#\/p\/(.+)$/.exec(window.location.hash)?.[1];
    if (fromHash !== undefined) void s.openProject(decodeURIComponent(fromHash));
    const offRoute = useApp.subscribe((now, before) => {
      if (now.project?.name === before.project?.name) return;
      const hash = now.project ? `#/p/${encodeURIComponent(now.project.name)}` : '#/';
      window.history.replaceState(null, '', hash);
    });
    const offProgress = host.on('import.progress', (e) => useApp.getState().importProgress(e.importId, e.phase, e.fraction));
    const offChanged = host.on('projects.changed', () => void useApp.getState().loadProjects());
    const offMenu = onMenuCommand((command) => {
      const state = useApp.getState();
      if (command.command === 'project.new') {
        state.closeProject();
        requestAnimationFrame(() => document.getElementById('new-project')?.focus());
      } else if (state.project === null) {
        state.notify('error', 'Open a project first, then import data into it.');
      } else {
        void state.importPath(command.file.path);
      }
    });
    return () => {
      offMenu();
      offRoute();
      offProgress();
      offChanged();
    };
  }, []);

  return (
    <div className="app">
      {project === null ? (
        <ProjectsHome />
      ) : (
        <div className="project-layout">
          <Sidebar />
          {stage === 'define' ? <DefineStage /> : stage === 'prepare' ? <PrepareStage /> : stage === 'train' ? <TrainStage /> : <DataStage />}
        </div>
      )}
      <Notices />
    </div>
  );
}
