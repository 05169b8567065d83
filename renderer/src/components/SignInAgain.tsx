// "Sign in again": signs out (drafts are kept) and at once starts a new sign-in to the same environment in the browser.
import { signedIn, useAuth } from '../stores/auth';

export function SignInAgainButton() {
  const session = signedIn(useAuth((s) => s.state));
  const pending = useAuth((s) => s.pending);
  return (
    <button
      type="button"
      className="button"
      disabled={!session || pending !== null}
      onClick={async () => {
        if (!session) return;
        await useAuth.getState().signOut();
        await useAuth.getState().signIn(session.environment);
      }}
    >
      Sign in again
    </button>
  );
}
