/** An async resource's state, shown as is by the UI (STYLE 12). */
export type Status = 'idle' | 'running' | 'failed' | 'done';

/** The message to show a person for any thrown value. */
export function messageOf(err: unknown): string {
  if (err instanceof Error && err.message) return err.message;
  return typeof err === 'string' && err ? err : 'Something went wrong, and the error had no message.';
}
