import * as errors from '../../errors/verigator.error';
import { toVerigatorErrorResponse } from '../../filters/verigator-error-response';
import { AUTH_METHODS } from '../../models/verigator.models';
import { TwoFactorErrorCode, TwoFactorException } from '../two-factor.exception';

type AnyDecorator = (
  target: object,
  key?: string | symbol,
  descriptor?: PropertyDescriptor,
) => void;

/** The part of `@nestjs/swagger` used. */
interface Swagger {
  ApiHeader(options: Record<string, unknown>): AnyDecorator;
  ApiResponse(options: Record<string, unknown>): AnyDecorator;
}

const DESCRIPTIONS: Readonly<Record<number, string>> = {
  400: 'Verigator refused the data',
  401: 'A second factor is needed (a code was sent) or was refused',
  404: 'The user is not known to Verigator',
  409: 'Verigator refused the request as a conflict',
  429: 'Too many codes, attempts or calls; see Retry-After',
  502: 'Verigator failed to process the request',
  503: 'Two-factor authentication is unavailable',
  504: 'Verigator did not answer in time',
};

let documentation: AnyDecorator[] | null | undefined;

/**
 * With `@nestjs/swagger` installed, the OpenAPI decorators `@RequireTwoFactor()` adds: the
 * `X-Verigator-Token` header and each answer the guard can give instead of the route's own, with
 * its `code` values (the guard's, and the `VerigatorError` codes of the status the filter maps
 * them to). `[]` without it; swagger is looked for once.
 */
export function twoFactorOpenApiDecorators(): AnyDecorator[] {
  if (documentation === undefined) documentation = buildDocumentation(loadSwagger());
  return documentation ?? [];
}

function buildDocumentation(swagger: Swagger | undefined): AnyDecorator[] | null {
  if (!swagger) return null;
  const codesByStatus = new Map<number, string[]>();
  const add = (status: number, code: string) =>
    codesByStatus.set(status, [...(codesByStatus.get(status) ?? []), code]);
  for (const code of Object.values(TwoFactorErrorCode)) {
    add(new TwoFactorException(code).getStatus(), code);
  }
  for (const ErrorClass of Object.values(errors)) {
    if (
      typeof ErrorClass !== 'function' ||
      !(ErrorClass.prototype instanceof errors.VerigatorError)
    ) {
      continue;
    }
    const { statusCode, body } = toVerigatorErrorResponse(
      new (ErrorClass as typeof errors.VerigatorError)(''),
    );
    add(statusCode, body.code);
  }
  const responses = [...codesByStatus].map(([status, codes]) =>
    swagger.ApiResponse({
      status,
      description: DESCRIPTIONS[status],
      schema: {
        type: 'object',
        required: ['statusCode', 'error', 'message', 'code'],
        properties: {
          statusCode: { type: 'number', example: status },
          error: { type: 'string' },
          message: { type: 'string' },
          code: { type: 'string', enum: [...new Set(codes)] },
          ...(codes.includes(TwoFactorErrorCode.REQUIRED) && {
            method: {
              type: 'string',
              enum: AUTH_METHODS,
              description: 'With TWO_FACTOR_REQUIRED: how the code was sent',
            },
          }),
        },
      },
    }),
  );
  const header = swagger.ApiHeader({
    name: 'X-Verigator-Token',
    required: false,
    description:
      'The code the user received; without it a code is sent and the answer is 401 ' +
      'TWO_FACTOR_REQUIRED (unless the twoFactor.token option reads it elsewhere)',
    schema: { type: 'string', pattern: '^\\d{4,12}$', example: '123456' },
  });
  return [header, ...responses];
}

function loadSwagger(): Swagger | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('@nestjs/swagger') as Swagger;
  } catch {
    return undefined;
  }
}
