import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../shared/config/load.js';
import { classifyRequest } from '../../../shared/services/classification.js';

const config = defaultConfig();
const triage = (text: string, stated = {}) => classifyRequest(text, stated, config);

describe('classifyRequest: the requests quoted in issue 14', () => {
  it.each([
    ['支付时提示银行卡状态异常，订单未成功', 'fault', 'P1'],
    ['账户里莫名少了2000元，有异常资金变动', 'fault', 'P1'],
    ['系统崩溃了，所有用户都登录不了，损失很大', 'fault', 'P1'],
    ['URGENT: checkout is broken for all our customers, we are losing money', 'fault', 'P1'],
    ['这个问题我已经反映三次了还没解决', 'complaint', 'P2'],
    ['建议增加密码错误提示次数', 'suggestion', 'P4'],
    ['收到的商品外盒破損，裡面的東西也壞了', 'after-sales', 'P3'],
    ['咨询会员积分兑换规则', 'consultation', 'P4'],
    ['企业账号无法导出月度数据', 'fault', 'P2'],
  ])('%s → %s %s, decided', (text, type, priority) => {
    expect(triage(text)).toMatchObject({ type, priority, decided: true });
  });
});

describe('classifyRequest: reading', () => {
  it('reads Traditional Chinese as Simplified (破損 is 破损, 登入 is 登录)', () => {
    expect(triage('包裝破損')).toMatchObject({ type: 'after-sales', tags: expect.arrayContaining(['damaged']) });
    expect(triage('登入時一直顯示驗證碼錯誤，登不進去')).toMatchObject({ type: 'fault', priority: 'P2' });
  });

  it('matches English words by stem', () => {
    expect(triage('I was charged twice and they refunded nothing').priority).toBe('P1');
  });

  it('does not count money at risk that the customer says is absent', () => {
    expect(triage('没有异常扣款，只是想问一下发票怎么开').priority).not.toBe('P1');
  });

  it('lowers a normal request that says it is not urgent', () => {
    expect(triage('不急，想问一下怎么修改头像')).toMatchObject({ priority: 'P4' });
    expect(triage('Not urgent: how do I change the language of the dashboard?')).toMatchObject({ priority: 'P4' });
  });

  it('records its reasons in plain words', () => {
    const result = triage('系统崩溃了，所有用户都登录不了，损失很大');
    expect(result.reasons.join(' ')).toMatch(/Priority P1: .*business stopped|Priority P1: .*an outage|Priority P1: .*many users/);
    expect(result.reasons.some((r) => r.startsWith('Team technical'))).toBe(true);
  });
});

describe('classifyRequest: what the customer chose on the form', () => {
  it('caps a stated "high" on a how-to question at P3 and says why', () => {
    const result = triage('怎么修改登录密码？', { type: 'consultation', urgency: 'high' });
    expect(result).toMatchObject({ type: 'consultation', priority: 'P3' });
    expect(result.reason).toMatch(/already P3|capped by the policy/);
  });

  it('raises a fault with a stated "high" one level, never to P1 by itself', () => {
    expect(triage('设置页面的一个按钮文字显示不全', { type: 'fault', urgency: 'high' })).toMatchObject({ priority: 'P2' });
  });

  it('never lets a stated "low" lower a P1 found in the text', () => {
    const result = triage('所有用户都无法支付，订单全部失败！', { type: 'fault', urgency: 'low' });
    expect(result.priority).toBe('P1');
    expect(result.reason).toMatch(/does not lower a P1/);
  });

  it('lowers a P3 with a stated "low" to P4', () => {
    expect(triage('设置页面的一个按钮文字显示不全', { type: 'fault', urgency: 'low' })).toMatchObject({ priority: 'P4' });
  });

  it('takes the stated type when the text says little', () => {
    expect(triage('你好，麻烦看一下', { type: 'after-sales' })).toMatchObject({ type: 'after-sales', team: 'after-sales', decided: true });
  });

  it('follows the text over the stated type when the text is clear, and records both', () => {
    const result = triage('系统全部瘫痪了，所有人都用不了', { type: 'consultation', urgency: 'medium' });
    expect(result).toMatchObject({ type: 'fault', priority: 'P1', team: 'technical' });
    expect(result.reason).toMatch(/chose consultation on the form/);
  });
});
