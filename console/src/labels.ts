/** Statuses, types and priorities in the UI language (no React: the pure modules and their tests use it too). */
export type UiLanguage = 'zh-CN' | 'en';

const LABELS: Record<UiLanguage, Record<string, string>> = {
  en: {
    new: 'New', 'needs-confirmation': 'Needs confirmation', open: 'Open', 'waiting-on-customer': 'Waiting on customer', resolved: 'Resolved', closed: 'Closed', reopened: 'Reopened',
    consultation: 'Consultation', fault: 'Fault report', 'after-sales': 'After-sales', complaint: 'Complaint', suggestion: 'Suggestion', other: 'Other',
    P1: 'P1 urgent', P2: 'P2 high', P3: 'P3 normal', P4: 'P4 low',
  },
  'zh-CN': {
    new: '新建', 'needs-confirmation': '待确认', open: '处理中', 'waiting-on-customer': '等待客户', resolved: '已解决', closed: '已关闭', reopened: '已重开',
    consultation: '咨询', fault: '故障', 'after-sales': '售后', complaint: '投诉', suggestion: '建议', other: '其他',
    P1: 'P1 紧急', P2: 'P2 高', P3: 'P3 普通', P4: 'P4 低',
  },
};

/** A status, type or priority in the UI language; unknown values are shown as they are. */
export function label(language: UiLanguage, value: string): string {
  return LABELS[language][value] ?? value;
}

