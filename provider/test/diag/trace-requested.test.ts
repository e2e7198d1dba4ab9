import { describe, expect, it } from 'vitest';
import type * as grpc from '@grpc/grpc-js';
import { traceRequested } from '../../src/diag/trace-requested.js';
import { providerHandlers } from '../../src/server/provider-handlers.js';
import { ProviderServer } from '../../src/server/provider-server.js';

describe('traceRequested', () => {
  const cases: Array<{ reason: string; env: Record<string, string>; want: boolean }> = [
    { reason: 'nothing set: Terraform shows no provider log', env: {}, want: false },
    { reason: 'set but empty is unset', env: { TF_LOG: '' }, want: false },
    { reason: 'TF_LOG=TRACE shows every line', env: { TF_LOG: 'TRACE' }, want: true },
    { reason: 'level names are case-insensitive', env: { TF_LOG: 'trace' }, want: true },
    { reason: 'JSON is TRACE in JSON lines', env: { TF_LOG: 'JSON' }, want: true },
    { reason: 'an unknown level is TRACE to Terraform', env: { TF_LOG: '1' }, want: true },
    { reason: 'DEBUG is above TRACE: no trace lines', env: { TF_LOG: 'DEBUG' }, want: false },
    {
      reason: "TF_LOG_PROVIDER wins over TF_LOG for the provider's own lines",
      env: { TF_LOG: 'TRACE', TF_LOG_PROVIDER: 'ERROR' },
      want: false,
    },
    {
      reason: 'TF_LOG_PROVIDER alone asks for them',
      env: { TF_LOG_PROVIDER: 'trace' },
      want: true,
    },
    { reason: 'OFF is off', env: { TF_LOG: 'off' }, want: false },
  ];
  it.each(cases)('$reason', ({ env, want }) => expect(traceRequested(env)).toBe(want));
});

describe('providerHandlers logging', () => {
  async function getMetadataLines(trace: boolean): Promise<string[]> {
    const lines: string[] = [];
    const handlers = providerHandlers(new ProviderServer(), (l) => lines.push(l), trace);
    const handler = handlers.GetMetadata as grpc.handleUnaryCall<object, object>;
    await new Promise<void>((resolve, reject) =>
      handler({ request: {} } as grpc.ServerUnaryCall<object, object>, (err) =>
        err ? reject(err) : resolve(),
      ),
    );
    return lines;
  }

  it('writes no line per RPC unless Terraform asked for TRACE', async () => {
    expect(await getMetadataLines(false)).toEqual([]);
  });

  it('with TRACE, says how long each RPC took', async () => {
    expect(await getMetadataLines(true)).toEqual([
      expect.stringMatching(/^\[TRACE\] telform: GetMetadata .*took [\d.]+ ms$/),
    ]);
  });
});
