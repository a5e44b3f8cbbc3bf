import type { AgentConfig, TeamConfig } from './schema.js';

/** The three teams the requirements name. */
export const DEFAULT_TEAMS: TeamConfig[] = [
  { id: 'technical', name: { 'zh-CN': '技术支持', en: 'Technical Support' }, types: ['fault'] },
  { id: 'after-sales', name: { 'zh-CN': '售后服务', en: 'After-Sales' }, types: ['after-sales', 'complaint'] },
  { id: 'general', name: { 'zh-CN': '综合咨询', en: 'General Enquiries' }, types: ['consultation', 'suggestion', 'other'] },
];

/** Demo agents for the local runtime; a deployment replaces them with its Cognito users. */
export const DEFAULT_AGENTS: AgentConfig[] = [
  { id: 'alice', name: 'Alice Wang', email: 'alice@support.example.com', team: 'technical', roles: ['agent'], available: true },
  { id: 'bob', name: 'Bob Li', email: 'bob@support.example.com', team: 'technical', roles: ['agent'], available: true },
  { id: 'carol', name: 'Carol Zhang', email: 'carol@support.example.com', team: 'after-sales', roles: ['agent'], available: true },
  { id: 'dave', name: 'Dave Chen', email: 'dave@support.example.com', team: 'general', roles: ['agent'], available: true },
  { id: 'sam', name: 'Sam Zhou', email: 'sam@support.example.com', team: 'technical', roles: ['agent', 'supervisor'], available: true },
  { id: 'quinn', name: 'Quinn Liu', email: 'quinn@support.example.com', team: 'general', roles: ['qa'], available: true },
  { id: 'root', name: 'Desk Admin', email: 'admin@support.example.com', team: 'general', roles: ['admin', 'supervisor'], available: false },
];

export { DEFAULT_CUES, DEFAULT_RULES } from './triage-rules.js';
