import { describe, expect, it } from 'vitest';
import { allEvidence, expectQuoted, extract, sentencesOf } from './embedded-support.js';
import {
  findLocaleMoney,
  findLocaleRanges,
  localeNumber,
} from '../../../../src/domain/extraction/embedded/locales/locale-money.js';
import { findLocaleDates } from '../../../../src/domain/extraction/embedded/locales/locale-dates.js';
import { findMentions } from '../../../../src/domain/extraction/finalize.js';

/**
 * Spanish and Chinese read by the embedded extractor: what a rep pasting a call or an email in
 * either language sees come out, each value with its verbatim quote; any other language says so.
 */

const CHINESE_EMAIL = `From: 周敏 <zhoumin@hengtai-tech.cn>
To: Grace Lin <grace.lin@pipelinescribe.io>
Date: Wed, 11 Mar 2026 10:15:00 +0800
Subject: 关于采购

Grace，您好：

我们内部讨论过了，今年这个项目的预算50万元已经批下来了。我们目前在用Clari，但是明年一月合同到期。

请您在下周一之前把正式报价发给我。

周敏
采购经理
恒泰科技
`;

describe('a Chinese email', () => {
  it('gives a budget of 500,000 CNY from 预算50万元, with its quote', async () => {
    const { conversation, insights } = await extract(CHINESE_EMAIL);
    expect(insights.language).toBe('zh');
    expect(insights.warnings).toEqual([]);
    expect(insights.budget).toMatchObject({ amount: 500_000, currency: 'CNY' });
    expect(insights.budget!.evidence.quote).toContain('预算50万元');
    expectQuoted(conversation, insights.budget!.evidence);
  });

  it('finds a catalog competitor written between Chinese characters without spaces', async () => {
    const { insights } = await extract(CHINESE_EMAIL);
    expect(insights.competitors.map((c) => c.name)).toEqual(['Clari']);
  });

  it('names the sender by her Chinese name, on the customer side, and her request as the other side’s step', async () => {
    const { conversation, insights } = await extract(CHINESE_EMAIL);
    expect(insights.stakeholders.map((s) => [s.name, s.affiliation])).toEqual(
      expect.arrayContaining([
        ['周敏', 'customer'],
        ['Grace Lin', 'seller'],
      ]),
    );
    expect(insights.stakeholders.find((s) => s.name === '周敏')?.role).toBe('procurement_legal');
    // 下周一 said on Wednesday 11 March is Monday the 16th.
    expect(insights.nextSteps.map((s) => [s.owner, s.dueDate])).toEqual([['Grace Lin', '2026-03-16']]);
    for (const evidence of allEvidence(insights)) expectQuoted(conversation, evidence);
  });

  it('reads people known by surname and title, and a budget range at its ceiling', async () => {
    const transcript = [
      '[00:00:03] 赵磊：王总您好，我是客户经理赵磊。目前你们的销售流程是怎样的？',
      '[00:00:20] 王总：我们现在全靠Excel表，数据经常不准。',
      '[00:00:41] 王总：预算方面，我们今年大概有20万到30万，希望年底前上线。',
      '[00:01:02] 赵磊：好的，我下周三之前把方案发给您。',
    ].join('\n');
    const { insights } = await extract(transcript);
    expect(insights.stakeholders.map((s) => [s.name, s.affiliation])).toEqual(
      expect.arrayContaining([
        ['赵磊', 'seller'],
        ['王总', 'customer'],
      ]),
    );
    expect(insights.budget).toMatchObject({ amount: 300_000, currency: 'CNY' });
    expect(insights.timeline?.date).toBe('2026-12-31');
    expect(insights.nextSteps.map((s) => [s.owner, s.dueDate])).toEqual([['赵磊', '2026-03-18']]);
  });

  it('moves a deal back when the budget is frozen, and reports a loss to a competitor', async () => {
    const frozen = await extract('客户说集团宣布预算被冻结，项目暂停到明年。', {
      currentStage: 'Negotiation/Review',
    });
    expect(frozen.insights.stageSuggestion).toMatchObject({ to: 'Qualification', direction: 'backward' });
    const lost = await extract('结果：丢单，客户最终选择了Salesloft。', {
      currentStage: 'Proposal/Price Quote',
    });
    expect(lost.insights.stageSuggestion).toMatchObject({ to: 'Closed Lost', direction: 'forward' });
    const notSigned = await extract('客户还没有签合同，法务还在审核合同条款。', {
      currentStage: 'Proposal/Price Quote',
    });
    expect(notSigned.insights.stageSuggestion?.to).toBe('Negotiation/Review');
  });
});

describe('a Spanish conversation', () => {
  it("reads a rival's quote and the vendor whose contract the customer holds", async () => {
    const { conversation, insights } = await extract(
      'Hoy tenemos contrato con Siigo hasta junio. La cotización de Alegra llegó ayer y es más baja que la vuestra.',
    );
    for (const c of insights.competitors) expectQuoted(conversation, c.evidence);
    expect(Object.fromEntries(insights.competitors.map((c) => [c.name, c.context]))).toEqual({
      Siigo: 'incumbent',
      Alegra: 'quoting against us',
    });
  });

  it('resolves "el próximo jueves" from the meeting date, as the coming Thursday', async () => {
    // 10 March 2026 is a Tuesday: the coming Thursday is the 12th.
    const { conversation, insights } = await extract(
      'Carlos Núñez: Gracias por la demo. ¿Podemos tener una llamada el próximo jueves para revisar la propuesta?\nAna Ribas: Perfecto, yo te envío la invitación hoy.',
      { meetingDate: '2026-03-10' },
    );
    expect(insights.language).toBe('es');
    const call = insights.nextSteps.find((s) => s.evidence.quote.includes('próximo jueves'));
    expect(call?.dueDate).toBe('2026-03-12');
    expectQuoted(conversation, call!.evidence);
  });

  it('reads a counter said in "mil" without a currency in the currency of the proposal it answers', async () => {
    const { conversation, insights } = await extract(
      'Lucía Ferrer: Vuestra propuesta de 95 mil euros es demasiado. Podemos llegar a 80 mil.',
    );
    expect(insights.budget).toMatchObject({ amount: 80_000, currency: 'EUR' });
    expectQuoted(conversation, insights.budget!.evidence);
  });

  it('reads the ceiling a customer names ("el techo es de 70 mil dólares") as the budget', async () => {
    const { insights } = await extract('Lucía Ferrer: El techo es de 70 mil dólares para este año.');
    expect(insights.budget).toMatchObject({ amount: 70_000, currency: 'USD' });
  });

  it('reads a European amount as the budget, not the signing threshold beside it', async () => {
    const notes = [
      'Reunión con Grupo Ceiba',
      'Asistentes: Rosa Díaz (Directora Financiera), Luis Prado (Jefe de TI)',
      '- Presupuesto aprobado: 1.200.000,50 € para el primer año.',
      '- Rosa firma todo lo que pase de 50.000 €.',
    ].join('\n');
    const { conversation, insights } = await extract(notes);
    expect(insights.budget).toMatchObject({ amount: 1_200_000.5, currency: 'EUR' });
    expectQuoted(conversation, insights.budget!.evidence);
    expect(insights.stakeholders.find((s) => s.name === 'Rosa Díaz')?.role).toBe('economic_buyer');
    expect(insights.stakeholders.find((s) => s.name === 'Luis Prado')?.role).toBe('technical_evaluator');
  });

  it('names people as Spanish introduces them: "el señor García", "la directora comercial, Isabel Méndez"', async () => {
    const { insights } = await extract(
      'Ricardo Soto: La directora comercial, Isabel Méndez, quedó muy contenta. El señor García tiene que aprobar el presupuesto.\nLaura Gómez: Entendido, ¿cuántos usuarios serían?',
    );
    const names = insights.stakeholders.map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining(['Isabel Méndez', 'García']));
    expect(insights.stakeholders.find((s) => s.name === 'García')?.role).toBe('economic_buyer');
  });

  it('keeps a budget range as a range, both ends quoted', async () => {
    const { conversation, insights } = await extract(
      'Lucía Paredes: Gracias por la demo de ayer, al equipo le gustó mucho. La dirección aprobó entre 30 y 40 mil euros para el primer año. Les enviaremos los requisitos técnicos el viernes.',
    );
    expect(insights.language).toBe('es');
    expect(insights.budget).toMatchObject({
      amount: 40_000,
      currency: 'EUR',
      range: { low: { amount: 30_000 }, high: { amount: 40_000 } },
    });
    expectQuoted(conversation, insights.budget!.range!.low.evidence);
  });

  it("takes the price the customer accepts in Spanish or Chinese over the seller's offer", async () => {
    const spanish = await extract(
      'Marta López: Podemos dejarlo en 72.000 dólares por los dos años.\nJavier Ruiz: De acuerdo, aceptamos los 72.000 dólares.\nMarta López: Excelente, les envío el contrato.',
    );
    expect(spanish.insights.budget).toMatchObject({ amount: 72_000, currency: 'USD' });
    expect(spanish.insights.budget!.evidence.quote).toContain('aceptamos');
    const chinese = await extract('李娜：我们的最终报价是45万元。\n王经理：我们接受这个价格，45万元没问题。');
    expect(chinese.insights.budget).toMatchObject({ amount: 450_000, currency: 'CNY' });
    expect(chinese.insights.budget!.evidence.quote).toContain('接受');
  });

  it('reads Spanish amounts said in words, a range among them, and pesos of the country the call is in', async () => {
    const range = await extract(
      'Carmen Vidal: Tenemos entre cuarenta y cincuenta mil euros para el primer año.',
    );
    expect(range.insights.budget).toMatchObject({
      amount: 50_000,
      currency: 'EUR',
      range: { low: { amount: 40_000 }, high: { amount: 50_000 } },
    });
    const memo = await extract(
      'Nota de voz después de la llamada con Carmen Vidal ella dice que ya tienen aprobado un presupuesto de ciento veinte mil dólares para la implementación y que la facturación de la empresa es de unos 40 millones al año',
    );
    expect(memo.insights.budget).toMatchObject({ amount: 120_000, currency: 'USD' });
    const bogota = await extract(
      'Hola Diego, te reenvío lo que confirmó finanzas en la sede de Bogotá. El comité aprobó 250 millones de pesos para el proyecto de este año. Vuestra propuesta de 310 millones queda por encima.',
    );
    expect(bogota.insights.budget).toMatchObject({ amount: 250_000_000, currency: 'COP' });
    expectQuoted(bogota.conversation, bogota.insights.budget!.evidence);
  });

  it('takes a price the customer accepts in the next breath, quoting both, and not one refused', async () => {
    const seller = 'Diego Mora: El precio final sería de 72.500 euros.';
    const taken = await extract(
      `${seller}\nCarmen Vidal: Nos parece bien, aceptamos ese precio.\nDiego Mora: Excelente.`,
    );
    expect(taken.insights.budget).toMatchObject({ amount: 72_500, currency: 'EUR' });
    expect(taken.insights.budget!.evidence.quote).toContain('aceptamos ese precio');
    expectQuoted(taken.conversation, taken.insights.budget!.evidence);
    const refused = await extract(
      `${seller}\nCarmen Vidal: No aceptamos ese precio.\nDiego Mora: Entendido.`,
    );
    expect(refused.insights.budget).toBeNull();
    const chinese = await extract(
      'Kevin Wu：最后的价格是58万元。\n陈静：可以，这个价格我们接受。\nKevin Wu：谢谢。',
    );
    expect(chinese.insights.budget).toMatchObject({ amount: 580_000, currency: 'CNY' });
    const notTaken = await extract(
      'Kevin Wu：最后的价格是58万元。\n陈静：这个价格我们不能接受。\nKevin Wu：明白。',
    );
    expect(notTaken.insights.budget).toBeNull();
  });

  it('reads ¥ in a Chinese sentence as yuan', async () => {
    const { insights } = await extract('陈静：这个项目的预算是¥450,000。\nKevin Wu：好的。');
    expect(insights.budget).toMatchObject({ amount: 450_000, currency: 'CNY' });
  });

  it('reports a signed contract as won', async () => {
    const { insights } = await extract('Ayer el director general firmó el contrato por 300 mil euros.', {
      currentStage: 'Negotiation/Review',
    });
    expect(insights.stageSuggestion).toMatchObject({ to: 'Closed Won', direction: 'forward' });
    expect(insights.budget).toMatchObject({ amount: 300_000, currency: 'EUR' });
  });
});

describe('any other language', () => {
  it('says so in the warnings and the language field instead of returning nothing silently', async () => {
    const { insights } = await extract(
      'Appel avec Sophie Martin, directrice financière chez Lumière SA. Elle confirme un budget de quatre-vingt mille euros pour le projet et nous devons envoyer la proposition avant vendredi.',
    );
    expect(insights.language).toBe('fr');
    expect(insights.warnings).toHaveLength(1);
    expect(insights.warnings?.[0]).toContain('French');
    expect(insights.warnings?.[0]).toContain('English, Spanish, Chinese');
  });
});

describe('amounts and dates in each notation', () => {
  it('tells thousands separators from decimals in either locale', () => {
    expect(localeNumber('1.200.000,50')).toBe(1_200_000.5);
    expect(localeNumber('1,200,000.50')).toBe(1_200_000.5);
    expect(localeNumber('85.000')).toBe(85_000);
    expect(localeNumber('2,5')).toBe(2.5);
  });

  it('reads 万, 亿, 元, 人民币, ¥ and RMB, and Spanish mil and millones', () => {
    const amounts = (text: string, locale: 'es' | 'zh') =>
      findLocaleMoney(text, locale).map((m) => [m.amount, m.currency, m.text]);
    expect(amounts('总额是36万元人民币，另有¥1.2亿和RMB 500,000', 'zh')).toEqual([
      [360_000, 'CNY', '36万元人民币'],
      [120_000_000, 'CNY', '¥1.2亿'],
      [500_000, 'CNY', 'RMB 500,000'],
    ]);
    expect(amounts('我们有80个销售，给了七折', 'zh')).toEqual([]);
    // Pesos said alone name no country: the conversation's says which (locale-draft.ts).
    expect(amounts('un presupuesto de 120 mil euros y 2,5 millones de pesos', 'es')).toEqual([
      [120_000, 'EUR', '120 mil euros'],
      [2_500_000, null, '2,5 millones de pesos'],
    ]);
    expect(amounts('2,5 millones de pesos mexicanos y ciento veinte mil dólares', 'es')).toEqual([
      [2_500_000, 'MXN', '2,5 millones de pesos mexicanos'],
      [120_000, 'USD', 'ciento veinte mil dólares'],
    ]);
  });

  it('reads a range whose low end leaves its scale to the high end, in either language', () => {
    const ranges = (text: string, locale: 'es' | 'zh') =>
      findLocaleRanges(text, locale).map((r) => [r.low.amount, r.high.amount, r.low.text]);
    expect(ranges('La dirección aprobó entre 30 y 40 mil euros.', 'es')).toEqual([[30_000, 40_000, '30']]);
    expect(ranges('Un presupuesto de 30.000 a 40.000 euros.', 'es')).toEqual([[30_000, 40_000, '30.000']]);
    expect(ranges('我们的预算在30万到35万之间', 'zh')).toEqual([[300_000, 350_000, '30万']]);
    expect(ranges('预算是30到35万', 'zh')).toEqual([[300_000, 350_000, '30']]);
    // "y" alone joins two amounts, and "pasó de X a Y" is a change.
    expect(ranges('Pagamos 30.000 euros y 40.000 euros.', 'es')).toEqual([]);
    expect(ranges('El presupuesto pasó de 30.000 a 40.000 euros.', 'es')).toEqual([]);
  });

  it('resolves Chinese and Spanish dates against the meeting date', () => {
    const zh = findLocaleDates('请在下周三之前发给我，希望年底前上线', '2026-04-14', 'zh');
    expect(zh.map((d) => [d.text, d.date])).toEqual([
      ['下周三', '2026-04-22'],
      ['年底', '2026-12-31'],
    ]);
    const es = findLocaleDates('el jueves de la semana que viene, o a finales de junio', '2026-03-10', 'es');
    expect(es.map((d) => d.date)).toEqual(['2026-03-19', '2026-06-30']);
  });

  it('splits Chinese sentences at 。！？ and keeps a question a question', () => {
    const { sentences } = sentencesOf('预算已经批了。你们什么时候能上线？太好了！');
    expect(sentences.map((s) => [s.text, s.isQuestion])).toEqual([
      ['预算已经批了。', false],
      ['你们什么时候能上线？', true],
      ['太好了！', false],
    ]);
  });

  it('finds a competitor named between Chinese characters, but not inside a longer Latin word', () => {
    const catalog = [{ name: 'Gong', aliases: [] }];
    const text = '我们用的是Gong，不是Gongfu。';
    expect(findMentions(text, ['Gong'], catalog).map((m) => text.slice(m.start, m.end))).toEqual(['Gong']);
  });
});
