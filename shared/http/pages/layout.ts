import { html, safeHtml, type HtmlValue, type SafeHtml } from '../escape.js';
import type { Language } from '../../domain/ticket.js';

/** Shared page frame for customer pages: readable on a phone, no scripts, no external resources. */
const PAGE_STYLE = `
  *{box-sizing:border-box} body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI","PingFang SC","Microsoft YaHei",sans-serif;background:#f4f6f8;color:#1d2733}
  main{max-width:42rem;margin:0 auto;padding:1.25rem}
  header{display:flex;justify-content:space-between;align-items:center;gap:1rem;flex-wrap:wrap}
  h1{font-size:1.5rem;margin:.5rem 0} .card{background:#fff;border-radius:10px;padding:1.25rem;box-shadow:0 1px 3px rgba(0,0,0,.08);margin:1rem 0}
  label{display:block;font-weight:600;margin:.9rem 0 .25rem} .hint{font-weight:400;color:#5b6b7b;font-size:.9rem}
  input,textarea,select{width:100%;padding:.6rem;border:1px solid #b8c4d0;border-radius:6px;font:inherit;background:#fff}
  input:focus,textarea:focus,select:focus,button:focus,a:focus{outline:3px solid #7aa7ff;outline-offset:1px}
  textarea{min-height:9rem} button{margin-top:1.2rem;padding:.7rem 1.4rem;border:0;border-radius:6px;background:#1f5fd6;color:#fff;font:inherit;font-weight:600;cursor:pointer}
  .error{color:#b00020;font-size:.9rem;margin:.2rem 0 0} .errors{border-left:4px solid #b00020;background:#fff3f4;padding:.75rem 1rem;border-radius:6px}
  .trap{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden} .big{font-size:1.6rem;font-weight:700;letter-spacing:.03em}
  nav a{color:#1f5fd6} dl{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem} dt{color:#5b6b7b} dd{margin:0}
`;

export function page(language: Language, title: string, body: HtmlValue): string {
  const document: SafeHtml = html`<!doctype html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${safeHtml(PAGE_STYLE)}</style>
</head>
<body><main>${body}</main></body>
</html>`;
  return String(document);
}
