import { VerigatorError, VerigatorErrorDetails } from './verigator.error';

/** One input field that failed validation, with every rule it broke. */
export interface InvalidField {
  /** The field's name as the caller passed it, e.g. `phoneNumber`. */
  field: string;
  /** Human-readable messages, one per broken rule. They never contain the value. */
  messages: string[];
}

/**
 * The input was rejected: by local validation (nothing was sent; `statusCode` 0, `fields` set)
 * or by Verigator (400 or 422).
 */
export class InvalidDataError extends VerigatorError {
  override readonly code = 'INVALID_DATA';
  /** The failing fields, when local validation rejected the input; empty otherwise. */
  readonly fields: InvalidField[];

  constructor(message: string, details: VerigatorErrorDetails & { fields?: InvalidField[] } = {}) {
    super(message, details);
    this.fields = details.fields ?? [];
  }

  /** Builds the error for fields that failed local validation, naming each of them. */
  static fromFields(fields: InvalidField[]): InvalidDataError {
    const summary = fields.map((f) => `${f.field}: ${f.messages.join('; ')}`).join(', ');
    return new InvalidDataError(`Invalid input (${summary})`, { fields });
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), fields: this.fields };
  }
}
