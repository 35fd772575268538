import { VERIGATOR_API_BASE_PATH } from '../verigator.constants';

/**
 * Joins path segments under `/v1/service/service`, each percent-encoded, so that no id can
 * reach another upstream path (`/`, `?`, `#`, `%` are encoded; dot segments are refused earlier
 * by validation, because URL parsers resolve even their encoded forms).
 */
export function buildVerigatorPath(...segments: string[]): string {
  return [VERIGATOR_API_BASE_PATH, ...segments.map((s) => encodeURIComponent(s))].join('/');
}
