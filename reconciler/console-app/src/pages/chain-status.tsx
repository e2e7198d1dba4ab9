import { useEffect, useState } from 'preact/hooks';
import { getJson } from '../api.js';

interface ChainReport {
  readonly ok: boolean;
  readonly checked: number;
  readonly pruned_through?: string;
  readonly problem?: { readonly kind: string; readonly seq: string; readonly message: string };
}

interface Checked {
  readonly at: string;
  readonly report: ChainReport;
}

// Verifying re-hashes the whole chain (seconds over a million events): once per browser tab
// session, kept in sessionStorage (a result, no secret), and again on "Check again".
const KEY = 'telform.chain-check';

function remembered(): Checked | null {
  try {
    const text = sessionStorage.getItem(KEY);
    return text ? (JSON.parse(text) as Checked) : null;
  } catch {
    return null;
  }
}

/** The hash chain's verify result (`/v1/audit/verify`), in words. */
export function ChainStatus() {
  const [checked, setChecked] = useState<Checked | null>(remembered);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const check = async () => {
    setBusy(true);
    setError(null);
    try {
      const next = {
        at: new Date().toISOString(),
        report: await getJson<ChainReport>('/v1/audit/verify'),
      };
      sessionStorage.setItem(KEY, JSON.stringify(next));
      setChecked(next);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  useEffect(() => {
    if (!checked) void check();
  }, []);
  const r = checked?.report;
  return (
    <div class="chain" data-testid="chain-status">
      {busy && !r && (
        <p class="muted" role="status">
          Checking the audit chain…
        </p>
      )}
      {error && (
        <p class="error" role="alert">
          Could not check the audit chain: {error}
        </p>
      )}
      {r &&
        (r.ok ? (
          <p class="ok">
            Audit chain verified: {r.checked.toLocaleString()} events intact
            {r.pruned_through ? ` (pruned through seq ${r.pruned_through})` : ''}, checked{' '}
            {new Date(checked.at).toLocaleTimeString(undefined, { hour12: false })}.{' '}
            <button type="button" class="small" disabled={busy} onClick={check}>
              {busy ? 'Checking…' : 'Check again'}
            </button>
          </p>
        ) : (
          <p class="error" role="alert">
            Audit chain broken at seq {r.problem?.seq}: {r.problem?.message}{' '}
            <button type="button" class="small" disabled={busy} onClick={check}>
              Check again
            </button>
          </p>
        ))}
    </div>
  );
}
