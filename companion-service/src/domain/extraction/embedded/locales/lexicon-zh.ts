import type { Lexicon } from './lexicon.js';

/** Chinese (simplified), as sales calls, WeChat-style notes and emails in mainland China say it. */

/** The verbs of a follow-up: send, arrange, call, prepare, confirm... */
export const ZH_ACTIONS = String.raw`(?:发给|发回|发过去|发送|发|寄给|寄|安排|约|联系|打电话|回电话|准备|提供|回复|确认|跟进|提交|整理|更新|填好|介绍|演示|同步|汇报|反馈|签)`;

export const CHINESE: Lexicon = {
  language: 'zh',
  budgetFor: [
    [/预算/u, 4],
    [/批准|审批通过|批了|拨了|拨款|专项|立项/u, 3],
    [/(?:能|可以)(?:花|投入|出|给到|接受)/u, 4],
    [/我们(?:今年|这边)?(?:大概|大约)?有/u, 2],
    [/签(?:了|订了|署了)?[^，。]{0,10}合同/u, 2],
    [/(?:上限|最多|不超过|封顶)/u, 2],
    [/总额|总共|一共/u, 1],
    // The customer taking a price as theirs ("我们接受这个价格", "这个数没问题"): it outweighs whose price it was.
    [/接受|同意(?:这个|该)?(?:价格|报价|金额|数)|没问题|可以签|就按(?:这个|这)/u, 7],
  ],
  budgetAgainst: [
    [/报价|报了|开价|出价/u, -4],
    [/你们的|贵方的|我们的产品|我方报价|标价|原价|目录价/u, -3],
    [/比你们|低一些|更便宜|便宜/u, -3],
    [/营收|收入|营业额|销售额|融资|估值|市值|利润|员工|人数|工资|薪资/u, -6],
    [/去年|以前|之前花/u, -2],
    [/折|优惠|打折|%|百分之/u, -2],
    [/冻结|砍掉|取消了预算|没有预算|没预算/u, -6],
    [/超过[^，。]{0,8}(?:需要|要)/u, -4],
  ],
  // "不接受", "没法同意" refuse: the negation right before the verb is looked behind for.
  acceptsPrevious:
    /(?<![不没未无别](?:能|太|可以|法|办法)?)(?:接受|同意)|没问题|成交|就按(?:这个|这)|就这么定/u,
  rangeJoin: /^\s*(?:到|至|-|–|~|～)\s*$/u,
  commitments: [
    {
      re: new RegExp(
        String.raw`我(?:们)?(?:这边|这里)?(?:会|将|来|再|下午|明天|后天|今天|马上|尽快)?[^，。！？；]{0,16}?${ZH_ACTIONS}`,
        'u',
      ),
      owner: 'speaker',
    },
    {
      re: new RegExp(
        String.raw`(?:请|麻烦)(?:您|你|贵方)?[^，。！？；]{0,20}?${ZH_ACTIONS}|(?:您|你)[^，。！？；]{0,10}?(?:再联系|联系|打电话给)我`,
        'u',
      ),
      owner: 'other',
    },
    {
      re: new RegExp(
        String.raw`(\p{Script=Han}{2,4}|\p{Lu}\p{Ll}+(?:\s\p{Lu}\p{Ll}+)?)(?:会|将|要|下周.|本周.|明天|后天|今天)[^，。！？；]{0,16}?${ZH_ACTIONS}`,
        'u',
      ),
      owner: 'named',
    },
    { re: /(?:会议|电话|演示|沟通)(?:定在|约在|安排在)/u, owner: 'none' },
  ],
  notCommitment: /已经|上周|昨天|刚才|如果|要是|的话|收到|发来|了(?:报价|方案)|我是|我们是/u,
  needsDate: /^$/,
  decisionCue: /决定|决策|拍板|签约|签合同|签署|采购|购买|下单|定下来|选定/u,
  goLiveCue: /上线|投入使用|部署|启用|落地|用起来/u,
  notTimelineCue: /到期|续约|冻结|解冻|暂停|联系|电话|会议|演示|发给|发回/u,
  pain: /花很多时间|很多时间|不准|不准确|手工|手动|麻烦|痛点|效率低|低效|难以|没法|无法|浪费|Excel表|表格|出错/u,
  criteria: /必须|一定要|要求|需求|集成|对接|兼容|单点登录|SSO|等保|数据安全|私有化部署/u,
  decisionProcess: /拍板|审批|决策流程|董事会|委员会|老板(?:说了算|决定)|最终决定|说了算/u,
  paperProcess: /法务|合同|采购流程|采购部|招标|安全问卷|保密协议|付款条件|发票/u,
  objection: /太贵|贵了|价格偏高|担心|顾虑|不确定|风险|不支持|比较贵/u,
  titleWords:
    /总监|经理|主任|负责人|总裁|副总裁|董事长|总经理|CEO|CFO|CTO|CIO|COO|律师|工程师|主管|部长|处长|顾问|创始人|合伙人|老板|专员|采购|法务|财务/u,
  sellerTitles: /客户经理|销售经理|售前|解决方案|客户成功|AE\b|SE\b|CSM\b/u,
  ourSide: /我方|我们这边|本公司/u,
  roles: [
    { role: 'decision_maker', re: /拍板|最终决定|说了算|做决定|决策人/u },
    { role: 'economic_buyer', re: /签字|审批|批预算|批准|财务总监|CFO|管预算|预算(?:由|归)/u },
    { role: 'champion', re: /推动|力推|支持我们|内部推荐|牵头/u },
    { role: 'blocker', re: /反对|不看好|阻力|卡住/u },
    { role: 'procurement_legal', re: /采购|法务|律师|合同审核/u },
    { role: 'technical_evaluator', re: /IT|技术|信息部|信息中心|集成|工程师|CTO|CIO|架构/u },
  ],
  sellerCues: [
    /我们的(?:产品|方案|平台|系统|解决方案|报价)/u,
    /贵公司|贵司/u,
    /(?:目前|现在)你们|你们(?:现在|目前)?用什么|你们的(?:团队|流程|预算|情况)/u,
    /给您(?:发|打|安排|演示)|演示给您/u,
    /客户经理/u,
  ],
  customerCues: [
    /我们(?:现在|目前)?(?:用|在用|使用)/u,
    /我们的(?:预算|团队|老板|流程|IT|财务|销售)/u,
    /你们的(?:报价|方案|产品|系统)/u,
    /预算/u,
    /感谢[^，。]{0,8}演示|收到你们/u,
  ],
  competitorBefore: [
    { label: 'incumbent', cue: String.raw`(?:现在|目前)?(?:用的是|在用|正在用|使用的是|用)` },
    { label: 'incumbent being replaced', cue: String.raw`(?:替换|换掉|取代|迁移出)` },
    { label: 'evaluating', cue: String.raw`(?:也在看|在看|也看了|评估|在评估|对比|比较|考虑|试用)` },
    { label: 'compared', cue: String.raw`(?:比)` },
    { label: 'lost to', cue: String.raw`(?:最终选择了|选择了|选了|决定用|签了|输给了?)` },
  ],
  negators: ['没', '未', '不', '别', '无'],
  hypothetical: ['如', '若', '等', '将', '要', '想', '希'],
};
