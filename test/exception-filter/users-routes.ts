import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { UsersService } from '../../lib';
import { SERVICE_ID } from '../utils/create-verigator-app';

/**
 * `GET /bare/:id` and `POST /bare`: `UsersService` calls with no filter of their own. The filter
 * specs subclass it under another path with `@UseFilters()`.
 */
@Controller('bare')
export class BareController {
  constructor(private readonly users: UsersService) {}

  @Get(':id')
  get(@Param('id') id: string) {
    return this.users.get(SERVICE_ID, id);
  }

  @Post()
  create(@Body() body: { username: string; phoneNumber: string }) {
    return this.users.create(SERVICE_ID, body);
  }
}
