/**
 * One change at a time per key. Every read-modify-write of a project's document runs through `run(key, task)`,
 * so two imports finishing together both land in project.json instead of the second overwriting the first.
 * A task that fails does not block the ones queued after it.
 */
export class WriteQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const before = this.tails.get(key) ?? Promise.resolve();
    const result = before.then(task, task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}

/**
 * Counts the imports running into each project, so renaming or deleting a project can refuse while a copy is
 * still being written into its folder.
 */
export class BusyProjects {
  private readonly counts = new Map<string, number>();

  enter(key: string): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  leave(key: string): void {
    const left = (this.counts.get(key) ?? 1) - 1;
    if (left > 0) this.counts.set(key, left);
    else this.counts.delete(key);
  }

  isBusy(key: string): boolean {
    return this.counts.has(key);
  }
}
