/** A mistake in how the command was called (exit code 2), as opposed to a problem in a rule. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
