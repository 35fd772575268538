/**
 * The module options are unusable; thrown at bootstrap, naming the option.
 * Never includes the password.
 */
export class VerigatorConfigurationError extends Error {
  constructor(
    /** The option at fault, e.g. `endpoint`. */
    readonly option: string,
    problem: string,
  ) {
    super(`VerigatorModule option "${option}" ${problem}`);
    this.name = 'VerigatorConfigurationError';
  }
}
