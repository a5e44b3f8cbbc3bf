import { useState } from 'react';
import type { SuppressionList, SuppressionView } from '../../../shared/contract/agent-api.js';
import { useSession } from '../context.js';
import { usePolling } from '../hooks.js';
import { useI18n } from '../i18n.js';
import { ColumnHeads, ListPage, Problem, UpdatedAt, When } from './Page.js';

/** This page's own words; the shared dictionary stays for words every page uses. */
const WORDS = {
  en: {
    title: 'Suppressions',
    intro: 'The desk sends no mail to these addresses: SES reported a permanent bounce or a complaint, or a bounce came back for a mail we sent. A bounce suppression lifts itself on the date shown; a complaint stays until you lift it. Lift one only when the customer asked, or the address works again.',
    address: 'Address',
    reason: 'Reason',
    source: 'Reported by',
    since: 'Since',
    until: 'Lifts itself',
    never: 'never (complaint)',
    lift: 'Lift',
    confirm: (address: string) => `Mail ${address} again? A complaint or a second bounce hurts the desk's sending reputation.`,
    lifted: (address: string) => `${address}: mail is sent again`,
    reasons: { bounce: 'bounce', complaint: 'complaint' },
    sources: { 'ses-event': 'SES', 'delivery-report': 'bounce mail' },
    filter: 'Find an address',
    none: 'No address is suppressed: the desk mails everyone.',
    noMatch: 'No suppressed address matches.',
  },
  'zh-CN': {
    title: '停发名单',
    intro: '服务台不会向以下地址发送邮件：SES 报告了永久退信或投诉，或我们发出的邮件被退回。退信停发在所示日期自动解除；投诉需手动解除。仅在客户要求或地址恢复可用时解除。',
    address: '地址',
    reason: '原因',
    source: '来源',
    since: '开始时间',
    until: '自动解除',
    never: '不自动解除（投诉）',
    lift: '解除',
    confirm: (address: string) => `确定恢复向 ${address} 发信？再次投诉或退信会损害服务台的发信信誉。`,
    lifted: (address: string) => `${address}：已恢复发信`,
    reasons: { bounce: '退信', complaint: '投诉' },
    sources: { 'ses-event': 'SES', 'delivery-report': '退信邮件' },
    filter: '查找地址',
    none: '没有停发的地址：服务台向所有地址发信。',
    noMatch: '没有匹配的停发地址。',
  },
} as const;

/** Admins: the addresses the desk does not mail, and lifting one (POST /api/v1/suppressions/lift). */
export function SuppressionsView() {
  const { api, notify } = useSession();
  const { language } = useI18n();
  const words = WORDS[language];
  const polled = usePolling(() => api.request<SuppressionList>('GET', '/suppressions'), 'suppressions', 60_000);
  const [filter, setFilter] = useState('');
  const [error, setError] = useState<unknown>();
  const all = polled.data?.items ?? [];
  const items = all.filter((item) => item.address.includes(filter.trim().toLowerCase()));
  const lift = async (item: SuppressionView) => {
    if (!window.confirm(words.confirm(item.address))) return;
    try {
      await api.request('POST', '/suppressions/lift', { address: item.address });
      notify(words.lifted(item.address));
      setError(undefined);
      await polled.refresh();
    } catch (cause) {
      setError(cause);
    }
  };
  return (
    <ListPage
      name="suppressions"
      title={words.title}
      polled={polled}
      count={items.length}
      meta={<>{all.length} · <UpdatedAt at={polled.updatedAt} /></>}
      emptyText={all.length > 0 ? words.noMatch : words.none}
      above={
        <>
          <p className="muted">{words.intro}</p>
          <label htmlFor="suppressions-filter">{words.filter}</label>
          <input id="suppressions-filter" type="search" value={filter} onChange={(event) => setFilter(event.target.value)} />
          {error !== undefined && <Problem error={error} />}
        </>
      }
    >
      {items.length > 0 && (
        <table>
          <ColumnHeads columns={[words.address, words.reason, words.source, words.since, words.until, words.lift]} />
          <tbody>
            {items.map((item) => (
              <tr key={item.address} data-suppression={item.address}>
                <td>{item.address}</td>
                <td title={item.detail}>{words.reasons[item.reason]}</td>
                <td>{words.sources[item.source]}</td>
                <td><When at={item.at} /></td>
                <td>{item.until ? <When at={item.until} /> : words.never}</td>
                <td><button type="button" onClick={() => void lift(item)} aria-label={`${words.lift} ${item.address}`}>{words.lift}</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </ListPage>
  );
}
