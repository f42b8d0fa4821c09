"""People in text: the words of a post, honorifics, and how a post is written around a name
("Angie Fyfe, Director of …", "Port Alder Mayor Tomas Reyes", "the Executive Director of CRCN, …")."""

from __future__ import annotations

import re

from climatekg.loaders.text.patterns.names import UPPER

#: Heads that name a person's post, not a body: "Director of …" is a title, not an org.
TITLE_WORDS = frozenset(
    [
        "mayor",
        "director",
        "secretary",
        "secretary-general",
        "director-general",
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
#: Honorifics before a person's name ("Dr. Li", "Mayor … Ms Varga").
HONORIFICS = ("Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Prof", "Professor", "Sir", "Dame", "Madam")
#: Titles that belong to a city government: their holder works for the city of the context.
CITY_TITLES = frozenset({"mayor", "vice-mayor", "councillor", "councilor"})

HONORIFIC_RE = re.compile(
    rf"\b(?:{'|'.join(HONORIFICS)})\.?[ \t]+((?:[{UPPER}][^\W_]*(?:[-'’][^\W_]+)?)"
    rf"(?:[ \t]+[{UPPER}][^\W_]*(?:[-'’][^\W_]+)?){{0,2}})"
)
#: The words of a role, as a title is checked ("Deputy Director-General" → three words).
ROLE_WORD_RE = re.compile(r"[\w-]+")

_TITLE_ALT = "|".join(sorted(TITLE_WORDS | TITLE_MODIFIERS, key=len, reverse=True))
#: ", the Director …" right after a name.
APPOSITIVE_TITLE_RE = re.compile(
    rf"[ \t]*,[ \t]*(?:the[ \t]+|a[ \t]+|an[ \t]+)?(?:{_TITLE_ALT})\b", re.IGNORECASE
)
#: The comma (and article) between a person's name and a post after it.
APPOSITIVE_RE = re.compile(r"[ \t]*,[ \t]*(?:the[ \t]+|a[ \t]+|an[ \t]+|who[ \t]+is[ \t]+(?:the[ \t]+)?)?")
_SPEECH_VERBS = "said|says|stated|states|explained|added|noted|commented|remarked|according[ \t]+to|announced"
SPEECH_AFTER_RE = re.compile(rf"[ \t]*,?[ \t]+(?:{_SPEECH_VERBS})\b")
SPEECH_BEFORE_RE = re.compile(rf"\b(?:{_SPEECH_VERBS})[ \t]+$")
#: A post right before a name: "Executive Director Dana Whitlock", "Mayor Dr. Helen Varga".
ROLE_BEFORE_RE = re.compile(
    rf"(?P<role>(?:\b(?:{_TITLE_ALT})[ \t-]+){{1,5}})(?:(?:{'|'.join(HONORIFICS)})\.?[ \t]+)?$",
    re.IGNORECASE,
)
#: A post and "of" before an organisation: "the Executive Director of …".
ROLE_OF_RE = re.compile(
    rf"(?P<role>\b(?:(?:{_TITLE_ALT})[ \t]+){{0,4}}(?:{_TITLE_ALT}))[ \t]+(?:of|at)[ \t]+(?:the[ \t]+)?$",
    re.IGNORECASE,
)
#: What cannot stand between a name and its post (a sentence end, a quote, a new clause).
ROLE_GAP_BAD_RE = re.compile(r"[.;!?\"“”]|\b(?:said|says|who|which)\b")
#: The post after an organisation's possessive: "Northbridge's Mayor".
ROLE_AFTER_POSS_RE = re.compile(rf"['’]s[ \t]+((?:(?:{_TITLE_ALT})[ \t]*)+)", re.IGNORECASE)
#: A preposition (or article) ending a post: "Director of", "Head at the".
TRAILING_PREP_RE = re.compile(
    r"[ \t,]+(?:at|of|with|for|from|in)(?:[ \t]+the)?[ \t]*$|[ \t]+the[ \t]*$", re.IGNORECASE
)
#: An employer right before a post: "CRCN Director", "Northbridge's Mayor".
ADJACENT_RE = re.compile(r"(?:['’]s)?[ \t]+")
#: "of" after a name: "Mayor Helen Varga of Northbridge".
OF_RE = re.compile(r"[ \t]+of[ \t]+(?:the[ \t]+)?")
#: "a delegation from …, including …": people who travel for a city.
DELEGATION_RE = re.compile(r"\bdelegations?[ \t]+(?:from|of)[ \t]+(?:the[ \t]+)?", re.IGNORECASE)
INCLUDING_RE = re.compile(r"\b(?:including|led[ \t]+by|headed[ \t]+by|comprising|with)\b", re.IGNORECASE)
_POST_WORDS = "|".join(sorted(TITLE_WORDS, key=len, reverse=True))
#: A post written after a name: "Jonas Berg, product manager at", "Li Wei (李伟), deputy director of".
POST_AFTER_NAME_RE = re.compile(
    rf"(?:[ \t]*\([^()]{{1,30}}\))?[ \t]*,[ \t]*(?:the[ \t]+|a[ \t]+|an[ \t]+)?(?:[a-z][a-z-]*[ \t]+){{0,3}}?"
    rf"(?i:{_POST_WORDS})\b[^,.;\n]{{0,50}}?[ \t](?:at|of|for)[ \t]"
)
#: A post written before a name: "the City Manager of Kisumu, ", "the council's executive director, ".
POST_BEFORE_NAME_RE = re.compile(
    rf"\b(?i:{_POST_WORDS})(?:[ \t]+(?:of|at)[ \t]+(?:the[ \t]+)?[{UPPER}][^.;,\n]{{0,40}})?[ \t]*,[ \t]*$"
)
#: A possessive post right before a name: "Its energy officer, ", "the Alliance's secretary, Dr. ".
POSS_POST_BEFORE_RE = re.compile(
    r"(?:\b(?P<its>[Ii]ts|[Tt]heir)|(?P<poss>['’]s))[ \t]+(?P<role>[^,.;:!?()\"“”\n]{2,60}?)"
    r"[ \t]*,[ \t]*(?:(?:Dr|Prof|Mr|Ms|Mrs)\.?[ \t]+)?$"
)
#: "It is run by the …", "It is an initiative of …" opening a sentence: the initiative named just before.
IT_IS_RUN_BY_RE = re.compile(
    r"\b(?:(?:Led|Run|Managed|Coordinated)[ \t]+by(?=[^.\n]{3,80}?,[ \t]+it\b)"
    r"|It[ \t]+(?:[^.\n]{0,60}?[ \t]and[ \t]+)?(?:is|was)[ \t]+(?:(?:run|led|managed|coordinated|organi[sz]ed)[ \t]+by"
    r"|an?[ \t]+(?:initiative|programme|program|project)[ \t]+(?:of|run[ \t]+by|led[ \t]+by)))[ \t]+(?:the[ \t]+)?"
)
#: "The signing took place at …", "The ceremony was held during …": where the agreement before was signed.
SIGNING_PLACE_RE = re.compile(
    r"\b[Tt]he[ \t]+(?:signing|signature|ceremony|signing[ \t]+ceremony)[ \t]+(?:took[ \t]+place|was[ \t]+held)\b"
)
