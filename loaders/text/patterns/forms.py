"""Patterns of the rules that read names and relations by their form: world places in context,
technology variants, agreements by type, membership lists and clauses, posts beside names."""

from __future__ import annotations

import re

# --- world.py ---
#: What makes a capitalised word a place: "in X", "of X", "City of X", "X (", "X, Country".
BEFORE_RE = re.compile(r"(?:\b(?:in|of|from|to|at|and|cities|towns)[ \t]+|[,(][ \t]*)$", re.IGNORECASE)

NEXT_WORD_RE = re.compile(r"[ \t]+([A-Z][\w&-]*)")

PREV_WORD_RE = re.compile(r"([A-Z][\w&-]*)[ \t]+$")


# --- technologies.py ---
SPACE_OR_HYPHEN = r"[ \t]*-?[ \t]*"  # a space or a hyphen: "district-cooling", "district cooling"

#: Surface forms of a scheme concept, by the concept's label.
VARIANTS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p, re.IGNORECASE), label)
    for p, label in (
        (
            rf"\b(?:(?:rooftop|floating|community|utility{SPACE_OR_HYPHEN}scale)[ \t]+solar(?:[ \t]+(?:PV|panels?|arrays?|plants?|power))?"
            r"|solar[ \t]+(?:PV|panels?|arrays?|photovoltaics?|farms?|parks?))\b",
            "solar photovoltaics",
        ),
        (
            rf"\b(?:(?:public|fast|ultra{SPACE_OR_HYPHEN}fast|rapid|EV|ten{SPACE_OR_HYPHEN}minute|shore{SPACE_OR_HYPHEN}side)[ \t]+)?charging[ \t]+"
            r"(?:hubs?|depots?|points?|stations?|infrastructure|network)\b",
            "charging infrastructure",
        ),
        (
            rf"\bdistrict{SPACE_OR_HYPHEN}(?:heating|cooling)(?:[ \t]+(?:and[ \t]+cooling[ \t]+)?(?:networks?|systems?|plants?))?\b",
            "district heating and cooling",
        ),
        (r"\bcooling[ \t]+networks?\b", "district heating and cooling"),
        (
            rf"\b(?:home|container|grid{SPACE_OR_HYPHEN}scale|stationary)[ \t]+batter(?:y|ies)\b|\bbattery[ \t]+(?:cells?|storage|systems?)\b",
            "electric battery",
        ),
        (
            rf"\b(?:battery{SPACE_OR_HYPHEN}electric|electric)[ \t]+(?:\w+[ \t]+)?bus(?:es)?(?:[ \t]+corridors?)?\b",
            "electric buses",
        ),
        (
            rf"\b(?:large|seawater|air{SPACE_OR_HYPHEN}source|ground{SPACE_OR_HYPHEN}source|industrial)?[ \t]*heat{SPACE_OR_HYPHEN}pumps?(?:[ \t]+water[ \t]+heaters?)?\b",
            "heat pumps",
        ),
        (
            r"\bLED[ \t]+(?:street[ \t]*)?(?:lighting|lights|lamps|floodlights|bulbs|luminaires)\b",
            "energy-efficient lighting",
        ),
        (
            rf"\blandfill{SPACE_OR_HYPHEN}gas(?:[ \t]+power[ \t]+plants?)?\b|\bwaste{SPACE_OR_HYPHEN}to{SPACE_OR_HYPHEN}energy\b",
            "waste-to-energy",
        ),
    )
)

#: Kinds of things the scheme may lack: a new Technology candidate each, labelled by its term.
NEW_TECHNOLOGIES = re.compile(
    rf"\b(?:(?:hydrogen(?:[ \t]+fuel{SPACE_OR_HYPHEN}cell)?|fuel{SPACE_OR_HYPHEN}cell)[ \t]+bus(?:es)?"
    rf"|(?:battery{SPACE_OR_HYPHEN}electric|hydrogen(?:[ \t]+fuel{SPACE_OR_HYPHEN}cell)?|fuel{SPACE_OR_HYPHEN}cell|electric)[ \t]+"
    r"(?:(?:harbou?r|river|city|passenger|commuter|cargo|delivery|garbage|refuse)[ \t]+)?"
    rf"(?:ferr(?:y|ies)|motorcycles?(?:[ \t]+taxis?)?|three{SPACE_OR_HYPHEN}wheelers?|trucks?|boats?|ships?|vessels?|tug(?:boat)?s?|cargo{SPACE_OR_HYPHEN}handling[ \t]+equipment)"
    rf"|shore[ \t]+power|vehicle{SPACE_OR_HYPHEN}to{SPACE_OR_HYPHEN}grid(?:[ \t]+chargers?)?|virtual[ \t]+power[ \t]+plants?|(?:urban[ \t]+)?cable[ \t]+cars?"
    rf"|solar[ \t]+street[ \t]+(?:lighting|lights)|solar[ \t]+thermal|(?:ice[ \t]+)?thermal[ \t]+(?:energy[ \t]+)?storage"
    rf"|waste[ \t]+heat(?:[ \t]+recovery)?|hydrogen[ \t]+(?:re)?(?:fuel(?:l)?ing|filling)[ \t]+stations?|(?:solar[ \t]+)?(?:micro|mini){SPACE_OR_HYPHEN}grids?|(?:cool|green)[ \t]+roofs?|battery{SPACE_OR_HYPHEN}swapping(?:[ \t]+(?:stations?|points?|cabinets?))?|living[ \t]+shorelines?|hydropower|electrolys[ei]rs?)\b",
    re.IGNORECASE,
)


#: Names of one kind of bus: "hydrogen buses", "fuel-cell buses", "hydrogen fuel-cell buses".
FUEL_CELL_BUS_RE = re.compile(
    rf"(?i)(?:hydrogen|fuel{SPACE_OR_HYPHEN}cell|hydrogen[ \t]+fuel{SPACE_OR_HYPHEN}cell)[ \t]+buses"
)


# --- typed_agreements.py ---
AGREEMENT_TYPE_RE = re.compile(
    r"\b(?:an?|the|new|their|its|this)[ \t]+(?:(?:19|20)\d\d[ \t]+)?(?:new[ \t]+|[\w]+-(?:way|year)[ \t]+|formal[ \t]+)?"
    r"(?P<name>(?P<type>sister[ -]city|twinning|friendship-city|co-?operation|partnership|framework)[ \t]+agreement"
    r"|memorandum[ \t]+of[ \t]+understanding|partnership(?=[ \t]+(?:with|between)\b))",
    re.IGNORECASE,
)


# --- members.py ---
ROLE = r"(?P<role>(?:(?:full|associate|founding|affiliate|observer)[ \t]+)?(?:members?|signator(?:y|ies)|observers?))"

#: "have joined as full members", "were admitted as associate members", "joined the network as …"
JOINED_AS_RE = re.compile(
    r"\b(?:joined|(?:were|was|been|are|is)[ \t]+(?:admitted|accepted|welcomed|approved|added))"
    rf"(?:[ \t]+(?:the|this|our)[ \t]+(?:network|alliance|compact|initiative|programme|league|council))?"
    rf"[ \t]+as[ \t]+(?:an?[ \t]+|the[ \t]+)?(?:(?:new|first|two|three|four|five|six)[ \t]+)?{ROLE}",
    re.IGNORECASE,
)

#: "a member of", "is itself a member of", "are members of", "a signatory of" right before the group.
MEMBER_OF_RE = re.compile(
    r"\b(?:an?[ \t]+|(?:is|are|was|were|became|become|remains?|(?:has|have|had)[ \t]+been)[ \t]+(?:itself[ \t]+|also[ \t]+|already[ \t]+|now[ \t]+"
    rf"|both[ \t]+|all[ \t]+)?(?:an?[ \t]+)?){ROLE}[ \t]+(?:of|to)[ \t]+(?:the[ \t]+)?$",
    re.IGNORECASE,
)

#: "… and is a member of": the verb's subject is the clause's.
AND_VERB_RE = re.compile(r"\band[ \t]+(?:is|are|was|were|has[ \t]+been|have[ \t]+been)\b")

#: ", a signatory since 2019,": a membership whose network is the one the text is about.
MEMBER_SINCE_RE = re.compile(
    rf"[ \t]*,[ \t]*(?:which[ \t]+(?:has|have)[ \t]+been[ \t]+(?:an?[ \t]+)?|an?[ \t]+){ROLE}[ \t]+since[ \t]+\d{{4}}\b",
    re.IGNORECASE,
)

#: "has admitted A, B and C as full members": the verb, then the role after the list.
ADMITTED_RE = re.compile(r"\b(?:admitted|welcomed|accepted|added|approved)[ \t]+", re.IGNORECASE)
ADMITTED_AS_RE = re.compile(
    rf"[ \t]+as[ \t]+(?:an?[ \t]+|the[ \t]+)?(?:(?:new|first)[ \t]+)?{ROLE}\b", re.IGNORECASE
)

#: Between a member and "a member of": ", " (apposition) or the verb's subject gap.
APPOSITION_RE = re.compile(r"[ \t]*,[ \t]*$|[ \t]+$")

#: A parenthesised place after a list item: "Dakar (Senegal)".
BRACKETED_RE = re.compile(r"[ \t]*\([^()]{1,40}\)")


# --- appositions.py ---
IN_RE = re.compile(r"[ \t]+in[ \t]+(?:the[ \t]+)?$")

OF_RE = re.compile(r"[ \t]+(?:of|in)[ \t]+$")

BASED_RE = re.compile(r"[ \t]*,[ \t]*(?:the|a|an)[ \t]+$")

#: "Name, head of flexibility services at " — the post, then the employer.
POST_RE = re.compile(
    r"[ \t]*,[ \t]*(?:the[ \t]+)?(?P<role>[a-z][\w' -]{2,60}?)[ \t]+(?:at|of|for|with)[ \t]+(?:the[ \t]+)?$"
)

#: "Reading's lead councillor for net zero, " / "the City Manager of Kisumu, " before a name.
POST_BEFORE_RE = re.compile(r"^(?:'s|’s)[ \t]+(?P<role>[\w' -]{3,60}?)[ \t]*,[ \t]*$")

OF_POST_RE = re.compile(r"(?:the[ \t]+)?(?P<role>[A-Z]?[\w -]{3,40}?)[ \t]+of[ \t]+$")


# --- extractor.py ---
OPEN_BRACKET_RE = re.compile(r"[ \t]*[(（][ \t]*")


# --- finder.py ---
#: A Chinese name (and pinyin) in brackets after an English one: "Green Lake Foundation (绿湖基金会, Lǜhú Jījīnhuì)".
TRANSLATION_RE = re.compile(r"(?<=[A-Za-z.]) \((?=[^()]*[\u3400-\u9fff])[^()\n]{1,60}\)")

# --- extractor.py: names read by what follows them ---
#: "X, an initiative of Z", "X, a programme of Z": X is an initiative, whatever its head word.
INITIATIVE_OF_RE = re.compile(
    r"(?:[)）]|[ \t]*[(（][^()（）\n]{1,40}[)）])?(?:[ \t]+is|[ \t]*,)[ \t]*(?:an?|the)[ \t]+(?:\w+[ \t]+)?(?:initiative|programme|program|project|campaign)[ \t]+(?:of|run[ \t]+by|led[ \t]+by)\b",
    re.IGNORECASE,
)
#: "<Body> Chair and <City> Mayor <Name>": the post the person holds in the body.
CHAIR_AND_RE = re.compile(
    r"[ \t]+(?P<role>Chair|Chairman|Chairwoman|Chairperson|President|Director|Secretary|CEO)[ \t]+and[ \t]+"
)
MAYOR_GAP_RE = re.compile(r"[ \t]+(?:Deputy[ \t]+)?Mayor[ \t]+")
#: A post after a body's name belongs to the person named next: "… Council Chair and X Mayor A".
TRAILING_POSTS = frozenset(
    {"chair", "chairman", "chairwoman", "chairperson", "president", "director", "secretary", "ceo"}
)
#: A year before or after an event's name: "Nordic Smart Grid Days 2024", "2024 Lancang-Mekong Cities Forum".
EVENT_YEAR_RE = re.compile(r"^(?:(?:19|20)\d\d[ \t]+)?(?P<base>.+?)(?:[ \t]+(?:19|20)\d\d)?$")
#: "Dakar (Senegal)": a place in brackets right after a city.
BRACKETED_PLACE_GAP_RE = re.compile(r"[ \t]*\($")

# --- relations/document.py: what a page's layout says ---
#: A heading over a list of speakers: "## Speakers", "Speakers", "Panellists:".
SPEAKERS_HEADING_RE = re.compile(
    r"(?im)^[ \t]*(?:#{1,6}[ \t]*)?(?:speakers|panell?ists|speakers and panell?ists|programme speakers)[ \t]*:?[ \t]*$"
)
#: What ends such a list: the next Markdown heading, or a line of prose (ending in a full stop).
NEXT_HEADING_RE = re.compile(r"(?m)^[ \t]*#{1,6}[ \t]+\S|[.!?][\"”]?[ \t]*$")
#: A date on the line under a page's title: "Quito, Ecuador · 10–13 March 2025".
DATE_LINE_RE = re.compile(r"\b\d{1,2}(?:[–-]\d{1,2})?[ \t]+[A-Z][a-z]+[ \t]+\d{4}\b")
#: "X was launched", "Launch of the X": an initiative launched at the event the page is about.
LAUNCHED_RE = re.compile(
    r"\b(?:was|were|is|been)[ \t]+launched\b|\blaunch(?:ed)?[ \t]+of[ \t]+(?:the[ \t]+)?", re.IGNORECASE
)

#: "X, a Kenyan solar company based in Y", "X, a district-energy company headquartered in Y".
DESCRIBED_BASED_IN_RE = re.compile(
    r"[ \t]*,[ \t]*(?:an?|the)[ \t]+[^,.;()]{0,50}?\b(?:based|headquartered|located)[ \t]+in[ \t]+(?:the[ \t]+)?"
)
#: "…, which ACCN runs with the X Foundation": the initiative is led by both.
RUNS_WITH_RE = re.compile(
    r"[ \t]+(?:runs?|manages?|co-?leads?|leads?)[ \t]+(?:it[ \t]+)?(?:with|together[ \t]+with)[ \t]+(?:the[ \t]+)?"
    r"(?:(?!and\b)[a-z][\w-]*[ \t]+){0,3}"  # "with the regional utility X"
)

#: Particles inside a longer name: "Universidad Técnica del Pacífico" is no mention of Pacífico.
NAME_PARTICLES = frozenset(
    {"de", "del", "della", "di", "da", "do", "dos", "la", "le", "van", "von", "der", "für", "of"}
)
#: "X Programme of the Y Agency", "X and the Y Council": two names in one capitalised run.
OF_THE_RE = re.compile(r"[ \t]+(?:of|and)[ \t]+the[ \t]+(?=[A-Z])")
#: A legal form ends a company's name: "Volta Cells AB of Gothenburg" is Volta Cells AB, of Gothenburg.
LEGAL_FORM_OF_RE = re.compile(
    r"\b(?:Ltd|Inc|AB|Oy|GmbH|LLC|plc|PLC|AG|Corp|SA|BV)\.?(?=[ \t]+(?:of|in|from)[ \t]+[A-Z])"
)
#: A signing reported on an event's page: "… signed a memorandum", "Signing of a partnership".
SIGNED_ON_PAGE_RE = re.compile(r"\b(?:signed|signing|signs)\b", re.IGNORECASE)
#: "Both cities are also members of the X": the two cities named last are members of X.
BOTH_CITIES_MEMBERS_RE = re.compile(
    r"\b[Bb]oth[ \t]+(?:cities|municipalities|towns)[ \t]+(?:are|were|have[ \t]+been)[ \t]+(?:also[ \t]+|already[ \t]+)?"
    r"(?:full[ \t]+)?members[ \t]+of[ \t]+(?:the[ \t]+)?"
)
