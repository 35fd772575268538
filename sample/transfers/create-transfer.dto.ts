import { IsInt, IsNotEmpty, IsPositive, IsString, MaxLength } from 'class-validator';

/** A money transfer: the sample's sensitive action. */
export class CreateTransferDto {
  /** Who receives the money. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  to!: string;

  /** Amount in cents. */
  @IsInt()
  @IsPositive()
  amount!: number;
}
