import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { ApiError } from '../api.js';
import { hasRole, useNames, useSession } from '../context.js';
import { useNow, usePolling, useShortcuts } from '../hooks.js';
import { label, useI18n } from '../i18n.js';
import { Link } from '../Link.js';
import { navigate } from '../router.js';
import { formatDateTime } from '../../../shared/templates/format.js';
import { fillPlaceholders, insertMacro, missingPlaceholders, type Inserted, type SnippetLanguage } from '../snippets.js';
import type { MacroList } from '../../../shared/contract/agent-api.js';
import { errorText, formatWhen } from '../words.js';
import { CustomerHistoryPanel } from './CustomerPanel.js';
import { ChecklistPanel } from './ChecklistPanel.js';
import { FeatureRequestPanel } from './FeatureRequestsView.js';
import { FlagMarkers, PriorityBadge, SlaBadge } from './Markers.js';
import { When } from './Page.js';
import { Timeline } from './Timeline.js';
import { AttachmentFile } from './AttachmentFile.js';
import { FilesOrWhyNot, type ReplyFile } from './ReplyFiles.js';
import { PresenceBanner, usePresence } from './Presence.js';

export { timelineOf } from './Timeline.js';

type ActionTab = 'reply' | 'plan' | 'note' | 'classification' | 'assign' | 'wait' | 'escalate' | 'resolve' | 'reopen';
/** The tabs whose action mails the customer, and so can carry files. */
type FileTab = Extract<ActionTab, 'reply' | 'plan' | 'wait'>;
const isFileTab = (tab: ActionTab): tab is FileTab => tab === 'reply' || tab === 'plan' || tab === 'wait';

export const SUMMARY_MAX = 100;
const TYPES = ['consultation', 'fault', 'after-sales', 'complaint', 'suggestion', 'other'];
const PRIORITIES = ['P1', 'P2', 'P3', 'P4'];

function Field(props: { id: string; label: string; children: ReactNode; hint?: ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      {props.children}
      {props.hint}
    </div>
  );
}

export function TicketView(props: { ticketNo: string }) {
  const { api, me, notify } = useSession();
  const { t, language } = useI18n();
  const now = useNow();
  const polled = usePolling(() => api.ticket(props.ticketNo), props.ticketNo);
  const [tab, setTab] = useState<ActionTab>('reply');
  const [text, setText] = useState<Record<ActionTab, string>>({ reply: '', plan: '', note: '', classification: '', assign: '', wait: '', escalate: '', resolve: '', reopen: '' });
  const [classification, setClassification] = useState<{ type?: string; priority?: string; team?: string; tags?: string; confirm?: boolean }>({});
  const [why, setWhy] = useState('');
  const [changesOrder, setChangesOrder] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const input = useRef<HTMLTextAreaElement | HTMLInputElement | HTMLSelectElement | null>(null);
  const macros = usePolling(() => api.request<MacroList>('GET', '/macros'), 'macros', 600_000);
  const [inserted, setInserted] = useState<Inserted>();
  // Files go with what mails the customer: a reply, a plan, a request for information; each tab keeps its own.
  const [files, setFiles] = useState<Record<FileTab, ReplyFile[]>>({ reply: [], plan: [], wait: [] });
  const filesOf = (tab: ActionTab): ReplyFile[] => (isFileTab(tab) ? files[tab] : []);
  const setFilesOf = (tab: FileTab) => (update: (current: ReplyFile[]) => ReplyFile[]) => setFiles((all) => ({ ...all, [tab]: update(all[tab]) }));
  const detail = polled.data;
  // Collision: who else is here, and what the ticket looked like when this agent started writing.
  const writing = text.reply.trim() !== '';
  const presence = usePresence(props.ticketNo, writing);
  const startedOn = useRef<{ messageCount: number; lastRespondedAt?: string }>(undefined);
  const [collision, setCollision] = useState<string>();
  useEffect(() => {
    if (!writing) {
      startedOn.current = undefined;
      setCollision(undefined);
    } else if (!startedOn.current && presence.view) {
      startedOn.current = { messageCount: presence.view.messageCount, lastRespondedAt: presence.view.lastRespondedAt };
    }
  }, [writing, presence.view]);
  // Opening the ticket is looking at it: its unread marker goes (once per visit).
  useEffect(() => {
    api.markSeen(props.ticketNo).catch(() => undefined);
  }, [api, props.ticketNo]);

  const choose = (next: ActionTab) => {
    setTab(next);
    setError(undefined);
    window.setTimeout(() => input.current?.focus(), 0);
  };
  useShortcuts({ r: () => choose('reply'), n: () => choose('note'), e: () => choose('escalate'), w: () => choose('wait'), s: () => choose('resolve'), u: () => navigate('/') });

  const names = useNames();
  if (polled.error instanceof ApiError && (polled.error.status === 404 || polled.error.status === 403)) {
    return <section><h1>{props.ticketNo}</h1><p role="alert">{t.notFound}</p><Link to="/">{t.back}</Link></section>;
  }
  if (!detail) return <section><h1>{props.ticketNo}</h1><p>{polled.error ? `${t.actionFailed}: ${errorText(polled.error, language)}` : t.loading}</p></section>;
  const { ticket } = detail;
  const customer = ticket.customer ?? {};
  // Files go only by mail (the API refuses them for a customer without a mail address).
  // How files reach the customer: by mail, by a text message's link (phone only), or not at all.
  const reach = customer.email ? 'mail' : customer.phone ? 'text' : 'none';
  const supervisor = hasRole(me, 'supervisor', 'admin');
  const closed = ticket.status === 'resolved' || ticket.status === 'closed';
  const tabs: Array<{ id: ActionTab; text: string; show: boolean }> = [
    { id: 'reply', text: t.reply, show: !closed },
    // The plan or workaround meets the P1/P2 plan deadline; offered until one was given.
    { id: 'plan', text: t.plan, show: !closed && (ticket.priority === 'P1' || ticket.priority === 'P2') && !ticket.planGivenAt },
    { id: 'note', text: t.note, show: true },
    { id: 'classification', text: t.classification, show: !closed },
    { id: 'assign', text: t.assign, show: !closed },
    { id: 'wait', text: t.wait, show: !closed },
    { id: 'escalate', text: t.escalate, show: !closed },
    { id: 'resolve', text: t.resolve, show: !closed },
    { id: 'reopen', text: t.reopen, show: ticket.status === 'resolved' },
  ];
  const activeTab = tabs.find((candidate) => candidate.id === tab && candidate.show) ? tab : 'note';
  const setTabText = (value: string) => setText((all) => ({ ...all, [activeTab]: value }));
  const current = text[activeTab];
  const readyFiles = filesOf(activeTab).filter((file) => file.state === 'ready' && file.uploadId).map((file) => file.uploadId as string);
  const withFiles = readyFiles.length > 0 ? { attachments: readyFiles } : {};
  const summaryLeft = SUMMARY_MAX - [...text.resolve].length;
  const confirming = classification.confirm ?? ticket.status === 'needs-confirmation';

  const macroList = macros.data?.items ?? [];
  const chosenMacro = inserted ? macroList.find((candidate) => candidate.id === inserted.macroId) : undefined;
  const applySnippet = (id: string) => {
    const macro = macroList.find((candidate) => candidate.id === id);
    if (!macro) return;
    const ticketLanguage: SnippetLanguage = ticket.language === 'en' ? 'en' : 'zh-CN';
    // The reply-by time is the ticket's next deadline, written as the desk's mails write it: the
    // customer's language, the desk's time zone, named (not this browser's zone).
    const due = ticket.dueAt ?? (ticket.firstRespondedAt ? undefined : ticket.firstResponseDueAt);
    const replyBy = due ? formatDateTime(due, ticketLanguage, me.timeZone) : undefined;
    const values = { agentName: me.name, ticketNo: ticket.ticketNo, summary: ticket.summary ?? ticket.subject ?? '', replyBy };
    const missing = missingPlaceholders(macro.text[ticketLanguage], values);
    if (missing.length > 0) {
      setError(language === 'en' ? `This template needs ${missing.join(', ')}, which this ticket does not have: write the text yourself.` : `此模板需要${missing.includes('replyBy') ? '回复时限' : missing.join('、')}，本工单没有：请自行填写。`);
      return;
    }
    setError(undefined);
    // At the cursor; a second macro replaces the first one's text (snippets.ts insertMacro).
    const area = document.getElementById('reply-text') as HTMLTextAreaElement | null;
    const selection = area ? { start: area.selectionStart, end: area.selectionEnd } : { start: text.reply.length, end: text.reply.length };
    const result = insertMacro(text.reply, selection, inserted, macro.id, fillPlaceholders(macro.text[ticketLanguage], values));
    setText((all) => ({ ...all, reply: result.text }));
    setInserted(result.inserted);
    window.setTimeout(() => {
      area?.focus();
      area?.setSelectionRange(result.cursor, result.cursor);
    }, 0);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const payloads: Record<ActionTab, [string, Record<string, unknown>]> = {
      reply: ['reply', { text: current, ...(changesOrder ? { changesOrder } : {}), ...(inserted ? { macroId: inserted.macroId } : {}), ...withFiles }],
      plan: ['plan', { text: current, ...(changesOrder ? { changesOrder } : {}), ...withFiles }],
      note: ['notes', { text: current }],
      classification: [
        'classification',
        Object.fromEntries(
          Object.entries({
            ...classification,
            confirm: confirming,
            tags: classification.tags === undefined ? undefined : classification.tags.split(/[,，]/).map((tag) => tag.trim()).filter(Boolean),
          }).filter(([, value]) => value !== undefined && value !== ''),
        ),
      ],
      assign: ['assign', { agentId: current.trim() || me.agentId }],
      wait: ['wait-on-customer', { missing: current, ...(why.trim() ? { why: why.trim() } : {}), ...withFiles }],
      escalate: ['escalate', { reason: current }],
      resolve: ['resolve', { summary: current }],
      reopen: ['reopen', { reason: current }],
    };
    const [action, payload] = payloads[activeTab];
    if (activeTab === 'reply' && !collision) {
      // Before sending: a colleague replying, or a newer message or reply since this agent started, asks for a second look.
      const fresh = await presence.refresh();
      const before = startedOn.current;
      const newer = fresh && before && (fresh.messageCount > before.messageCount || fresh.lastRespondedAt !== before.lastRespondedAt);
      const colleague = fresh?.others.find((other) => other.activity === 'replying');
      if (newer || colleague) {
        setCollision(
          language === 'en'
            ? `${newer ? 'A newer message or reply arrived since you started writing. ' : ''}${colleague ? `${colleague.name} is replying too. ` : ''}Read the timeline, then send again to send anyway.`
            : `${newer ? '您开始撰写后工单有新的消息或回复。' : ''}${colleague ? `${colleague.name}也在回复。` : ''}请先查看时间线，再次点击发送将仍然发出。`,
        );
        await polled.refresh();
        return;
      }
    }
    setCollision(undefined);
    setBusy(true);
    setError(undefined);
    try {
      await api.act(ticket.ticketNo, action, payload);
      setText((all) => ({ ...all, [activeTab]: '' }));
      if (activeTab === 'reply') setInserted(undefined);
      if (isFileTab(activeTab)) setFilesOf(activeTab)(() => []);
      if (activeTab === 'wait') setWhy('');
      setChangesOrder(false);
      notify(`${ticket.ticketNo}: ${tabs.find((candidate) => candidate.id === activeTab)?.text} · ${t.done}`);
      await polled.refresh();
    } catch (cause) {
      setError(`${t.actionFailed}: ${errorText(cause, language)}`);
    } finally {
      setBusy(false);
    }
  };

  const teams = me.teams ?? [];
  const agents = (me.agents ?? []).filter((agent) => supervisor || agent.team === ticket.team);
  const canSend =
    !busy &&
    (activeTab === 'classification' ? confirming || [classification.type, classification.priority, classification.team, classification.tags].some((value) => value) : activeTab === 'assign' ? true : current.trim().length > 0) &&
    (activeTab !== 'resolve' || summaryLeft >= 0) &&
    // A mail waits for its files: none still uploading, none refused and left in the list.
    filesOf(activeTab).every((file) => file.state === 'ready');

  return (
    <article className="ticket" aria-labelledby="ticket-title">
      <p><Link to="/">← {t.back}</Link></p>
      <header className="ticket-head">
        <PresenceBanner view={presence.view} />
        <h1 id="ticket-title">{ticket.ticketNo} <FlagMarkers ticket={ticket} /></h1>
        <p className="subject">{ticket.subject || ticket.summary}</p>
        <dl className="facts">
          <div><dt>{t.status}</dt><dd data-status={ticket.status}>{label(language, ticket.status)}</dd></div>
          <div><dt>{t.priority}</dt><dd><PriorityBadge priority={ticket.priority} /></dd></div>
          <div><dt>{t.sla}</dt><dd><SlaBadge ticket={ticket} now={now} /></dd></div>
          <div><dt>{t.type}</dt><dd>{label(language, ticket.type)}</dd></div>
          <div><dt>{t.team}</dt><dd>{names.team(ticket.team)}</dd></div>
          <div><dt>{t.tags}</dt><dd>{(ticket.tags ?? []).join(', ') || '—'}</dd></div>
          <div><dt>{t.assignee}</dt><dd>{ticket.assignee ? names.agent(ticket.assignee) : t.unassigned}</dd></div>
          <div><dt>{t.created}</dt><dd><When at={ticket.createdAt} /></dd></div>
        </dl>
        {detail.suppressed && (
          <p role="status" className="error" data-suppressed>
            {language === 'en'
              ? `Not delivered: mail to ${detail.suppressed.address} is suppressed since ${formatWhen(detail.suppressed.at, language)} (${detail.suppressed.reason}${detail.suppressed.until ? `, lifts itself ${new Date(detail.suppressed.until).toLocaleDateString(language)}` : ''}). Replies are kept on the ticket but not mailed; an admin can lift it under Suppressions.`
              : `未送达：自 ${formatWhen(detail.suppressed.at, language)} 起停止向 ${detail.suppressed.address} 发信（${detail.suppressed.reason === 'bounce' ? '退信' : '投诉'}${detail.suppressed.until ? `，${new Date(detail.suppressed.until).toLocaleDateString(language)} 自动解除` : ''}）。回复会保存在工单上但不会发出；管理员可在“停发名单”中解除。`}
          </p>
        )}
      </header>
      <div className="ticket-body">
        <section aria-labelledby="timeline-title" className="timeline-col">
          <h2 id="timeline-title">{t.timeline}</h2>
          <Timeline detail={detail} renderFile={(message, attachment, index) => <AttachmentFile ticketNo={detail.ticket.ticketNo} message={message} attachment={attachment} index={index} />} />
        </section>
        <aside className="side">
          <ChecklistPanel ticketNo={ticket.ticketNo} checklists={detail.checklists} identityChecked={detail.identityChecked} onChanged={polled.refresh} />
          <CustomerHistoryPanel ticketNo={ticket.ticketNo} />
          {(ticket.type === 'suggestion' || (ticket.tags ?? []).includes('suggestion')) && <FeatureRequestPanel ticketNo={ticket.ticketNo} onChanged={polled.refresh} />}
          <section aria-labelledby="customer-title" className="card">
            <h2 id="customer-title">{t.customerDetails}</h2>
            <dl className="facts narrow">
              <div><dt>{t.name}</dt><dd>{customer.name ?? '—'}</dd></div>
              <div><dt>{t.email}</dt><dd>{customer.email ?? '—'}</dd></div>
              <div><dt>{t.phone}</dt><dd>{customer.phone ?? '—'}</dd></div>
              <div><dt>{t.account}</dt><dd>{customer.account ?? '—'}</dd></div>
            </dl>
            {customer.masked && <p className="muted small">{t.masked}</p>}
            {ticket.satisfaction && <p>{t.score}: <strong>{ticket.satisfaction.score}</strong>{ticket.satisfaction.comment ? ` · ${ticket.satisfaction.comment}` : ''}</p>}
            {ticket.resolutionSummary && <p>{t.summary}: {ticket.resolutionSummary}</p>}
          </section>
          <section aria-labelledby="actions-title" className="card actions">
            <h2 id="actions-title">{t.ticket}</h2>
            <div className="tabs" role="group" aria-label={t.ticket}>
              {tabs.filter((candidate) => candidate.show).map((candidate) => (
                <button key={candidate.id} type="button" aria-pressed={activeTab === candidate.id} onClick={() => choose(candidate.id)}>{candidate.text}</button>
              ))}
            </div>
            <form onSubmit={submit} aria-label={tabs.find((candidate) => candidate.id === activeTab)?.text}>
              {activeTab === 'reply' && (
                <>
                  <Field id="snippet" label={t.template}>
                    <select id="snippet" value="" onChange={(event) => applySnippet(event.target.value)}>
                      <option value="">{t.noTemplate}</option>
                      {macroList.map((macro) => <option key={macro.id} value={macro.id}>{macro.title[language]}</option>)}
                    </select>
                  </Field>
                  {chosenMacro && (
                    <p className="macro-chip small" data-macro={chosenMacro.id}>
                      {language === 'en' ? 'Macro' : '宏'}: {chosenMacro.title[language]}
                      {(chosenMacro.set.status || chosenMacro.set.priority || chosenMacro.set.tags?.length) ? (
                        <> · {language === 'en' ? 'on sending also sets' : '发送时同时设置'}{' '}
                          {[chosenMacro.set.status ? label(language, chosenMacro.set.status) : undefined, chosenMacro.set.priority, ...(chosenMacro.set.tags ?? []).map((tag) => `+${tag}`)].filter(Boolean).join(', ')}</>
                      ) : null}{' '}
                      <button type="button" className="link" onClick={() => setInserted(undefined)}>{language === 'en' ? 'Send as a plain reply' : '仅作普通回复'}</button>
                    </p>
                  )}
                  <Field id="reply-text" label={t.replyText}>
                    <textarea id="reply-text" ref={(element) => { input.current = element; }} rows={8} value={current} onChange={(event) => setTabText(event.target.value)} />
                  </Field>
                  <FilesOrWhyNot reach={reach} api={api} ticketNo={ticket.ticketNo} files={files.reply} onChange={setFilesOf('reply')} />
                </>
              )}
              {activeTab === 'plan' && (
                <>
                  <Field id="plan-text" label={t.planText}>
                    <textarea id="plan-text" ref={(element) => { input.current = element; }} rows={6} value={current} onChange={(event) => setTabText(event.target.value)} />
                  </Field>
                  <FilesOrWhyNot reach={reach} api={api} ticketNo={ticket.ticketNo} files={files.plan} onChange={setFilesOf('plan')} />
                </>
              )}
              {(['note', 'wait', 'escalate', 'reopen'] as ActionTab[]).includes(activeTab) && (
                <Field id={`${activeTab}-text`} label={{ note: t.noteText, wait: t.missing, escalate: t.reason, reopen: t.reason }[activeTab as 'note'] ?? t.reason}>
                  <textarea id={`${activeTab}-text`} ref={(element) => { input.current = element; }} rows={4} value={current} onChange={(event) => setTabText(event.target.value)} />
                </Field>
              )}
              {activeTab === 'wait' && (
                <>
                  <Field id="wait-why" label={t.why}>
                    <input id="wait-why" value={why} maxLength={2000} onChange={(event) => setWhy(event.target.value)} />
                  </Field>
                  <FilesOrWhyNot reach={reach} api={api} ticketNo={ticket.ticketNo} files={files.wait} onChange={setFilesOf('wait')} />
                </>
              )}
              {activeTab === 'resolve' && (
                <Field
                  id="resolve-text"
                  label={t.summary}
                  hint={<p id="resolve-count" className={`counter ${summaryLeft < 0 ? 'over' : summaryLeft < 10 ? 'near' : ''}`} aria-live="polite">{summaryLeft >= 0 ? t.charsLeft(summaryLeft) : t.charsOver(-summaryLeft)}</p>}
                >
                  <textarea id="resolve-text" ref={(element) => { input.current = element; }} rows={3} value={current} aria-describedby="resolve-count" aria-invalid={summaryLeft < 0} onChange={(event) => setTabText(event.target.value)} />
                </Field>
              )}
              {activeTab === 'assign' && (
                <Field id="assign-agent" label={t.agent}>
                  {/* A typed id or a pick from the team's agents (a datalist keeps the field typeable). */}
                  <input id="assign-agent" list={agents.length > 0 ? 'assign-agent-options' : undefined} ref={(element) => { input.current = element; }} value={current} placeholder={me.agentId} onChange={(event) => setTabText(event.target.value)} />
                  {agents.length > 0 && (
                    <datalist id="assign-agent-options">
                      {agents.map((agent) => <option key={agent.agentId} value={agent.agentId}>{agent.name}</option>)}
                    </datalist>
                  )}
                </Field>
              )}
              {activeTab === 'classification' && (
                <div className="grid2">
                  <Field id="cls-type" label={t.type}>
                    <select id="cls-type" value={classification.type ?? ''} onChange={(event) => setClassification((c) => ({ ...c, type: event.target.value || undefined }))}>
                      <option value="">{label(language, ticket.type)}</option>
                      {TYPES.map((type) => <option key={type} value={type}>{label(language, type)}</option>)}
                    </select>
                  </Field>
                  <Field id="cls-priority" label={t.priority}>
                    <select id="cls-priority" value={classification.priority ?? ''} onChange={(event) => setClassification((c) => ({ ...c, priority: event.target.value || undefined }))}>
                      <option value="">{label(language, ticket.priority)}</option>
                      {PRIORITIES.map((priority) => <option key={priority} value={priority}>{label(language, priority)}</option>)}
                    </select>
                  </Field>
                  <Field id="cls-team" label={t.team}>
                    {teams.length > 0 ? (
                      <select id="cls-team" value={classification.team ?? ''} onChange={(event) => setClassification((c) => ({ ...c, team: event.target.value || undefined }))}>
                        <option value="">{names.team(ticket.team)}</option>
                        {teams.map((team) => <option key={team.id} value={team.id}>{team.name[language] ?? team.id}</option>)}
                      </select>
                    ) : (
                      <input id="cls-team" value={classification.team ?? ''} placeholder={names.team(ticket.team)} onChange={(event) => setClassification((c) => ({ ...c, team: event.target.value || undefined }))} />
                    )}
                  </Field>
                  <Field id="cls-tags" label={t.tags}>
                    <input id="cls-tags" value={classification.tags ?? ''} placeholder={(ticket.tags ?? []).join(', ')} onChange={(event) => setClassification((c) => ({ ...c, tags: event.target.value }))} />
                  </Field>
                  <label className="check"><input type="checkbox" checked={confirming} onChange={(event) => setClassification((c) => ({ ...c, confirm: event.target.checked }))} /> {t.confirm}</label>
                </div>
              )}
              {(activeTab === 'reply' || activeTab === 'plan') && detail.checklists.some((checklist) => checklist.identityCheck) && (
                <label className="check"><input type="checkbox" checked={changesOrder} onChange={(event) => setChangesOrder(event.target.checked)} /> {t.changesOrder}</label>
              )}
              {collision && activeTab === 'reply' && <p role="alert" className="warning collision" data-collision>{collision}</p>}
              <button type="submit" disabled={!canSend}>{activeTab === 'reply' ? (collision ? (language === 'en' ? 'Send anyway' : '仍然发送') : t.send) : tabs.find((candidate) => candidate.id === activeTab)?.text}</button>
              {error && <p role="alert" className="error">{error}</p>}
            </form>
          </section>
        </aside>
      </div>
    </article>
  );
}
