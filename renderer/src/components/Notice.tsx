// Notices: an inline message box (info, warning, error) and an AppError shown in plain words with an optional retry.
import type { ReactNode } from 'react';
import type { AppError } from '../../../shared/app-error';
import { describeError } from '../lib/errors';
import { SignInAgainButton } from './SignInAgain';

export type NoticeTone = 'info' | 'warning' | 'error' | 'success';

export interface NoticeProps {
  readonly tone: NoticeTone;
  readonly title: string;
  readonly children?: ReactNode;
  /** Errors are announced at once (role=alert); the rest politely (role=status). */
  readonly live?: boolean;
}

export function Notice({ tone, title, children, live = true }: NoticeProps) {
  const role = !live ? undefined : tone === 'error' ? 'alert' : 'status';
  return (
    <div className={`notice notice-${tone}`} role={role}>
      <p className="notice-title">{title}</p>
      {children !== undefined && <div className="notice-body">{children}</div>}
    </div>
  );
}

export interface ErrorNoticeProps {
  readonly error: AppError;
  /** What failed, shown as the title above main's message, e.g. "Could not load the accounts." */
  readonly context?: string;
  readonly onRetry?: () => void;
}

/** A missing permission is fixed by a new consent, not by trying again: offer that instead. */
export function ErrorNotice({ error, context, onRetry }: ErrorNoticeProps) {
  const plain = describeError(error);
  const needsConsent = error.code === 'forbidden_scope';
  return (
    <Notice tone="error" title={context ?? plain.message}>
      {context !== undefined && <p>{plain.message}</p>}
      {plain.nextStep !== undefined && <p>{plain.nextStep}</p>}
      {needsConsent && <SignInAgainButton />}
      {onRetry && !needsConsent && (
        <button type="button" className="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </Notice>
  );
}
