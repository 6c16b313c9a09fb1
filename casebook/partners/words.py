"""Word lists for partner names: particles, legal forms, type words, nouns that name organisations.

What a word in an organisation's name is (a legal form, a kind of
organisation, an article) decides which shorter forms people use for it;
the lists live here so the variant derivation and the detector read one
source and a reviewer finds them in one place.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from casebook.text import lemmas

NOT_PARTNERS_FILE = Path(__file__).resolve().parents[1] / "data" / "not_partners.toml"


def _not_partners(path: Path) -> dict[str, list[str]]:
    """The programme's own names (data, not code), lower-cased as the rules compare them."""
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    return {k: [str(v).lower() for v in data.get(k) or ()] for k in ("names", "starts")}


_NOT_PARTNERS = _not_partners(NOT_PARTNERS_FILE)

STOP_WORDS = frozenset(
    """de het een en of in op aan van voor met bij naar uit over door om te tot als dan dat die dit deze
    er hier daar nu nog wel niet geen ook maar want dus toen zo al wat wie waar hoe ik je jij u we wij
    ze zij hij zijn haar hun ons onze mijn jullie men is was werd wordt zijn heeft hebben had kan kon
    moet moeten zal zou ja nee eerlijk gezegd goed zeker vooral vaak soms altijd nooit eigenlijk
    ten ter den der 't""".split()
)
PARTICLES = frozenset(
    {
        "van",
        "de",
        "der",
        "den",
        "het",
        "'t",
        "’t",
        "ter",
        "ten",
        "te",
        "voor",
        "op",
        "aan",
        "in",
        "&",
    }
)

# Words that describe what kind of organisation a name is, rather than which one.
LEADING_TYPE_WORDS = frozenset(
    """roc regionaal opleidingencentrum gemeente provincie stichting vereniging basisschool obs cbs pcbs
    rkbs ikc sbo so vso pro praktijkschool scholengemeenschap sg csg osg hogeschool pabo
    bouwbedrijf installatiebedrijf installateur aannemersbedrijf metaalbedrijf technisch
    het de""".split()
)
TRAILING_TYPE_WORDS = frozenset(
    """college lyceum school scholengemeenschap campus academie bv b.v. nv n.v. vof v.o.f. holding
    groep group installatietechniek elektrotechniek techniek installaties installatie bouw metaal
    metaalbewerking engineering services service solutions systems industrie fabriek werken
    opleidingen opleidingsbedrijf zn zn. zonen""".split()
)
LEGAL_TAIL = re.compile(
    r"\s*(?:&\s*(?:zn\.?|zonen)|\b(?:b\.?v\.?|n\.?v\.?|v\.?o\.?f\.?))\s*$", re.I
)

# Words that make a capitalised run look like an organisation, with the type they suggest.
ORG_KEYWORDS: dict[str, str] = {
    "roc": "mbo",
    "mbo": "mbo",
    "gemeente": "gemeente",
    "provincie": "gemeente",
    "stichting": "overig",
    "vereniging": "branche",
    "bv": "bedrijf",
    "b.v.": "bedrijf",
    "nv": "bedrijf",
    "n.v.": "bedrijf",
    "vof": "bedrijf",
    "holding": "bedrijf",
    "groep": "bedrijf",
    "college": "vmbo",
    "lyceum": "vmbo",
    "scholengemeenschap": "vmbo",
    "vmbo": "vmbo",
    "campus": "vmbo",
    "basisschool": "po",
    "obs": "po",
    "cbs": "po",
    "ikc": "po",
    "hogeschool": "hbo/pabo",
    "pabo": "hbo/pabo",
    "academie": "hbo/pabo",
    "praktijkschool": "vso/pro",
    "vso": "vso/pro",
}
ORG_SUFFIXES: dict[str, str] = {
    "bedrijf": "bedrijf",
    "bedrijven": "bedrijf",
    "techniek": "bedrijf",
    "installaties": "bedrijf",
    "bouw": "bedrijf",
    "metaal": "bedrijf",
    "groep": "bedrijf",
    "college": "vmbo",
    "school": "po",
}
NOT_ORGS = frozenset(
    {
        "techniek",
        "covid",
        "corona",
        "teams",
        "zoom",
        # boards inside an organisation, not organisations
        "college van bestuur",
        "raad van toezicht",
        "raad van bestuur",
        "college van b&w",
        "college van b en w",
        "college van burgemeester en wethouders",
    }
)

NOT_ORGS |= frozenset(_NOT_PARTNERS["names"])
NOT_ORG_STARTS = ("regio ", *_NOT_PARTNERS["starts"])
# Forms of address and greetings: the run names a person, not an organisation.
NOT_ORG_OPENERS = frozenset(
    """meneer mevrouw dhr mevr mw juf meester dr ir drs mr prof hoi hallo goedemorgen goedemiddag
    goedenavond dag beste groeten dank bedankt""".split()
)


# Legal forms: part of the official name, never of how people say it.
LEGAL_FORMS = frozenset(
    """bv b.v. b.v nv n.v. n.v vof v.o.f. cv c.v. stichting vereniging coöperatie cooperatie coop u.a. ua
    holding gebr gebr. gebroeders fa fa. firma""".split()
)  # 'Gebr. Meerhof', 'Fa. Jansen': the family's firm, called by the family name alone
LEGAL_FAMILY = re.compile(r"\s*(?:&|en)\s*(?:zn\.?|zonen|zoon|dochters?|co\.?)\s*$", re.I)
# A family-business suffix anywhere before the legal form ('Smedinga & Zonen B.V.'): people drop it
# ('Smedinga') or write it in their own way ('Smedinga en Zonen', 'Smedinga & Zn').
FAMILY_SUFFIX = re.compile(
    r"\s*(?:&|\ben\b)\s*(?P<kin>zn\.?|zonen|zoon|dochters?|co\.?)(?=\s|$)", re.I
)  # '& Co' ('and company') is dropped the same way
# Words that say what kind of organisation a name is rather than which one.
TYPE_WORDS = frozenset(
    """college vakcollege lyceum gymnasium atheneum scholengemeenschap sg csg osg rsg school vakschool
    scholen scholengroep campus academie roc mbo vmbo havo vwo regionaal opleidingencentrum opleidingen
    hogeschool universiteit pabo basisschool obs cbs pcbs rkbs ikc sbo so vso pro praktijkschool
    onderwijs primair voortgezet speciaal gemeente provincie waterschap
    machinefabriek fabriek metaalbedrijf installatiebedrijf bouwbedrijf aannemersbedrijf bedrijf
    aannemer installateur installatietechniek elektrotechniek werktuigbouw techniek technisch technische
    installaties installatie bouw metaal metaalbewerking metaaltechniek engineering services service
    solutions systems industrie werken groep group opleidingsbedrijf""".split()
)
# Endings that make a compound a type word with a distinctive front ('Vak|college', 'Techniek|pact'):
# people abbreviate such a compound with two letters ('VC').
TYPE_ENDINGS = (
    "college",
    "school",
    "lyceum",
    "bedrijf",
    "fabriek",
    "techniek",
    "pact",
    "platform",
    "centrum",
    "campus",
    "academie",
    "groep",
)
# Nouns for a kind of organisation at the end of a compound that is a name's first word or the
# whole name: 'Kindcentrum Spoorzicht' is a kindcentrum called Spoorzicht, 'Brinkcollege' a college
# people call 'het Brink'. Not 'huis', 'lab', 'pact' or 'groep', which end many proper names, nor
# 'vereniging' ('Ondernemersvereniging X' has its own rule: the kind is what people call it).
KIND_ENDINGS = (
    "college",
    "school",
    "lyceum",
    "centrum",
    "academie",
    "instituut",
    "campus",
    "bedrijf",
    "fabriek",
)
# Type words that name an institution on their own after an article ('het Vakcollege', 'het Lyceum').
TYPE_NOUNS = frozenset(
    """college vakcollege lyceum gymnasium atheneum scholengemeenschap roc hogeschool pabo universiteit
    praktijkschool basisschool vakschool academie campus gemeente provincie waterschap machinefabriek
    metaalbedrijf installatiebedrijf bouwbedrijf aannemersbedrijf obs cbs ikc zorggroep""".split()
)
# Nouns that say what kind of organisation something is; a compound ending in one
# ('Ondernemers|vereniging', 'Opleidings|centrum', 'Techniek|college') is the head of a name, and a
# speaker who knows the region uses it in lowercase, after 'de' or 'het', for the one partner so called.
ORGANISATION_NOUNS = (
    "college",
    "school",
    "lyceum",
    "vereniging",
    "centrum",
    "academie",
    "gemeenschap",
    "instituut",
    "bedrijf",
    "fabriek",
    "hogeschool",
    "pact",
    "platform",
    "huis",
    "kring",
    "lab",
)
# Heads of compound names that, after 'de' or 'het', mean the one partner whose name ends in them
# ('de kring' for the Werkgeverskring, 'het pact' for the Techniekpact): nouns with no everyday
# meaning besides an organisation, unlike 'het huis', 'het centrum' or 'de fabriek'. A leading
# legal form works the same way ('de stichting' after the Stichting was named).
HEAD_NOUNS_ALONE = frozenset(
    {"kring", "pact", "platform", "instituut", "vereniging", "stichting", "lab"}
)


# Heads of compounds that any firm or school is ('het bedrijf', 'de school', 'de winkel'): said
# alone they mean whichever one the speaker has in mind, not one partner.
GENERIC_HEADS = frozenset(
    """bedrijf bedrijven school scholen winkel zaak kantoor centrum huis college groep dienst
    organisatie instelling afdeling""".split()
)


def is_head_noun(key: str) -> bool:
    """Whether a normalised one-word form names a kind of organisation ('scholengemeenschap')."""
    if " " in key:
        return False
    return (key in TYPE_NOUNS and key not in EVERYDAY_TYPE_NOUNS) or any(
        key.endswith(e) and len(key) >= len(e) + 3 for e in ORGANISATION_NOUNS
    )


# Type nouns with an everyday meaning besides the institution: 'het college' is also the board of
# mayor and aldermen or a lecture, 'de campus' the grounds, 'de academie' a course. In lowercase they
# are not taken for a partner; capitalised after an article ('het College') they still are.
EVERYDAY_TYPE_NOUNS = frozenset({"college", "campus", "academie"})


# Legal forms written after the name: never an initial ('B.V.' adds no letter people say).
LEGAL_SUFFIXES = frozenset("bv b.v. b.v nv n.v. n.v vof v.o.f. cv c.v. u.a. ua".split())
ARTICLES = frozenset({"de", "het", "'t", "’t"})
# Capitalised abbreviations that are ordinary in Dutch texts about education and work.
COMMON_ACRONYMS = frozenset(
    """OK TV IT AI EU NL PC HR ICT BBL BOL PIE BWI MBO HBO VMBO WO PO VO SO STO HAVO VWO CAO ZZP BV NV
    VOF GL KB BB TL MT CV WC DB PR AV MVI HBR ZW DP EO VAVO LOB PTA AVO CTO CVB MR OOP OP SBO VSO PRO
    UWV MKB OCW DUO SWV RMC VSV LLO BPV SLB ESF NPO PWS CKV LO BHV VCA CEO CFO KVK BTW ZZP WW AOW NB
    PS CC FAQ PDF URL""".split()
) | frozenset(
    # National bodies every Dutch speaker in education and work knows by their letters: an
    # acronym that spells one of them means that body, not a regional partner with the same initials.
    """SBB SER VNG NRTO KNAW NWO CPB SCP RVO ROA TNO OCW EZK SZW BZK VWS NJI CITO NVAO VSNU
    MBOR VOR POR BZK LAKS JOB AOC KNVB ANWB NS KPN FNV CNV VNO NCW ONL KHN UNETO OTIB BNA BOVAG
    ROVC SOMA SVGB""".split()
)
DERIVED_ORIGINS = {
    "no-article": "without its article",
    "no-legal-form": "without its legal form",
    "no-place": "without the place name",
    "no-type-words": "without type words",
    "distinctive": "the distinctive part",
    "distinctive-bare": "the distinctive part without its article",
    "type-word": "its type word (only one in the case)",
    "initials": "initials",
    "first-word": "the first word of a company's name",
    "family": "the family name with its family-business suffix",
    "joined": "the surname written as one word",
    "surname-tail": "the surname without its particles",
    "place-school": "the place name that is the only distinctive word",
    "head-noun": "the head of its compound name or its legal form, after 'de' or 'het'",
    "kind-noun": "the compound that says what kind of organisation it is, without the name after it",
    "type-initials": "the initials of its type phrase with the name after it",
    "compound-head": "the noun after the linking s of its compound name, in lowercase after 'de' or 'het'",
    "type-phrase": "its type words without the place name, written with capitals",
    "trade-stem": "its trade without the compound's ending ('Installatie' for 'Installatiegroep')",
}


COMPANY_ENDINGS = (
    "bedrijf",
    "bedrijven",
    "groep",
    "fabriek",
    "fabrieken",
    "techniek",
    "bouw",
    "service",
)


def is_dictionary_word(word: str) -> bool:
    """Whether ``word`` is an ordinary Dutch word: spaCy's lemma table lists an inflection of it.

    The table maps inflected forms to their lemma ('bakens' → 'baken'), so a
    word with a plural, a conjugated or an inflected adjective form pointing
    back at it is in the language; a surname like 'Smedinga' or 'Tenbrinke' is
    not. Without the lookups package nothing counts as a dictionary word.
    """
    table = _lemma_table()
    if table is None or len(word) < 3:
        return False
    w = word.lower()
    forms = (w + "s", w + "en", w + "e", w + "n", w + "es", w + w[-1] + "en", w + w[-1] + "e")
    forms += (w + "t", w + "te", w + "de", w + "d")  # type: ignore[assignment]
    return any(table.get(f, "") == w for f in forms)


_TABLE: list[lemmas.Lookup | None] = []


def _lemma_table() -> lemmas.Lookup | None:
    """The lemma table, opened once per process and only when a lowercase name needs judging."""
    if not _TABLE:
        _TABLE.append(lemmas.table("nl"))
    return _TABLE[0]


# What a municipality does that a town cannot: 'Veldhoven betaalt de bus' is the gemeente, 'Veldhoven
# ligt aan de rivier' the town. Finite verbs of paying, funding, deciding, organising and asking (third
# person, present and past), general Dutch; 'is', 'heeft' and 'ligt' say as much of a town.
MUNICIPAL_ACTION_VERBS = frozenset(
    """betaalt betaalde subsidieert subsidieerde financiert financierde investeert investeerde
    steunt steunde ondersteunt ondersteunde regelt regelde organiseert organiseerde besluit besloot
    beslist besliste wil wilde vraagt vroeg eist eiste stelt stelde geeft gaf draagt droeg belooft
    beloofde faciliteert faciliteerde trekt trok helpt hielp doet deed zegt zei legt legde
    bekostigt bekostigde stimuleert stimuleerde vindt vond denkt dacht kiest koos zag ziet
    erkent erkende weigert weigerde koppelt koppelde sluit sloot neemt nam werkt werkte zit zat
    levert leverde zet zette houdt hield tekent tekende overlegt overlegde""".split()
)
# 'Veldhoven heeft de huur al toegezegd': an auxiliary after the town, then one of these participles
# in the same clause (general Dutch: paying, funding, promising, deciding, arranging).
MUNICIPAL_AUXILIARIES = frozenset("heeft had wil wilde gaat ging zal zou".split())
MUNICIPAL_PARTICIPLES = frozenset(
    """toegezegd betaald gesubsidieerd gefinancierd bekostigd beloofd besloten toegekend geregeld
    georganiseerd gevraagd geëist gesteund ondersteund gefaciliteerd geïnvesteerd betalen subsidiëren
    financieren bekostigen""".split()
)
# Short forms of 'gemeente' written before a town in notes and minutes ('gem. Veldhoven').
MUNICIPAL_ABBREVIATIONS = ("gem.", "gem")
# Words that may stand between the town and its verb ('Veldhoven zelf betaalt', 'Veldhoven betaalt ook').
MUNICIPAL_FILLERS = frozenset("zelf ook wel toen nu dan al".split())
# Nouns for one firm: a trade joined to one ('installatie|bedrijf', 'timmer|fabriek') is a kind of
# business; plurals and fields of work ('de installatietechniek', 'de woningbouw') are not a firm.
FIRM_NOUNS = ("bedrijf", "fabriek", "onderneming")
# The person who practises a trade, said of the firm ('de installateur' for Installatiebedrijf …):
# agent noun → the front of the trade word in a company's name. General Dutch, not a corpus' words.
TRADE_AGENTS = {
    "installateur": "installatie",
    "elektricien": "elektro",
    "aannemer": "bouw",
    "timmerman": "timmer",
    "schilder": "schilders",
    "loodgieter": "loodgieter",
    "netbeheerder": "netbeheer",
}
# Offices of a municipality: 'de wethouder van Veldhoven' speaks for the gemeente, not the town.
MUNICIPAL_OFFICES = frozenset("wethouder wethouders burgemeester gemeenteraad".split())

# 'Onze techniekdocent heet ook Kuipers', 'heet onze juf ook Wolters': a naming verb and a noun for a
# person in the same clause make the surname after them a person's, not the family firm's.
NAMING_VERBS = frozenset("heet heette heten heetten genaamd achternaam".split())
PERSON_NOUNS = (
    "docent",
    "leraar",
    "lerares",
    "juf",
    "meester",
    "collega",
    "mentor",
    "buurman",
    "buurvrouw",
    "vader",
    "moeder",
    "broer",
    "zus",
    "zoon",
    "dochter",
    "neef",
    "nicht",
    "oom",
    "tante",
    "opa",
    "oma",
    "directeur",
    "conciërge",
    "leerling",
    "stagiair",
    "student",
    "coördinator",
    "teamleider",
    "wethouder",
    "voorzitter",
    "begeleider",
    "man",
    "vrouw",
)
# Endings of Dutch adjectives that lead school names ('Christelijk(e)', 'Openbare', 'Katholieke',
# 'Interconfessioneel', 'Regionaal'): said alone after an article they stand for the school.
ADJECTIVE_ENDINGS = (
    "lijk",
    "lijke",
    "isch",
    "ische",
    "baar",
    "bare",
    "iek",
    "ieke",
    "eel",
    "ele",
    "aal",
    "ale",
    "ig",
    "ige",
    "iem",
    "ieme",
)
