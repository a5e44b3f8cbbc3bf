import { html, safeHtml } from '../shared/http/escape.js';
import { page } from '../shared/http/pages/layout.js';
import { maskCustomer, maskFreeText } from '../shared/domain/masking.js';
import type { Ticket } from '../shared/domain/ticket.js';
import type { OutboxEntry, TextEntry } from './outbox.js';
import type { DeadLetter } from './queue.js';

/** What `/dev/tickets` shows: personal data masked, as anywhere data leaves the system. */
export function ticketSummary(ticket: Ticket) {
  return {
    ticketNo: ticket.ticketNo,
    status: ticket.status,
    channel: ticket.channel,
    subject: maskFreeText(ticket.subject),
    summary: maskFreeText(ticket.summary),
    type: ticket.type,
    priority: ticket.priority,
    team: ticket.team,
    assignee: ticket.assignee,
    tags: ticket.tags,
    language: ticket.language,
    flags: ticket.flags,
    customer: maskCustomer(ticket.customer),
    messageCount: ticket.messageCount,
    createdAt: ticket.createdAt,
    firstResponseDueAt: ticket.firstResponseDueAt,
  };
}

export function outboxJson(entries: OutboxEntry[]) {
  return entries.map(({ to, from, subject, text, html: body, headers, sentAt }) => ({ to, from, subject, text, html: body, headers, sentAt }));
}

/** The sent mails, rendered: HTML parts in sandboxed frames (no scripts can run), headers in full. */
export function outboxPage(entries: OutboxEntry[], texts: TextEntry[] = []): string {
  const channels = [...new Set(texts.map((entry) => entry.channel))];
  const body = html`<header><h1>Outbox</h1><nav><a href="/dev">Local tools</a> · <a href="/dev/outbox">JSON</a>${channels.map((channel) => html` · <a href="/dev/outbox/${channel}">${channel.toUpperCase()} JSON</a>`)} · <a href="/">Form</a></nav></header>
<p>${entries.length} mail(s) and ${texts.length} text message(s) sent by the local runtime, newest first. Nothing leaves this machine.</p>
${channels.map(
  (channel) => html`<section class="card" aria-labelledby="${channel}-heading"><h2 id="${channel}-heading" style="font-size:1.1rem">Text messages (${channel.toUpperCase()})</h2>${texts
    .filter((entry) => entry.channel === channel)
    .map(
      (entry) => html`<article data-channel="${channel}" data-text-id="${entry.id}"><dl><dt>To</dt><dd>${entry.to}</dd><dt>Sent</dt><dd>${entry.sentAt}</dd><dt>Reference</dt><dd>${entry.reference}</dd></dl><pre style="white-space:pre-wrap;font:inherit">${entry.text}</pre></article>`,
    )}</section>`,
)}
${entries.map(
  (entry) => html`<article class="card" data-outbox-id="${entry.id}">
<h2 style="font-size:1.1rem">${entry.subject}</h2>
<dl><dt>To</dt><dd>${entry.to.join(', ')}</dd><dt>Sent</dt><dd>${entry.sentAt}</dd></dl>
<details><summary>Headers</summary><pre style="white-space:pre-wrap">${Object.entries(entry.headers)
    .map(([key, value]) => `${key}: ${value}`)
    .join('\n')}</pre></details>
<h3 style="font-size:1rem">Text</h3><pre style="white-space:pre-wrap;font:inherit">${entry.text}</pre>
${entry.html ? html`<h3 style="font-size:1rem">HTML</h3><iframe title="HTML part of ${entry.subject}" sandbox style="width:100%;height:28rem;border:1px solid #ccd" srcdoc="${entry.html}"></iframe>` : ''}
</article>`,
)}`;
  return page('en', 'Outbox · Ticketline (local)', body);
}

export function devHomePage(input: { now: string; offsetMinutes: number; tickets: number; outbox: number; deadLetters: DeadLetter[]; smtpPort: number; csrf: string }): string {
  const body = html`<header><h1>Ticketline · local tools</h1></header>
<section class="card"><h2 style="font-size:1.1rem">Try it</h2><ul>
<li><a href="/">Customer form</a> (<a href="/?lang=en">English</a> · <a href="/?lang=zh-CN">中文</a>)</li>
<li><a href="/dev/outbox/view">Outbox</a>: every mail the desk sent (${input.outbox})</li>
<li><a href="/dev/tickets">Tickets</a> as JSON (${input.tickets})</li>
<li><a href="/console/">Agent console</a></li>
<li>Send mail to <code>support@support.example.com</code> via SMTP on 127.0.0.1:${input.smtpPort}</li>
</ul></section>
<section class="card"><h2 style="font-size:1.1rem">Clock</h2>
<p>Desk time now: <strong>${input.now}</strong> (moved forward by ${input.offsetMinutes} minutes). Moving the clock runs the SLA sweep at once.</p>
<form method="post" action="/dev/clock"><input type="hidden" name="csrf" value="${input.csrf}"><label for="advanceMinutes">Move forward by (minutes)</label>
<input id="advanceMinutes" name="advanceMinutes" type="number" min="1" max="100000" value="11" required>
<button type="submit">Move clock</button></form></section>
<section class="card"><h2 style="font-size:1.1rem">Dead letters (${input.deadLetters.length})</h2>
${input.deadLetters.length === 0 ? html`<p>None.</p>` : html`<ul>${input.deadLetters.map((letter) => html`<li>${letter.queue}: ${letter.reason} (${letter.receiveCount} receives, ${letter.at})</li>`)}</ul>`}
<p><a href="/dev/dead-letters">JSON</a></p></section>`;
  return page('en', 'Local tools · Ticketline', body);
}

export const redirect = (location: string) => ({ statusCode: 303, headers: { location, 'content-type': 'text/plain' }, body: safeHtml('').value });
