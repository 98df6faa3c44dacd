import { Component, type ReactNode } from 'react';

interface State {
  error: Error | null;
}

/** Any render error becomes a readable message with a way back, never a blank window. */
export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (error === null) return this.props.children;
    return (
      <div className="fatal" role="alert">
        <h1>Orchard hit a problem it could not recover from</h1>
        <p>{error.message || String(error)}</p>
        <p className="muted">Your projects are saved on disk; reloading the window loses nothing that was saved.</p>
        <button className="primary" onClick={() => window.location.reload()}>
          Reload Orchard
        </button>
      </div>
    );
  }
}
