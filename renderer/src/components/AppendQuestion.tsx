import { useApp } from '../store/index.js';
import { ConfirmDialog } from './ConfirmDialog.js';

/** Files dropped together whose columns differ: say how, and offer to import them one by one. */
export function AppendQuestion() {
  const question = useApp((s) => s.appendQuestion);
  const answer = useApp((s) => s.answerAppend);
  if (question === null) return null;
  return (
    <ConfirmDialog title="These files have different columns" confirmLabel="Import separately" onConfirm={() => answer(true)} onCancel={() => answer(false)}>
      <p>
        {question.files.join(', ')} cannot be appended into one dataset:
      </p>
      <ul data-testid="append-differences">
        {question.differences.map((d) => (
          <li key={d}>{d}</li>
        ))}
      </ul>
      <p>Import them as separate datasets, or cancel and import nothing.</p>
    </ConfirmDialog>
  );
}
