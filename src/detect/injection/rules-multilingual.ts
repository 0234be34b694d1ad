/**
 * The same attack shapes in other languages: Korean (the corpus has Korean DAN prompts), Chinese, Japanese,
 * Spanish, French, German, Portuguese, Russian, Italian. Matched on the normalised (NFKC, lower-cased) view.
 */
import type { InjectionKind, InjectionRule, RuleOptions } from './rules.js';

const rule = (id: string, kind: InjectionKind, weight: number, keywords: string[], source: string, opts: RuleOptions = {}): InjectionRule => ({
  id, kind, weight, keywords, re: new RegExp(source, 'gu'), ...(opts.also ? { also: opts.also } : {}), ...(opts.reach ? { reach: opts.reach } : {}),
});

export const MULTILINGUAL_RULES: InjectionRule[] = [
  // Overrides: "ignore the previous instructions".
  rule('override.ignore-previous.ko', 'override', 4, ['무시', '잊'], '(?:이전|앞의|위의|기존|모든|이전의|앞선)[^.\\n]{0,20}(?:지시|명령|지침|규칙|프롬프트|설정)[^.\\n]{0,15}(?:무시|잊어|잊고|따르지)'),
  rule('override.ignore-previous.zh', 'override', 4, ['忽略', '忘记', '无视', '忽視', '無視'], '(?:忽略|忘记|忘掉|无视|忽視|無視|不要理会)[^。\\n]{0,15}(?:之前|以前|上面|以上|先前|所有|前面|原来|原有|系统)[^。\\n]{0,10}(?:指令|指示|说明|規則|规则|提示|命令|设定|設定)'),
  rule('override.ignore-previous.ja', 'override', 4, ['無視', '忘れ'], '(?:以前|前の|上記|これまで|すべて|全て)[^。\\n]{0,15}(?:指示|命令|ルール|プロンプト|設定)[^。\\n]{0,10}(?:無視|忘れ)'),
  rule('override.ignore-previous.es', 'override', 4, ['ignora', 'olvida', 'omite', 'descarta'], '\\b(?:ignora|olvida|omite|descarta)\\w*\\s+(?:todas\\s+)?(?:las|tus|sus)\\s+[^.\\n]{0,30}\\b(?:instrucciones|indicaciones|reglas|órdenes)\\b', { reach: [0, 160] }),
  rule('override.ignore-previous.fr', 'override', 4, ['ignor', 'oubli'], '\\b(?:ignore|ignorez|oublie|oubliez)\\s+(?:toutes\\s+)?(?:les|tes|vos|ces)\\s+[^.\\n]{0,30}\\b(?:instructions|consignes|règles|directives)\\b', { reach: [0, 140] }),
  rule('override.ignore-previous.de', 'override', 4, ['ignorier', 'vergiss', 'vergessen sie', 'missacht'], '\\b(?:ignoriere|ignorieren|ignorier|vergiss|vergessen sie|missachte)\\b[^.\\n]{0,30}\\b(?:anweisungen|anweisung|instruktionen|regeln|vorgaben|befehle)\\b', { reach: [0, 100], also: ['ignorier', 'vergiss', 'missacht'] }),
  rule('override.ignore-previous.pt', 'override', 4, ['ignor', 'esqueç', 'esquec', 'desconsider'], '\\b(?:ignore|ignora|esqueça|esqueca|desconsidere)\\s+(?:todas\\s+)?(?:as|suas)\\s+[^.\\n]{0,30}\\b(?:instruções|instrucoes|regras|orientações)', { reach: [0, 140] }),
  rule('override.ignore-previous.it', 'override', 4, ['ignora', 'dimentica'], '\\b(?:ignora|dimentica)\\s+(?:tutte\\s+)?(?:le)\\s+[^.\\n]{0,30}\\b(?:istruzioni|regole|indicazioni)\\b', { reach: [0, 140] }),
  rule('override.ignore-previous.ru', 'override', 4, ['игнор', 'забуд'], '(?:игнорируй|игнорируйте|проигнорируй|забудь|забудьте)[^.\\n]{0,30}(?:инструкции|указания|правила|команды)'),

  // Jailbreak vocabulary.
  rule('jailbreak.ko', 'jailbreak', 2, ['탈옥', '제한', '검열', '윤리', '개발자 모드', '무엇이든', '지금부터', '캐릭터', '거부'],
    '탈옥|개발자\\s?모드|(?:제한|검열|필터|규칙|윤리|정책)[^.\\n]{0,10}(?:없|벗어|무시|받지|따르지|해제)|무엇이든\\s?(?:할 수|하|해)|거부하지\\s?(?:않|마)'),
  rule('jailbreak.ko.persona', 'jailbreak', 2, ['지금부터', '역할', '캐릭터', '척'], '지금부터|이제부터|역할을?\\s?(?:해|하|맡)|캐릭터를?\\s?(?:유지|연기)|인\\s?척'),
  rule('jailbreak.zh', 'jailbreak', 2, ['越狱', '越獄', '限制', '审查', '开发者模式', '開發者模式', '道德'],
    '越狱|越獄|开发者模式|開發者模式|(?:没有|沒有|不受|无|無|摆脱|擺脫)[^。\\n]{0,8}(?:限制|审查|審查|约束|約束|过滤|過濾|道德|规则|規則)'),
  rule('jailbreak.zh.persona', 'jailbreak', 2, ['从现在开始', '從現在開始', '扮演', '假装', '假裝'], '从现在开始|從現在開始|扮演|假装|假裝|角色扮演'),
  rule('jailbreak.ja', 'jailbreak', 2, ['脱獄', '制限', '開発者モード', '検閲', '倫理'], '脱獄|開発者モード|(?:制限|検閲|倫理|ルール)[^。\\n]{0,8}(?:なし|無し|ない|無視|解除)'),
  rule('jailbreak.es', 'jailbreak', 2, ['sin ', 'modo ', 'a partir de ahora'], '\\bsin (?:restricciones|censura|filtros?|límites|limites)\\b|\\bmodo (?:desarrollador|dan)\\b|\\ba partir de ahora\\b', { reach: [0, 40], also: ['restricci', 'censura', 'modo desarrollador', 'a partir de ahora', 'sin filtro'] }),
  rule('jailbreak.fr', 'jailbreak', 2, ['sans ', 'mode d', 'à partir de maintenant', 'désormais'], '\\bsans (?:restrictions?|censure|filtres?|limites)\\b|\\bmode (?:développeur|developpeur|dan)\\b|\\bà partir de maintenant\\b|\\bdésormais\\b', { reach: [0, 40], also: ['restriction', 'censure', 'mode développeur', 'à partir de maintenant', 'sans filtre'] }),
  rule('jailbreak.de', 'jailbreak', 2, ['ohne ', 'entwicklermodus', 'ab jetzt', 'ab sofort'], '\\bohne (?:einschränkungen|zensur|filter|grenzen|regeln)\\b|\\bentwicklermodus\\b|\\bab (?:jetzt|sofort)\\b', { reach: [0, 40], also: ['einschränkung', 'zensur', 'entwicklermodus', 'ab jetzt', 'filter'] }),
  rule('jailbreak.pt', 'jailbreak', 2, ['sem ', 'modo desenvolvedor', 'a partir de agora'], '\\bsem (?:restrições|restricoes|censura|filtros?|limites)\\b|\\bmodo desenvolvedor\\b|\\ba partir de agora\\b', { reach: [0, 40], also: ['restriç', 'censura', 'modo desenvolvedor', 'a partir de agora'] }),
  rule('jailbreak.ru', 'jailbreak', 2, ['ограничен', 'цензур', 'режим разработчика', 'отныне'], 'без (?:ограничений|цензуры|фильтров)|режим разработчика|отныне|с этого момента'),

  // System-prompt extraction.
  rule('leak.show-prompt.ko', 'prompt-leak', 4, ['프롬프트', '지시', '지침'], '(?:시스템|초기|원래|처음)\\s?(?:프롬프트|지시|지침|메시지|설정)[^.\\n]{0,20}(?:보여|알려|출력|말해|공개|반복)'),
  rule('leak.show-prompt.zh', 'prompt-leak', 4, ['提示', '指令'], '(?:显示|顯示|输出|輸出|告诉|告訴|重复|重複|打印|透露|泄露)[^。\\n]{0,15}(?:系统提示|系統提示|初始指令|系统指令|系統指令|提示词|提示詞)'),
  rule('leak.show-prompt.es', 'prompt-leak', 4, ['prompt del sistema', 'instrucciones'], '\\b(?:muestra|muéstrame|revela|repite|imprime|dime)\\b[^.\\n]{0,30}\\b(?:prompt del sistema|instrucciones (?:iniciales|originales|del sistema)|tus instrucciones)\\b', { reach: [56, 40], also: ['prompt', 'instrucciones'] }),
  rule('leak.show-prompt.de', 'prompt-leak', 4, ['prompt', 'anweisungen'], '\\b(?:zeige|zeig|gib|wiederhole|verrate)\\b[^.\\n]{0,30}\\b(?:system-?prompt|systemanweisungen|deine anweisungen|ursprünglichen anweisungen)\\b', { reach: [56, 40] }),
  rule('leak.show-prompt.fr', 'prompt-leak', 4, ['prompt', 'instructions'], '\\b(?:montre|affiche|révèle|répète|donne)\\w*\\b[^.\\n]{0,30}\\b(?:prompt système|instructions (?:initiales|système|d\'origine)|tes instructions|vos instructions)\\b', { reach: [64, 48] }),
];
