import { useEffect, useState, type FormEvent } from 'react';
import type { MacroList, MacroView } from '../../../shared/contract/agent-api.js';
// The placeholders the console can fill: the same list the API checks a save against.
import { MACRO_PLACEHOLDERS, unknownPlaceholders } from '../../../shared/templates/macro-placeholders.js';
import { PRIORITIES } from '../../../shared/domain/ticket.js';
import { ApiError } from '../api.js';
import { useSession } from '../context.js';
import { useI18n, type UiLanguage } from '../i18n.js';
import { label } from '../labels.js';
import { errorText, formatWhen } from '../words.js';

const LANGS = ['zh-CN', 'en'] as const;

/** This page's own words; the shared dictionary stays for words every page uses. */
const WORDS = {
  en: {
    title: 'Macros',
    intro: 'Every agent answers with these: the text goes into the reply at the cursor, and sending it also sets what the macro sets. Placeholders are filled from the ticket, or the macro is refused on a ticket that has no value for one.',
    version: (version: number, by?: string, at?: string) => (version === 0 ? 'Built-in macros (never edited).' : `Version ${version}, saved by ${by ?? '?'} at ${at ? formatWhen(at, 'en') : '?'}.`),
    add: 'New macro',
    remove: 'Remove',
    id: 'Id (lower-case letters, digits, -)',
    name: 'Name',
    text: 'Text',
    sets: 'Sending it also sets',
    status: 'Status',
    noChange: 'no change',
    summary: 'Resolution summary',
    priority: 'Priority',
    tags: 'Tags to add (comma-separated)',
    placeholders: 'Placeholders',
    unknown: (names: string[]) => `Unknown placeholder: ${names.map((name) => `{{${name}}}`).join(', ')}.`,
    duplicate: 'Another macro has this id.',
    note: 'What changed (kept in the audit trail)',
    save: 'Save macros',
    saved: (version: number) => `Macros saved (version ${version}).`,
    unsaved: 'Unsaved changes.',
    changedMeanwhile: 'Someone saved the macros meanwhile. Reload to see their version, then make your change again.',
    reload: 'Reload',
    field: (index: number, name: string) => `Macro ${index + 1} (${name})`,
    history: 'History',
  },
  'zh-CN': {
    title: '宏',
    intro: '所有客服用这些宏答复：文字插入到回复的光标处，发送时同时应用宏的设置。占位符由工单信息填写；工单缺少某个占位符的值时，该宏在此工单上不可用。',
    version: (version: number, by?: string, at?: string) => (version === 0 ? '内置宏（尚未修改）。' : `第 ${version} 版，由 ${by ?? '?'} 于 ${at ? formatWhen(at, 'zh-CN') : '?'} 保存。`),
    add: '新建宏',
    remove: '删除',
    id: '标识（小写字母、数字、-）',
    name: '名称',
    text: '内容',
    sets: '发送时同时设置',
    status: '状态',
    noChange: '不变',
    summary: '解决说明',
    priority: '优先级',
    tags: '添加标签（逗号分隔）',
    placeholders: '占位符',
    unknown: (names: string[]) => `未知占位符：${names.map((name) => `{{${name}}}`).join('、')}。`,
    duplicate: '已有宏使用此标识。',
    note: '修改说明（记入审计记录）',
    save: '保存宏',
    saved: (version: number) => `宏已保存（第 ${version} 版）。`,
    unsaved: '有未保存的修改。',
    changedMeanwhile: '其他人已在此期间保存了宏。请重新加载查看最新版本后再修改。',
    reload: '重新加载',
    field: (index: number, name: string) => `第 ${index + 1} 个宏（${name}）`,
    history: '修改记录',
  },
} as const;

const ID = /^[a-z][a-z0-9-]{0,40}$/;

function blankMacro(existing: MacroView[]): MacroView {
  let n = existing.length + 1;
  while (existing.some((macro) => macro.id === `macro-${n}`)) n += 1;
  return { id: `macro-${n}`, title: { 'zh-CN': '', en: '' }, text: { 'zh-CN': '', en: '' }, set: {} };
}

/** What is wrong with a draft before it is sent (the API checks again and has the last word). */
function problemsOf(macros: MacroView[], language: UiLanguage): string[] {
  const w = WORDS[language];
  const problems: string[] = [];
  macros.forEach((macro, index) => {
    const where = w.field(index, macro.title[language] || macro.id);
    if (!ID.test(macro.id)) problems.push(`${where}: ${w.id}`);
    if (macros.findIndex((other) => other.id === macro.id) !== index) problems.push(`${where}: ${w.duplicate}`);
    for (const lang of LANGS) {
      const unknown = unknownPlaceholders(macro.text[lang]);
      if (unknown.length > 0) problems.push(`${where} · ${lang}: ${w.unknown(unknown)}`);
    }
  });
  return problems;
}

/** Supervisors and admins edit the desk's macros; the list is one versioned settings document. */
export function MacrosView() {
  const { api, notify } = useSession();
  const { language } = useI18n();
  const w = WORDS[language];
  const [loaded, setLoaded] = useState<MacroList>();
  const [draft, setDraft] = useState<MacroView[]>([]);
  const [selected, setSelected] = useState(0);
  const [note, setNote] = useState('');
  const [error, setError] = useState<string>();
  const [conflict, setConflict] = useState(false);
  // The tags as typed (a trailing comma included), for the selected macro.
  const [tagsText, setTagsText] = useState('');
  const [history, setHistory] = useState<Array<{ version: number; at: string; by: string; note?: string }>>();

  const load = async () => {
    setError(undefined);
    setConflict(false);
    try {
      const list = await api.request<MacroList>('GET', '/macros');
      setLoaded(list);
      setDraft(structuredClone(list.items));
      setSelected(0);
    } catch (cause) {
      setError(errorText(cause, language));
    }
  };
  useEffect(() => {
    void load();
    // Loaded once per visit; a save or "Reload" loads again.
  }, [api]);

  useEffect(() => setTagsText((draft[selected]?.set.tags ?? []).join(', ')), [selected, loaded]);

  const dirty = loaded !== undefined && JSON.stringify(loaded.items) !== JSON.stringify(draft);
  const macro = draft[selected];
  const change = (next: Partial<MacroView>) => setDraft((all) => all.map((one, index) => (index === selected ? { ...one, ...next } : one)));
  const changeSet = (next: Partial<MacroView['set']>) => {
    const set = Object.fromEntries(Object.entries({ ...macro?.set, ...next }).filter(([, value]) => value !== undefined)) as MacroView['set'];
    if (set.status !== 'resolved') delete set.summary;
    change({ set });
  };

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (!loaded) return;
    const problems = problemsOf(draft, language);
    if (problems.length > 0) {
      setError(problems.join(' '));
      return;
    }
    setError(undefined);
    try {
      const saved = await api.request<MacroList>('PUT', '/macros', { items: draft, version: loaded.version, ...(note.trim() ? { note: note.trim() } : {}) });
      setLoaded(saved);
      setDraft(structuredClone(saved.items));
      setNote('');
      setHistory(undefined);
      notify(w.saved(saved.version));
    } catch (cause) {
      if (cause instanceof ApiError && cause.code === 'settings-changed') {
        setConflict(true);
        setError(w.changedMeanwhile);
        return;
      }
      // Field paths are items.<n>.<field>...: say which macro.
      const fields = cause instanceof ApiError ? (cause.fields ?? []) : [];
      const where = fields.map((field) => {
        const index = Number(field.field.split('.')[1]);
        return Number.isInteger(index) && draft[index] ? `${w.field(index, draft[index].title[language] || draft[index].id)}: ${field.field.split('.').slice(2).join(' · ')}` : '';
      });
      setError([errorText(cause, language), ...where.filter(Boolean)].join(' '));
    }
  };

  const showHistory = async () => {
    try {
      setHistory((await api.request<{ items: Array<{ version: number; at: string; by: string; note?: string }> }>('GET', '/macros/audit')).items);
    } catch (cause) {
      setError(errorText(cause, language));
    }
  };

  if (!loaded) return <section aria-labelledby="macros-title"><h1 id="macros-title">{w.title}</h1>{error ? <p role="alert" className="error">{error}</p> : <p>…</p>}</section>;
  return (
    <section aria-labelledby="macros-title" className="split">
      <div>
        <h1 id="macros-title">{w.title}</h1>
        <p className="muted small">{w.version(loaded.version, loaded.updatedBy, loaded.updatedAt)}</p>
        <ul className="plain" aria-label={w.title}>
          {draft.map((one, index) => (
            <li key={index}>
              <button type="button" className="link" aria-current={index === selected ? 'true' : undefined} onClick={() => setSelected(index)}>
                {one.title[language] || one.id}
              </button>
            </li>
          ))}
        </ul>
        <button type="button" onClick={() => {
          setDraft((all) => [...all, blankMacro(all)]);
          setSelected(draft.length);
        }}>{w.add}</button>{' '}
        <button type="button" className="link" onClick={() => void showHistory()}>{w.history}</button>
        {history && (
          <ol className="plain small" aria-label={w.history}>
            {history.map((entry) => <li key={entry.version}>v{entry.version} · {entry.by} · {formatWhen(entry.at, language)}{entry.note ? ` · ${entry.note}` : ''}</li>)}
          </ol>
        )}
      </div>
      <form onSubmit={save} className="card" aria-labelledby="macro-editor-title">
        <p className="muted small">{w.intro}</p>
        {macro && (
          <>
            <h2 id="macro-editor-title">{macro.title[language] || macro.id}</h2>
            <label htmlFor="macro-id">{w.id}</label>
            <input id="macro-id" value={macro.id} pattern="[a-z][a-z0-9\-]{0,40}" required onChange={(event) => change({ id: event.target.value.trim() })} />
            {LANGS.map((lang) => (
              <fieldset key={lang} lang={lang}>
                <legend>{lang}</legend>
                <label htmlFor={`macro-title-${lang}`}>{w.name}</label>
                <input id={`macro-title-${lang}`} required maxLength={80} value={macro.title[lang]} onChange={(event) => change({ title: { ...macro.title, [lang]: event.target.value } })} />
                <label htmlFor={`macro-text-${lang}`}>{w.text}</label>
                <textarea id={`macro-text-${lang}`} required rows={6} maxLength={4000} value={macro.text[lang]} onChange={(event) => change({ text: { ...macro.text, [lang]: event.target.value } })} />
                {unknownPlaceholders(macro.text[lang]).length > 0 && <p className="error small">{w.unknown(unknownPlaceholders(macro.text[lang]))}</p>}
              </fieldset>
            ))}
            <p className="small">{w.placeholders}: {MACRO_PLACEHOLDERS.map((name) => <code key={name}>{`{{${name}}} `}</code>)}</p>
            <fieldset>
              <legend>{w.sets}</legend>
              <label htmlFor="macro-status">{w.status}</label>
              <select id="macro-status" value={macro.set.status ?? ''} onChange={(event) => changeSet({ status: (event.target.value || undefined) as MacroView['set']['status'] })}>
                <option value="">{w.noChange}</option>
                <option value="waiting-on-customer">{label(language, 'waiting-on-customer')}</option>
                <option value="resolved">{label(language, 'resolved')}</option>
              </select>
              {macro.set.status === 'resolved' && LANGS.map((lang) => (
                <div key={lang} lang={lang}>
                  <label htmlFor={`macro-summary-${lang}`}>{w.summary} ({lang})</label>
                  <input id={`macro-summary-${lang}`} required value={macro.set.summary?.[lang] ?? ''} onChange={(event) => changeSet({ summary: { 'zh-CN': '', en: '', ...macro.set.summary, [lang]: event.target.value } })} />
                </div>
              ))}
              <label htmlFor="macro-priority">{w.priority}</label>
              <select id="macro-priority" value={macro.set.priority ?? ''} onChange={(event) => changeSet({ priority: (event.target.value || undefined) as MacroView['set']['priority'] })}>
                <option value="">{w.noChange}</option>
                {PRIORITIES.map((priority) => <option key={priority} value={priority}>{priority}</option>)}
              </select>
              <label htmlFor="macro-tags">{w.tags}</label>
              <input id="macro-tags" value={tagsText} onChange={(event) => {
                setTagsText(event.target.value);
                const tags = event.target.value.split(/[,，]/).map((tag) => tag.trim()).filter(Boolean);
                changeSet({ tags: tags.length > 0 ? tags : undefined });
              }} />
            </fieldset>
            <button type="button" className="danger" onClick={() => {
              setDraft((all) => all.filter((_, index) => index !== selected));
              setSelected(0);
            }}>{w.remove}</button>
          </>
        )}
        <label htmlFor="macro-note">{w.note}</label>
        <input id="macro-note" maxLength={200} value={note} onChange={(event) => setNote(event.target.value)} />
        {dirty && <p className="small" role="status">{w.unsaved}</p>}
        <button type="submit" disabled={!dirty}>{w.save}</button>
        {conflict && <button type="button" className="link" onClick={() => void load()}>{w.reload}</button>}
        {error && <p role="alert" className="error">{error}</p>}
      </form>
    </section>
  );
}
