import { createContext, useContext } from 'react';
import { DICTIONARIES, type Dictionary } from './dictionary.js';
import type { UiLanguage } from './labels.js';

export type { UiLanguage } from './labels.js';
export { DICTIONARIES, wordFor, type Dictionary } from './dictionary.js';

export { label } from './labels.js';

export interface I18n {
  language: UiLanguage;
  t: Dictionary;
  setLanguage: (language: UiLanguage) => void;
}

export const I18nContext = createContext<I18n>({ language: 'zh-CN', t: DICTIONARIES['zh-CN'], setLanguage: () => undefined });

export function useI18n(): I18n {
  return useContext(I18nContext);
}

export function initialLanguage(): UiLanguage {
  const saved = localStorage.getItem('ticketline.lang');
  if (saved === 'en' || saved === 'zh-CN') return saved;
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}
