// "Not permitted" state for a scope the session lacks, with "Sign in again" (drafts are kept; a new consent can grant it).
import { notPermittedMessage, scopePurpose } from '../../../shared/scopes';
import { Notice } from './Notice';
import { SignInAgainButton } from './SignInAgain';

export interface NotPermittedProps {
  readonly scope: string;
  /** id for aria-describedby of the controls this state disables. */
  readonly id?: string;
}

export function NotPermitted({ scope, id }: NotPermittedProps) {
  const purpose = scopePurpose(scope);
  return (
    <div id={id}>
      <Notice tone="warning" title={notPermittedMessage(scope)} live={false}>
        <p>
          {purpose ? `When you signed in, Partner Console was not allowed to “${purpose.toLowerCase()}”. ` : 'This permission was not granted when you signed in. '}
          Sign in again and leave <span className="mono">{scope}</span> ticked on the consent page.
        </p>
        <SignInAgainButton />
      </Notice>
    </div>
  );
}
