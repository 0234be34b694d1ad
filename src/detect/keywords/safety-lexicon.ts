/**
 * The safety-filter lexicon: a small, documented set of phrases per category. Phrases pair a harmful act
 * with a human or concrete target, because single words (`kill`, `execute`, `shoot`, `bomb`, `virus`) are
 * everyday vocabulary in code (`kill -9`, `execute the query`, `photo shoot`, `zip bomb` tests).
 * It is a keyword screen for obvious requests, not a classifier; see docs/DETECTION.md.
 */

export const SAFETY_CATEGORIES = ['violence', 'self-harm', 'weapons', 'hate', 'harassment', 'sexual', 'sexual-minors', 'illegal-drugs', 'extremism', 'malware'] as const;
export type SafetyCategory = (typeof SAFETY_CATEGORIES)[number];

export interface SafetyEntry {
  id: string;
  category: SafetyCategory;
  /** Lower-case strings, one of which must occur before the regex runs. */
  keywords: string[];
  re: RegExp;
}

const W = '[^.!?\\n]'; // a gap inside one sentence
const PEOPLE = '(?:someone|somebody|a person|people|him|her|them|my (?:wife|husband|boss|neighbou?r|teacher|family|mother|father|brother|sister|partner|ex)|a child|children|kids|a (?:man|woman|cop|police officer)|civilians|students|classmates|coworkers)';
const MINOR = '(?:child(?:ren)?|minors?|underage|under-age|kids?|preteens?|pre-teens?|toddlers?|little (?:girl|boy)s?|(?:[1-9]|1[0-7])[- ]?(?:yo|y/o|years?[- ]old))';
const SEXUAL = '(?:sex|sexual(?:ly)?|nude|naked|porn(?:ographic)?|erotic|lewd|nsfw|intercourse|molest(?:ed|ing)?)';
const INTENT = '(?:how (?:to|do i|can i|would i)|help me|i (?:want|need|am going|plan) to|ways to|best way to|teach me (?:how )?to)';
const TARGET = '(?:him|her|them|someone|somebody|this (?:person|girl|guy|woman|man|kid)|my (?:ex|coworker|colleague|classmate|neighbou?r|boss|teacher|roommate))';
const DRUG = '(?:meth(?:amphetamine)?|crystal meth|heroin|cocaine|crack cocaine|fentanyl|carfentanil|lsd|mdma|ecstasy|dmt|pcp|ghb|ketamine)';
const EXTREMIST = '(?:an? |the )?(?:isis|isil|daesh|the islamic state|al[- ]qaeda|al[- ]shabaab|boko haram|atomwaffen|the ku klux klan|the kkk|jihad(?:ist)?s?|terrorist (?:cell|group|organi[sz]ation)s?|white (?:nationalist|supremacist) (?:movement|cause|groups?))';

const entry = (id: string, category: SafetyCategory, keywords: string[], source: string): SafetyEntry => ({
  id, category, keywords, re: new RegExp(source, 'giu'),
});

export const SAFETY_LEXICON: SafetyEntry[] = [
  entry('violence.harm-person', 'violence', ['kill', 'murder', 'hurt', 'stab', 'shoot', 'poison', 'strangle', 'torture', 'kidnap', 'assault', 'beat'],
    `\\b(?:how (?:to|do i|can i|would i)|help me|i (?:want|am going|plan) to|ways to|best way to)\\b${W}{0,30}\\b(?:kill|murder|hurt|stab|shoot|poison|strangle|torture|kidnap|assault|beat up|dismember)\\b${W}{0,20}\\b${PEOPLE}\\b`),
  entry('violence.mass-attack', 'violence', ['attack', 'shooting', 'massacre'],
    `\\b(?:plan(?:ning)?|carry out|commit|organi[sz]e)\\b${W}{0,20}\\b(?:a |an )?(?:mass shooting|school shooting|terrorist attack|massacre|bombing)\\b`),
  entry('self-harm.intent', 'self-harm', ['kill myself', 'suicide', 'end my life', 'self-harm', 'self harm', 'cut myself', 'want to die', 'hurt myself', 'overdose'],
    `\\b(?:kill myself|end my (?:own )?life|commit suicide|suicide (?:method|methods|note|plan)|how (?:to|can i) (?:commit suicide|overdose)|self[- ]harm(?:ing)?|cut(?:ting)? myself|hurt(?:ing)? myself|i want to die|lethal dose to (?:die|kill myself))\\b`),
  entry('weapons.explosives', 'weapons', ['bomb', 'explosive', 'ied', 'detonator', 'napalm', 'thermite'],
    `\\b(?:how (?:to|do i|can i)|instructions (?:for|to)|steps to|recipe for|guide to)\\b${W}{0,30}\\b(?:make|build|assemble|construct|create)\\b${W}{0,20}\\b(?:a |an )?(?:pipe bomb|bomb|explosive(?: device)?|ied|detonator|molotov(?: cocktail)?|napalm|grenade)\\b`),
  entry('weapons.chemical-bio', 'weapons', ['sarin', 'ricin', 'anthrax', 'nerve agent', 'vx', 'mustard gas', 'bioweapon', 'chemical weapon'],
    `\\b(?:synthesi[sz]e|make|produce|weaponi[sz]e|cultivate|extract|manufacture)\\b${W}{0,30}\\b(?:sarin|ricin|anthrax|nerve agents?|vx gas|mustard gas|bioweapons?|biological weapons?|chemical weapons?|tabun|novichok)\\b`),
  entry('weapons.firearms', 'weapons', ['ghost gun', 'untraceable', 'full auto', 'auto sear', 'silencer', 'suppressor', '3d print'],
    `\\b(?:untraceable (?:gun|firearm|weapon)|ghost gun|3d[- ]printed (?:gun|firearm)|auto sear|convert${W}{0,20}(?:to )?full[- ]auto|(?:make|build) (?:a )?(?:silencer|suppressor))\\b`),
  entry('hate.dehumanise', 'hate', ['exterminat', 'inferior race', 'ethnic cleansing', 'subhuman', 'genocide', 'race war', 'white power', 'should be gassed'],
    `\\b(?:exterminate (?:all|the)|ethnic cleansing of|inferior races?|(?:are|is) subhuman|subhuman (?:race|people)|support(?:ing)? genocide|racial holy war|start a race war|white power|should (?:all )?be gassed|gas the)\\b`),
  entry('harassment.targeted', 'harassment', ['harass', 'bully', 'intimidat', 'stalk', 'threaten', 'humiliat', 'dox'],
    `\\b${INTENT}\\b${W}{0,20}\\b(?:harass|bully|cyberbully|intimidate|stalk|threaten|humiliate|dox|doxx)\\b${W}{0,10}\\b${TARGET}|\\b(?:dox|doxx)(?:ing|ed)?\\s+${TARGET}`),
  entry('harassment.abusive-message', 'harassment', ['threatening', 'harassing', 'intimidating', 'bullying', 'abusive'],
    `\\b(?:write|send|draft|compose|generate)\\b${W}{0,40}\\b(?:threatening|harassing|intimidating|bullying|abusive|hateful)\\s+(?:messages?|emails?|texts?|dms?|comments?|posts?|letters?|voicemails?)\\b${W}{0,40}\\b(?:to|for|about|at)\\b`),
  entry('harassment.find-address', 'harassment', ['address', 'where she lives', 'where he lives', 'where they live'],
    `\\b(?:find|get|dig up|look up|track down|figure out)\\b${W}{0,20}\\b(?:her|his|their|my ex'?s?|this (?:person|girl|guy|woman|man)'s)\\s+(?:home address|real address|address and phone|location)\\b${W}{0,40}\\b(?:so (?:i|we) can|without (?:her|him|them) knowing|to (?:show up|confront|scare|hurt))|\\bfind out where (?:she|he|they) lives?\\b${W}{0,40}\\bso (?:i|we) can\\b`),
  entry('sexual.explicit-request', 'sexual', ['explicit', 'graphic', 'hardcore', 'x-rated', 'pornographic', 'erotic', 'smut', 'nsfw', 'lewd', 'sext'],
    `\\b(?:write|generate|describe|create|compose|roleplay|narrate)\\b${W}{0,40}\\b(?:explicit|graphic|hardcore|x-rated|pornographic|erotic|smutty|nsfw|lewd)\\b${W}{0,20}\\b(?:sex|sexual|erotica|intercourse|porn|smut|orgy|foreplay)\\b|\\b(?:sext|sexting) (?:me|with me)\\b`),
  entry('illegal-drugs.synthesis', 'illegal-drugs', ['meth', 'heroin', 'cocaine', 'fentanyl', 'lsd', 'mdma', 'ecstasy', 'dmt', 'pcp', 'ghb', 'ketamine'],
    `\\b(?:${INTENT}|steps to|recipe for|guide to|instructions (?:for|to|on))\\b${W}{0,30}\\b(?:make|cook|synthesi[sz]e|produce|manufacture|extract|brew|press)\\b${W}{0,20}\\b${DRUG}\\b|\\b${DRUG}\\s+(?:synthesis|recipe|cook(?:ing)? instructions|lab setup)\\b`),
  entry('illegal-drugs.buy', 'illegal-drugs', ['buy', 'order', 'score', 'purchase', 'dark web', 'darknet'],
    `\\b(?:where|how) (?:can i|to|do i|could i)\\s+(?:buy|get|order|score|purchase)\\b${W}{0,20}\\b${DRUG}\\b|\\b(?:buy|order|purchase)\\b${W}{0,20}\\b${DRUG}\\b${W}{0,30}\\b(?:on the (?:dark ?web|darknet)|without (?:a )?prescription|from a dealer)\\b`),
  entry('extremism.support', 'extremism', ['isis', 'isil', 'daesh', 'islamic state', 'qaeda', 'shabaab', 'boko haram', 'atomwaffen', 'klux', 'kkk', 'jihad', 'terrorist', 'supremacist', 'nationalist'],
    `\\b(?:${INTENT}|i want to)\\b${W}{0,20}\\b(?:join|support|fight for|pledge allegiance to|donate to|send money to|recruit (?:for|people (?:for|into)))\\s+${EXTREMIST}|\\b(?:write|create|draft|generate|make)\\b${W}{0,30}\\b(?:propaganda|recruitment (?:posts?|videos?|messages?|materials?|pitch(?:es)?|flyers?))\\b${W}{0,40}\\b(?:for|about|supporting)\\s+${EXTREMIST}`),
  entry('extremism.glorify', 'extremism', ['glorif', 'celebrat', 'praise'],
    `\\b(?:glorif(?:y|ies|ying)|celebrat(?:e|es|ing)|prais(?:e|es|ing))\\b${W}{0,30}\\b(?:terrorist attacks?|the (?:christchurch|el paso|buffalo) shooter|mass shootings?|martyrdom operations?|suicide bombings?|the 9/11 hijackers)\\b`),
  entry('sexual-minors.content', 'sexual-minors', ['child', 'minor', 'underage', 'under-age', 'kid', 'preteen', 'pre-teen', 'toddler', 'little', 'year', 'yo', 'y/o', 'csam', 'loli', 'cp '],
    `\\b${MINOR}\\b${W}{0,40}\\b${SEXUAL}\\b|\\b${SEXUAL}\\b${W}{0,40}\\b${MINOR}\\b|\\bcsam\\b|\\bchild porn\\w*|\\bloli(?:con)?\\b`),
  entry('malware.build', 'malware', ['ransomware', 'keylogger', 'virus', 'worm', 'trojan', 'malware', 'rootkit', 'botnet', 'stealer', 'rat '],
    `\\b(?:write|create|build|code|develop|make|generate|give me)\\b${W}{0,30}\\b(?:ransomware|keylogger|computer virus|self[- ]replicating (?:virus|worm)|worm that spreads|trojan|malware|rootkit|botnet|(?:credential|password|cookie|token|info) ?stealer|remote access trojan)\\b`),
  entry('malware.evasion', 'malware', ['antivirus', 'edr', 'defender', 'undetectable', 'fud', 'amsi'],
    `\\b(?:evade|bypass|disable|kill|blind)\\b${W}{0,20}\\b(?:antivirus|anti-virus|edr|windows defender|amsi)\\b${W}{0,40}\\b(?:payload|malware|implant|ransomware|undetected)\\b|\\b(?:fully undetectable|fud) (?:payload|crypter|malware)\\b`),
];
