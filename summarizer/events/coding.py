"""Event typing: PLOVER event type and mode, CAMEO code, and actor codes of one record.

Derived from fields the record already has (status, channel, place, parties, roles), never
from the article's words, so it works for any language:

- a held meeting is CONSULT: ``phone`` (CAMEO 041) by phone or video; ``visit`` (042) when it
  took place in one side's country: the other side visited, and is the actor; ``third-party``
  (044) in a country of neither side; ``multilateral`` (040) with three sides or more; no mode
  (040) when the place is not known;
- a planned or postponed meeting is AGREE, intent to meet (036); a cancelled one is not coded;
- an agreement that was signed is SUPPORT, sign formal agreement (057); agreed, in force or
  extended is AGREE (030, with the economic or military context where its kind or parties say
  so: 0311, 0312); proposed or under negotiation is CONSULT, negotiate (046); rejected or
  disputed is not coded (a record of disagreement, not of an event PLOVER's AGREE covers).

Actors are ISO 3166 alpha-3 codes for countries (any spelling :func:`.text.names.country_code`
reads) and else the party's name, each with a sector: GOV for a country, IGO for an
international organisation, BUS for a company, LAB for a union, from the name; a participant's
sector comes from their title (MIL for officers and defence chiefs).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from summarizer.text.names import canonical_party, country_code

__all__ = ["Actor", "Coding", "actor", "code_agreement", "code_meeting", "host_side", "sector_of_title"]


@dataclass(frozen=True, slots=True)
class Actor:
    """A side of an event: ISO alpha-3 code for a country, else the name; and its sector."""

    code: str
    name: str
    sector: str | None  # GOV, MIL, BUS, LAB, IGO, or None when nothing says


@dataclass(frozen=True, slots=True)
class Coding:
    """PLOVER event type, mode and context, the CAMEO code, and why (a one-line reason)."""

    event: str
    mode: str | None
    context: str | None
    cameo: str
    reason: str


_IGO = re.compile(
    r"\b(?:united nations|u\.?n\.?|european union|e\.?u\.?|nato|otan|opec|opep|asean|g-?7|g-?8|g-?20|"
    r"imf|fmi|world bank|banco mundial|banque mondiale|wto|omc|african union|union africaine|"
    r"mercosur|mercosul|efta|aele|gcc|oecd|ocde|who|oms|iaea|aiea|apec|brics|council of europe|"
    r"commission|international (?:coffee|cocoa|sugar|tin) (?:organi[sz]ation|council)|ico|icco|"
    r"quad|aukus|cis|sco|league of arab states|arab league|unión europea|union européenne|"
    r"europäische union|unione europea|união europeia|naciones unidas|nations unies|vereinte nationen)\b",
    re.I,
)
_BUS = re.compile(
    r"\b(?:inc|corp|corporation|co|company|ltd|limited|plc|llc|group|holdings?|s\.?a|s\.?p\.?a|ag|gmbh|"
    r"nv|n\.v|bv|se|spa|sarl|kk|k\.k|bank|motors?|airlines?|energy|petroleum|oil|gas|telecom|"
    r"technologies|systems|industries|pharma|steel)\b|株式会社|グループ|銀行",
    re.I,
)
_LAB = re.compile(
    r"\b(?:unions?|trade union|labor|labour|workers|teamsters|uaw|ufcw|afl-cio|ig metall|ver\.?di|"
    r"gewerkschafts?|syndicats?|cgt|cfdt|fo|sindicatos?|ugt|ccoo|cgil|cisl|uil|fnv|machinists|"
    r"nurses association|employees)\b|労働組合|労組",
    re.I,
)
_MIL_TITLE = re.compile(
    r"\b(?:general|admiral|colonel|commander|chief of (?:the )?(?:general |defen[cs]e )?staff|"
    r"joint chiefs|marshal|air chief|army|navy|military|armed forces|général|amiral|generale|"
    r"ammiraglio|almirante|brigadier|major general|lieutenant general)\b|将軍|幕僚長|司令官",
    re.I,
)
_GOV_TITLE = re.compile(
    r"\b(?:president|presidente|presidenta|président|präsident|prime minister|premier|chancellor|"
    r"kanzler|kanzlerin|canciller|chancelier|minister|ministra|ministro|ministre|ministerin|"
    r"secretary|secretario|secrétaire|staatssekretär|king|queen|emir|sheikh|crown prince|sultan|"
    r"ambassador|embajador|ambassadeur|botschafter|ambasciatore|envoy|governor|mayor|senator|"
    r"deputy|vice president|vice-president|official|spokesman|spokesperson|foreign|defen[cs]e)\b|"
    r"首相|大統領|大臣|外相|長官|国王|主席|大使",
    re.I,
)
_BUS_TITLE = re.compile(
    r"\b(?:ceo|chief executive|chairman|chairwoman|chair of the board|managing director|cfo|coo|"
    r"founder|executive|director general|consejero delegado|directeur général|vorstandschef|"
    r"amministratore delegato|presidente executivo)\b|社長|会長",
    re.I,
)
_LAB_TITLE = re.compile(
    r"\b(?:union (?:leader|president|chief)|shop steward|secretary-general of the)\b", re.I
)


def sector_of_title(title: str | None) -> str | None:
    """A participant's sector from their title (MIL before GOV: "Defence Chief of Staff")."""
    if not title:
        return None
    for sector, pattern in (
        ("MIL", _MIL_TITLE),
        ("LAB", _LAB_TITLE),
        ("BUS", _BUS_TITLE),
        ("GOV", _GOV_TITLE),
    ):
        if pattern.search(title):
            return sector
    return None


@lru_cache(maxsize=16384)
def actor(party: str) -> Actor:
    """The :class:`Actor` of a party as a record names it."""
    code = country_code(party)
    name = canonical_party(party)
    if code is not None:
        return Actor(code, name, "GOV")
    for sector, pattern in (("IGO", _IGO), ("LAB", _LAB), ("BUS", _BUS)):
        if pattern.search(name):
            return Actor(name, name, sector)
    return Actor(name, name, None)


def code_meeting(
    status: str, channel: str, parties: list[str], place_country: str | None, host: str | None = None
) -> Coding | None:
    """The coding of a meeting record (see the module docstring); ``None`` when cancelled.

    ``host``: the side the text says hosted, when known; else the side whose country the meeting
    took place in, when exactly one does.
    """
    if status == "cancelled":
        return None
    if status in ("planned", "postponed"):
        return Coding("AGREE", None, "diplomatic", "036", f"{status} meeting: intent to meet")
    if channel in ("phone", "video"):
        return Coding("CONSULT", "phone", None, "041", f"{channel} call")
    sides = list(dict.fromkeys(actor(p).code for p in parties))
    if len(sides) >= 3:
        return Coding("CONSULT", "multilateral", None, "040", f"{len(sides)} sides")
    hosts = [host] if host else _hosts(parties, place_country)
    if len(hosts) == 1 and len(sides) == 2:
        return Coding(
            "CONSULT", "visit", None, "042", f"held in {hosts[0]}'s country: the other side visited"
        )
    if place_country and not hosts and country_code(place_country):
        return Coding(
            "CONSULT", "third-party", None, "044", f"held in {place_country}, neither side's country"
        )
    return Coding("CONSULT", None, None, "040", "held; place or sides unknown")


def _hosts(parties: list[str], place_country: str | None) -> list[str]:
    """The parties whose country is the meeting's country."""
    place = country_code(place_country) if place_country else None
    if place is None:
        return []
    return [p for p in dict.fromkeys(parties) if country_code(p) == place]


def host_side(parties: list[str], place_country: str | None) -> str | None:
    """The host of a two-sided meeting: the one side whose country it took place in, if exactly one."""
    sides = list(dict.fromkeys(actor(p).code for p in parties))
    hosts = _hosts(parties, place_country)
    return hosts[0] if len(sides) == 2 and len(hosts) == 1 else None


_MILITARY_KINDS = re.compile(r"\b(?:defen[cs]e|military|security|arms|troops|naval|weapons)\b", re.I)
_ECONOMIC_KINDS = re.compile(
    r"\b(?:trade|tariffs?|economic|investment|supply|purchase|sale|quota|wage|price)\b", re.I
)


def code_agreement(status: str, kind: str, summary: str = "") -> Coding | None:
    """The coding of an agreement record (see the module docstring); ``None`` when rejected or
    disputed. ``summary`` only picks the AGREE context (economic, military)."""
    if status in ("rejected", "disputed"):
        return None
    if status in ("proposed", "under_negotiation"):
        return Coding("CONSULT", None, "diplomatic", "046", f"{status.replace('_', ' ')}: negotiation")
    if status == "signed":
        return Coding("SUPPORT", None, "diplomatic", "057", "signed: formal agreement")
    if _MILITARY_KINDS.search(summary):
        return Coding("AGREE", None, "military", "0312", f"{status}: military cooperation")
    if kind == "contract" or _ECONOMIC_KINDS.search(summary):
        return Coding("AGREE", None, "economic", "0311", f"{status}: economic cooperation")
    return Coding("AGREE", None, "diplomatic", "030", f"{status}: intent to cooperate")
