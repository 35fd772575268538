/** Where the real Verigator API lives. */
export const DEFAULT_VERIGATOR_ENDPOINT = 'https://api.verigator.com';

/** How long a call to Verigator may take, in milliseconds, before it fails with a timeout. */
export const DEFAULT_VERIGATOR_TIMEOUT_MS = 5000;

/** Path prefix of every Verigator API resource. */
export const VERIGATOR_API_BASE_PATH = '/v1/service/service';

/** Injection token of the validated module options, defaults applied. */
export const VERIGATOR_OPTIONS = 'VERIGATOR:OPTIONS';

/** Injection token of the module's own HttpService, isolated from the host app's. */
export const VERIGATOR_HTTP_SERVICE = 'VERIGATOR:HTTP_SERVICE';
