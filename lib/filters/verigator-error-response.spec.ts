import * as errors from '../errors/verigator.error';
import { VerigatorError } from '../errors/verigator.error';
import { toVerigatorErrorResponse, VERIGATOR_ERROR_MESSAGES } from './verigator-error-response';

const verigatorErrors = Object.values(errors as Record<string, unknown>)
  .filter(
    (value): value is typeof VerigatorError =>
      value === VerigatorError ||
      (typeof value === 'function' && value.prototype instanceof VerigatorError),
  )
  .map((ErrorClass) => new ErrorClass('Verigator answered 404: User nope in service svc-secret'));

describe('toVerigatorErrorResponse', () => {
  it('knows every error class of the library', () => {
    expect(verigatorErrors.length).toBeGreaterThanOrEqual(12);
  });

  it.each(verigatorErrors.map((error) => [error.code, error] as const))(
    '%s answers its own stable message, never the upstream text',
    (code, error) => {
      const { body } = toVerigatorErrorResponse(error);
      expect(body.message).toBe(
        VERIGATOR_ERROR_MESSAGES[code as keyof typeof VERIGATOR_ERROR_MESSAGES],
      );
      expect(JSON.stringify(body)).not.toContain('svc-secret');
    },
  );

  it('an error subclass of the app with its own code answers the message of its status', () => {
    class AppError extends errors.NoSuchResourceError {
      override readonly code = 'APP_SPECIFIC' as never;
    }
    const { body } = toVerigatorErrorResponse(new AppError('upstream text'));
    expect(body.message).toBe(VERIGATOR_ERROR_MESSAGES.NO_SUCH_RESOURCE);
  });
});
