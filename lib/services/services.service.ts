import { Injectable } from '@nestjs/common';
import { CreateServiceDto, ServiceRefArgs } from '../dto/verigator.dto';
import { buildVerigatorPath } from '../http/build-verigator-path';
import { VerigatorHttpClient } from '../http/verigator-http-client';
import { VerigatorService } from '../models/verigator.models';
import { validateInput } from '../validation/validate-input';
import { toVerigatorService } from './response-mappers';

/** Registers, reads and deletes Verigator services (one per web application). */
@Injectable()
export class ServicesService {
  constructor(private readonly client: VerigatorHttpClient) {}

  /**
   * Registers a service; keep the returned `id` in your configuration.
   * @throws InvalidDataError for a bad fqdn or name (nothing is sent), and any `VerigatorError`.
   * @example const { id } = await services.create({ fqdn: 'coffeeshop.com', name: 'CoffeeShop' });
   */
  async create(service: CreateServiceDto): Promise<VerigatorService> {
    const { fqdn, name } = validateInput(CreateServiceDto, service);
    return toVerigatorService(
      await this.client.request('POST', buildVerigatorPath(), { fqdn, name }),
    );
  }

  /**
   * Fetches a service by id.
   * @throws NoSuchResourceError when it does not exist, and any `VerigatorError`.
   */
  async get(serviceId: string): Promise<VerigatorService> {
    validateInput(ServiceRefArgs, { serviceId });
    return toVerigatorService(await this.client.request('GET', buildVerigatorPath(serviceId)));
  }

  /**
   * Deletes a service.
   * @throws NoSuchResourceError when it does not exist, `ResourceAlreadyExistsError` (409) when
   * Verigator refuses because it still has users, and any `VerigatorError`.
   */
  async delete(serviceId: string): Promise<void> {
    validateInput(ServiceRefArgs, { serviceId });
    await this.client.execute('DELETE', buildVerigatorPath(serviceId));
  }
}
