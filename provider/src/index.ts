export { TelformClient } from './client/telform-client.js';
export type { TelformClientOptions } from './client/telform-client.js';
export { ApiError } from './client/api-resource.js';
export type { ApiCondition, ApiFieldError, ApiResource } from './client/api-resource.js';
export {
  cliConfigText,
  installProvider,
  osArch,
  providerVersion,
} from './install/install-provider.js';
export type { InstallOptions, Installed } from './install/install-provider.js';
