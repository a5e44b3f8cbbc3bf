import { useState, type FormEvent } from 'react';
import type { BulkRequest, BulkResult } from '../../../shared/contract/agent-api.js';
import { hasRole, useSession } from '../context.js';
import { label, useI18n } from '../i18n.js';
import { errorText } from '../words.js';

type Kind = BulkRequest['action']['type'];

/**
 * Bulk actions on the tickets selected in a queue: assign, set status (resolve or close), add tags,
 * set priority. The API checks and applies each ticket on its own and answers one result per
 * ticket, so a partial failure is listed ticket by ticket, never hidden behind "done".
 */
export function BulkBar(props: { selected: string[]; onDone: (result: BulkResult) => void | Promise<void> }) {
  const { api, me, notify } = useSession();
  const { language } = useI18n();
  const en = language === 'en';
  const [kind, setKind] = useState<Kind>('assign');
  const [agentId, setAgentId] = useState(me.agentId);
  const [summary, setSummary] = useState('');
  const [tags, setTags] = useState('');
  const [priority, setPriority] = useState<'P1' | 'P2' | 'P3' | 'P4'>('P3');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<BulkResult>();
  const [error, setError] = useState<string>();
  const assignable = hasRole(me, 'supervisor', 'admin') ? me.agents.filter((agent) => agent.roles.includes('agent')) : me.agents.filter((agent) => agent.agentId === me.agentId);

  const action = (): BulkRequest['action'] | undefined => {
    switch (kind) {
      case 'assign':
        return { type: 'assign', agentId };
      case 'close':
        return { type: 'close' };
      case 'resolve':
        return summary.trim() ? { type: 'resolve', summary: summary.trim() } : undefined;
      case 'tag': {
        const add = tags.split(/[,，\s]+/).map((tag) => tag.trim()).filter(Boolean);
        return add.length > 0 ? { type: 'tag', add } : undefined;
      }
      case 'priority':
        return { type: 'priority', priority };
    }
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const chosen = action();
    if (!chosen || props.selected.length === 0) return;
    setBusy(true);
    setError(undefined);
    try {
      const answer = await api.request<BulkResult>('POST', '/bulk', { ticketNos: props.selected, action: chosen } satisfies BulkRequest);
      setResult(answer);
      notify(en ? `${answer.succeeded} done, ${answer.failed} refused` : `成功 ${answer.succeeded} 张，失败 ${answer.failed} 张`, answer.failed > 0 ? 'error' : 'ok');
      await props.onDone(answer);
    } catch (cause) {
      setError(errorText(cause, language));
    } finally {
      setBusy(false);
    }
  };

  const refusal = (code: string | undefined, params: Record<string, string | number> | undefined) => errorText({ status: 409, code, params, fields: [] }, language);

  return (
    <form className="bulk-bar card" onSubmit={submit} aria-label={en ? 'Bulk action' : '批量操作'}>
      <p><strong data-selected-count>{props.selected.length}</strong> {en ? 'selected' : '张已选'}</p>
      <label htmlFor="bulk-kind">{en ? 'Action' : '操作'}</label>
      <select id="bulk-kind" value={kind} onChange={(event) => setKind(event.target.value as Kind)}>
        <option value="assign">{en ? 'Assign to' : '分配给'}</option>
        <option value="resolve">{en ? 'Resolve' : '标记已解决'}</option>
        <option value="close">{en ? 'Close' : '关闭'}</option>
        <option value="tag">{en ? 'Add tags' : '添加标签'}</option>
        <option value="priority">{en ? 'Set priority' : '设置优先级'}</option>
      </select>
      {kind === 'assign' && (
        <>
          <label htmlFor="bulk-agent">{en ? 'Agent' : '坐席'}</label>
          <select id="bulk-agent" value={agentId} onChange={(event) => setAgentId(event.target.value)}>
            {assignable.map((agent) => <option key={agent.agentId} value={agent.agentId}>{agent.name}</option>)}
          </select>
        </>
      )}
      {kind === 'resolve' && (
        <>
          <label htmlFor="bulk-summary">{en ? 'Resolution summary (sent to each customer)' : '解决说明（发送给每位客户）'}</label>
          <input id="bulk-summary" value={summary} maxLength={100} onChange={(event) => setSummary(event.target.value)} />
        </>
      )}
      {kind === 'tag' && (
        <>
          <label htmlFor="bulk-tags">{en ? 'Tags (comma separated)' : '标签（逗号分隔）'}</label>
          <input id="bulk-tags" value={tags} onChange={(event) => setTags(event.target.value)} />
        </>
      )}
      {kind === 'priority' && (
        <>
          <label htmlFor="bulk-priority">{en ? 'Priority' : '优先级'}</label>
          <select id="bulk-priority" value={priority} onChange={(event) => setPriority(event.target.value as typeof priority)}>
            {(['P1', 'P2', 'P3', 'P4'] as const).map((value) => <option key={value} value={value}>{value}</option>)}
          </select>
        </>
      )}
      <button type="submit" disabled={busy || props.selected.length === 0 || action() === undefined}>{en ? 'Apply to selected' : '应用到所选工单'}</button>
      {error && <p role="alert" className="error">{error}</p>}
      {result && result.failed > 0 && (
        <div role="alert" className="bulk-result">
          <p>{en ? `${result.succeeded} done; these were refused:` : `成功 ${result.succeeded} 张；以下工单未处理：`}</p>
          <ul className="plain small">
            {result.results.filter((entry) => !entry.ok).map((entry) => <li key={entry.ticketNo} data-refused={entry.ticketNo}>{entry.ticketNo}: {refusal(entry.code, entry.params)}</li>)}
          </ul>
        </div>
      )}
      {result && result.failed === 0 && <p className="muted small">{en ? `All ${result.succeeded} done.` : `全部 ${result.succeeded} 张已处理。`} {result.results[0]?.status ? label(language, result.results[0].status) : ''}</p>}
    </form>
  );
}
