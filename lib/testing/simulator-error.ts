/**
 * An error the simulator answers with its HTTP status and `{"message": ...}`. The helper methods
 * of `VerigatorSimulator` throw it too (e.g. 404 for an unknown user).
 */
export class SimulatorError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'SimulatorError';
  }
}
