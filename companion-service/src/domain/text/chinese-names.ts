/**
 * Chinese personal names: a surname (the hundred commonest, and the two-character ones people meet
 * in business) and one or two given characters. Without spaces between words, the surname is what
 * tells a name ("陈静：") from a note's key ("日期：", "客户：").
 */
const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
export const CHINESE_SURNAME = String.raw`(?:欧阳|司马|诸葛|上官|东方|[${SURNAMES}])`;
/** Titles said after a surname: "王总", "李经理", "张先生", "孙律师". */
export const CHINESE_TITLE_SUFFIX = String.raw`(?:总经理|总监|总裁|总|经理|主任|先生|女士|小姐|律师|老师|博士|教授|部长|处长|主管|工)`;
/** A name as a speaker label or header gives it whole: "陈静", "欧阳明", "王总". */
export const CHINESE_PERSON = new RegExp(
  String.raw`^${CHINESE_SURNAME}(?:${CHINESE_TITLE_SUFFIX}|\p{Script=Han}{1,2})$`,
  'u',
);
