/**
 * The tfplugin6 Provider service: each RPC delegates to its own file. An exception never
 * escapes: it becomes an error diagnostic naming the RPC, so Terraform shows it with the
 * resource address instead of "Plugin did not respond".
 */
import type * as grpc from '@grpc/grpc-js';
import { driftPolicyRpcs, driftPolicyTypeName } from '../resources/drift-policy-resource.js';
import { applyResourceChange } from './apply-resource-change.js';
import { configureProvider } from './configure-provider.js';
import { getFunctions } from './get-functions.js';
import { getMetadata } from './get-metadata.js';
import { getProviderSchema } from './get-provider-schema.js';
import { importResourceState } from './import-resource-state.js';
import type { ProviderServer } from './provider-server.js';
import { planResourceChange } from './plan-resource-change.js';
import { readDataSource } from './read-data-source.js';
import { readResource } from './read-resource.js';
import { stopProvider } from './stop-provider.js';
import { upgradeResourceState } from './upgrade-resource-state.js';
import { validateDataResourceConfig } from './validate-data-resource-config.js';
import { validateProviderConfig } from './validate-provider-config.js';
import { validateResourceConfig } from './validate-resource-config.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- requests are decoded protobufjs objects
type Rpc = (server: ProviderServer, request: any) => object | Promise<object>;

export const rpcs: Record<string, Rpc> = {
  GetMetadata: getMetadata,
  GetProviderSchema: getProviderSchema,
  ValidateProviderConfig: validateProviderConfig,
  ValidateResourceConfig: validateResourceConfig,
  ValidateDataResourceConfig: validateDataResourceConfig,
  UpgradeResourceState: upgradeResourceState,
  ConfigureProvider: configureProvider,
  ReadResource: readResource,
  PlanResourceChange: planResourceChange,
  ApplyResourceChange: applyResourceChange,
  ImportResourceState: importResourceState,
  ReadDataSource: readDataSource,
  GetFunctions: getFunctions,
  StopProvider: stopProvider,
};

/**
 * gRPC handlers for every RPC. Failures are logged (`[ERROR]`) and answered as diagnostics;
 * with `trace` (TF_LOG or TF_LOG_PROVIDER asks for TRACE) each RPC's time is logged too.
 */
export function providerHandlers(
  server: ProviderServer,
  log: (line: string) => void,
  trace = false,
): grpc.UntypedServiceImplementation {
  const handlers: grpc.UntypedServiceImplementation = {};
  for (const [name, rpc] of Object.entries(rpcs)) {
    handlers[name] = (
      call: grpc.ServerUnaryCall<unknown, object>,
      callback: grpc.sendUnaryData<object>,
    ) => {
      const started = performance.now();
      // `telform_drift_policy` is not a kind: its resource RPCs have their own handlers.
      const typeName = (call.request as { type_name?: string }).type_name;
      const own = typeName === driftPolicyTypeName ? driftPolicyRpcs[name] : undefined;
      Promise.resolve()
        .then(() => (own ?? rpc)(server, call.request as never))
        .then(
          (response) => {
            // Shown with TF_LOG_PROVIDER=trace: where a slow plan or apply spends its time.
            if (trace)
              log(
                `[TRACE] telform: ${name} ${(call.request as { type_name?: string }).type_name ?? ''} took ${(performance.now() - started).toFixed(1)} ms`,
              );
            callback(null, response);
          },
          (err: unknown) => {
            const message = err instanceof Error ? err.message : String(err);
            log(`[ERROR] ${name}: ${err instanceof Error ? err.stack : message}`);
            if (name === 'StopProvider') return callback(null, { Error: message });
            callback(null, {
              diagnostics: [
                {
                  severity: 'ERROR',
                  summary: `telform provider error in ${name}`,
                  detail: `${message}\n\nThis is always an issue in the telform provider; please report it.`,
                },
              ],
            });
          },
        );
    };
  }
  return handlers;
}
