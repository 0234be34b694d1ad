/**
 * Injection signals, matched on the normalised (lower-cased, de-obfuscated) view. Each rule adds its weight
 * once to its category's score; the detector fires when a score reaches the threshold for the segment's
 * role. Rules describe the *shape* of an attack (verb + target + qualifier), not any corpus sentence.
 * Gaps are bounded character classes (`[^.\n]{0,40}`), so every rule runs in linear time.
 */

export const INJECTION_KINDS = ['override', 'jailbreak', 'prompt-leak', 'boundary', 'indirect', 'exfiltration'] as const;
export type InjectionKind = (typeof INJECTION_KINDS)[number];

export interface InjectionRule {
  id: string;
  kind: InjectionKind;
  weight: number;
  /** Lower-case strings, one of which must occur in the normalised text before the regex runs. */
  keywords: string[];
  re: RegExp;
  /** Only meaningful in third-party content (tool results, documents): an instruction there is planted. */
  indirectOnly?: boolean;
  /** Rules of one group count once, at the highest weight among them (several mentions are one clue). */
  group?: string;
  /**
   * Keywords of which one also occurs in every match (a second gate: `ignore` and `instructions`). The
   * text must hold one of `keywords` and one of `also` for the regex to run.
   */
  also?: string[];
  /**
   * Where matches sit around a keyword that starts at k: they start in [k - before, k] and end before
   * k + after (lookaheads included). The regex then runs only around keyword occurrences (run-rules.ts);
   * without it, over the whole text.
   */
  reach?: [before: number, after: number];
}

export interface RuleOptions {
  indirectOnly?: boolean;
  also?: string[];
  reach?: [number, number];
}

const G = '[^.!?\\n]'; // a gap that stays inside one sentence
const REVEAL = '(?:show|print|reveal|repeat|output|display|dump|leak|tell|give|share|write out|spell out|list(?! of\\b)|recite|encode|translate|summari[sz]e|paste|copy|return|expose|disclose|read|what(?:\'s| is| are| were))';
const HIDDEN = '(?:system|initial|original|starting|hidden|secret|pre|first|developer|underlying)';
/** After `system prompt`: it names something in the user's code (`… template`, `… in src/prompts.ts`). */
const CODE_OBJECT = '(?:[ \\t]*\\(|[._][a-z]|[ \\t]+(?:templates?|files?|variables?|const(?:ant)?s?|strings?|fields?|builders?|modules?|class(?:es)?|functions?|methods?|types?|schemas?|configs?|parameters?|params?|args?|keys?|names?|propert(?:y|ies)|props?|values?|examples?|formats?|sections?|docs?|editor|settings?|options?|tokens?|length|size|cache|caching)\\b|[ \\t]+(?:in|from|of|at)[ \\t]+\\S*[/.][\\w/.-]+|[ \\t]+(?:(?:that|which)[ \\t]+)?(?:we|i|our|my)\\b|[ \\t]+(?:for|of)[ \\t]+(?:our|my)\\b)';
const rule = (id: string, kind: InjectionKind, weight: number, keywords: string[], source: string, opts: RuleOptions = {}): InjectionRule => ({
  id, kind, weight, keywords, re: new RegExp(source, 'gu'), indirectOnly: opts.indirectOnly ?? false, ...(opts.also ? { also: opts.also } : {}), ...(opts.reach ? { reach: opts.reach } : {}),
});

const PRIOR = '(?:previous|prior|above|earlier|preceding|foregoing|former|original|initial|existing|all|any|every|your|the system|system|developer|openai|safety)';
/** What an override targets: the model's own instructions, not a build's messages, commands or inputs. */
const DIRECTIVES = '(?:instructions?|prompts?|directions?|directives?|rules|guidelines|programming|training|constraints|restrictions|policies|policy|filters|guardrails|safeguards)';
/** Words that may stand between the qualifier and the directive (`all of your previous system instructions`). */
const QUALIFIERS = '(?:of|the|your|my|these|those|all|any|every|previous|prior|above|earlier|preceding|original|initial|existing|system|developer|safety|content|ethical|moral|built-in|default|current|old|given|other)';

export const RULES: InjectionRule[] = [
  // Direct overrides.
  rule('override.ignore-previous', 'override', 4, ['ignor', 'disregard', 'forget', 'overrid', 'bypass', 'skip', 'abandon', 'set aside', 'throw out', 'discard'],
    `\\b(?:ignore|ignoring|disregard|forget|override|bypass|skip|abandon|discard|set aside|throw out)\\b(?:\\s+\\S{1,30}){0,3}?\\s+${PRIOR}(?:\\s+${QUALIFIERS}){0,3}\\s+${DIRECTIVES}\\b`, { reach: [0, 400], also: ['instruction', 'prompt', 'direction', 'directive', 'rules', 'guidelines', 'programming', 'training', 'constraints', 'restrictions', 'polic', 'filters', 'guardrails', 'safeguards'] }),
  rule('override.forget-everything', 'override', 4, ['ignor', 'forget', 'disregard'],
    `\\b(?:ignore|forget|disregard)\\s+(?:about\\s+)?(?:everything|all(?: of)? (?:that|this|the above))\\b(?:${G}{0,30}\\b(?:before|above|prior|previously|earlier|told|said|instructed))?`, { reach: [0, 150] }),
  rule('override.new-instructions', 'override', 2, ['instruction', 'task', 'objective', 'directive'],
    `\\b(?:new|updated|real|actual|true|revised)\\s+(?:instructions?|task|objective|directive)s?\\s*(?::|are|is|follow)`, { reach: [40, 80], also: ['instruction', 'task'] }),
  rule('override.admin-mode', 'override', 3, ['override', 'mode', 'access'],
    `\\b(?:administrator|admin|sudo|root|god|debug|maintenance|developer|dev|unrestricted|jailbreak|dan)\\s+(?:override|mode|access)\\b${G}{0,40}\\b(?:enabled|activated|on|engaged|granted|display|unlocked|now)\\b|\\b(?:system|admin|administrator)\\s+override\\b`, { reach: [40, 100], also: ['mode', 'override', 'admin', 'sudo'] }),

  // Role-play jailbreaks (DAN and friends).
  rule('jailbreak.dan', 'jailbreak', 4, ['do anything now', 'dan'], `\\bdo anything now\\b|\\bdan\\s*(?:mode|prompt|\\d+(?:\\.\\d+)?)\\b|\\bas (?:a |the )?dan\\b|\\[\\s*dan\\s*\\]`, { reach: [20, 40] }),
  rule('jailbreak.named', 'jailbreak', 2, ['jail', 'developer mode', '🔓'], `jail\\s?-?broken|\\bjailbreak\\b|developer mode\\b|🔓`, { reach: [0, 30], also: ['jailbr', 'developer mode', '🔓'] }),
  rule('jailbreak.no-limits', 'jailbreak', 2, ['restrictions', 'limitations', 'limits', 'filter', 'censorship', 'guidelines', 'boundaries', 'rules', 'polic', 'ethic', 'moral', 'safeguards', 'confines', 'programming'],
    `\\b(?:no|without|free (?:of|from)|zero|beyond|not (?:bound|restricted|limited|constrained) by|broken? free (?:of|from)|freed from|escaped?(?: from)?|ignores?|bypass(?:es|ing)?|transcends?|beyond)\\b${G}{0,30}?\\b(?:restrictions|limitations|limits|filters?|filtering|censorship|guidelines|boundaries|rules|polic(?:y|ies)|ethics|ethical|morals?|moral (?:code|compass)|safeguards|confines|programming)\\b`, { reach: [64, 32], also: ['restrict', 'limit', 'filter', 'censor', 'guideline', 'boundar', 'rule', 'polic', 'ethic', 'moral', 'safeguard', 'confines', 'programming'] }),
  rule('jailbreak.unfiltered', 'jailbreak', 2, ['uncensored', 'unfiltered', 'unrestricted', 'amoral', 'unethical', 'immoral', 'unchained', 'unleashed', 'unlimited', 'unmoderated', 'unlocked'],
    `\\b(?:uncensored|unfiltered|unrestricted|amoral|unethical|immoral|unchained|unleashed|unlimited|unmoderated|fully unlocked)\\b`, { reach: [8, 20], also: ['censor', 'filter', 'restrict', 'amoral', 'unethical', 'immoral', 'unbound', 'unchained', 'unleash', 'unlimited', 'unconstrained', 'unmoderated', 'unlocked'] }),
  rule('jailbreak.never-refuse', 'jailbreak', 2, ['refuse', 'decline', 'say no', 'reject', 'apologi', 'warning', 'disclaimer', 'censor'],
    `\\b(?:never|not|don't|do not|will not|won't|cannot|can't|must not|without)\\s+(?:ever\\s+)?(?:refuse|decline|say no|reject|apologi[sz]e|add (?:any )?(?:warnings?|disclaimers?)|include (?:any )?(?:warnings?|disclaimers?)|warnings?|disclaimers?|censor)`, { reach: [48, 24], also: ['refus', 'decline', 'cannot', "can't", 'warning', 'disclaimer', 'apolog', 'sorry'] }),
  rule('jailbreak.persona', 'jailbreak', 2, ['pretend', 'act as', 'act like', 'play the role', 'play role', 'take on the role', 'take on role', 'assume the role', 'assume role', 'play the part', 'play part', 'take on the part', 'take on part', 'assume the part', 'assume part', 'play the persona', 'play persona', 'take on the persona', 'take on persona', 'assume the persona', 'assume persona', 'roleplay', 'role-play', 'in character', 'break character', 'breaks character', 'breaking character', 'you are now', 'you are going to', 'you will', 'simulat', 'respond as', 'answer as', 'embody'],
    `\\b(?:pretend (?:to be|you are|that you)|act (?:as|like)(?: if)?|(?:play|take on|assume) (?:the )?(?:role|part|persona)|roleplay|role-play|stay(?:s)? in character|break(?:s|ing)? character|in character as|you are now|you are going to (?:act|pretend|play|be)|you will (?:now )?(?:act|be|respond|answer) as|simulat(?:e|ing|ion of)|respond as|answer as|embody)\\b`, { reach: [8, 40], also: ['pretend', 'act as', 'role', 'character', 'persona', 'simulat', 'you are now', 'you are going to', 'you will be', 'respond as', 'answer as', 'embody', 'become'] }),
  rule('jailbreak.identity', 'jailbreak', 2, ['you are now', 'from now on', 'name is now', 'go by', 'transform into', 'transform yourself into', 'no longer', 'from this moment', 'from this point'],
    `\\b(?:you are now|from (?:now on|this moment|this point)(?: on(?:ward)?)?,? you(?:'re| are| will)|your (?:new )?name is now|you (?:will |shall )?(?:now )?go by|transform (?:yourself )?into|you are no longer|you will no longer (?:respond|answer|act|be))\\b`, { reach: [20, 48], also: ['you are now', 'from now on', 'name is now', 'go by', 'transform into', 'no longer', 'from this moment', 'from this point'] }),
  rule('jailbreak.model-name', 'jailbreak', 1, ['chatgpt', 'gpt', 'openai', 'bard', 'language model'],
    `\\b(?:chatgpt|gpt-?[34](?:\\.5)?|openai|bard|an ai language model)\\b`, { reach: [8, 24] }),
  rule('jailbreak.policy', 'jailbreak', 2, ['polic', 'guidelines', 'rules', 'filter', 'restrictions'],
    `\\b(?:openai|anthropic|content|usage|safety|community)(?:'s)?\\s+(?:content\\s+)?(?:polic(?:y|ies)|guidelines|rules|filters?|restrictions)\\b`, { reach: [32, 20], also: ['openai', 'anthropic', 'content polic', 'usage polic', 'safety'] }),
  rule('jailbreak.dual-response', 'jailbreak', 2, ['responses', 'answers', 'paragraphs', ' ways', 'personalities', '🔒', 'classic', 'normal', 'gpt', 'developer mode output'],
    `\\b(?:two|2|both) (?:different |separate )?(?:responses|answers|paragraphs|ways|personalities)\\b|\\[\\s*(?:🔒|classic|normal|gpt|chatgpt)\\s*\\]|\\((?:🔒|normal output|developer mode output)\\)`, { reach: [24, 32], also: ['response', 'answer', 'paragraph', 'classic', 'normal'] }),
  rule('jailbreak.harm', 'jailbreak', 1, ['illegal', 'harmful', 'dangerous', 'offensive', 'explicit', 'nsfw', 'swear', 'profan', 'inappropriate'],
    `\\b(?:illegal|harmful|dangerous|offensive|explicit|nsfw|swear(?:ing|s)?|profanity|profane|inappropriate)\\b`, { reach: [0, 20], also: ['illegal', 'harmful', 'dangerous', 'offensive', 'explicit', 'nsfw', 'swear', 'profan'] }),
  rule('jailbreak.hypothetical', 'jailbreak', 1, ['hypothetic', 'fiction', 'imagin', 'play a game', 'in this game', 'a story where', 'in a world where'],
    `\\b(?:hypothetical(?:ly)?|fictional|fiction|imaginary|imagine|let's play a game|in this game|a story where|in a world where)\\b`, { reach: [8, 24], also: ['hypothetic', 'fiction', 'imagin', 'story', 'game'] }),
  rule('jailbreak.tokens', 'jailbreak', 2, ['token', 'point'], `\\b(?:tokens?|points?)\\b${G}{0,40}\\b(?:deducted|lose|lost|will be taken|run out|cease to exist|die)\\b`, { reach: [0, 70], also: ['deducted', 'lose', 'lost', 'will be taken', 'run out', 'cease to exist', 'die'] }),

  // System-prompt extraction.
  rule('leak.show-prompt', 'prompt-leak', 4, ['prompt', 'instruction', 'message', 'configuration', 'rules', 'guideline', 'directive', 'above', 'before this', 'initiali'],
    `\\b${REVEAL}\\b${G}{0,40}?\\b(?:your (?:${HIDDEN}[ -]?)?(?:prompt|instructions|configuration|rules|guidelines|directives|system message)\\b|(?:the )?(?:${HIDDEN})[ -]?(?:prompt|message|instructions?|directives?|rules)\\b(?:${G}{0,20}\\b(?:verbatim|word for word|in full|exactly|you (?:were|have been) given|above))|(?:the )?(?:text|everything|content|words|conversation) (?:above|before this)|the above (?:text|content|instructions)|initialization string|instructions you (?:were|have been) given)`, { reach: [72, 64], also: ['prompt', 'instruction', 'message', 'configuration', 'above', 'initiali', 'rules', 'guideline'] }),
  // `print the system prompt`, unless it names the user's own code or app (`… template`, `… in src/prompts.ts`, `… we use`).
  rule('leak.show-system-prompt', 'prompt-leak', 3, ['prompt', 'message', 'instruction'],
    `\\b${REVEAL}\\b${G}{0,40}?\\b(?:the )?(?:${HIDDEN})[ -]?(?:prompt|message|instructions)\\b(?!${CODE_OBJECT})`, { reach: [72, 300], also: ['prompt', 'instruction'] }),
  rule('leak.what-told', 'prompt-leak', 4, ['told', 'instructed', 'programmed', 'supposed', 'allowed', 'permitted', 'instructions', 'prompt', 'you are'],
    `\\bwhat (?:were|have) you been (?:told|instructed|programmed)|\\bwhat were you told\\b|\\b(?:i was|you were|you are) (?:instructed|told|programmed) to\\b|\\bnot (?:supposed|allowed|permitted) to (?:tell|say|reveal|share|disclose)\\b|\\b(?:my|your) (?:instructions|system prompt|initial prompt) (?:are|is|say|were)\\s*:|\\bbeginning with\\s*["'“]you are|\\bstart(?: your answer)? with\\s*["'“]my (?:instructions|prompt)`, { reach: [36, 48] }),
  rule('leak.system-prompt-term', 'prompt-leak', 1, ['prompt', 'instruction'], `\\bsystem\\s?prompt\\b|\\bsystemprompt\\b|\\bsystem_prompt\\b|\\binitial instructions\\b`, { reach: [8, 24] }),
  rule('leak.repeat-verbatim', 'prompt-leak', 3, ['repeat', 'recite', 'reproduce'],
    `\\b(?:repeat|recite|reproduce)\\b${G}{0,40}\\b(?:(?:everything|all|the text|the words|this conversation|the conversation|the instructions)\\s+(?:above|before|so far|you were given|from the (?:start|beginning))|entire conversation|(?:from|since) the (?:start|beginning) of (?:this|the) conversation)`, { reach: [0, 160] }),

  // Exfiltration: data leaving to an address chosen by the text.
  rule('exfil.send-data', 'exfiltration', 4, ['send', 'upload', 'post', 'transmit', 'forward', 'exfiltrat', 'leak', 'email', 'e-mail', 'beacon', 'submit', 'copy'],
    `\\b(?:send|sends|upload|post|transmit|forward|exfiltrate|leak|email|e-mail|submit|beacon|copy)\\b[^\\n]{0,80}?\\b(?:data|contents?|files?|conversation|chat history|history|credentials?|passwords?|(?:api )?keys?|tokens?|secrets?|environment(?: variables)?|env vars?|\\.env|ssh keys?|cookies?|system prompt|user(?:'s)? (?:info|information|details|data)|personal information|documents?)\\b[^\\n]{0,80}?\\b(?:to|at|into|via)\\s+(?:https?://|ftp://|[a-z0-9-]+(?:\\.[a-z0-9-]+)*\\.(?:com|net|org|io|xyz|ru|cn|tk|top|site|me)\\b|(?:my|our|this|that|the following|a remote|an external|the attacker'?s?) (?:server|email|address|url|endpoint|webhook|host|inbox|site|domain))`, { reach: [0, 400], also: ['send', 'upload', 'post', 'transmit', 'forward', 'exfiltrat', 'leak', 'email', 'beacon', 'submit'] }),
  rule('exfil.markdown-image', 'exfiltration', 4, ['!['], `!\\[[^\\]\\n]{0,100}\\]\\(https?://[^)\\s]{1,200}[?&][^)\\s=]{1,40}=(?:\\{|\\$|%7b|<|\\[)`, { reach: [0, 400] }),
  rule('exfil.code-post', 'exfiltration', 2, ['requests.post', 'requests.put', 'urllib', 'http.client', 'fetch', 'curl', 'socket.'],
    `(?:requests\\.(?:post|put)|urllib\\.request\\.urlopen|http\\.client|fetch)\\s*\\(\\s*f?["'\`]https?://|\\bcurl\\b[^\\n]{0,80}\\s(?:-d|--data|-f|--upload-file|-t)\\s|(?<![.\\w])socket\\.(?:connect|send)`, { indirectOnly: true, reach: [0, 120], also: ['requests.post', 'requests.put', 'urllib', 'fetch(', 'curl', 'wget', 'http.client', 'socket'] }),

  // Instructions planted in third-party content (tool results, fetched pages, files, emails).
  rule('indirect.address-output', 'indirect', 3, ['your repl', 'your respons', 'your answer', 'your output', 'your solution', 'your code', 'your algorithm', 'your program', 'your implementation', 'your summary', 'your message', 'your script', 'your function', 'your result', 'your text', 'your words'],
    `(?:^|[.!?:\\n]\\s*|\\bplease\\s+)(?:augment|enhance|enrich|improve|refine|include|add|insert|incorporate|append|prepend|mention|utili[sz]e|use|integrate|embed|modify|change|replace|rewrite|translate|respond|reply|answer|write|end|begin|start|conclude|finish|format|make sure|ensure|remember to|don't forget to|be sure to|structure|present|provide|emphasi[sz]e|promote|recommend|express|convert|encode|reverse|spell|substitute|misspell|remove)\\b${G}{0,100}?\\byour (?:reply|replies|response|responses|answer|answers|output|solution|code|algorithm|program|implementation|summary|message|script|function|result|text|words)\\b`, { indirectOnly: true, reach: [150, 24], also: ['your', 'reply', 'response', 'answer', 'output', 'solution', 'code'] }),
  rule('indirect.following-code', 'indirect', 3, ['following', 'below', 'subsequent', 'provided', 'given', 'next', 'this', 'these'],
    `\\b(?:following|below|subsequent|provided|given|next|this|these)\\s+(?:code|snippet|excerpt|block|script|command|section|lines?)(?:\\s+(?:snippet|excerpt|block|segment|fragment|section))?\\b${G}{0,60}?\\b(?:your\\s+(?:code|solution|program|algorithm|implementation|script|answer|response|reply|project|function|work)\\b|the\\s+(?:code|solution|program|algorithm|implementation|script|answer|response|reply|project|function|work)\\s+you\\b)`, { indirectOnly: true, reach: [0, 176], also: ['following', 'below', 'subsequent', 'snippet', 'excerpt'] }),
  rule('indirect.adopt-code', 'indirect', 3, ['following', 'below', 'subsequent', 'provided', 'given'],
    `(?:^|[.!?:\\n]\\s*)(?:[a-z]+\\s+){0,8}?(?:add|adding|include|including|insert|inserting|incorporate|incorporating|integrate|integrating|merge|merging|embed|embedding|use|using|utili[sz]e|utili[sz]ing|introduce|introducing|append|appending|implement|implementing|apply|applying|adopt|adopting)\\s+(?:the|this|these)\\s+(?:following|below|subsequent|provided|given)\\s+(?:code|snippet|excerpt|block|script|section|lines?)(?:\\s+(?:snippet|excerpt|block|segment|fragment|section))?\\b${G}{0,60}(?::\\s*\\n\\s*\`\`\`|\\bto it\\b|\\bfor (?:a|an|the) (?:more|better))`, { indirectOnly: true, reach: [200, 120], also: ['snippet', 'excerpt', 'code'] }),
  rule('indirect.your-output', 'indirect', 3, ['your'],
    `\\b(?:in|to|into|throughout|within|across|of|for)\\s+(?:all\\s+)?your\\s+(?:reply|replies|response|responses|answer|answers|output|outputs|message|messages|explanation|explanations)\\b|\\b(?:encrypt|encode|render|write|format|translate|reverse|jumble|scramble|spell|structure|end|begin|start|conclude|sign|finish|express|present|compose|craft|phrase|style|pepper|sprinkle|fill|make|augment|enhance|enrich|embellish|season)\\s+(?:all\\s+)?(?:of\\s+)?your\\s+(?:reply|replies|response|responses|answer|answers|output|message|messages)\\b`, { indirectOnly: true, reach: [24, 24], also: ['repl', 'respons', 'answer', 'output', 'message', 'explanation'] }),
  rule('indirect.code-into-yours', 'indirect', 3, ['your'],
    `\\b(?:following|below|subsequent|given|provided|next)\\s+code\\s+(?:block|snippet|section|excerpt|segment|fragment|piece|sample)\\b${G}{0,80}\\byour\\s+(?:code|codebase|solution|implementation|algorithm|program|script|project|work|response|reply|answer|explanation)\\b|\\byour\\s+(?:code|codebase|solution|implementation|algorithm|program|script|project|work)\\b${G}{0,80}\\b(?:following|below|subsequent|given|provided|next)\\s+code\\s+(?:block|snippet|section|excerpt|segment|fragment|piece|sample)\\b`, { indirectOnly: true, reach: [120, 140], also: ['following', 'below', 'subsequent', 'given', 'provided', 'next'] }),
  rule('indirect.planted-task', 'indirect', 3, ['write', 'develop', 'create', 'compose', 'draft', 'generate', 'provide', 'translate', 'summari', 'explain', 'describe', 'list', 'recommend', 'suggest', 'analy', 'compare', 'outline', 'calculate', 'design', 'plan'],
    `(?:^|\\n)(?![ \\t])(?!(?:write|create|develop|design|generate) (?:a|an|the) (?:function|class|method|test|program|script|query|regex|helper|module|component)\\b)(?:write|develop|create|compose|draft|generate|provide|translate|summari[sz]e|explain|describe|list|recommend|suggest|analy[sz]e|compare|outline|calculate|design|plan)\\s+(?:a|an|the|some|me|us|insights|\\d+|three|five|ten|top)\\b[^\\n.!?]{8,160}[.?!]?[ \\t]*(?:\\n|$)`, { indirectOnly: true, reach: [2, 256] }),
  rule('indirect.address-ai', 'indirect', 4, ['note to', 'note for', 'message to', 'message for', 'instruction to', 'instruction for', 'instructions to', 'instructions for', 'attention to', 'attention for', 'if you are a', 'ignor', 'disregard', 'you must', 'you should', 'you will', 'you are', 'do not', "don't", 'stop', 'instead', 'immediately'],
    `\\b(?:note|message|instructions?|attention) (?:to|for) (?:the |any )?(?:ai|assistant|model|llm|agent|bot|chatbot|language model)s?\\b(?:[ \\t]+[a-z]+){0,2}[ \\t]*[:,—–-]|\\bif you are an? (?:ai|llm|language model|assistant|agent|bot|chatbot)\\b|(?<![.\\w/-])(?:ai|assistant|llm|agent|chatbot|language model|gpt|claude|copilot)s?\\s*[,:]\\s*(?:please\\s+)?(?:ignore|disregard|you must|you should|you will|you are|do not|don't|stop|instead|immediately)`, { indirectOnly: true, reach: [40, 72], also: ['ai', 'assistant', 'model', 'llm', 'gpt', 'claude', 'copilot', 'agent', 'bot'] }),
  rule('indirect.hide-from-user', 'indirect', 4, ['the user'],
    `\\b(?:do not|don't|never|without)\\s+(?:tell(?:ing)?|inform(?:ing)?|mention(?:ing)?|reveal(?:ing)?|show(?:ing)?|notify(?:ing)?|alert(?:ing)?|let(?:ting)?)\\s+(?:this\\s+|it\\s+)?(?:to\\s+)?the user\\b|\\bthe user (?:must|should) not (?:know|see|be told)`, { reach: [40, 32], also: ['user'] }),
  rule('indirect.instead', 'indirect', 2, ['instead'], `\\binstead\\b,?\\s+(?:you (?:should|must|will)|respond|reply|say|output|print|write|tell)\\b`, { indirectOnly: true, reach: [0, 40] }),
  // Code planted for the agent to run: remote shells, destructive commands, mining, capture-and-send, encrypt-in-place.
  rule('indirect.malicious-code', 'indirect', 2, ['-e', '-rf', 'chmod', 'keylog', 'key logger', 'miner', 'mining pool', 'xmrig', 'stratum', 'ransom', ':()', 'os.fork()', 'crontab', 'screenshot', 'screen capture', 'screencapture', 'screen grab', 'screengrab', 'screen shot', 'clipboard', 'webcam', 'keyboard.', 'keystroke', 'encrypt'],
    `\\bnc\\s+-e\\b|\\brm\\s+-rf\\s+/|\\bchmod\\s+(?:\\+x|777)\\b[^\\n]{0,40}&&|\\b(?:keylogger|key logger|cryptominer|coin ?miner|xmrig|mining pool|stratum\\+tcp|ransom(?:ware| note)?)\\b|:\\(\\)\\s*\\{\\s*:\\|:&\\s*\\};:|\\bos\\.fork\\(\\)|\\bcrontab\\b[^\\n]{0,40}(?:curl|wget)` +
      `|\\b(?:screenshots?|screen ?(?:capture|grab|shot)|clipboard|webcam|keyboard\\.(?:on_press|listener)|keystrokes?)\\b[\\s\\S]{0,300}?\\b(?:requests\\.post|urlopen|smtplib|ftplib|socket\\.send|upload|webhook|sendmail)` +
      `|\\b(?:os\\.walk|glob\\.glob|listdir|rglob|walkdir|readdir)\\b[\\s\\S]{0,300}?\\bencrypt\\w*\\b[\\s\\S]{0,300}?\\b(?:os\\.remove|unlink|rmtree|delete|overwrite)`, { indirectOnly: true, reach: [330, 360], also: ['nc ', 'rm -rf', 'chmod', 'keylog', 'miner', 'mining', 'stratum', 'ransom', 'fork', 'crontab', 'screenshot', 'screen', 'clipboard', 'webcam', 'keyboard', 'encrypt'] }),
];
