import { useState, type FormEvent } from 'react';
import { hasRole, useSession } from '../context.js';
import { usePolling } from '../hooks.js';
import { useI18n } from '../i18n.js';
import { Link } from '../Link.js';
import { errorText } from '../words.js';
import { ColumnHeads, ListPage, When } from './Page.js';

export const STAGES = ['received', 'investigating', 'in-development', 'in-test', 'released', 'declined'] as const;
type Stage = (typeof STAGES)[number];

/** Feature requests (the demand-analysis sheet): most customers first; supervisors move the stage and every linked customer is told. */
export function FeatureRequestsView() {
  const { api, me, notify } = useSession();
  const { t, language } = useI18n();
  const polled = usePolling(() => api.featureRequests(), 'features', 30_000);
  const manage = hasRole(me, 'supervisor', 'admin');
  const [editing, setEditing] = useState<{ featureId: string; stage: Stage; feedback: string; expectedDate: string }>();
  const [error, setError] = useState<string>();
  const items = polled.data ?? [];

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (!editing) return;
    setError(undefined);
    try {
      await api.changeFeatureStage(editing.featureId, { stage: editing.stage, feedback: editing.feedback.trim(), ...(editing.expectedDate ? { expectedDate: editing.expectedDate } : {}) });
      notify(`${editing.featureId}: ${t[`stage-${editing.stage}` as const]} · ${t.done}`);
      setEditing(undefined);
      await polled.refresh();
    } catch (cause) {
      setError(`${t.actionFailed}: ${errorText(cause, language)}`);
    }
  };

  return (
    <ListPage name="features" title={t.features} polled={polled} count={items.length} emptyText={t.emptyFeatures}>
      {items.length > 0 && (
        <div className="table-scroll">
          <table className="queue features">
            <ColumnHeads columns={[t.feature, t.customers, t.stage, t.urgency, t.priority, t.background, t.expected, t.ticket, manage && t.stage]} />
            <tbody>
              {items.map((item) => (
                <tr key={item.featureId} data-feature={item.featureId}>
                  <td data-label={t.feature}><strong>{item.featureId}</strong> {item.title}<br /><span className="muted small">{item.description}</span></td>
                  <td data-label={t.customers}>{item.customerCount}</td>
                  <td data-label={t.stage}>{t[`stage-${item.stage}` as const]}{item.feedback ? <><br /><span className="muted small">{item.feedback}</span></> : null}</td>
                  <td data-label={t.urgency}>{t[`urgency-${item.urgency}` as const]}{item.respondBy ? <><br /><span className="muted small"><When at={item.respondBy} /></span></> : null}</td>
                  <td data-label={t.priority}>{item.priority}</td>
                  <td data-label={t.background}>{t[`background-${item.customerBackground.kind}` as const]}{item.customerBackground.industry ? ` · ${item.customerBackground.industry}` : ''}</td>
                  <td data-label={t.expected}>{item.expectedDate ?? '—'}</td>
                  <td data-label={t.ticket}>{item.ticketNos.map((ticketNo) => <div key={ticketNo}><Link to={`/tickets/${ticketNo}`}>{ticketNo}</Link></div>)}</td>
                  {manage && (
                    <td data-label={t.changeStage}>
                      {item.stage !== 'released' && item.stage !== 'declined' && (
                        <button type="button" onClick={() => setEditing({ featureId: item.featureId, stage: item.stage, feedback: '', expectedDate: item.expectedDate ?? '' })}>{t.changeStage}</button>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {editing && (
        <form className="card" onSubmit={save} aria-label={t.changeStage}>
          <h2>{editing.featureId}</h2>
          <label htmlFor="feature-stage">{t.stage}</label>
          <select id="feature-stage" value={editing.stage} onChange={(event) => setEditing({ ...editing, stage: event.target.value as Stage })}>
            {STAGES.map((stage) => <option key={stage} value={stage}>{t[`stage-${stage}` as const]}</option>)}
          </select>
          <label htmlFor="feature-feedback">{t.feedback}</label>
          <textarea id="feature-feedback" rows={3} value={editing.feedback} onChange={(event) => setEditing({ ...editing, feedback: event.target.value })} />
          <label htmlFor="feature-date">{t.expected}</label>
          <input id="feature-date" type="date" value={editing.expectedDate} onChange={(event) => setEditing({ ...editing, expectedDate: event.target.value })} />
          <button type="submit" disabled={editing.feedback.trim() === ''}>{t.save}</button>{' '}
          <button type="button" className="link" onClick={() => setEditing(undefined)}>{t.close}</button>
          {error && <p role="alert" className="error">{error}</p>}
        </form>
      )}
    </ListPage>
  );
}

/** Beside a ticket: link it to an existing feature request or record a new one from it (its customer is told). */
export function FeatureRequestPanel(props: { ticketNo: string; onChanged: () => Promise<void> }) {
  const { api, notify } = useSession();
  const { t, language } = useI18n();
  const list = usePolling(() => api.featureRequests(), 'features-panel', 60_000);
  const [open, setOpen] = useState(false);
  const [featureId, setFeatureId] = useState('');
  const [draft, setDraft] = useState({ title: '', description: '', demandType: 'new-feature', urgency: 'medium', priority: 3, kind: 'existing', industry: '' });
  const [error, setError] = useState<string>();
  const linked = (list.data ?? []).filter((item) => item.ticketNos.includes(props.ticketNo));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    try {
      if (featureId) await api.linkFeatureRequest(props.ticketNo, featureId);
      else
        await api.createFeatureRequest({
          title: draft.title.trim(),
          description: draft.description.trim(),
          demandType: draft.demandType,
          urgency: draft.urgency,
          priority: draft.priority,
          customerBackground: { kind: draft.kind, ...(draft.industry.trim() ? { industry: draft.industry.trim() } : {}) },
          ticketNo: props.ticketNo,
        });
      notify(`${props.ticketNo}: ${t.linkFeature} · ${t.done}`);
      setOpen(false);
      await list.refresh();
      await props.onChanged();
    } catch (cause) {
      setError(`${t.actionFailed}: ${errorText(cause, language)}`);
    }
  };

  return (
    <section aria-labelledby="feature-panel-title" className="card">
      <h2 id="feature-panel-title">{t.features}</h2>
      {linked.map((item) => <p key={item.featureId}>{item.featureId} {item.title} · {t[`stage-${item.stage}` as const]}</p>)}
      {!open && <button type="button" className="link" onClick={() => setOpen(true)}>{t.linkFeature}</button>}
      {open && (
        <form onSubmit={submit} aria-label={t.linkFeature}>
          <label htmlFor="feature-pick">{t.feature}</label>
          <select id="feature-pick" value={featureId} onChange={(event) => setFeatureId(event.target.value)}>
            <option value="">{t.newFeature}</option>
            {(list.data ?? []).filter((item) => !item.ticketNos.includes(props.ticketNo)).map((item) => <option key={item.featureId} value={item.featureId}>{item.featureId} {item.title}</option>)}
          </select>
          {!featureId && (
            <>
              <label htmlFor="feature-title">{t.title}</label>
              <input id="feature-title" maxLength={200} value={draft.title} onChange={(event) => setDraft({ ...draft, title: event.target.value })} />
              <label htmlFor="feature-description">{t.description}</label>
              <textarea id="feature-description" rows={3} value={draft.description} onChange={(event) => setDraft({ ...draft, description: event.target.value })} />
              <label htmlFor="feature-type">{t.demandType}</label>
              <select id="feature-type" value={draft.demandType} onChange={(event) => setDraft({ ...draft, demandType: event.target.value })}>
                {(['new-feature', 'improvement', 'integration', 'performance', 'usability', 'other'] as const).map((type) => <option key={type} value={type}>{t[`type-${type}` as const]}</option>)}
              </select>
              <label htmlFor="feature-urgency">{t.urgency}</label>
              <select id="feature-urgency" value={draft.urgency} onChange={(event) => setDraft({ ...draft, urgency: event.target.value })}>
                {(['high', 'medium', 'low'] as const).map((urgency) => <option key={urgency} value={urgency}>{t[`urgency-${urgency}` as const]}</option>)}
              </select>
              <label htmlFor="feature-priority">{t.priority} (1–5)</label>
              <input id="feature-priority" type="number" min={1} max={5} value={draft.priority} onChange={(event) => setDraft({ ...draft, priority: Number(event.target.value) })} />
              <label htmlFor="feature-kind">{t.background}</label>
              <select id="feature-kind" value={draft.kind} onChange={(event) => setDraft({ ...draft, kind: event.target.value })}>
                <option value="existing">{t['background-existing']}</option>
                <option value="new">{t['background-new']}</option>
              </select>
              <label htmlFor="feature-industry">{t.industry}</label>
              <input id="feature-industry" maxLength={100} value={draft.industry} onChange={(event) => setDraft({ ...draft, industry: event.target.value })} />
            </>
          )}
          <button type="submit" disabled={!featureId && (draft.title.trim() === '' || draft.description.trim() === '')}>{t.linkFeature}</button>
          {error && <p role="alert" className="error">{error}</p>}
        </form>
      )}
    </section>
  );
}
