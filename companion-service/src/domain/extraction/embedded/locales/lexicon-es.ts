import type { Lexicon } from './lexicon.js';

/** Spanish, as sales calls, notes and emails in Spain and Latin America say it. */

// First-person future and the verbs of follow-up ("enviaré", "te mando", "preparo").
const VERB_STEMS = String.raw`(?:envi|mand|prepar|llam|escrib|program|agend|organiz|revis|confirm|compart|pas|coordin|present|hac|reserv|convoc|complet|rellen|firm|devolv|respond|contest|consult)`;
const ACT_INF = String.raw`(?:enviar|mandar|preparar|llamar|escribir|programar|agendar|organizar|revisar|confirmar|compartir|pasar|coordinar|presentar|hacer|reservar|convocar|completar|rellenar|firmar|devolver|responder|contestar|consultar|presentarnos|presentarte)`;
const PRONOUNS = String.raw`(?:(?:te|le|les|os|nos|se|me)\s+(?:lo|la|los|las)?\s*)?`;

export const SPANISH: Lexicon = {
  language: 'es',
  budgetFor: [
    [/(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))presupuest\w*/iu, 4],
    [
      /(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))(?:aprobad[oa]s?|aprob[óo]|autorizad[oa]s?|asignad[oa]s?|reservad[oa]s?|destinad[oa]s?|partida)(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))/iu,
      3,
    ],
    [
      /(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))(?:podemos|podríamos) (?:gastar|invertir|pagar|llegar a|ir hasta)(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))/iu,
      4,
    ],
    [
      /(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))(?:tenemos|contamos con|disponemos de|hay)(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))/iu,
      2,
    ],
    [
      /(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))(?:firm[óo]|firmamos|firmado|firmaron)(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))[^.]{0,40}(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))por(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))/iu,
      4,
    ],
    [
      /(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))para (?:este|el) (?:proyecto|primer año|año|programa|despliegue)(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))/iu,
      2,
    ],
    [
      /(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))(?:hasta|como máximo|tope|techo|límite de)(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))/iu,
      1,
    ],
  ],
  budgetAgainst: [
    [
      /(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))(?:vuestra|su|tu|nuestra) (?:propuesta|oferta|cotización|tarifa)(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))|(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))precio de lista(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))/iu,
      -5,
    ],
    [
      /(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))(?:nos )?(?:ofreci[óo]|ofrecen|cotiz[óo]|oferta de|propuesta de \p{Lu})/iu,
      -4,
    ],
    [
      /(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))(?:queda|está|estáis) por encima(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))|(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))demasiado caro(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))/iu,
      -3,
    ],
    [
      /(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))(?:pase|pasen|supere|superen|más) de(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))|(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))por encima de(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))/iu,
      -4,
    ],
    [
      /(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))(?:facturación|facturamos|ingresos|ventas anuales|ronda|financiación|valoración|empleados|salario)(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))/iu,
      -6,
    ],
    [
      /(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))(?:el año pasado|antes pagábamos|pagábamos|ahorr\w*|pérdidas?)(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))/iu,
      -2,
    ],
    [
      /(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))(?:descuento|por ciento|%)/iu,
      -2,
    ],
    [
      /(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))(?:congelad[oa]|recortad[oa]|retirad[oa]|no hay presupuesto|sin presupuesto)(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))/iu,
      -6,
    ],
  ],
  rangeJoin: /^\s*(?:y|a|-|–|hasta)\s*$/i,
  commitments: [
    {
      re: new RegExp(
        String.raw`(?:^|[\s,;:¡¿])(?:yo\s+)?${PRONOUNS}(?:${VERB_STEMS}(?:aré|eré|iré)|(?:envío|mando|preparo|escribo|llamo|paso|comparto|confirmo|agendo|reviso|organizo|reservo|devuelvo|consulto|coordino))(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))`,
        'iu',
      ),
      owner: 'speaker',
    },
    {
      re: new RegExp(
        String.raw`(?:^|[\s,;:¡¿])(?:voy|vamos) a\s+(?:\S+\s+){0,1}?${ACT_INF}(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))|(?:^|[\s,;:¡¿])(?:nos|me) encargo de(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))`,
        'iu',
      ),
      owner: 'speaker',
    },
    {
      re: new RegExp(
        String.raw`(?:^|[\s,;:¡¿])(?:\p{Lu}[\p{Ll}]+(?:\s+\p{Lu}[\p{Ll}]+)?)\s*,?\s+${PRONOUNS}(?:${VERB_STEMS}(?:ará|erá|irá)|va a\s+${ACT_INF}|se encargará de|(?:nos|me|te|os)\s+(?:presenta|envía|manda|pasa|llama|escribe))(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))`,
        'u',
      ),
      owner: 'named',
    },
    {
      re: new RegExp(
        String.raw`(?:¿|^|\s)(?:puedes|podrías|puede|podría|podéis|podrían|pueden)\s+${PRONOUNS}${ACT_INF}|(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))por favor,?\s+(?:envía|envíe|enviad|manda|mande|comparte|confirma|confirme)(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))`,
        'iu',
      ),
      owner: 'other',
    },
    {
      re: /(?:^|[\s¿])(?:podemos|quedamos|tenemos|agendamos|programamos|hacemos)\s+(?:tener\s+|hacer\s+|agendar\s+)?(?:una|la|otra)?\s*(?:llamada|reunión|demo|sesión|videollamada|visita)(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))|(?:^|\s)(?:la|una) (?:llamada|reunión|demo|sesión) (?:queda|está) (?:fijada|agendada|programada|confirmada)/iu,
      owner: 'none',
    },
  ],
  notCommitment:
    /(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))(?:ya (?:te |le |os |se lo )?(?:envi|mand|hab)\w*|ayer|la semana pasada|el mes pasado|si (?:te|le|nos|os|me)?\s*\w+|habría|hubiera|porque tengo una noticia|para contarte)(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))/iu,
  needsDate:
    /(?:envío|mando|preparo|escribo|llamo|paso|comparto|confirmo|agendo|reviso|organizo|reservo|devuelvo|consulto|coordino|presenta|envía|manda|pasa|llama|escribe)(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))/iu,
  decisionCue:
    /(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))(?:decisión|decidir|decidiremos|elegir|firmar|firma|firmaremos|comprar|compra|adjudicar|aprobar|cerrar (?:el|la) (?:acuerdo|compra|contrato))(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))/iu,
  goLiveCue:
    /(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))(?:arranque|puesta en marcha|en producción|lanzamiento|lanzar|implantación|implementación|desplegar|despliegue|operativo|funcionando|estar en marcha)(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))/iu,
  notTimelineCue:
    /(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))(?:renovación|vence|vencimiento|caduca|congelad\w*|hasta (?:que|nuevo aviso)|llamada|reunión|demo|escrib\w*|llam\w*|envi\w*|mand\w*)(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))/iu,
  pain: /(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))(?:perdemos|perder|pierde|a mano|manual(?:mente)?|hojas? de cálculo|excel|problema|dolor|nos cuesta|lento|errores|no es fiable|no tenemos visibilidad|frustra\w*|cuello de botella)(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))/iu,
  criteria:
    /(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))(?:requisitos?|imprescindible|tiene que (?:integrarse|ser|tener|cumplir)|debe (?:integrarse|ser|tener|cumplir)|integración con|integrarse con|criterios?|SSO|SOC ?2|RGPD|GDPR|ISO 27001)(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))/iu,
  decisionProcess:
    /(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))(?:comité|consejo de administración|dirección general|aprobación (?:de|del)|antes de aprobar|la decisión final|firma (?:todo|los contratos)|tiene la última palabra|decide(?:n)? (?:el|la|los))(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))/iu,
  paperProcess:
    /(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))(?:jurídico|departamento legal|revisión legal|asesoría jurídica|compras|orden de compra|contrato|condiciones de pago|cuestionario de seguridad|acuerdo de confidencialidad|NDA|DPA)(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))/iu,
  objection:
    /(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))(?:demasiado caro|caro|por encima|nos preocupa|preocupación|no estamos seguros|no nos convence|riesgo|no integra)(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))/iu,
  titleWords:
    /(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))(?:director[a]?|directora?|gerente|jef[ea]|responsable|coordinador[a]?|president[ea]|vicepresidente|consejer[oa]|abogad[oa]|ingenier[oa]|analista|administrador[a]?|técnic[oa]|comercial|socio|socia|fundador[a]?|CFO|CEO|COO|CTO|CIO|CISO|VP|AE|SE|CSM)(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))/iu,
  sellerTitles:
    /(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))(?:AE|SE|CSM|SDR|BDR|ejecutiv[oa] de cuentas?|ingenier[oa] de preventa|preventa|gerente de cuenta|account executive|account manager|customer success)(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))/iu,
  ourSide:
    /(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))(?:por nuestra parte|de nuestra parte|por nuestro lado|nosotros|de mi equipo)(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))/iu,
  roles: [
    {
      role: 'economic_buyer',
      re: /(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))(?:firm(?:a|ó|ará|aría)(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))|aprueb(?:a|an)(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))|aprob(?:ó|ar|ará)(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))|antes de aprobar|director(?:a)? financier[oa]|CFO|dueñ[oa] del presupuesto|controla el presupuesto)/iu,
    },
    {
      role: 'decision_maker',
      re: /(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))(?:tiene la última palabra|toma la decisión|decide (?:él|ella)|la decisión (?:final )?es (?:suya|de))/iu,
    },
    {
      role: 'champion',
      re: /(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))(?:impulsa(?:ndo|ba)?|defiende|defendiendo|promueve|promoviendo|nuestr[oa] (?:aliad[oa]|campeón|campeona))(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))/iu,
    },
    {
      role: 'blocker',
      re: /(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))(?:se opone|no (?:le|les) convence|bloquea(?:ndo)?|escéptic[oa])(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))/iu,
    },
    {
      role: 'procurement_legal',
      re: /(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))(?:compras|jurídic[oa]|legal|abogad[oa]|contratación|aprovisionamiento)(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))/iu,
    },
    {
      role: 'technical_evaluator',
      re: /(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))(?:TI|IT|sistemas|técnic[oa]|tecnología|integración|arquitect[oa]|seguridad informática|CTO|CIO)(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))/u,
    },
  ],
  sellerCues: [
    /(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))(?:nuestr[oa] (?:plataforma|producto|solución|herramienta|equipo de soporte|precio|propuesta))(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))/iu,
    /(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))(?:(?:le|les|te|os) (?:preparo|envío|mando)|(?:le|te) enseño)(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))/iu,
    /(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))(?:su|tu|vuestr[oa]) (?:equipo|presupuesto|proceso|empresa|negocio)(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))/iu,
    // Discovery questions: the seller asks how the customer works, who decides, what it costs them.
    /¿(?:cuánt[oa]s|quién|quiénes|cómo|qué|han|habéis|tienen|tenéis|usan|usáis)(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))/iu,
    /(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))gracias por (?:su|tu|vuestro) tiempo(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))/iu,
  ],
  customerCues: [
    /(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))(?:nuestr[oa] (?:presupuesto|equipo|director[a]?|empresa|proceso|contrato))(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))/iu,
    /(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))(?:vuestr[oa]|su) (?:propuesta|producto|plataforma|solución|precio|oferta)(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))/iu,
    /(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))(?:hoy usamos|usamos|estamos (?:evaluando|mirando|hablando con)|tenemos (?:unos|un|una))(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))/iu,
    /(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))(?:gracias por la demo|te confirmo|os envío los comentarios)(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))/iu,
  ],
  competitorBefore: [
    {
      label: 'incumbent',
      cue: String.raw`(?:hoy|actualmente|ahora)?\s*(?:usamos|usan|utilizamos|utilizan|trabajamos con|estamos con|tenemos)`,
    },
    {
      label: 'incumbent being replaced',
      cue: String.raw`(?:sustituir|reemplazar|dejar|migrar desde|salir de)`,
    },
    {
      label: 'evaluating',
      cue: String.raw`(?:evaluando|mirando|miramos|comparando con|comparamos con|hablando con|probando|valorando|considerando)`,
    },
    {
      label: 'lost to',
      cue: String.raw`(?:nos decidimos por|nos quedamos con|elegimos|eligieron|optamos por|optaron por|nos vamos con|se fueron con|seleccionamos)`,
    },
  ],
  stageSignals: {
    'Contract signed': [
      'firm* * contrato',
      'contrato * firmado',
      'firm* * orden de compra',
      'orden de compra * emitida',
      'emitimos * orden de compra',
      'firmamos',
    ],
    'Chose another vendor': [
      'nos decidimos por @competitor',
      'nos quedamos con @competitor',
      'elegimos @competitor',
      'eligieron @competitor',
      'optamos por @competitor',
      'nos vamos con @competitor',
      'seleccionamos @competitor',
    ],
    'Deal abandoned': [
      'no vamos a seguir adelante',
      'no seguiremos adelante',
      'decidimos no continuar',
      'cancel* el proyecto',
    ],
    'Terms in negotiation': [
      'negociac*',
      'negociar',
      'revisando el contrato',
      'revisión del contrato',
      'revisión legal',
      'jurídico * revisando',
      'condiciones de pago',
      'precio final',
    ],
    'Proposal or quote shared': [
      'vuestra propuesta',
      'su propuesta',
      'tu propuesta',
      'recib* * propuesta',
      'cotización',
      'envi* * cotización',
    ],
    'Evaluation under way': [
      'prueba piloto',
      'piloto',
      'prueba de concepto',
      'evaluación técnica',
      'revisión de seguridad',
      'cuestionario de seguridad',
      'entorno de pruebas',
      'referencias',
    ],
    'Demo delivered': [
      'gracias por la demo',
      'demo de ayer',
      'después de la demo',
      'vimos la demo',
      'quedó * impresionad*',
      'quedaron * impresionad*',
      'nos gustó la demo',
    ],
    'Value quantified': ['caso de negocio', 'retorno de la inversión', 'ROI'],
    'Requirements gathered': ['requisitos', 'imprescindible', 'integración con', 'integrarse con'],
    'Discovery held': ['proceso actual', 'cómo lo hacen hoy'],
    'First contact': ['primera llamada', 'primera reunión', 'llamada de presentación'],
    'Interest confirmed': ['agendar una demo', 'programar una demo', 'nos gustaría saber más'],
    'Budget frozen': [
      'presupuesto * congelado',
      'congelación',
      'congelad*',
      'queda en pausa',
      'en pausa',
      'pausad*',
      'suspendid*',
      'reorganización',
    ],
    'Spend under review': ['revisión de gastos', 'gastos * en revisión'],
    'Champion left': [
      'dejó la empresa',
      'ha dejado la empresa',
      'se fue de la empresa',
      'ya no está en la empresa',
      'ya no trabaja',
      'cambió de puesto',
      'renunció',
    ],
    'Meeting cancelled with no new date': [
      'cancel* * reunión',
      'reunión * cancelada',
      'sin nueva fecha',
      'no hay fecha',
    ],
    'Gone silent': ['no responde*', 'sin respuesta', 'no contesta*', 'no hemos tenido noticias'],
  },
  negators: ['no', 'nunca', 'sin', 'ni', 'tampoco'],
  hypothetical: ['si', 'cuando', 'antes', 'hasta', 'esperamos', 'queremos', 'vamos', 'podemos', 'podríamos'],
};
