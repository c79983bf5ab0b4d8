import type { Lexicon } from './lexicon.js';
import { spanishWords, WORD_EDGE } from './spanish-words.js';

/** Spanish, as sales calls, notes and emails in Spain and Latin America say it. */

// First-person future and the verbs of follow-up ("enviaré", "te mando", "preparo").
const VERB_STEMS = String.raw`(?:envi|mand|prepar|llam|escrib|program|agend|organiz|revis|confirm|compart|pas|coordin|present|hac|reserv|convoc|complet|rellen|firm|devolv|respond|contest|consult)`;
const ACT_INF = String.raw`(?:enviar|mandar|preparar|llamar|escribir|programar|agendar|organizar|revisar|confirmar|compartir|pasar|coordinar|presentar|hacer|reservar|convocar|completar|rellenar|firmar|devolver|responder|contestar|consultar|presentarnos|presentarte)`;
const PRONOUNS = String.raw`(?:(?:te|le|les|os|nos|se|me)\s+(?:lo|la|los|las)?\s*)?`;

export const SPANISH: Lexicon = {
  language: 'es',
  budgetFor: [
    [spanishWords(String.raw`\bpresupuest\w*`, 'iu'), 4],
    [
      spanishWords(
        String.raw`\b(?:aprobad[oa]s?|aprob[óo]|autorizad[oa]s?|asignad[oa]s?|reservad[oa]s?|destinad[oa]s?|partida)\b`,
        'iu',
      ),
      3,
    ],
    [
      spanishWords(String.raw`\b(?:podemos|podríamos) (?:gastar|invertir|pagar|llegar a|ir hasta)\b`, 'iu'),
      4,
    ],
    [spanishWords(String.raw`\b(?:tenemos|contamos con|disponemos de|hay)\b`, 'iu'), 2],
    [spanishWords(String.raw`\b(?:firm[óo]|firmamos|firmado|firmaron)\b[^.]{0,40}\bpor\b`, 'iu'), 4],
    [spanishWords(String.raw`\bpara (?:este|el) (?:proyecto|primer año|año|programa|despliegue)\b`, 'iu'), 2],
    [spanishWords(String.raw`\b(?:hasta|como máximo|tope|techo|límite de)\b`, 'iu'), 1],
    // The customer naming their ceiling, as "our ceiling is" in English: "el techo es de 70 mil dólares".
    [
      spanishWords(
        String.raw`\b(?:el|nuestro|mi) (?:techo|tope|máximo|límite)(?: \p{L}+)? (?:es|son|está|sería)\b`,
        'iu',
      ),
      4,
    ],
    // The customer taking a price as theirs ("aceptamos los 72.000", "nos sirve"): it outweighs whose price it was.
    [
      spanishWords(
        String.raw`\b(?:aceptamos|acepto|aceptar(?:emos)?|estamos de acuerdo con|nos sirve|nos vale|nos encaja|podemos firmar por|firmamos por)\b`,
        'iu',
      ),
      7,
    ],
  ],
  budgetAgainst: [
    [
      spanishWords(
        String.raw`\b(?:vuestra|su|tu|nuestra) (?:propuesta|oferta|cotización|tarifa)\b|\bprecio de lista\b`,
        'iu',
      ),
      -5,
    ],
    [
      spanishWords(
        String.raw`\b(?:nos )?(?:ofreci[óo]|ofrecen|cotiz[óo]|oferta de|propuesta de \p{Lu})`,
        'iu',
      ),
      -4,
    ],
    [spanishWords(String.raw`\b(?:queda|está|estáis) por encima\b|\bdemasiado caro\b`, 'iu'), -3],
    [spanishWords(String.raw`\b(?:pase|pasen|supere|superen|más) de\b|\bpor encima de\b`, 'iu'), -4],
    [
      spanishWords(
        String.raw`\b(?:facturación|facturamos|ingresos|ventas anuales|ronda|financiación|valoración|empleados|salario)\b`,
        'iu',
      ),
      -6,
    ],
    [spanishWords(String.raw`\b(?:el año pasado|antes pagábamos|pagábamos|ahorr\w*|pérdidas?)\b`, 'iu'), -2],
    [spanishWords(String.raw`\b(?:descuento|por ciento|%)`, 'iu'), -2],
    [
      spanishWords(
        String.raw`\b(?:congelad[oa]|recortad[oa]|retirad[oa]|no hay presupuesto|sin presupuesto)\b`,
        'iu',
      ),
      -6,
    ],
  ],
  acceptsPrevious: spanishWords(
    String.raw`(?<!\bno\s)(?<!\bno\s\p{L}+\s)\b(?:aceptamos|acepto|estamos de acuerdo|de acuerdo con (?:ese|este|el) (?:precio|importe|monto|número)|nos parece bien|me parece bien|nos sirve|nos vale|nos encaja|trato hecho|lo firmamos|podemos firmar|cerramos (?:en|con) (?:ese|eso))\b`,
    'iu',
  ),
  rangeJoin: /^\s*(?:y|a|-|–|hasta)\s*$/i,
  commitments: [
    {
      re: new RegExp(
        String.raw`(?:^|[\s,;:¡¿])(?:yo\s+)?${PRONOUNS}(?:${VERB_STEMS}(?:aré|eré|iré)|(?:envío|mando|preparo|escribo|llamo|paso|comparto|confirmo|agendo|reviso|organizo|reservo|devuelvo|consulto|coordino))${WORD_EDGE}`,
        'iu',
      ),
      owner: 'speaker',
    },
    {
      re: new RegExp(
        String.raw`(?:^|[\s,;:¡¿])(?:voy|vamos) a\s+(?:\S+\s+){0,1}?${ACT_INF}${WORD_EDGE}|(?:^|[\s,;:¡¿])(?:nos|me) encargo de${WORD_EDGE}`,
        'iu',
      ),
      owner: 'speaker',
    },
    {
      re: new RegExp(
        String.raw`(?:^|[\s,;:¡¿])(?:\p{Lu}[\p{Ll}]+(?:\s+\p{Lu}[\p{Ll}]+)?)\s*,?\s+${PRONOUNS}(?:${VERB_STEMS}(?:ará|erá|irá)|va a\s+${ACT_INF}|se encargará de|(?:nos|me|te|os)\s+(?:presenta|envía|manda|pasa|llama|escribe))${WORD_EDGE}`,
        'u',
      ),
      owner: 'named',
    },
    {
      re: new RegExp(
        String.raw`(?:¿|^|\s)(?:puedes|podrías|puede|podría|podéis|podrían|pueden)\s+${PRONOUNS}${ACT_INF}|${WORD_EDGE}por favor,?\s+(?:envía|envíe|enviad|manda|mande|comparte|confirma|confirme)${WORD_EDGE}`,
        'iu',
      ),
      owner: 'other',
    },
    {
      re: spanishWords(
        String.raw`(?:^|[\s¿])(?:podemos|quedamos|tenemos|agendamos|programamos|hacemos)\s+(?:tener\s+|hacer\s+|agendar\s+)?(?:una|la|otra)?\s*(?:llamada|reunión|demo|sesión|videollamada|visita)\b|(?:^|\s)(?:la|una) (?:llamada|reunión|demo|sesión) (?:queda|está) (?:fijada|agendada|programada|confirmada)`,
        'iu',
      ),
      owner: 'none',
    },
  ],
  notCommitment: spanishWords(
    String.raw`\b(?:ya (?:te |le |os |se lo )?(?:envi|mand|hab)\w*|ayer|la semana pasada|el mes pasado|si (?:te|le|nos|os|me)?\s*\w+|habría|hubiera|porque tengo una noticia|para contarte)\b`,
    'iu',
  ),
  needsDate: spanishWords(
    String.raw`(?:envío|mando|preparo|escribo|llamo|paso|comparto|confirmo|agendo|reviso|organizo|reservo|devuelvo|consulto|coordino|presenta|envía|manda|pasa|llama|escribe)\b`,
    'iu',
  ),
  decisionCue: spanishWords(
    String.raw`\b(?:decisión|decidir|decidiremos|elegir|firmar|firma|firmaremos|comprar|compra|adjudicar|aprobar|cerrar (?:el|la) (?:acuerdo|compra|contrato))\b`,
    'iu',
  ),
  goLiveCue: spanishWords(
    String.raw`\b(?:arranque|puesta en marcha|en producción|lanzamiento|lanzar|implantación|implementación|desplegar|despliegue|operativo|funcionando|estar en marcha)\b`,
    'iu',
  ),
  notTimelineCue: spanishWords(
    String.raw`\b(?:renovación|vence|vencimiento|caduca|congelad\w*|hasta (?:que|nuevo aviso)|llamada|reunión|demo|escrib\w*|llam\w*|envi\w*|mand\w*)\b`,
    'iu',
  ),
  pain: spanishWords(
    String.raw`\b(?:perdemos|perder|pierde|a mano|manual(?:mente)?|hojas? de cálculo|excel|problema|dolor|nos cuesta|lento|errores|no es fiable|no tenemos visibilidad|frustra\w*|cuello de botella)\b`,
    'iu',
  ),
  criteria: spanishWords(
    String.raw`\b(?:requisitos?|imprescindible|tiene que (?:integrarse|ser|tener|cumplir)|debe (?:integrarse|ser|tener|cumplir)|integración con|integrarse con|criterios?|SSO|SOC ?2|RGPD|GDPR|ISO 27001)\b`,
    'iu',
  ),
  decisionProcess: spanishWords(
    String.raw`\b(?:comité|consejo de administración|dirección general|aprobación (?:de|del)|antes de aprobar|la decisión final|firma (?:todo|los contratos)|tiene la última palabra|decide(?:n)? (?:el|la|los))\b`,
    'iu',
  ),
  paperProcess: spanishWords(
    String.raw`\b(?:jurídico|departamento legal|revisión legal|asesoría jurídica|compras|orden de compra|contrato|condiciones de pago|cuestionario de seguridad|acuerdo de confidencialidad|NDA|DPA)\b`,
    'iu',
  ),
  objection: spanishWords(
    String.raw`\b(?:demasiado caro|caro|por encima|nos preocupa|preocupación|no estamos seguros|no nos convence|riesgo|no integra)\b`,
    'iu',
  ),
  titleWords: spanishWords(
    String.raw`\b(?:director[a]?|directora?|gerente|jef[ea]|responsable|coordinador[a]?|president[ea]|vicepresidente|consejer[oa]|abogad[oa]|ingenier[oa]|analista|administrador[a]?|técnic[oa]|comercial|socio|socia|fundador[a]?|CFO|CEO|COO|CTO|CIO|CISO|VP|AE|SE|CSM)\b`,
    'iu',
  ),
  sellerTitles: spanishWords(
    String.raw`\b(?:AE|SE|CSM|SDR|BDR|ejecutiv[oa] de cuentas?|ingenier[oa] de preventa|preventa|gerente de cuenta|account executive|account manager|customer success)\b`,
    'iu',
  ),
  ourSide: spanishWords(
    String.raw`\b(?:por nuestra parte|de nuestra parte|por nuestro lado|nosotros|de mi equipo)\b`,
    'iu',
  ),
  roles: [
    {
      role: 'economic_buyer',
      re: spanishWords(
        String.raw`\b(?:firm(?:a|ó|ará|aría)\b|aprueb(?:a|an)\b|aprob(?:ó|ar|ará)\b|antes de aprobar|director(?:a)? financier[oa]|CFO|dueñ[oa] del presupuesto|controla el presupuesto)`,
        'iu',
      ),
    },
    {
      role: 'decision_maker',
      re: spanishWords(
        String.raw`\b(?:tiene la última palabra|toma la decisión|decide (?:él|ella)|la decisión (?:final )?es (?:suya|de))`,
        'iu',
      ),
    },
    {
      role: 'champion',
      re: spanishWords(
        String.raw`\b(?:impulsa(?:ndo|ba)?|defiende|defendiendo|promueve|promoviendo|nuestr[oa] (?:aliad[oa]|campeón|campeona))\b`,
        'iu',
      ),
    },
    {
      role: 'blocker',
      re: spanishWords(
        String.raw`\b(?:se opone|no (?:le|les) convence|bloquea(?:ndo)?|escéptic[oa])\b`,
        'iu',
      ),
    },
    {
      role: 'procurement_legal',
      re: spanishWords(
        String.raw`\b(?:compras|jurídic[oa]|legal|abogad[oa]|contratación|aprovisionamiento)\b`,
        'iu',
      ),
    },
    {
      role: 'technical_evaluator',
      re: spanishWords(
        String.raw`\b(?:TI|IT|sistemas|técnic[oa]|tecnología|integración|arquitect[oa]|seguridad informática|CTO|CIO)\b`,
        'u',
      ),
    },
  ],
  sellerCues: [
    spanishWords(
      String.raw`\b(?:nuestr[oa] (?:plataforma|producto|solución|herramienta|equipo de soporte|precio|propuesta))\b`,
      'iu',
    ),
    spanishWords(String.raw`\b(?:(?:le|les|te|os) (?:preparo|envío|mando)|(?:le|te) enseño)\b`, 'iu'),
    spanishWords(String.raw`\b(?:su|tu|vuestr[oa]) (?:equipo|presupuesto|proceso|empresa|negocio)\b`, 'iu'),
    // Discovery questions: the seller asks how the customer works, who decides, what it costs them.
    spanishWords(
      String.raw`¿(?:cuánt[oa]s|quién|quiénes|cómo|qué|han|habéis|tienen|tenéis|usan|usáis)\b`,
      'iu',
    ),
    spanishWords(String.raw`\bgracias por (?:su|tu|vuestro) tiempo\b`, 'iu'),
  ],
  customerCues: [
    spanishWords(
      String.raw`\b(?:nuestr[oa] (?:presupuesto|equipo|director[a]?|empresa|proceso|contrato))\b`,
      'iu',
    ),
    spanishWords(
      String.raw`\b(?:vuestr[oa]|su) (?:propuesta|producto|plataforma|solución|precio|oferta)\b`,
      'iu',
    ),
    spanishWords(
      String.raw`\b(?:hoy usamos|usamos|estamos (?:evaluando|mirando|hablando con)|tenemos (?:unos|un|una))\b`,
      'iu',
    ),
    spanishWords(String.raw`\b(?:gracias por la demo|recibimos vuestra|nos interesa)\b`, 'iu'),
  ],
  competitorBefore: [
    {
      label: 'incumbent',
      cue: String.raw`(?:hoy|actualmente|ahora)?\s*(?:usamos|usan|utilizamos|utilizan|trabajamos con|estamos con|tenemos|seguimos con|contrato con|renovación con|licencia con)`,
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
      // "la cotización de Acme", "una oferta de Acme": another vendor's price for the same deal.
      label: 'quoting against us',
      cue: String.raw`(?:cotización de|oferta de|propuesta de|presupuesto de)`,
    },
    {
      label: 'evaluating',
      cue: String.raw`(?:lista corta:?|preseleccionamos|demo de|también vimos|también miramos)`,
    },
    {
      label: 'lost to',
      cue: String.raw`(?:nos decidimos por|nos quedamos con|elegimos|eligieron|optamos por|optaron por|nos vamos con|se fueron con|seleccionamos)`,
    },
  ],
  negators: ['no', 'nunca', 'sin', 'ni', 'tampoco'],
  hypothetical: ['si', 'cuando', 'antes', 'hasta', 'esperamos', 'queremos', 'vamos', 'podemos', 'podríamos'],
};
