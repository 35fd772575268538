import { ExecutionContext, createParamDecorator } from '@nestjs/common';
import { Account } from './account';

/** The account `ApiKeyGuard` put on the request. */
export const CurrentAccount = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Account =>
    context.switchToHttp().getRequest<{ user: Account }>().user,
);
