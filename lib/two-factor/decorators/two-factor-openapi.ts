import * as errors from '../../errors/verigator.error';
import { toVerigatorErrorResponse } from '../../filters/verigator-error-response';
import { AUTH_METHODS } from '../../models/verigator.models';
import { TwoFactorErrorCode, TwoFactorException } from '../two-factor.exception';

/*
 * What `@RequireTwoFactor()` adds to the OpenAPI document, written as the metadata that
 * @nestjs/swagger's `@ApiHeader()` and `@ApiResponse()` store (their keys and shapes), so nothing
 * loads swagger: inert without it, read by its explorer when a document is built. The app's own
 * `@ApiResponse()` for a status wins.
 */
const API_HEADERS = 'swagger/apiHeaders'; // a class's headers
const API_PARAMETERS = 'swagger/apiParameters'; // a method's parameters, headers included
const API_RESPONSE = 'swagger/apiResponse';

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

const TOKEN_HEADER = {
  name: 'X-Verigator-Token',
  in: 'header',
  required: false,
  description:
    'The code the user received; without it a code is sent and the answer is 401 ' +
    'TWO_FACTOR_REQUIRED (unless the twoFactor.token option reads it elsewhere)',
  schema: { type: 'string', pattern: '^\\d{4,12}$', example: '123456' },
};

let responses: Record<number, object> | undefined;

/**
 * Documents a route (method) or every route of a controller (class) under `@RequireTwoFactor()`:
 * the `X-Verigator-Token` header and each answer the guard can give instead of the route's own,
 * with its `code` values (the guard's, and those of the `VerigatorError`s it passes on).
 */
export function documentTwoFactorRoute(target: object, descriptor?: PropertyDescriptor): void {
  const holder = (descriptor?.value as object | undefined) ?? target;
  const key = descriptor ? API_PARAMETERS : API_HEADERS;
  const parameters = (Reflect.getMetadata(key, holder) as object[] | undefined) ?? [];
  Reflect.defineMetadata(key, [...parameters, TOKEN_HEADER], holder);
  const declared = Reflect.getMetadata(API_RESPONSE, holder) as object | undefined;
  Reflect.defineMetadata(
    API_RESPONSE,
    { ...(responses ??= buildResponses()), ...declared },
    holder,
  );
}

/** One response per status, with the codes that status carries. */
function buildResponses(): Record<number, object> {
  const codesByStatus = new Map<number, Set<string>>();
  const add = (status: number, code: string) =>
    codesByStatus.set(status, (codesByStatus.get(status) ?? new Set()).add(code));
  for (const code of Object.values(TwoFactorErrorCode)) {
    add(new TwoFactorException(code).getStatus(), code);
  }
  for (const ErrorClass of Object.values(errors)) {
    if (typeof ErrorClass !== 'function') continue;
    if (!(ErrorClass.prototype instanceof errors.VerigatorError)) continue;
    const { statusCode, body } = toVerigatorErrorResponse(
      new (ErrorClass as typeof errors.VerigatorError)(''),
    );
    add(statusCode, body.code);
  }
  return Object.fromEntries(
    [...codesByStatus].map(([status, codes]) => [
      status,
      {
        description: DESCRIPTIONS[status] ?? '',
        schema: {
          type: 'object',
          required: ['statusCode', 'error', 'message', 'code'],
          properties: {
            statusCode: { type: 'number', example: status },
            error: { type: 'string' },
            message: { type: 'string' },
            code: { type: 'string', enum: [...codes] },
            ...(codes.has(TwoFactorErrorCode.REQUIRED) && {
              method: {
                type: 'string',
                enum: AUTH_METHODS,
                description: 'With TWO_FACTOR_REQUIRED: how the code was sent',
              },
            }),
          },
        },
      },
    ]),
  );
}
