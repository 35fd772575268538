import { IsFQDN, IsString, Length, Matches } from 'class-validator';
import { IsWellFormedText } from '../validation/is-well-formed-text';

/** Registers a service: `ServicesService.create()`, or a controller body with `ValidationPipe`. */
export class CreateServiceDto {
  /** Fully qualified domain name of the application, e.g. `coffeeshop.com`. */
  @IsFQDN({}, { message: 'fqdn must be a domain name such as coffeeshop.com' })
  fqdn!: string;

  /** Name shown as the issuer in the Verigator app, 1 to 100 characters, not blank. */
  @Matches(/\S/, { message: 'name must not be blank' })
  @IsString({ message: 'name must be a string' })
  @Length(1, 100, { message: 'name must be 1 to 100 characters' })
  @IsWellFormedText()
  name!: string;
}
