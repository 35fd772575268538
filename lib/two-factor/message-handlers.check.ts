import { Type } from '@nestjs/common';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';
import type { TwoFactorMetadata } from './two-factor-metadata';
import { TWO_FACTOR_METADATA } from '../verigator.constants';

/** `@nestjs/microservices`' and `@nestjs/websockets`' metadata keys, read without loading them. */
const RPC_PATTERN = 'microservices:pattern';
const WS_GATEWAY = 'websockets:is_gateway';
const WS_MESSAGE = 'websockets:message_mapping';

/**
 * Refuses the app at startup when `@RequireTwoFactor()` covers a WebSocket gateway's message
 * handler or a microservice's message or event handler: they carry no one-time code, so the
 * route could never pass. Handlers the guard reaches otherwise (`@UseGuards()`, `APP_GUARD`) are
 * refused per message with `TWO_FACTOR_UNSUPPORTED` instead.
 * @throws Error naming every such handler and the fix.
 */
export function refuseProtectedMessageHandlers(modules: ModulesContainer): void {
  const scanner = new MetadataScanner();
  const found: string[] = [];
  for (const moduleRef of modules.values()) {
    const classes = [...moduleRef.controllers.values(), ...moduleRef.providers.values()];
    for (const { metatype } of classes) {
      const target = metatype as Type | null | undefined;
      if (typeof target !== 'function' || !target.prototype) continue;
      const gateway = Reflect.getMetadata(WS_GATEWAY, target) === true;
      for (const name of scanner.getAllMethodNames(target.prototype)) {
        const handler = (target.prototype as Record<string, object>)[name];
        const kind =
          Reflect.getMetadata(RPC_PATTERN, handler) !== undefined
            ? 'microservice handler'
            : gateway && Reflect.getMetadata(WS_MESSAGE, handler) === true
              ? 'WebSocket message handler'
              : undefined;
        const nearest = (Reflect.getMetadata(TWO_FACTOR_METADATA, handler) ??
          Reflect.getMetadata(TWO_FACTOR_METADATA, target)) as TwoFactorMetadata | undefined;
        if (kind && nearest && !nearest.skip) found.push(`  - ${target.name}.${name} (${kind})`);
      }
    }
  }
  if (found.length === 0) return;
  throw new Error(
    '@RequireTwoFactor() cannot protect messages that carry no HTTP request, so these would ' +
      `refuse every message:\n${[...new Set(found)].join('\n')}\nAsk for the second factor on ` +
      'the HTTP route (or GraphQL operation) that leads to them, and remove the decorator or ' +
      'mark them @SkipTwoFactor().',
  );
}
