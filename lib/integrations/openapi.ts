import { Type } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';

/*
 * OpenAPI without loading @nestjs/swagger: a DTO carries the static `_OPENAPI_METADATA_FACTORY`
 * that swagger's CLI plugin generates for an app's own classes, and which swagger's schema
 * factory (ModelPropertiesAccessor.applyMetadataFactory) reads for every class in a document.
 * Its constraints come from the DTO's class-validator rules, so each rule is written once;
 * descriptions and examples are written here. An `@ApiProperty()` of the app still wins.
 */

/** What a DTO's documentation adds to its rules, per property. */
export interface DtoPropertyDocs {
  description: string;
  example: string;
}

/** What swagger's plugin metadata holds for a property (the subset we give). */
type PluginPropertyMetadata = Record<string, unknown> & { required: true; type: () => unknown };

/** How a class-validator rule shows in the schema; rules not listed add nothing. */
const RULES: Readonly<Record<string, (constraints: unknown[]) => Record<string, unknown>>> = {
  isLength: ([min, max]) => ({ minLength: min, maxLength: max }),
  matches: ([pattern]) => ({ pattern: pattern instanceof RegExp ? pattern.source : pattern }),
  isIn: ([values]) => ({ enum: values }),
  isFqdn: () => ({ format: 'hostname' }),
};

/**
 * Gives `dto` the schema @nestjs/swagger reads: every documented property as a required string
 * with its rules' constraints (lengths, pattern, enum, format), description and example.
 */
export function documentDto(dto: Type, docs: Readonly<Record<string, DtoPropertyDocs>>): void {
  const factory = (): Record<string, PluginPropertyMetadata> => {
    const rules = getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false);
    return Object.fromEntries(
      Object.entries(docs).map(([property, { description, example }]) => {
        const constraints = rules
          .filter((rule) => rule.propertyName === property && rule.name && RULES[rule.name])
          .map((rule) => RULES[rule.name!](rule.constraints ?? []));
        const metadata = { required: true, type: () => String, description, example };
        return [property, Object.assign(metadata, ...constraints) as PluginPropertyMetadata];
      }),
    );
  };
  Object.defineProperty(dto, '_OPENAPI_METADATA_FACTORY', { value: factory, configurable: true });
}
