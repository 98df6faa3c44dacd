import { useEffect, useRef, useState } from 'react';
import { useApp } from '../store/index.js';

const ACCEPT = '.csv,.tsv,.txt,.parquet,.pq,.json,.ndjson,.jsonl';

/**
 * Accepts files dragged from the desktop anywhere on the stage, and offers a file picker (also Ctrl/Cmd+O).
 * The highlighted area says what it accepts.
 */
export function DropZone({ compact }: { compact: boolean }) {
  const importFiles = useApp((s) => s.importFiles);
  const inputRef = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const depth = useRef(0);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'o') {
        e.preventDefault();
        inputRef.current?.click();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <section
      className={`dropzone${over ? ' dropzone-over' : ''}${compact ? ' dropzone-compact' : ''}`}
      data-testid="dropzone"
      aria-label="Import data"
      onDragEnter={(e) => {
        e.preventDefault();
        depth.current += 1;
        setOver(true);
      }}
      onDragOver={(e) => {
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
      }}
      onDragLeave={() => {
        depth.current -= 1;
        if (depth.current <= 0) setOver(false);
      }}
      onDrop={(e) => {
        e.preventDefault();
        depth.current = 0;
        setOver(false);
        const files = Array.from(e.dataTransfer.files);
        if (files.length > 0) void importFiles(files);
      }}
    >
      <p className="dropzone-text">
        {over ? 'Drop to import' : 'Drop CSV, Parquet or JSON files here, or'}{' '}
        {!over && (
          <button className="linklike" onClick={() => inputRef.current?.click()}>
            choose files…
          </button>
        )}
      </p>
      <input
        ref={inputRef}
        type="file"
        accept={ACCEPT}
        multiple
        hidden
        data-testid="file-input"
        onChange={(e) => {
          const files = Array.from(e.target.files ?? []);
          e.target.value = '';
          if (files.length > 0) void importFiles(files);
        }}
      />
    </section>
  );
}
