import { useEffect, useState, type FormEvent } from 'react';
// The desk's mail texts, one per notice kind: the same list the API serves and validates.
import { AUDIENCES, NOTICE_AUDIENCE, NOTICE_KINDS, type Audience } from '../../../shared/domain/vocabulary.js';
import type { TemplateRecord } from '../api.js';
import { useSession } from '../context.js';
import { useI18n, type UiLanguage } from '../i18n.js';
import { Link } from '../Link.js';
import { editorErrorText, errorText, noticeName } from '../words.js';

const LANGS = ['zh-CN', 'en'] as const;


const AUDIENCE_TITLES: Record<Audience, Record<UiLanguage, string>> = {
  customer: { en: 'To customers', 'zh-CN': '发给客户' },
  agent: { en: 'To the agent', 'zh-CN': '发给客服' },
  supervisors: { en: 'To supervisors', 'zh-CN': '发给主管' },
  qa: { en: 'To QA', 'zh-CN': '发给质检' },
};

/** Supervisors edit the desk's mail texts, listed by whom they go to; the API validates placeholders and refuses unknown ones. */
export function TemplatesView(props: { selected?: string }) {
  const { t, language } = useI18n();
  return (
    <section aria-labelledby="templates-title" className="split">
      <div>
        <h1 id="templates-title">{t.templates}</h1>
        {AUDIENCES.map((audience) => (
          <div key={audience}>
            <h2 className="small">{AUDIENCE_TITLES[audience][language]}</h2>
            <ul className="plain">
              {NOTICE_KINDS.filter((id) => NOTICE_AUDIENCE[id] === audience).map((id) => (
                <li key={id} data-template={id}>
                  <Link to={`/templates/${id}`} current={id === props.selected}>{capitalised(noticeName(id, language))}</Link>
                </li>
              ))}
            </ul>
          </div>
        ))}
      </div>
      {props.selected ? <TemplateEditor key={props.selected} id={props.selected} /> : <p className="muted">{language === 'en' ? 'Choose a text to read or edit it.' : '请选择要查看或修改的文本。'}</p>}
    </section>
  );
}

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

function TemplateEditor(props: { id: string }) {
  const { api, notify } = useSession();
  const { t, language } = useI18n();
  const [template, setTemplate] = useState<TemplateRecord>();
  const [texts, setTexts] = useState<Record<string, { subject: string; body: string }>>({});
  const [error, setError] = useState<string>();

  useEffect(() => {
    api.template(props.id).then(
      (loaded) => {
        setTemplate(loaded);
        setTexts(Object.fromEntries(LANGS.map((lang) => [lang, { subject: loaded.texts[lang]?.subject ?? '', body: loaded.texts[lang]?.body ?? '' }])));
      },
      (cause: unknown) => setError(errorText(cause, language)),
    );
  }, [api, props.id]);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    try {
      for (const lang of LANGS) {
        const text = texts[lang];
        const before = template?.texts[lang];
        if (text && (text.subject !== before?.subject || text.body !== before?.body)) await api.saveTemplate(props.id, lang, text);
      }
      setTemplate(await api.template(props.id));
      notify(`${props.id} · ${t.done}`);
    } catch (cause) {
      setError(editorErrorText(cause, language));
    }
  };

  if (!template) return <div>{error ? <p role="alert" className="error">{error}</p> : <p>{t.loading}</p>}</div>;
  return (
    <form onSubmit={save} className="card" aria-labelledby="editor-title">
      <h2 id="editor-title">{t.editTemplate}: {capitalised(noticeName(template.id, language))} <code className="small muted">{template.id}</code> {template.overridden && <span className="badge">✎</span>}</h2>
      {template.description && <p className="muted">{template.description}</p>}
      {template.placeholders && (
        <details>
          <summary>{t.placeholders}</summary>
          <ul className="plain small">
            {Object.entries(template.placeholders).map(([name, spec]) => <li key={name}><code>{`{{${name}}}`}</code> {spec.required ? '*' : ''} {spec.description}</li>)}
          </ul>
        </details>
      )}
      {LANGS.map((lang) => (
        <fieldset key={lang} lang={lang}>
          <legend>{lang}</legend>
          <label htmlFor={`subject-${lang}`}>{t.subject}</label>
          <input id={`subject-${lang}`} value={texts[lang]?.subject ?? ''} onChange={(event) => setTexts((all) => ({ ...all, [lang]: { ...all[lang]!, subject: event.target.value } }))} />
          <label htmlFor={`body-${lang}`}>{t.bodyText}</label>
          <textarea id={`body-${lang}`} rows={10} value={texts[lang]?.body ?? ''} onChange={(event) => setTexts((all) => ({ ...all, [lang]: { ...all[lang]!, body: event.target.value } }))} />
        </fieldset>
      ))}
      <button type="submit">{t.save}</button>
      {error && <p role="alert" className="error">{error}</p>}
    </form>
  );
}
