"""The structure inside a sentence: clause breaks, lists, commas, brackets, and the small words
that place a mention ("in", "at", "with") — what the relation rules measure the gaps between
mentions with."""

from __future__ import annotations

import re

#: Where a new clause starts: ", which", ", where", "; ", ": ", a quotation mark.
CLAUSE_START_RE = re.compile(
    r",[ \t]*(?:where|when|which|who|while|whereas|and[ \t]+that)\b|;|[ \t]+where\b|[ \t]+that\b|:[ \t]|[“”\"]"
)
#: A relative clause opening: "…, which".
RELATIVE_RE = re.compile(r",[ \t]*(?:which|who)$")
#: A clause that places what follows at an event named before: "… where", "during which".
WHERE_RE = re.compile(r".*\b(?:where|when|during[ \t]+which|at[ \t]+which)\b", re.IGNORECASE)
#: A full stop or semicolon: the end of what one relation may span.
STOP_PUNCT_RE = re.compile(r"[.;]")

#: A comma and nothing else.
COMMA_ONLY_RE = re.compile(r"[ \t]*,[ \t]*")
#: What may stand between two items of a list: "A, B and the city of C".
LIST_GAP_RE = re.compile(
    r"[ \t]*(?:,[ \t]*(?:and[ \t]+|&[ \t]*)?|and[ \t]+|&[ \t]*|)(?:the[ \t]+)?(?:city[ \t]+of[ \t]+)?",
    re.IGNORECASE,
)
#: Before a place that belongs to the list item before it: " in the ", ", ", " (".
PLACE_GAP_RE = re.compile(r"[ \t]*(?:,|\(|in)[ \t]*(?:the[ \t]+)?")
#: Sub-lists joined by semicolons, or a closing bracket: read as a list comma.
SUBLIST_RE = re.compile(r"^[ \t]*\)?[ \t]*;")
#: What may introduce a list: "… new members: A, B", "… including A and B".
LIST_INTRO_RE = re.compile(
    r"[^.;]{0,40}?(?::|,|[ \t]—|[ \t]–|\bincluding|\bnamely|\bare|\bwere|\binclude)[ \t]*(?:the[ \t]+)?",
    re.IGNORECASE,
)
#: A list going on after a mention: ", B".
LIST_AFTER_RE = re.compile(r"[ \t]*,[ \t]*[A-Z]")
#: Brackets right after a mention: "Memorandum of Understanding (MOU)".
BRACKETS_RE = re.compile(r"[ \t]*\([^()]{0,60}\)")
#: ", a port city in …": a city placed in a region by an apposition.
APPOSITIVE_IN_RE = re.compile(r"[ \t]*,[ \t]*(?:a|an|the)[ \t]+[^,.;()]{0,40}?\bin[ \t]+(?:the[ \t]+)?")

#: The other parties of an agreement follow: "… with A and B", "… between A and B".
WITH_RE = re.compile(r"[ \t]*,?[ \t]*(?:with|between)[ \t]+(?:the[ \t]+)?", re.IGNORECASE)
#: Right after an agreement, its parties follow: " between the ".
BETWEEN_RE = re.compile(r"[ \t]*,?[ \t]*between[ \t]+(?:the[ \t]+)?", re.IGNORECASE)
#: Right before an event something happened at: "at the", "during", "on the sidelines of".
AT_END_RE = re.compile(
    r"\b(?:at|during|on[ \t]+the[ \t]+sidelines[ \t]+of)[ \t]+(?:the[ \t]+)?(?:\w+[ \t]+)?$", re.IGNORECASE
)
#: Right before a place something happened in: "in", "in the city of".
IN_END_RE = re.compile(r"\bin[ \t]+(?:the[ \t]+city[ \t]+of[ \t]+)?$", re.IGNORECASE)
#: Right before a mention that is a place, not a party: "in", "at", "from", "在".
LOCATIVE_RE = re.compile(
    r"(?:\b(?:in|at|from)[ \t]+(?:the[ \t]+)?(?:city[ \t]+of[ \t]+)?|在)$", re.IGNORECASE
)
#: "signed" used as an adjective: "the newly signed MOU", "a signed agreement".
ADJECTIVAL_RE = re.compile(
    r"\b(?:newly|recently|previously|already|jointly|the|a|an|its|their)[ \t]+$", re.IGNORECASE
)
#: A passive verb's auxiliary right before it: "was officially launched".
PASSIVE_END_RE = re.compile(r"\b(?:was|were|is|are|been|be)[ \t]+(?:\w+[ \t]+)?$")

#: The possessive between a country and its region: "China's Guizhou".
POSSESSIVE_GAP_RE = re.compile(r"['’]s[ \t]+")
#: A city's region in an apposition: ", the capital of ", ", also in ", ", two cities in the north of ".
REGION_APPOSITION_RE = re.compile(
    r"[ \t]*,[ \t]*(?:(?:the[ \t]+)?(?:capital|largest[ \t]+city|provincial[ \t]+capital)[ \t]+of[ \t]+"
    r"|(?:also[ \t]+|both[ \t]+)?in[ \t]+"
    r"|(?P<many>(?:two|three|four|five|six|both)[ \t]+(?:cities|towns)[ \t]+(?:[^,.;()]{0,30}?[ \t])?(?:in|of)[ \t]+))"
    r"(?:the[ \t]+)?",
    re.IGNORECASE,
)
#: " in " with no comma: "Dali in China's Yunnan province".
#: ", a bus maker based in ": an organisation's seat after a description of it.
DESCRIBED_BASED_RE = re.compile(
    r"[ \t]*,[ \t]*an?[ \t]+[^,.;()\"“”]{1,40}?[ \t](?:based|headquartered|located)[ \t]+in[ \t]+(?:the[ \t]+(?=city\b))?"
)
#: A relative clause set off by commas before a verb: "BWCN, which is based in Riga, is …".
RELATIVE_ASIDE_RE = re.compile(r"[ \t]*,[ \t]*(?:which|who)[ \t][^,;]{1,80},[ \t]*$")
