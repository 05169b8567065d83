// Finds a profile by id (the accounts store, else accounts:getProfile) and supplies what to show while it is not there.
import { useEffect, type ReactElement } from 'react';
import type { Profile } from '../../../shared/domain';
import { ErrorNotice } from '../components/Notice';
import { ViewHeading } from '../components/ViewHeading';
import { href } from '../router';
import { useAccounts } from '../stores/accounts';

export type ProfileLookup = { readonly status: 'ready'; readonly value: Profile } | { readonly status: 'pending'; readonly fallback: ReactElement };

export function useProfile(profileId: string): ProfileLookup {
  const profile = useAccounts((s) => s.profiles.get(profileId));
  const lookup = useAccounts((s) => s.lookups[profileId]);
  const loadProfile = useAccounts((s) => s.loadProfile);
  const failed = lookup?.status === 'error';
  useEffect(() => {
    if (!profile && !failed) void loadProfile(profileId);
  }, [profile, failed, profileId, loadProfile]);
  if (profile) return { status: 'ready', value: profile };

  const error = lookup?.status === 'error' ? lookup.error : undefined;
  const missing = error?.code === 'not_found';
  const retry = () => void loadProfile(profileId);
  const fallback = (
    <section className="view">
      <p className="breadcrumb">
        <a href={href.accounts()}>Accounts</a>
      </p>
      {missing ? (
        <>
          <ViewHeading title="Account not found" />
          <p>No profile delegated to you has the id {profileId}. It may have been removed, or it belongs to another operator.</p>
        </>
      ) : error ? (
        <>
          <ViewHeading title="Account" />
          <ErrorNotice error={error} context="Could not load this account." onRetry={retry} />
        </>
      ) : (
        <>
          <ViewHeading title="Account" />
          <p role="status">Loading the account…</p>
        </>
      )}
    </section>
  );
  return { status: 'pending', fallback };
}
