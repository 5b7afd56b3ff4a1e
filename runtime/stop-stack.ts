/**
 * Stop steps in start order; `stop()` runs them last-started first, each once, even when start-up
 * failed half-way (so a failed start leaves no child process or open pool behind).
 */
export class StopStack {
  private readonly steps: { name: string; run: () => Promise<void> }[] = [];
  private stopping: Promise<void> | null = null;

  push(name: string, run: () => Promise<void>): void {
    this.steps.push({ name, run });
  }

  stop(onError: (name: string, error: unknown) => void = (n, e) => console.error(`${n}:`, e)): Promise<void> {
    this.stopping ??= (async () => {
      for (const step of [...this.steps].reverse()) {
        await step.run().catch((error: unknown) => onError(step.name, error));
      }
    })();
    return this.stopping;
  }
}
