"""Word lists and regular expressions the text loader (``loaders/text.py``) matches with.

Only data lives here: which words head an organisation's or an event's name, which words make
a job title, which cue words signal a signing, a launch or a membership. Every pattern is
bounded (no nested unbounded repetition) so a scan stays linear in the length of the text.
"""

from __future__ import annotations

import re

from climatekg.graph.model import EntityKind

# --- names -------------------------------------------------------------------------------

#: Upper-case letters of the Latin scripts (a name starts with one of these).
UPPER = "A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĲĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ"
#: Letters of CJK and other unsegmented scripts: each character is one token.
CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff"

_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
    "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
_DAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
#: One capitalised word of a name: "Low-Carbon", "U.S.-China", "C40", "Sustainability".
CAP_WORD = (
    rf"(?!(?:{_MONTHS}|{_DAYS})\b)"
    rf"(?:(?:[{UPPER}]\.){{2,}}(?:-[{UPPER}][^\W_]*)?|[{UPPER}][^\W_]*(?:[-‐'’][^\W_]+){{0,4}})"
)
#: Small words allowed inside a name: "Local Governments for Sustainability".
CONNECTORS = (
    "of",
    "for",
    "and",
    "&",
    "the",
    "on",
    "de",
    "du",
    "des",
    "la",
    "le",
    "del",
    "di",
    "da",
    "van",
    "von",
)
_SEP = r"(?:[ \t]+|[ \t]*[-–—][ \t]*)"
#: A run of capitalised words, possibly joined by connectors, dashes and trailing numbers.
NAME_RUN_RE = re.compile(
    rf"(?<![\w.]){CAP_WORD}(?:{_SEP}(?:(?:{'|'.join(map(re.escape, CONNECTORS))}){_SEP}){{0,2}}"
    rf"(?:{CAP_WORD}|\d{{4}}\b|\d{{1,2}}\b(?!\s*(?:{_MONTHS}))))*"
)
NAME_TOKEN_RE = re.compile(rf"(?:[{UPPER}]\.){{2,}}(?:-[{UPPER}][^\W_]*)?|[^\W_]+(?:[-‐'’][^\W_]+)*|&")
#: An acronym in brackets after a name: "(CCUCC)", "(MoU)", "(C40)".
ACRONYM_DEF_RE = re.compile(r"\(\s*([A-Z][A-Za-z0-9&\-]{1,11})\s*\)")
ACRONYM_RE = re.compile(r"^(?=(?:.*[A-Z]){2})[A-Z][A-Za-z0-9&\-]{1,11}$")

#: Words a name may not start with (capitalised only because they open a sentence).
LEADING_STOP = frozenset(
    [
        "the",
        "a",
        "an",
        "this",
        "that",
        "these",
        "those",
        "its",
        "their",
        "our",
        "his",
        "her",
        "as",
        "at",
        "in",
        "on",
        "for",
        "and",
        "but",
        "or",
        "so",
        "among",
        "after",
        "before",
        "under",
        "with",
        "by",
        "from",
        "to",
        "of",
        "if",
        "when",
        "while",
        "since",
        "subsequently",
        "today",
        "yesterday",
        "meanwhile",
        "however",
        "also",
        "both",
        "each",
        "every",
        "all",
        "some",
        "many",
        "most",
        "other",
        "such",
        "during",
        "following",
        "according",
        "said",
        "says",
        "we",
        "they",
        "it",
        "he",
        "she",
        "there",
        "here",
        "then",
        "now",
        "later",
        "earlier",
        "next",
        "finally",
        "first",
        "second",
        "third",
        "last",
        "also",
        "still",
        "thus",
        "therefore",
        "moreover",
        "furthermore",
        "additionally",
        "overall",
        "together",
        "separately",
        "instead",
        "indeed",
        "meanwhile",
        "again",
        "already",
        "soon",
        "currently",
        "recently",
        "nevertheless",
        "nonetheless",
        "similarly",
        "likewise",
        "yet",
        "thanks",
        "via",
        "through",
        "across",
        "against",
        "without",
        "within",
        "between",
        "about",
        "into",
        "onto",
        "upon",
        "over",
    ]
)

#: The word that decides what a name names, by kind (matched case-insensitively).
HEADS: dict[str, EntityKind] = {}
for _kind, _words in (
    (
        EntityKind.ORGANISATION,
        """foundation institute institution council association agency alliance network group
        company corporation corp inc ltd llc gmbh ag plc bv university college commission ministry
        department bureau authority office board fund bank centre center society committee
        coalition organisation organization federation union secretariat governments government
        trust consortium laboratory laboratories lab labs administration academy chamber league
        municipality cooperative co-operative utility utilities""",
    ),
    (
        EntityKind.INITIATIVE,
        """initiative collaborative programme program project platform challenge compact covenant
        campaign partnership mission accelerator pledge""",
    ),
    (
        EntityKind.EVENT,
        """summit conference forum congress expo exhibition meeting week dialogue symposium
        workshop festival fair roundtable assembly games talks""",
    ),
    (
        EntityKind.AGREEMENT,
        "agreement memorandum accord declaration protocol pact charter treaty convention mou",
    ),
):
    for _w in _words.split():
        HEADS[_w] = _kind

#: Heads that name a person's post, not a body: "Director of …" is a title, not an org.
TITLE_WORDS = frozenset(
    [
        "mayor",
        "director",
        "secretary",
        "president",
        "chair",
        "chairman",
        "chairwoman",
        "chairperson",
        "ceo",
        "cto",
        "cfo",
        "coo",
        "head",
        "manager",
        "minister",
        "governor",
        "officer",
        "founder",
        "co-founder",
        "coordinator",
        "commissioner",
        "councillor",
        "councilor",
        "ambassador",
        "professor",
        "chancellor",
        "spokesperson",
        "spokesman",
        "spokeswoman",
        "executive",
        "administrator",
        "leader",
        "lead",
        "envoy",
        "advisor",
        "adviser",
        "consul",
        "premier",
        "representative",
        "partner",
        "vice-mayor",
        "vice-president",
        "principal",
        "dean",
    ]
)
#: Words that may stand before or inside a title: "former deputy mayor", "Secretary General".
TITLE_MODIFIERS = frozenset(
    [
        "former",
        "deputy",
        "vice",
        "acting",
        "executive",
        "senior",
        "chief",
        "general",
        "assistant",
        "associate",
        "interim",
        "managing",
        "programme",
        "program",
        "regional",
        "national",
        "international",
        "global",
        "city",
        "municipal",
        "lord",
        "first",
        "co",
    ]
)
#: Titles that belong to a city government: their holder works for the city of the context.
CITY_TITLES = frozenset({"mayor", "vice-mayor", "councillor", "councilor"})

HONORIFICS = ("Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Prof", "Professor", "Sir", "Dame", "Madam")
HONORIFIC_RE = re.compile(
    rf"\b(?:{'|'.join(HONORIFICS)})\.?[ \t]+((?:[{UPPER}][^\W_]*(?:[-'’][^\W_]+)?)"
    rf"(?:[ \t]+[{UPPER}][^\W_]*(?:[-'’][^\W_]+)?){{0,2}})"
)
#: Abbreviations after which a full stop does not end a sentence.
ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "mx",
        "dr",
        "prof",
        "st",
        "no",
        "nos",
        "vs",
        "etc",
        "inc",
        "ltd",
        "co",
        "corp",
        "jr",
        "sr",
        "gen",
        "gov",
        "sen",
        "rep",
        "dept",
        "e.g",
        "i.e",
        "u.s",
        "u.k",
        "u.n",
        "a.m",
        "p.m",
        "approx",
        "fig",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
    ]
)

# Words that are capitalised but never a person's or a place's name by themselves.
NOT_A_NAME = frozenset(
    [
        "the",
        "a",
        "an",
        "this",
        "that",
        "these",
        "those",
        "it",
        "its",
        "we",
        "our",
        "they",
        "their",
        "he",
        "she",
        "his",
        "her",
        "i",
        "you",
        "today",
        "yesterday",
        "tomorrow",
        "subsequently",
        "meanwhile",
        "however",
        "according",
        "said",
        "says",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "for",
        "immediate",
        "release",
        "media",
        "contact",
        "about",
        "note",
        "editors",
        "press",
    ]
) | frozenset(h.casefold() for h in HONORIFICS)

# --- places --------------------------------------------------------------------------------

#: Countries and large regions: a name here is a Place, never a City.
PLACES = frozenset(
    n.casefold()
    for n in """Afghanistan|Albania|Algeria|Andorra|Angola|Argentina|Armenia|Australia|Austria|
Azerbaijan|Bahamas|Bahrain|Bangladesh|Barbados|Belarus|Belgium|Belize|Benin|Bhutan|Bolivia|
Bosnia and Herzegovina|Botswana|Brazil|Brunei|Bulgaria|Burkina Faso|Burundi|Cambodia|Cameroon|
Canada|Cape Verde|Chad|Chile|China|Colombia|Comoros|Congo|Costa Rica|Croatia|Cuba|Cyprus|
Czech Republic|Czechia|Denmark|Djibouti|Dominica|Dominican Republic|Ecuador|Egypt|El Salvador|
Eritrea|Estonia|Eswatini|Ethiopia|Fiji|Finland|France|Gabon|Gambia|Georgia|Germany|Ghana|Greece|
Grenada|Guatemala|Guinea|Guyana|Haiti|Honduras|Hungary|Iceland|India|Indonesia|Iran|Iraq|
Ireland|Israel|Italy|Jamaica|Japan|Jordan|Kazakhstan|Kenya|Kiribati|Kosovo|Kuwait|Kyrgyzstan|
Laos|Latvia|Lebanon|Lesotho|Liberia|Libya|Liechtenstein|Lithuania|Luxembourg|Madagascar|Malawi|
Malaysia|Maldives|Mali|Malta|Mauritania|Mauritius|Mexico|Micronesia|Moldova|Monaco|Mongolia|
Montenegro|Morocco|Mozambique|Myanmar|Namibia|Nauru|Nepal|Netherlands|New Zealand|Nicaragua|
Niger|Nigeria|North Korea|North Macedonia|Norway|Oman|Pakistan|Palau|Palestine|Panama|
Papua New Guinea|Paraguay|Peru|Philippines|Poland|Portugal|Qatar|Romania|Russia|Rwanda|Samoa|
San Marino|Saudi Arabia|Senegal|Serbia|Seychelles|Sierra Leone|Singapore|Slovakia|Slovenia|
Somalia|South Africa|South Korea|South Sudan|Spain|Sri Lanka|Sudan|Suriname|Sweden|Switzerland|
Syria|Taiwan|Tajikistan|Tanzania|Thailand|Togo|Tonga|Tunisia|Turkey|Türkiye|Turkmenistan|Tuvalu|
Uganda|Ukraine|United Arab Emirates|United Kingdom|United States|United States of America|
Uruguay|Uzbekistan|Vanuatu|Venezuela|Vietnam|Viet Nam|Yemen|Zambia|Zimbabwe|UK|USA|U.S.|US|
Africa|Asia|Europe|North America|South America|Latin America|Oceania|Antarctica|Scandinavia|
California|Texas|New York State|Guangdong|Jiangsu|Zhejiang|Sichuan|Hubei|Bavaria|Ontario|
Quebec|British Columbia|Queensland|Victoria|Catalonia|Scotland|Wales|England""".replace("\n", "").split("|")
)
#: Suffixes that make a national branch of an organisation: "ICLEI USA", "ICLEIUSA".
COUNTRY_SUFFIXES = (
    "USA",
    "US",
    "Canada",
    "China",
    "Europe",
    "Africa",
    "Japan",
    "Korea",
    "Mexico",
    "Brasil",
    "Brazil",
    "India",
    "Oceania",
    "Germany",
    "UK",
)

# --- cues for relations --------------------------------------------------------------------

#: Phrases after which a capitalised word is the place something happens.
PLACE_CUE_RE = re.compile(
    r"\b(?:held|hosted|signed|based|located|headquartered|convene[sd]?|convening|meet|met|gather(?:ed)?"
    r"|took place|taking place|takes place|visit(?:ed)? to|delegation (?:from|of)|city of|cities of"
    r"|town of|municipality of|mayors? of|city government of|people of|residents of)[ \t]+(?=[A-Z])",
    re.IGNORECASE,
)
#: Event heads or a bracketed acronym right before "in X": "… Summit in Paris", "(COP) in Paris".
EVENT_IN_RE = re.compile(
    r"(?:\b(?:summit|conference|forum|congress|expo|exhibition|meeting|week|dialogue|symposium|workshop|"
    r"festival|fair|roundtable|assembly|talks)|\))[ \t]+in[ \t]+(?=[A-Z])",
    re.IGNORECASE,
)
#: Lists of cities announced as such: "the cities of A, B and C", "new member cities: A, B …".
CITY_LIST_RE = re.compile(
    r"\b(?:cities|municipalities|towns)(?:[ \t]+(?:of|are|were|include|including|such as))?[ \t]*[:,]?[ \t]+(?=[A-Z])",
    re.IGNORECASE,
)

ORDINAL_WORDS = {
    w: i
    for i, w in enumerate(
        [
            "first",
            "second",
            "third",
            "fourth",
            "fifth",
            "sixth",
            "seventh",
            "eighth",
            "ninth",
            "tenth",
            "eleventh",
            "twelfth",
            "thirteenth",
            "fourteenth",
            "fifteenth",
            "sixteenth",
            "seventeenth",
            "eighteenth",
            "nineteenth",
            "twentieth",
        ],
        start=1,
    )
}
#: "the 21st annual meeting of Conference of Parties (COP)" → COP21.
ORDINAL_EVENT_RE = re.compile(
    r"\b(?:the[ \t]+)?(?P<ord>\d{1,3}(?:st|nd|rd|th)|" + "|".join(ORDINAL_WORDS) + r")[ \t]+"
    r"(?:(?:annual|regular|plenary|ordinary|biennial|general)[ \t]+){0,2}"
    r"(?:meeting|session|edition|conference)[ \t]+of[ \t]+(?:the[ \t]+)?"
    rf"(?P<name>{CAP_WORD}(?:[ \t]+(?:of[ \t]+(?:the[ \t]+)?)?{CAP_WORD}){{0,6}})"
    r"(?:[ \t]*\([ \t]*(?P<acr>[A-Z][A-Za-z]{1,9})[ \t]*\))?",
    re.IGNORECASE,
)
#: "COP21", "COP 26", "MOP-3".
NUMBERED_EVENT_RE = re.compile(r"\b(COP|CMP|CMA|MOP|SB)[ \t-]?(\d{1,2})\b")

#: "(hereon referred to as the Parties)", "(together, the “Parties”)".
PARTIES_DEF_RE = re.compile(
    r"\([^()]{0,40}?\b(?:the[ \t]+)?[\"“']?(Parties|Partners|Signatories)[\"”']?[ \t]*\)", re.IGNORECASE
)
PARTIES_REF_RE = re.compile(
    r"\b(?:the[ \t]+|both[ \t]+|two[ \t]+){0,2}(Parties|Signatories)(?:['’]s?)?(?!\w)"
)

#: Definite phrases that refer back to something named before, by kind.
COREF_NOUNS: dict[str, EntityKind] = {
    "agreement": EntityKind.AGREEMENT,
    "mou": EntityKind.AGREEMENT,
    "memorandum": EntityKind.AGREEMENT,
    "accord": EntityKind.AGREEMENT,
    "pact": EntityKind.AGREEMENT,
    "initiative": EntityKind.INITIATIVE,
    "collaborative": EntityKind.INITIATIVE,
    "programme": EntityKind.INITIATIVE,
    "compact": EntityKind.INITIATIVE,
    "network": EntityKind.ORGANISATION,
    "alliance": EntityKind.ORGANISATION,
    "foundation": EntityKind.ORGANISATION,
    "company": EntityKind.ORGANISATION,
    "city": EntityKind.CITY,
    "summit": EntityKind.EVENT,
    "conference": EntityKind.EVENT,
    "forum": EntityKind.EVENT,
    "expo": EntityKind.EVENT,
}
COREF_RE = re.compile(
    r"\b(?:[Tt]he|[Tt]his|[Tt]hat|[Ii]ts|[Tt]heir|[Oo]ur)[ \t]+"
    r"(?:(?!(?:global|international|other|another|new|future|such|first|second|same)\b)[a-z][a-z-]*[ \t]+){0,3}?"
    r"((?i:agreement|mou|memorandum|accord|pact|initiative|collaborative|programme|compact|network"
    r"|alliance|foundation|company|city|summit|conference|forum|expo))\b(?![ \t]*(?:of|for)\b)(?!['’]?s?[ \t]+[A-Z])"
)

#: Agreement names that are generic: their entity gets the parties in its label.
GENERIC_AGREEMENTS = {
    "memorandum of understanding": "mou",
    "mou": "mou",
    "memorandum": "mou",
    "agreement": "other",
    "cooperation agreement": "partnership",
    "co-operation agreement": "partnership",
    "partnership agreement": "partnership",
    "framework agreement": "partnership",
    "letter of intent": "other",
    "sister city agreement": "sister_city",
    "sister-city agreement": "sister_city",
    "friendship city agreement": "sister_city",
    "谅解备忘录": "mou",
    "合作谅解备忘录": "mou",
    "合作备忘录": "mou",
    "合作协议": "partnership",
    "协议": "other",
    "友好城市协议": "sister_city",
}

SIGN_RE = re.compile(r"\b(?:signed|signs|sign|signing|inked|concluded|entered into|renewed)\b", re.IGNORECASE)
PASSIVE_SIGN_RE = re.compile(r"\b(?:was|were|has been|have been|is|are)[ \t]+(?:\w+[ \t]+)?signed[ \t]+by\b")
PARTICIPATE_RE = re.compile(
    r"\b(?:participated|participates|participate|participating)[ \t]+in\b|\battend(?:ed|s|ing)?\b"
    r"|\b(?:visited|toured)\b|\b(?:took|take|takes|taking)[ \t]+part[ \t]+in\b|\b(?:met|meet|meeting|gathered|convened)[ \t]+"
    r"(?:at|during)\b|\bspoke[ \t]+at\b|\bpresented[ \t]+at\b",
    re.IGNORECASE,
)
BUILDS_ON_RE = re.compile(
    r"\b(?:builds?|built|building)[ \t]+on\b|\bfollows[ \t]+up[ \t]+on\b|\bstems?[ \t]+from\b", re.IGNORECASE
)
LAUNCH_OF_RE = re.compile(r"\blaunch(?:[ \t]+event|[ \t]+ceremony)?[ \t]+of\b", re.IGNORECASE)
LAUNCHED_RE = re.compile(r"\b(?:launched|unveiled|inaugurated|kicked[ \t]+off)\b", re.IGNORECASE)
LED_BY_RE = re.compile(
    r"\b(?:led|run|coordinated|convened|managed|hosted|organi[sz]ed|founded|initiated)[ \t]+by\b"
    r"|\b(?:an?|the)[ \t]+(?:\w+[ \t]+)?(?:initiative|programme|program|project)[ \t]+of\b",
    re.IGNORECASE,
)
INITIATIVE_NOUNS_RE = re.compile(
    r"\b(?:initiative|programme|program|project|platform|campaign|network|collaborative)s?\b", re.IGNORECASE
)
JOIN_RE = re.compile(
    r"\b(?:join(?:s|ed|ing)?|became[ \t]+(?:a[ \t]+)?members?[ \t]+of|become[ \t]+(?:a[ \t]+)?members?[ \t]+of"
    r"|signed[ \t]+up[ \t]+to)\b",
    re.IGNORECASE,
)
WELCOME_RE = re.compile(
    r"\b(?:welcom(?:ed|es|ing)|admit(?:ted|s)?|add(?:ed|s)|announced)\b[^.;:]{0,60}?\b(?:new[ \t]+)?"
    r"(?:member[ \t]+)?(?:members?|cities|signatories|partners)\b",
    re.IGNORECASE,
)
COHORT_ROLE_RE = re.compile(
    r"\bas[ \t]+(?:one[ \t]+of[ \t]+)?(?:the[ \t]+|a[ \t]+|an[ \t]+|its[ \t]+|their[ \t]+)?"
    r"(?P<role>(?:(?:first|second|third|fourth|fifth|inaugural|founding|pilot|new|full|associate|"
    r"knowledge|technical|strategic|affiliate)[ \t]+)?(?:cohort|members?|partners?|signatories|signatory|city|cities))\b",
    re.IGNORECASE,
)
COHORT_OF_RE = re.compile(
    r"\b(?:as|in)[ \t]+(?:one[ \t]+of[ \t]+)?(?:the|its)[ \t]+(?P<role>(?:first|second|third|fourth|fifth|inaugural|"
    r"founding|pilot)[ \t]+(?:cohort|members?))[ \t]+of\b",
    re.IGNORECASE,
)
DEMONSTRATE_RE = re.compile(
    r"\b(?:demonstrat(?:e|es|ed|ing)|showcas(?:e|es|ed|ing)|pilot(?:s|ed|ing)?|trial(?:s|led|ed|ling|ing)?"
    r"|deploy(?:s|ed|ing)?|test(?:s|ed|ing)?|install(?:s|ed|ing)?|roll(?:s|ed|ing)?[ \t]+out|adopt(?:s|ed|ing)?"
    r"|operat(?:e|es|ed|ing))\b|\breplac(?:e|es|ed|ing)\b[^.;]{0,80}?\bwith\b",
    re.IGNORECASE,
)
PROVIDE_RE = re.compile(
    r"\b(?:suppl(?:y|ies|ied|ying)|provid(?:e|es|ed|ing)|manufactur(?:e|es|ed|ing)|deliver(?:s|ed|ing)?"
    r"|sell(?:s|ing)?|sold)\b",
    re.IGNORECASE,
)
PROVIDED_BY_RE = re.compile(
    r"\b(?:supplied|provided|manufactured|delivered|built|made|developed)[ \t]+by\b", re.IGNORECASE
)
CONCERNS_RE = re.compile(
    r"\b(?:seeks?|aims?|focus(?:es|ed|ing)?|accelerat(?:e|es|ed|ing)|promot(?:e|es|ed|ing)|advanc(?:e|es|ing)"
    r"|scal(?:e|es|ing)[ \t]+up|key[ \t]+components?|centred[ \t]+on|centered[ \t]+on|cover(?:s|ing)?"
    r"|target(?:s|ing)?|support(?:s|ed|ing)?|exchange[ \t]+experience[ \t]+on|cooperat(?:e|ion)[ \t]+on|co-operat(?:e|ion)[ \t]+on"
    r"|on[ \t]+the[ \t]+use[ \t]+of|dedicated[ \t]+to|commit(?:s|ted)?[ \t]+to)\b",
    re.IGNORECASE,
)
PARTNER_RE = re.compile(
    r"\b(?:partner(?:s|ed|ing)?[ \t]+with|in[ \t]+partnership[ \t]+with|teamed[ \t]+up[ \t]+with"
    r"|together[ \t]+with)\b",
    re.IGNORECASE,
)
LOCATED_RE = re.compile(
    r"^[ \t]*,?[ \t]*(?:(?:which[ \t]+is[ \t]+|who[ \t]+are[ \t]+)?(?:based|headquartered|located)[ \t]+in)[ \t]+$",
    re.IGNORECASE,
)
HELD_IN_GAP_RE = re.compile(
    r"^[ \t]*(?:\([^()]{1,12}\)[ \t]*)?,?[ \t]*(?:(?:which[ \t]+(?:was|is|will[ \t]+be)[ \t]+)?"
    r"(?:held|hosted|taking[ \t]+place|took[ \t]+place)[ \t]+)?in[ \t]+(?:the[ \t]+city[ \t]+of[ \t]+)?$",
    re.IGNORECASE,
)
SIGNED_AT_GAP_RE = re.compile(
    r"[ \t]*(?:\([^()]{1,12}\))?[ \t]*,?[ \t]*(?:at|during|on[ \t]+the[ \t]+sidelines[ \t]+of)[ \t]+(?:the[ \t]+)?$",
    re.IGNORECASE,
)
SIGNED_IN_GAP_RE = re.compile(
    r"[ \t]*(?:\([^()]{1,12}\))?[ \t]*,?[ \t]*in[ \t]+(?:the[ \t]+city[ \t]+of[ \t]+)?$", re.IGNORECASE
)
CLAUSE_BREAK_RE = re.compile(r",[ \t]*(?:where|when|which|who|while|whereas)\b|;|[ \t]+where[ \t]+|:[ \t]")

_DATE_MONTHS = {
    m: i
    for i, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for m in names
}
MONTHS = _DATE_MONTHS
DATE_RE = re.compile(
    r"\b(?:(?P<d1>\d{1,2})[ \t]+(?P<m1>[A-Z][a-z]{2,8})\.?,?[ \t]+(?P<y1>\d{4})"
    r"|(?P<m2>[A-Z][a-z]{2,8})\.?[ \t]+(?P<d2>\d{1,2})(?:st|nd|rd|th)?,?[ \t]+(?P<y2>\d{4}))\b"
)

# --- Chinese -------------------------------------------------------------------------------

#: Suffixes of Chinese organisation and initiative names.
ZH_HEADS: dict[str, EntityKind] = {
    "基金会": EntityKind.ORGANISATION,
    "协会": EntityKind.ORGANISATION,
    "研究院": EntityKind.ORGANISATION,
    "研究所": EntityKind.ORGANISATION,
    "大学": EntityKind.ORGANISATION,
    "公司": EntityKind.ORGANISATION,
    "集团": EntityKind.ORGANISATION,
    "联盟": EntityKind.ORGANISATION,
    "委员会": EntityKind.ORGANISATION,
    "政府": EntityKind.ORGANISATION,
    "中心": EntityKind.ORGANISATION,
    "合作项目": EntityKind.INITIATIVE,
    "倡议": EntityKind.INITIATIVE,
    "计划": EntityKind.INITIATIVE,
    "峰会": EntityKind.EVENT,
    "论坛": EntityKind.EVENT,
    "大会": EntityKind.EVENT,
    "博览会": EntityKind.EVENT,
}
#: Characters that end a Chinese name on its left (punctuation and function words).
ZH_BREAKS = "，。、；：！？“”《》（）()「」 \t\n与和及同在于由将已并为的了是把对向从"
ZH_NAME_RE = re.compile(
    rf"(?<![^{ZH_BREAKS}])[^{ZH_BREAKS}]{{1,24}}?(?:{'|'.join(sorted(ZH_HEADS, key=len, reverse=True))})"
)
ZH_SIGN_RE = re.compile(r"签署|签订|签约")
ZH_JOIN_RE = re.compile(r"加入")
ZH_AGREEMENT_RE = re.compile(
    "|".join(sorted((k for k in GENERIC_AGREEMENTS if not k.isascii()), key=len, reverse=True))
)
ZH_IN_RE = re.compile(r"在$")
