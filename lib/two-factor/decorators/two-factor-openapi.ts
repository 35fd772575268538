import { Inject, Injectable } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import * as errors from '../../errors/verigator.error';
import { toVerigatorErrorResponse } from '../../filters/verigator-error-response';
import { AUTH_METHODS } from '../../models/verigator.models';
import {
  DEVICE_TOKEN_HEADER,
  REMEMBER_DEVICE_FIELD,
  REMEMBER_DEVICE_HEADER,
} from '../../trusted-devices/trusted-device-transport';
import {
  DEFAULT_TWO_FACTOR_TOKEN_HEADER,
  RECOVERY_CODE_HEADER,
  VERIGATOR_TWO_FACTOR_OPTIONS,
} from '../../verigator.constants';
import { checkOf } from '../guard/two-factor-request-state';
import { ResolvedTwoFactorOptions } from '../two-factor-options.interface';
import { listHttpRoutes } from '../two-factor-routes.check';
import { TwoFactorErrorCode, TwoFactorException } from '../two-factor.exception';

/*
 * What `@RequireTwoFactor()` adds to the OpenAPI document, written as the metadata that
 * @nestjs/swagger's `@ApiHeader()` and `@ApiResponse()` store (their keys and shapes), so nothing
 * loads swagger: inert without it, read by its explorer when a document is built. The app's own
 * `@ApiResponse()` for a status wins. The decorator writes the token header and the answers; the
 * opt-in features' parameters depend on the module's options, so `TwoFactorFeatureDocs` writes
 * them when the module is built.
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
  name: displayName(DEFAULT_TWO_FACTOR_TOKEN_HEADER),
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

/**
 * Documents, on every route under `@RequireTwoFactor()` that takes them, the parameters of the
 * opt-in features under their configured names: the trusted-device token (cookie or header) and
 * `X-Verigator-Remember-Device`, and `X-Verigator-Recovery-Code`. Built with the module's
 * providers, so a document built before `app.init()` has them; the parameters it wrote for an
 * earlier app in the same process are replaced, not repeated.
 */
@Injectable()
export class TwoFactorFeatureDocs {
  constructor(
    modules: ModulesContainer,
    @Inject(VERIGATOR_TWO_FACTOR_OPTIONS) options: ResolvedTwoFactorOptions,
  ) {
    const parameters = featureParameters(options);
    for (const { handler, nearest } of listHttpRoutes(modules)) {
      const own = (Reflect.getMetadata(API_PARAMETERS, handler) as object[] | undefined) ?? [];
      const kept = own.filter((parameter) => !written.has(parameter));
      const added: object[] = [];
      if (nearest?.skip === false) {
        // The guard's own rule: configured, and not turned off on the route.
        const check = checkOf(nearest.options, options, '', '');
        for (const feature of FEATURES) {
          if (check[feature]) added.push(...parameters[feature].map((entry) => ({ ...entry })));
        }
      }
      for (const parameter of added) written.add(parameter);
      if (added.length > 0 || kept.length < own.length) {
        Reflect.defineMetadata(API_PARAMETERS, [...kept, ...added], handler);
      }
    }
  }
}

const FEATURES = ['trustedDevices', 'recoveryCodes'] as const;
type Feature = (typeof FEATURES)[number];

/** The parameters `TwoFactorFeatureDocs` wrote, so that a later app replaces them. */
const written = new WeakSet<object>();

/** Each configured feature's parameters, in its configured form. */
function featureParameters(options: ResolvedTwoFactorOptions): Record<Feature, object[]> {
  const text = { type: 'string' };
  const devices = options.trustedDevices;
  const deviceToken =
    devices?.transport === 'cookie'
      ? {
          name: devices.cookieName,
          in: 'cookie',
          description:
            'Trusted-device cookie, set by an earlier verified answer that asked to remember ' +
            'the device: the device then passes without a code (read on same-origin requests)',
        }
      : {
          name: displayName(DEVICE_TOKEN_HEADER),
          in: 'header',
          description:
            'Trusted-device token, given in this header by an earlier verified answer that ' +
            'asked to remember the device: the device then passes without a code',
        };
  return {
    trustedDevices: [
      { ...deviceToken, required: false, schema: text },
      {
        name: displayName(REMEMBER_DEVICE_HEADER),
        in: 'header',
        required: false,
        description:
          `\`true\` with a valid code: trust this device, whose token comes back in the answer ` +
          `(or send \`${REMEMBER_DEVICE_FIELD}: true\` in the body)`,
        schema: { type: 'string', enum: ['true'] },
      },
    ],
    recoveryCodes: [
      {
        name: displayName(RECOVERY_CODE_HEADER),
        in: 'header',
        required: false,
        description:
          'A one-time recovery code, in place of a code, for a user who lost their phone; ' +
          'each code passes once',
        schema: text,
      },
    ],
  };
}

/** A header as documents spell it: `X-Verigator-Token` for `x-verigator-token`. */
function displayName(header: string): string {
  return header.replace(/(^|-)[a-z]/g, (start) => start.toUpperCase());
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
