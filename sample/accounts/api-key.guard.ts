import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { AccountsStore } from './accounts.store';

/**
 * The sample's first factor: `Authorization: Bearer <apiKey>` sets `request.user`.
 * A real app would use its own login (Passport, sessions, JWT); the 2FA guard only needs
 * `request.user.verigatorId`.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(private readonly accounts: AccountsStore) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<{
      headers: Record<string, string | undefined>;
      user?: unknown;
    }>();
    const [scheme, apiKey] = (request.headers.authorization ?? '').split(' ');
    const account = scheme === 'Bearer' && apiKey ? this.accounts.findByApiKey(apiKey) : undefined;
    if (!account) throw new UnauthorizedException('Send Authorization: Bearer <apiKey>');
    request.user = account;
    return true;
  }
}
