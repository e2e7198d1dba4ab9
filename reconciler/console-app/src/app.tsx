import { useEffect, useState } from 'preact/hooks';
import { currentSession, signIn, signOut, type Session } from './api.js';
import { navigate, useConsoleLocation } from './location.js';
import { AccountsPage } from './pages/accounts-page.js';
import { AuditPage } from './pages/audit-page.js';
import { DriftPage } from './pages/drift-page.js';
import { JobsPage } from './pages/jobs-page.js';
import { ResourcePage } from './pages/resource-page.js';

const tabs = [
  { page: 'accounts', label: 'Accounts' },
  { page: 'drift', label: 'Drift' },
  { page: 'audit', label: 'Audit' },
  { page: 'jobs', label: 'Jobs' },
] as const;

function SignIn(props: { readonly onSignedIn: (s: Session) => void }) {
  const [error, setError] = useState<string | null>(null);
  return (
    <main id="main" class="sign-in">
      <h1>telform console</h1>
      <p>Read-only view of drift, audit and seats. Paste an API token to sign in.</p>
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          const input = e.currentTarget.elements.namedItem('token') as HTMLInputElement;
          try {
            const session = await signIn(input.value.trim());
            input.value = '';
            props.onSignedIn(session);
          } catch (err) {
            setError(err instanceof Error ? err.message : String(err));
          }
        }}
      >
        <label>
          API token
          <input name="token" type="password" autocomplete="off" required spellcheck={false} />
        </label>
        <button type="submit">Sign in</button>
        {error && (
          <p class="error" role="alert">
            Sign-in failed: {error}
          </p>
        )}
      </form>
      <p class="muted">
        The token is kept in an HttpOnly cookie for this site only; sign out to forget it.
      </p>
    </main>
  );
}

function Page(props: { readonly session: Session }) {
  const where = useConsoleLocation();
  const { session } = props;
  switch (where.page) {
    case 'drift':
      return <DriftPage session={session} params={where.params} />;
    case 'audit':
      return <AuditPage session={session} params={where.params} />;
    case 'jobs':
      return <JobsPage session={session} />;
    case 'resource':
      return <ResourcePage session={session} params={where.params} />;
    default:
      return <AccountsPage session={session} />;
  }
}

export function App() {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const where = useConsoleLocation();
  useEffect(() => {
    currentSession().then(setSession, () => setSession(null));
  }, []);
  if (session === undefined)
    return (
      <p class="muted" role="status">
        Loading…
      </p>
    );
  if (session === null) return <SignIn onSignedIn={setSession} />;
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <span class="brand">telform</span>
        <nav aria-label="Pages">
          {tabs.map((t) => (
            <a
              key={t.page}
              href={`/ui/${t.page}`}
              aria-current={where.page === t.page ? 'page' : undefined}
            >
              {t.label}
            </a>
          ))}
        </nav>
        <span class="who">
          {session.name} ({session.role}
          {session.scope_account_id ? `, scope ${session.scope_account_id}` : ''})
        </span>
        <button
          type="button"
          onClick={async () => {
            await signOut();
            setSession(null);
            navigate('accounts');
          }}
        >
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        <Page session={session} />
      </main>
    </>
  );
}
