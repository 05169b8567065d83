// What an order awaiting approval means for the operator: who must act (never them, here), where, and that it updates by itself.
import { approvalWords } from '../lib/order-words';
import { useEnvironment } from '../stores/settings';

export function ApprovalNote({ brief = false }: { readonly brief?: boolean }) {
  const { who, where } = approvalWords(useEnvironment());
  if (brief) return <p className="small approval-note">{who} It stays here and updates by itself.</p>;
  return (
    <>
      <p>{who}</p>
      <p>{where}</p>
      <p>Partner Console cannot approve it. The order stays in Orders with its live status.</p>
    </>
  );
}
