import { useEffect, useRef } from 'react';
import { useI18n } from '../i18n.js';

export const SHORTCUTS: Array<{ key: string; en: string; zh: string }> = [
  { key: 'j / k', en: 'Next / previous ticket in the queue', zh: '队列中下一个 / 上一个工单' },
  { key: 'Enter / o', en: 'Open the selected ticket', zh: '打开选中的工单' },
  { key: 'r', en: 'Reply', zh: '回复' },
  { key: 'n', en: 'Internal note', zh: '内部备注' },
  { key: 'w', en: 'Wait on customer', zh: '等待客户' },
  { key: 'e', en: 'Escalate', zh: '升级' },
  { key: 's', en: 'Resolve', zh: '解决' },
  { key: 'u', en: 'Back to the queue', zh: '返回队列' },
  { key: '?', en: 'This help', zh: '显示本帮助' },
];

export function HelpDialog(props: { onClose: () => void }) {
  const { t, language } = useI18n();
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
  }, []);
  return (
    <dialog ref={dialog} aria-labelledby="help-title" onClose={props.onClose} onCancel={props.onClose}>
      <h2 id="help-title">{t.help}</h2>
      <p>{t.shortcutsIntro}</p>
      <dl className="shortcuts">
        {SHORTCUTS.map((shortcut) => (
          <div key={shortcut.key}><dt><kbd>{shortcut.key}</kbd></dt><dd>{language === 'en' ? shortcut.en : shortcut.zh}</dd></div>
        ))}
      </dl>
      <button type="button" onClick={props.onClose}>{t.close}</button>
    </dialog>
  );
}
