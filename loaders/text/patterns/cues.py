"""Cue phrases: what signals a relation between the mentions of a sentence (signing, taking
part, launching, leading, joining, using or supplying a technology, partnering, being located),
what refers back to something named before ("the Parties", "the initiative", "the six cities"),
and how a date is written."""

from __future__ import annotations

import re

from climatekg.graph.model import EntityKind

# --- references back -------------------------------------------------------------------------

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
    "project": EntityKind.INITIATIVE,
    "compact": EntityKind.INITIATIVE,
    "partnership": EntityKind.INITIATIVE,
    "network": EntityKind.ORGANISATION,
    "alliance": EntityKind.ORGANISATION,
    "coalition": EntityKind.ORGANISATION,
    "foundation": EntityKind.ORGANISATION,
    "company": EntityKind.ORGANISATION,
    "council": EntityKind.ORGANISATION,
    "institute": EntityKind.ORGANISATION,
    "agency": EntityKind.ORGANISATION,
    "bureau": EntityKind.ORGANISATION,
    "association": EntityKind.ORGANISATION,
    "city": EntityKind.CITY,
    "summit": EntityKind.EVENT,
    "conference": EntityKind.EVENT,
    "forum": EntityKind.EVENT,
    "expo": EntityKind.EVENT,
}
#: "the initiative", "its memorandum": a definite reference whose noun (a key of COREF_NOUNS) gives the kind.
COREF_RE = re.compile(
    r"\b(?:[Tt]he|[Tt]his|[Tt]hat|[Ii]ts|[Tt]heir|[Oo]ur)[ \t]+"
    r"(?:(?!(?:global|international|other|another|new|future|such|first|second|same)\b)[a-z][a-z-]*(?:['’]s)?[ \t]+){0,3}?"
    rf"((?i:{'|'.join(map(re.escape, COREF_NOUNS))}))\b(?![ \t]*(?:of|for)\b)(?!['’]?s?[ \t]+[A-Z])"
    # "the foundation's programme": the programme, not the foundation
    rf"(?!['’]s[ \t]+(?:[a-z-]+[ \t]+)?(?i:{'|'.join(map(re.escape, COREF_NOUNS))})\b)"
)
#: The membership status a counted group names ("the three new full members").
STATUS_RE = re.compile(r"\b(?:full|associate|founding)\b", re.IGNORECASE)
#: Where a sentence makes members of that status: "have joined as full members".
STATUS_MEMBER_RE = re.compile(r"\b(full|associate|founding)[ \t]+member", re.IGNORECASE)
#: "Under it, the Parties will …", "Under its terms": the agreement named just before.
UNDER_IT_RE = re.compile(r"\b[Uu]nder[ \t]+(it|its[ \t]+terms)\b")
#: "the six cities", "all three members": a group counted in an earlier sentence.
PLURAL_RE = re.compile(
    r"\b(?:[Tt]he|[Tt]hese|[Aa]ll|[Tt]hose)[ \t]+(two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d{1,2})"
    r"[ \t]+(?:(?:new|full|associate|founding|signatory|member)[ \t]+){0,2}(cities|municipalities|members|signatories)\b"
)
NUMBER_WORDS = {
    w: i
    for i, w in enumerate(
        ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"], start=2
    )
}
#: "the pumps": a definite noun, checked against the head words technologies were named by.
THE_NOUN_RE = re.compile(r"\b[Tt]he[ \t]+([a-z][a-z-]{2,30})\b(?![ \t]+(?:of|for)\b)")

# --- relations -------------------------------------------------------------------------------

SIGN_RE = re.compile(r"\b(?:signed|signs|sign|signing|inked|concluded|entered into|renewed)\b", re.IGNORECASE)
PASSIVE_SIGN_RE = re.compile(
    r"\b(?:was|were|has been|have been|is|are)[ \t]+(?:\w+[ \t]+)?signed[ \t]+"
    r"(?:(?:in|at|on)[ \t]+[^,.;]{1,40}?[ \t]+)?by\b"  # "was signed in Fuzhou by"
)
#: Between an agreement and "signed" said of it: "an MOU signed", "The agreement was (formally) signed".
SIGNED_PARTICIPLE_GAP_RE = re.compile(
    r"[ \t]*,?[ \t]*(?:(?:was|were|is|are|has[ \t]+been|have[ \t]+been)[ \t]+)?(?:[a-z]+ly[ \t]+)?"
)
#: After "signed", up to its other parties: " on Tuesday with the neighbouring town of ".
SIGNED_WITH_RE = re.compile(
    r"[ \t]+(?:(?:on|in)[ \t]+[\w ]{1,20}?[ \t]+|today[ \t]+|yesterday[ \t]+)?with[ \t]+(?:the[ \t]+)?"
    r"(?:[a-z-]+[ \t]+){0,2}?(?:(?:town|city|municipality|port)[ \t]+of[ \t]+)?"
)
#: "… under a cooperation agreement", "Under the MOU": what follows is done under an agreement.
UNDER_END_RE = re.compile(r"\b[Uu]nder[ \t]+(?:(?:a|an|the|its|this|their)[ \t]+)?(?:[\w-]+[ \t]+){0,3}?$")
PARTICIPATE_RE = re.compile(
    r"\b(?:participated|participates|participate|participating)[ \t]+in\b|\battend(?:ed|s|ing)?\b"
    r"|\b(?:visited|toured)\b|\b(?:took|take|takes|taking)[ \t]+part[ \t]+in\b|\b(?:met|meet|meeting|gathered|convened)[ \t]+"
    r"(?:at|during)\b|\bspoke[ \t]+at\b|\bpresented[ \t]+(?:(?:the|its|their|a|an|[a-z]+)[ \t]+){0,3}?at\b|\bsent[ \t]+(?:a[ \t]+|their[ \t]+|its[ \t]+)?delegations?[ \t]+to\b"
    r"|\b(?:told|addressed|chaired|moderated|opened)[ \t]+(?=the[ \t]+(?:forum|summit|conference|congress|meeting|delegates)\b)",
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
    r"|operat(?:e|es|ed|ing)|runs[ \t]+(?=(?:an?|its|their|the|\d[\d,]*|two|three|four|five|six|ten|several|more|over|about|some)[ \t])|open(?:s|ed)[ \t]+(?=(?:an?|its|the|\d[\d,]*|two|three|four|five|six|ten|several)[ \t])|(?:already|now)[ \t]+(?:runs?|uses?|has)|(?:will|to)[ \t]+(?:run|use)|has[ \t]+(?:so[ \t]+far[ \t]+)?(?:installed|built|deployed))\b"
    r"|\breplac(?:e|es|ed|ing)\b[^.;]{0,80}?\bwith\b",
    re.IGNORECASE,
)
PROVIDE_RE = re.compile(
    r"\b(?:suppl(?:y|ies|ied|ying)|provid(?:e|es|ed|ing)|manufactur(?:e|es|ed|ing)|deliver(?:s|ed|ing)?"
    r"|sell(?:s|ing)?|sold|builds|designs|(?:maker|manufacturer|supplier|producer|builder)s?[ \t]+of)\b",
    re.IGNORECASE,
)
PROVIDED_BY_RE = re.compile(
    r"\b(?:supplied|provided|manufactured|delivered|built|made|developed|installed|constructed)[ \t]+by\b",
    re.IGNORECASE,
)
CONCERNS_RE = re.compile(
    r"\b(?:seeks?|aims?|focus(?:es|ed|ing)?|accelerat(?:e|es|ed|ing)|promot(?:e|es|ed|ing)|advanc(?:e|es|ing)"
    r"|scal(?:e|es|ing)[ \t]+up|key[ \t]+components?|centred[ \t]+on|centered[ \t]+on|cover(?:s|ing)?"
    r"|target(?:s|ing)?|support(?:s|ed|ing)?|exchange[ \t]+experience[ \t]+on|cooperat(?:e|ion)[ \t]+on|co-operat(?:e|ion)[ \t]+on"
    r"|on[ \t]+the[ \t]+use[ \t]+of|dedicated[ \t]+to|commit(?:s|ted)?[ \t]+to"
    r"|helps?[ \t]+(?:\w+[ \t]+){0,2}?(?:plan|build|deploy|install|adopt|replace|finance|scale[ \t]+up)"
    r"|pay(?:s|ing)?[ \t]+for|fund(?:s|ing)?|financ(?:e|es|ing))\b",
    re.IGNORECASE,
)
PARTNER_RE = re.compile(
    r"\b(?:partner(?:s|ed|ing)?[ \t]+with|in[ \t]+partnership[ \t]+with|teamed[ \t]+up[ \t]+with"
    r"|together[ \t]+with|works?[ \t]+with|working[ \t]+with|collaborat(?:es|ed|ing)[ \t]+with)\b",
    re.IGNORECASE,
)
LOCATED_RE = re.compile(
    r"^[ \t]*,?[ \t]*(?:(?:which[ \t]+is[ \t]+|who[ \t]+are[ \t]+)?(?:based|headquartered|located)[ \t]+in)[ \t]+$",
    re.IGNORECASE,
)
HELD_IN_GAP_RE = re.compile(
    r"^[ \t]*(?:\([^()]{1,12}\)[ \t]*)?,?[ \t]*(?:(?:(?:which[ \t]+)?(?:was|is|will[ \t]+be)[ \t]+)?"
    r"(?:held|hosted|taking[ \t]+place|took[ \t]+place)[ \t]+(?:(?:this|each|every)[ \t]+(?:year|spring|summer|autumn|fall|winter)[ \t]+|annually[ \t]+)?)?in[ \t]+(?:the[ \t]+city[ \t]+of[ \t]+)?$",
    re.IGNORECASE,
)
#: "Paris-based Acme": an organisation placed by an adjective.
BASED_RE = re.compile(r"-based[ \t]+(?:the[ \t]+)?")
#: "builds hubs for electric ships": what follows "for" is the purpose, not the thing supplied.
FOR_RE = re.compile(r"\bfor\b")
#: Taking part in an initiative (not an event): its members.
TAKE_PART_RE = re.compile(
    r"\b(?:(?:take|takes|took|taking)[ \t]+part|participat(?:e|es|ed|ing))[ \t]+in[ \t]+(?:the[ \t]+)?",
    re.IGNORECASE,
)
#: "the X Programme of the Y Agency": the body that runs the initiative named right before.
INITIATIVE_OF_THE_RE = re.compile(r"[ \t]+of[ \t]+the[ \t]+")
#: Right before an initiative that belongs to the sentence's subject: "… said that its X Programme".
ITS_END_RE = re.compile(r"\bits[ \t]+$")
#: Between "launched" and the initiative launched: " the ", " a new ".
LAUNCHED_OBJECT_RE = re.compile(r"[ \t]+(?:(?:the|a|an|its)[ \t]+)?(?:new[ \t]+)?")
#: After a technology, the actor it was used with: " with the local start-up ".
#: "… opened stations in Pune together with the Pune Municipal Corporation": a co-demonstrator.
TOGETHER_WITH_RE = re.compile(r"[^.;:]{0,60}?\b(?:together|jointly)[ \t]+with[ \t]+(?:the[ \t]+)?$")
WITH_ACTOR_RE = re.compile(r"[^.;:,]{0,40}?\bwith[ \t]+(?:the[ \t]+|its[ \t]+)?(?:[a-z-]+[ \t]+){0,3}?")
#: "launch" between "took part in" and an event: the event is where something was launched.
LAUNCH_BETWEEN_RE = re.compile(r"\blaunch\b", re.IGNORECASE)
#: A membership role in the singular: "as new members" → "new member".
ROLE_SINGULAR = {"members": "member", "partners": "partner", "signatories": "signatory", "cities": "city"}

# --- dates -----------------------------------------------------------------------------------

#: Month names and abbreviations, by number.
MONTHS = {
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
DATE_RE = re.compile(
    r"\b(?:(?P<d1>\d{1,2})[ \t]+(?P<m1>[A-Z][a-z]{2,8})\.?,?[ \t]+(?P<y1>\d{4})"
    r"|(?P<m2>[A-Z][a-z]{2,8})\.?[ \t]+(?P<d2>\d{1,2})(?:st|nd|rd|th)?,?[ \t]+(?P<y2>\d{4}))\b"
)

#: "alongside delegations from A and B", "Speaking at the forum, Dr. A": who took part in the event named.
DELEGATIONS_FROM_RE = re.compile(r"\bdelegations?[ \t]+(?:from|of)[ \t]+(?:the[ \t]+)?", re.IGNORECASE)
SPEAKING_AT_RE = re.compile(r"\b(?:[Ss]peaking|[Ww]riting)[ \t]+(?:at|during|to)[ \t]+")
#: Between an owner's possessive and a technology: "Bergen's harbour ferries", "Accra's new buses".
POSSESSIVE_TECH_GAP_RE = re.compile(r"['’]s?[ \t]+(?:(?:new|first|own|existing|[a-z]+-?[a-z]*)[ \t]+){0,2}?")
#: What says a technology is in use: "… already run on batteries", "… have carried … since 2019".
IN_USE_AFTER_RE = re.compile(
    r"[ \t]+(?:already|now|have[ \t]+(?:long[ \t]+)?been|has[ \t]+been)[ \t]+"
    r"|[ \t]+(?:have|has)[ \t]+(?:run|carried|served|operated|saved|cut)\b",
    re.IGNORECASE,
)
#: "the Kenyan capital": a country's capital city, named by the country's adjective.
NATIONAL_CAPITAL_RE = re.compile(r"\b[Tt]he[ \t]+[A-Z][a-z]+(?:an|ian|ese|ish|ic|i|ean)[ \t]+capital\b")
#: A cue of building something for someone else: "installing", "built", "delivered".
INSTALL_CUE_RE = re.compile(r"(?i)install|buil[dt]|deliver|suppl|commission")
#: Between what was built and who it was built for: " for ", " for the city's utility, ".
FOR_USER_RE = re.compile(r"[ \t]+for[ \t]+(?:the[ \t]+)?")
#: A technology named by what is built of it: "district heating network", "solar farm", "bus fleet".
INSTALLED_BASE_RE = re.compile(r"(?i)\b(?:networks?|grids?|plants?|systems?|fleets?|farms?)$")
#: Words that make a thing a plan, not a fact: "planned", "will", "proposed", "future", "first".
PLANNED_RE = re.compile(
    r"(?i)\b(?:plann?(?:ed|ing|s)?|will|would|proposed|future|first|new|could|may|wants?)\b"
)
#: Between what is supplied and who receives it: " to ", " to the ".
SUPPLIED_TO_RE = re.compile(r"[ \t]+to[ \t]+(?:the[ \t]+)?")
#: An owner's possessive and the body it owns named after a description: "'s public transport company, ".
OWNED_APPOSITION_RE = re.compile(r"['’]s?[ \t]+[a-z][a-z \t-]{0,40},[ \t]+(?:the[ \t]+)?")
#: "a member of the", "members of": what a body with members is named after (not an event).
MEMBER_OF_BEFORE_RE = re.compile(
    r"\b(?:members?|signator(?:y|ies))[ \t]+of[ \t]+(?:the[ \t]+)?$", re.IGNORECASE
)
