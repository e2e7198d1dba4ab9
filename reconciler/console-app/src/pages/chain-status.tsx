import { useApi } from '../use-api.js';
import { Async } from '../widgets.js';

interface ChainReport {
  readonly ok: boolean;
  readonly checked: number;
  readonly pruned_through?: string;
  readonly problem?: { readonly kind: string; readonly seq: string; readonly message: string };
}

/** The hash chain's verify result (`/v1/audit/verify`), in words. */
export function ChainStatus() {
  const report = useApi<ChainReport>('/v1/audit/verify');
  return (
    <div class="chain" data-testid="chain-status">
      <Async loaded={report} what="the audit chain check">
        {(r) =>
          r.ok ? (
            <p class="ok">
              Audit chain verified: {r.checked.toLocaleString()} events intact
              {r.pruned_through ? ` (pruned through seq ${r.pruned_through})` : ''}.
            </p>
          ) : (
            <p class="error" role="alert">
              Audit chain broken at seq {r.problem?.seq}: {r.problem?.message}
            </p>
          )
        }
      </Async>
    </div>
  );
}
