import { useState, type FormEvent } from 'react';
import type { TicketDetail as ContractTicketDetail } from '../../../shared/contract/agent-api.js';
import { useSession } from '../context.js';
import { useI18n } from '../i18n.js';
import { errorText } from '../words.js';

type Checklists = NonNullable<ContractTicketDetail['checklists']>;

/**
 * The handling checklists that apply to the ticket (shared/domain/checklists.ts), and for orders and
 * delivery the identity check: recorded here, on the timeline, before an order or address change.
 */
export function ChecklistPanel(props: { ticketNo: string; checklists: Checklists; identityChecked: boolean; onChanged: () => Promise<void> }) {
  const { api, notify } = useSession();
  const { t, language } = useI18n();
  const [method, setMethod] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  if (props.checklists.length === 0) return null;
  const needsIdentity = props.checklists.some((checklist) => checklist.identityCheck);

  const record = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await api.act(props.ticketNo, 'identity-check', { method: method.trim() });
      setMethod('');
      notify(`${props.ticketNo}: ${t.identityChecked} · ${t.done}`);
      await props.onChanged();
    } catch (cause) {
      setError(`${t.actionFailed}: ${errorText(cause, language)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="checklist-title" className="card checklist">
      <h2 id="checklist-title">{t.checklist}</h2>
      {props.checklists.map((checklist) => (
        <div key={checklist.id} data-checklist={checklist.id}>
          <h3>{checklist.title[language]}</h3>
          <ol>
            {checklist.steps.map((step, index) => <li key={index}>{step[language]}</li>)}
          </ol>
        </div>
      ))}
      {needsIdentity && (props.identityChecked ? (
        <p className="ok" data-identity="checked">✓ {t.identityChecked}</p>
      ) : (
        <form onSubmit={record} aria-label={t.recordIdentity}>
          <p className="warning" data-identity="missing">{t.identityNeeded}</p>
          <label htmlFor="identity-method">{t.identityMethod}</label>
          <input id="identity-method" value={method} maxLength={500} onChange={(change) => setMethod(change.target.value)} />
          <button type="submit" disabled={busy || method.trim() === ''}>{t.recordIdentity}</button>
          {error && <p role="alert" className="error">{error}</p>}
        </form>
      ))}
    </section>
  );
}
