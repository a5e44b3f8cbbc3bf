import { useRef, useState, type FormEvent } from 'react';
import type { CreatedTicket, CreateTicketRequest } from '../../../shared/contract/agent-api.js';
import { useSession } from '../context.js';
import { useI18n } from '../i18n.js';
import { navigate } from '../router.js';
import { errorText } from '../words.js';

/** An agent logs a phone call or a chat: it becomes a ticket like any mail (classified, timed, acknowledged). */
export function NewTicketView() {
  const { api, notify } = useSession();
  const { t, language } = useI18n();
  const en = language === 'en';
  const [form, setForm] = useState({ channel: 'phone' as 'phone' | 'chat', name: '', phone: '', email: '', account: '', order: '', subject: '', description: '', language: '', assignToMe: true });
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  // One key per form: a double click or a retry after a timeout returns the same ticket.
  const idempotencyKey = useRef(`${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`);
  const set = (key: keyof typeof form) => (event: { target: { value: string } }) => setForm((current) => ({ ...current, [key]: event.target.value }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    const body: CreateTicketRequest = {
      channel: form.channel,
      customer: { ...(form.name ? { name: form.name } : {}), ...(form.phone ? { phone: form.phone } : {}), ...(form.email ? { email: form.email } : {}), ...(form.account ? { account: form.account } : {}) },
      ...(form.order ? { order: form.order } : {}),
      ...(form.subject ? { subject: form.subject } : {}),
      description: form.description,
      ...(form.language === 'en' || form.language === 'zh-CN' ? { language: form.language } : {}),
      assignToMe: form.assignToMe,
      idempotencyKey: idempotencyKey.current,
    };
    try {
      const created = await api.request<CreatedTicket>('POST', '/tickets', body);
      notify(`${created.ticketNo} · ${t.done}`);
      navigate(`/tickets/${created.ticketNo}`);
    } catch (cause) {
      setError(errorText(cause, language));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="new-title">
      <h1 id="new-title">{en ? 'Log a phone call or chat' : '记录电话或在线聊天'}</h1>
      <form onSubmit={submit} className="new-ticket">
        <fieldset>
          <legend>{en ? 'Channel' : '渠道'}</legend>
          <label className="check"><input type="radio" name="channel" checked={form.channel === 'phone'} onChange={() => setForm((c) => ({ ...c, channel: 'phone' }))} /> {en ? 'Phone call' : '电话'}</label>
          <label className="check"><input type="radio" name="channel" checked={form.channel === 'chat'} onChange={() => setForm((c) => ({ ...c, channel: 'chat' }))} /> {en ? 'Online chat' : '在线聊天'}</label>
        </fieldset>
        <div className="grid2">
          <div className="field"><label htmlFor="new-name">{t.name}</label><input id="new-name" value={form.name} onChange={set('name')} autoComplete="off" /></div>
          <div className="field"><label htmlFor="new-phone">{t.phone}</label><input id="new-phone" type="tel" value={form.phone} onChange={set('phone')} autoComplete="off" /></div>
          <div className="field"><label htmlFor="new-email">{t.email}</label><input id="new-email" type="email" value={form.email} onChange={set('email')} autoComplete="off" /></div>
          <div className="field"><label htmlFor="new-account">{t.account}</label><input id="new-account" value={form.account} onChange={set('account')} autoComplete="off" /></div>
          <div className="field"><label htmlFor="new-order">{en ? 'Order number' : '订单号'}</label><input id="new-order" value={form.order} onChange={set('order')} autoComplete="off" /></div>
          <div className="field">
            <label htmlFor="new-language">{en ? "Customer's language" : '客户语言'}</label>
            <select id="new-language" value={form.language} onChange={set('language')}>
              <option value="">{en ? 'Detect from the text' : '根据内容判断'}</option>
              <option value="zh-CN">中文</option>
              <option value="en">English</option>
            </select>
          </div>
        </div>
        <div className="field"><label htmlFor="new-subject">{t.subject}</label><input id="new-subject" value={form.subject} onChange={set('subject')} /></div>
        <div className="field">
          <label htmlFor="new-description">{form.channel === 'phone' ? (en ? 'What the customer said' : '客户来电内容') : en ? 'Chat transcript' : '聊天记录'}</label>
          <textarea id="new-description" rows={8} value={form.description} onChange={set('description')} required />
        </div>
        <label className="check"><input type="checkbox" checked={form.assignToMe} onChange={(event) => setForm((c) => ({ ...c, assignToMe: event.target.checked }))} /> {en ? 'I keep this ticket' : '由我处理此工单'}</label>
        <p className="muted small">{en ? 'The customer is sent the usual acknowledgement with the ticket number (by mail, or SMS without an email).' : '客户将收到含工单号的受理确认（邮件；无邮箱时发短信）。'}</p>
        <button type="submit" disabled={busy || form.description.trim() === '' || (form.phone.trim() === '' && form.email.trim() === '')}>{en ? 'Create ticket' : '创建工单'}</button>
        {error && <p role="alert" className="error">{error}</p>}
      </form>
    </section>
  );
}
