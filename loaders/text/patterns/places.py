"""Places: countries and large regions, and the cues that introduce a place in a sentence
("delegation from …", "City of …", "… Summit in Paris", "the cities of A, B and C", a dateline)."""

from __future__ import annotations

import re

from climatekg.graph.model import EntityKind
from climatekg.loaders.text.patterns.names import HEADS, UPPER

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

#: Phrases after which a capitalised word is the place something happens.
PLACE_CUE_RE = re.compile(
    r"\b(?:held|hosted|signed|based|located|headquartered|convene[sd]?|convening|meet|met|gather(?:ed)?"
    r"|took place|taking place|takes place|visit(?:ed)? to|delegations? (?:from|of)|city of|cities of"
    r"|town of|municipality of|mayors? of|city government of|people of|residents of)[ \t]+(?=[A-Z])",
    re.IGNORECASE,
)
#: Every event head word of ``HEADS`` except "games", in the same order.
_EVENT_IN_HEADS = "|".join(w for w, kind in HEADS.items() if kind is EntityKind.EVENT and w != "games")
#: Event heads or a bracketed acronym right before "in X": "… Summit in Paris", "(COP) in Paris".
EVENT_IN_RE = re.compile(rf"(?:\b(?:{_EVENT_IN_HEADS})|\))[ \t]+in[ \t]+(?=[A-Z])", re.IGNORECASE)
#: Lists of cities announced as such: "the cities of A, B and C", "new member cities: A, B …".
CITY_LIST_RE = re.compile(
    r"\b(?:(?:cities|municipalities|towns)[ \t]*,?(?:[ \t]+(?:of|are|were|include|including|such[ \t]+as|like))?[ \t]*[:,]?"
    r"|delegations[ \t]+(?:from|of))[ \t]+(?=[A-Z])",
    re.IGNORECASE,
)
#: What separates the items of such a list: "A, B and C".
LIST_SEP_RE = re.compile(r"[ \t]*(?:,[ \t]*(?:and[ \t]+)?|[ \t]+and[ \t]+|[ \t]*&[ \t]*)(?=[A-Z])")
#: A comma between a city and its country: "Lyon, France".
COMMA_RE = re.compile(r",[ \t]+")
#: A dateline opening a press release: "PARIS, 7 December 2015 —".
DATELINE_RE = re.compile(
    rf"(?m)^[ \t]*([{UPPER}][{UPPER} .\-]{{2,30}}[{UPPER}]),[ \t]+(?=\d{{1,2}}[ \t]+[A-Z][a-z]|[A-Z][a-z]+\.?[ \t]+\d)"
)
