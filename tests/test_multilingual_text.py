"""Names, dates, sentences and grounding in languages other than English (issue 12, item 4).

Every sentence here was written for this file.
"""

from __future__ import annotations

import subprocess
import sys
import unicodedata
from datetime import date

import pytest

from summarizer.articles.sentences import split_sentences
from summarizer.text.dates import find_date_phrase, resolve_date
from summarizer.text.grounding import grounded, locate, normalise
from summarizer.text.names import (
    canonical_country,
    canonical_party,
    country_forms,
    name_key,
    strip_honorifics,
)

PUB = date(2024, 3, 13)  # a Wednesday


# -- countries ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "country"),
    [
        # CLDR names in en, es, fr, de, pt, it, ja, nl, pl, zh
        ("España", "Spain"),
        ("Alemania", "Germany"),
        ("Allemagne", "Germany"),
        ("Deutschland", "Germany"),
        ("Estados Unidos", "United States"),
        ("États-Unis", "United States"),
        ("Etats-Unis", "United States"),  # accent left out
        ("Stati Uniti", "United States"),
        ("Verenigde Staten", "United States"),
        ("Stany Zjednoczone", "United States"),
        ("Coreia do Sul", "South Korea"),
        ("Corea del Sur", "South Korea"),
        ("Zuid-Korea", "South Korea"),
        ("Regno Unito", "United Kingdom"),
        ("Royaume-Uni", "United Kingdom"),
        ("Niemcy", "Germany"),
        ("Japón", "Japan"),
        ("日本", "Japan"),
        ("アメリカ", "United States"),
        ("米国", "United States"),
        ("中国", "China"),
        ("韓国", "South Korea"),
        ("北朝鮮", "North Korea"),
        ("德国", "Germany"),
        ("la Chine", "China"),
        ("l'Allemagne", "Germany"),
        # pycountry names, official names and alpha-3 codes
        ("Federal Republic of Germany", "Germany"),
        ("Hellenic Republic", "Greece"),
        ("JPN", "Japan"),
        ("DEU", "Germany"),
        # the canonical choices the gold files use
        ("U.S.", "United States"),
        ("U. S.", "United States"),
        ("ROK", "South Korea"),
        ("Türkiye", "Turkey"),
        ("Viet Nam", "Vietnam"),
        ("Russian Federation", "Russia"),
        ("Czechia", "Czech Republic"),
        ("Côte d’Ivoire", "Ivory Coast"),
        ("Congo-Kinshasa", "DR Congo"),
        ("EC", "European Community"),
        ("Unión Europea", "European Union"),
    ],
)
def test_country_names_in_many_languages(name: str, country: str) -> None:
    assert canonical_country(name) == country


@pytest.mark.parametrize(
    ("demonym", "country"),
    [
        ("Serbian", "Serbia"),
        ("Polish", "Poland"),
        ("Korean", "South Korea"),
        ("Portuguese", "Portugal"),
        ("Greek", "Greece"),
        ("Swedish", "Sweden"),
        ("Burkinabe", "Burkina Faso"),
        ("Nigerien", "Niger"),
        ("Israelis", "Israel"),
        ("Dominican", "Dominican Republic"),  # a weak claim of Dominica's loses
        ("español", "Spain"),
        ("española", "Spain"),
        ("españoles", "Spain"),
        ("brasileño", "Brazil"),
        ("brasileiros", "Brazil"),
        ("française", "France"),
        ("brésilienne", "Brazil"),
        ("französische", "France"),
        ("griechischen", "Greece"),
        ("polnische", "Poland"),
        ("tedeschi", "Germany"),
        ("italiana", "Italy"),
        ("japonesa", "Japan"),
        ("suecos", "Sweden"),
    ],
)
def test_demonyms_and_inflected_adjectives(demonym: str, country: str) -> None:
    assert canonical_country(demonym) == country


@pytest.mark.parametrize(
    "word",
    # words, names and codes that are not countries in running text
    ["In", "It", "No", "Me", "Monday", "Tokyo", "IT", "CI", "GB", "ITA", "CAN", "ECU", "Island", "Maurice",
     "Granada", "Mauricio", "Reunion", "Pole", "Persian", "Lao", "IRA"],
)  # fmt: skip
def test_words_that_are_not_countries(word: str) -> None:
    assert canonical_country(word) is None


def test_every_iso_country_has_a_row_and_its_english_demonyms_lead_back_to_it() -> None:
    import pycountry

    from summarizer.text import countries

    rows = {row.code: row for row in countries._rows()}
    uninhabited = {"AQ", "BV", "GS", "HM", "SJ", "TF", "UM"}
    for country in pycountry.countries:
        assert country.alpha_2 in rows, country
        row = rows[country.alpha_2]
        assert row.en or country.alpha_2 in uninhabited, country
        name = canonical_country(row.name or getattr(country, "common_name", None) or country.name)
        assert name is not None, country
        for demonym in row.en:
            if not demonym.startswith("~") and len(demonym) > 3:  # "Lao": short words need an alias
                assert canonical_country(demonym) == name, (demonym, name)


def test_country_forms_list_the_names_in_other_languages() -> None:
    forms = set(country_forms("Spain"))
    assert {"Spain", "España", "Espagne", "Spanien", "スペイン", "Spanish", "española"} <= forms
    assert country_forms("Atlantis") == ["Atlantis"]


@pytest.mark.parametrize(
    ("party", "expected"),
    [
        ("Gobierno de España", "Spain"),
        ("el Gobierno español", "Spain"),
        ("the Spanish government", "Spain"),
        ("le gouvernement français", "France"),
        ("la délégation japonaise", "Japan"),
        ("die Bundesregierung", "Germany"),
        ("il governo italiano", "Italy"),
        ("日本政府", "Japan"),
        ("韓国側", "South Korea"),
        ("U.S. Department of Defense", "U.S. Department of Defense"),
        ("Comisión Europea", "Comisión Europea"),
    ],
)
def test_parties_named_by_their_government(party: str, expected: str) -> None:
    assert canonical_party(party) == expected


def test_babel_is_loaded_on_the_first_lookup_not_at_import() -> None:
    code = (
        "import sys, summarizer.text.names as n\n"
        "assert 'babel' not in sys.modules and 'pycountry' not in sys.modules\n"
        "assert n.canonical_country('Allemagne') == 'Germany'\n"
        "assert 'babel' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


# -- people ------------------------------------------------------------------------------------
def test_name_keys_fold_accents_but_keep_japanese_as_written() -> None:
    assert name_key("José Álvarez") == name_key("Jose Alvarez") == "jose alvarez"
    assert name_key(unicodedata.normalize("NFD", "José Álvarez")) == "jose alvarez"
    assert name_key("Jonas Gahr Støre") == "jonas gahr store"
    assert name_key("Lech Wałęsa") == "lech walesa"
    assert name_key("安倍　晋三") == "安倍 晋三"  # a full-width space
    assert name_key("ゼレンスキー") == "ゼレンスキー"  # ゼ keeps its voicing mark
    assert name_key("ﾊﾞｲﾃﾞﾝ") == "バイデン"  # half-width katakana
    assert name_key("アントニー・ブリンケン") == "アントニー ブリンケン"


@pytest.mark.parametrize(
    ("name", "stripped"),
    [
        ("Presidente Luiz Inácio Lula da Silva", "Luiz Inácio Lula da Silva"),
        ("Sra. Carmen Ruiz", "Carmen Ruiz"),
        ("Mme Claire Dubois", "Claire Dubois"),
        ("Bundeskanzler Otto Becker", "Otto Becker"),
        ("岸田首相", "岸田"),
        ("山田太郎外相", "山田太郎"),
        ("Don Carlos Pérez", "Don Carlos Pérez"),  # a first name, not an honorific
    ],
)
def test_honorifics_of_other_languages(name: str, stripped: str) -> None:
    assert strip_honorifics(name) == stripped


# -- dates -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("phrase", "prefer", "expected"),
    [
        # Spanish
        ("ayer", "past", "2024-03-12"),
        ("el próximo lunes", "future", "2024-03-18"),
        ("el lunes pasado", "past", "2024-03-11"),
        ("el 3 de marzo", "past", "2024-03-03"),
        ("el lunes 4 de marzo de 2024", "past", "2024-03-04"),
        ("en marzo", "past", "2024-03"),
        ("el mes que viene", "future", "2024-04"),
        ("el año pasado", "past", "2023"),
        # German
        ("gestern", "past", "2024-03-12"),
        ("am Montag", "past", "2024-03-11"),
        ("am Montag", "future", "2024-03-18"),
        ("am 3. März", "past", "2024-03-03"),
        ("nächsten Freitag", "future", "2024-03-15"),
        ("im Jahr 2014", "past", "2014"),
        # French
        ("hier", "past", "2024-03-12"),
        ("mardi prochain", "future", "2024-03-19"),
        ("le 3 mars", "past", "2024-03-03"),
        ("1er février 2022", "past", "2022-02-01"),
        ("l'année dernière", "past", "2023"),
        # Japanese
        ("昨日", "past", "2024-03-12"),
        ("3月3日", "past", "2024-03-03"),
        ("2024年3月3日", "past", "2024-03-03"),
        ("２０２３年１２月２５日", "past", "2023-12-25"),  # full-width digits
        ("来月", "future", "2024-04"),
        ("2014年", "past", "2014"),
        ("来週の月曜日", "future", "2024-03-18"),
        ("先週の金曜日", "past", "2024-03-08"),
        # Portuguese
        ("ontem", "past", "2024-03-12"),
        ("na próxima segunda-feira", "future", "2024-03-18"),
        ("1º de fevereiro de 2022", "past", "2022-02-01"),
        # Italian
        ("ieri", "past", "2024-03-12"),
        ("lunedì scorso", "past", "2024-03-11"),
        ("marzo 2014", "past", "2014-03"),
    ],
)
def test_phrases_of_other_languages_resolve_against_publication(
    phrase: str, prefer: str, expected: str
) -> None:
    assert resolve_date(phrase, PUB, prefer)[0] == expected  # type: ignore[arg-type]


@pytest.mark.parametrize("phrase", ["la semana próxima", "nächste Woche", "pronto", "bientôt", "来週"])
def test_phrases_that_name_no_day_month_or_year_give_none(phrase: str) -> None:
    assert resolve_date(phrase, PUB) == (None, None)


def test_a_date_from_another_language_needs_a_publication_date_only_when_relative() -> None:
    assert resolve_date("ayer", None) == (None, None)
    assert resolve_date("el 3 de marzo", None) == (None, None)  # which year?
    assert resolve_date("3 de marzo de 2023", None) == ("2023-03-03", None)
    assert resolve_date("2024年3月3日", None) == ("2024-03-03", None)
    assert resolve_date("来月", None) == (None, None)


def test_a_written_year_is_never_moved() -> None:
    """Regression: a year written as 2025年 was not seen as a year (no word boundary before 年),
    so a planned date near publication moved back a year."""
    assert resolve_date("2025年3月10日", date(2024, 3, 20), "future") == ("2025-03-10", None)


@pytest.mark.parametrize(
    ("sentence", "phrase"),
    [
        ("Los cancilleres se reunieron ayer en Montevideo para hablar de pesca.", "ayer"),
        ("La delegación volverá el próximo lunes a la mesa de negociación.", "el próximo lunes"),
        ("El tratado se firmó el 3 de marzo de 2023 en una ceremonia breve.", "3 de marzo de 2023"),
        ("Die beiden Minister hatten sich am Montag in Wien getroffen.", "am Montag"),
        ("Die Gespräche hier begannen am 3. November 2014 in Genf.", "3. November 2014"),
        ("Das Treffen ist für morgen geplant, sagte ein Sprecher.", "morgen"),
        ("Les deux ministres se sont rencontrés hier à Lyon.", "hier"),
        ("Le sommet aura lieu mardi prochain à Bruxelles.", "mardi prochain"),
        ("両国の代表は昨日、大阪で協議した。", "昨日"),
        ("協定は2024年3月3日に署名された。", "2024年3月3日"),
        ("O acordo de pesca foi assinado ontem em Lisboa.", "ontem"),
        ("L'intesa è stata raggiunta ieri a Torino.", "ieri"),
    ],
)
def test_date_phrases_are_found_in_sentences_of_other_languages(sentence: str, phrase: str) -> None:
    assert find_date_phrase(sentence) == phrase


def test_english_sentences_keep_their_phrases() -> None:
    assert find_date_phrase("The two ministers met on Saturday in Geneva.") == "on Saturday"
    assert find_date_phrase("The delegations will meet again in April.") is None  # as before
    assert find_date_phrase("They met here on the pier.") is None  # "here", not French "hier"


# -- sentences ---------------------------------------------------------------------------------
def _spans(text: str) -> list[str]:
    out = []
    for s in split_sentences(text):
        assert text[s.start : s.end].split() == s.text.split()  # offsets index the original text
        out.append(s.text)
    return out


def test_japanese_paragraph_splits_at_full_stops_without_spaces() -> None:
    text = "両国の外相は５日、京都で会談した。漁業協定の延長で合意した！次の会合はいつになるのか？「前進した。」と外相は語った。　共同文書も公表された。"
    assert _spans(text) == [
        "両国の外相は５日、京都で会談した。",
        "漁業協定の延長で合意した！",
        "次の会合はいつになるのか？",
        "「前進した。」と外相は語った。",
        "共同文書も公表された。",
    ]


def test_spanish_paragraph_with_inverted_marks() -> None:
    text = (
        "¿Habrá un acuerdo antes del verano? Nadie en Lima se atreve a decirlo. "
        "¡Es una oportunidad histórica! El Sr. Gómez viajó a EE. UU. el martes. ¿Y ahora? pregunta la prensa."
    )
    assert _spans(text) == [
        "¿Habrá un acuerdo antes del verano?",
        "Nadie en Lima se atreve a decirlo.",
        "¡Es una oportunidad histórica!",
        "El Sr. Gómez viajó a EE. UU. el martes.",
        "¿Y ahora? pregunta la prensa.",  # a lower-case word after "?" continues the sentence
    ]


def test_quotes_and_ordinal_dates_of_other_languages() -> None:
    german = (
        "Die Minister trafen sich am 3. März in Bonn. „Wir sind uns einig.“ Danach reisten sie ab. "
        "Der Vertrag gilt ab 1. Juli und umfasst 4 Mrd. Kubikmeter Gas. Österreich stimmte zu."
    )
    assert _spans(german) == [
        "Die Minister trafen sich am 3. März in Bonn.",
        "„Wir sind uns einig.“",
        "Danach reisten sie ab.",
        "Der Vertrag gilt ab 1. Juli und umfasst 4 Mrd. Kubikmeter Gas.",
        "Österreich stimmte zu.",  # a capital outside A-Z starts a sentence too
    ]
    french = "« Nous avons un accord. » Le ministre a souri. M. Lefèvre était là."
    assert _spans(french) == ["« Nous avons un accord. »", "Le ministre a souri.", "M. Lefèvre était là."]


# -- grounding ---------------------------------------------------------------------------------
JA = "両国の外相は５日、京都で会談した。　山田太郎外相は「協力を深める」と述べた。マリア・ゴンサレス外相も同席した。"


def test_japanese_quotes_are_located_with_exact_offsets() -> None:
    span = locate("5日、京都で会談した", JA)  # ASCII digit for the full-width one
    assert span is not None and JA[span.start : span.end] == "５日、京都で会談した"
    span = locate("会談した。 山田太郎外相は", JA)  # an ASCII space for the full-width one
    assert span is not None and JA[span.start : span.end] == "会談した。　山田太郎外相は"
    span = locate("外相は 「協力を深める」", JA)  # a space the text does not have
    assert span is not None and JA[span.start : span.end] == "外相は「協力を深める」"


def test_japanese_names_and_countries_are_grounded() -> None:
    text = "日本と韓国の外相は５日、京都で会談した。" + JA
    assert grounded("山田太郎", text) and grounded("山田 太郎", text) and grounded("山田", text)
    assert grounded("マリア・ゴンサレス", text) and grounded("ゴンサレス", text)
    assert grounded("Japan", text) and grounded("South Korea", text)  # 日本, 韓国 inside words
    assert not grounded("佐藤花子", text) and not grounded("China", text)


def test_accents_composed_or_decomposed_locate_the_same_span() -> None:
    nfc = "El canciller José Ángel Núñez recibió a su homóloga en Perú."
    nfd = unicodedata.normalize("NFD", nfc)
    for text in (nfc, nfd):
        for quote in ("José Ángel Núñez recibió", unicodedata.normalize("NFD", "José Ángel Núñez recibió")):
            span = locate(quote, text)
            assert span is not None
            assert unicodedata.normalize("NFC", text[span.start : span.end]) == "José Ángel Núñez recibió"
    span = locate("Jose Angel Nunez recibio", nfd)  # accents left out
    assert span is not None and unicodedata.normalize("NFC", nfd[span.start : span.end]).endswith("recibió")
    assert grounded("Jose Angel Nunez", nfd) and grounded("Peru", nfd) and grounded("Perú", nfc)
    assert normalise(nfd) == normalise(nfc)


# -- organisations and inflected names -----------------------------------------------------------
@pytest.mark.parametrize(
    ("party", "expected"),
    [
        ("OTAN", "NATO"),
        ("Nato", "NATO"),
        ("the Group of Seven", "G7"),
        ("G-7", "G7"),
        ("Organización de Países Exportadores de Petróleo", "OPEC"),
        ("Vereinte Nationen", "United Nations"),
        ("ONU", "United Nations"),
        ("Organisation mondiale du commerce", "World Trade Organization"),
        ("МАГАТЭ", "International Atomic Energy Agency"),
        ("Mercosul", "Mercosur"),
        ("UE", "European Union"),
        ("Acme Shipping", "Acme Shipping"),
    ],
)
def test_organisations_get_one_english_name(party: str, expected: str) -> None:
    assert canonical_party(party) == expected


@pytest.mark.parametrize(
    ("party", "text"),
    [
        ("NATO", "Los ministros de la OTAN se reunieron en Riga el jueves."),
        ("OPEC", "La OPEP acordó el martes recortar su producción."),
        ("G7", "Die Finanzminister der Gruppe der Sieben tagten in Rom."),
        ("Group of Seven", "Les ministres du G7 se sont réunis à Nice."),
        ("United Nations", "La ONU convocó a las partes en Ginebra."),
        ("European Union", "La UE y Chile firmaron el acuerdo."),
        ("International Monetary Fund", "Der IWF hat die Prognose gesenkt."),
    ],
)
def test_an_organisation_named_in_english_is_grounded_by_its_name_in_the_text(party: str, text: str) -> None:
    assert grounded(party, text)


def test_an_acronym_is_matched_in_capitals_and_as_a_word() -> None:
    assert not grounded("United Nations", "Le ministre a signé un accord avec une entreprise.")
    assert not grounded("World Health Organization", "Those who met agreed.")  # "who" is not WHO
    assert grounded("World Health Organization", "The WHO met in Geneva.")


@pytest.mark.parametrize(
    ("country", "text"),
    [
        ("Russia", "Переговоры делегаций России и Казахстана прошли в Астане."),
        ("Kazakhstan", "Переговоры делегаций России и Казахстана прошли в Астане."),
        ("China", "Министр встретился с послом Китая."),
        ("Germany", "Die Außenministerin Deutschlands reiste nach Prag."),
        ("France", "Der Präsident Frankreichs empfing den Gast."),
    ],
)
def test_inflected_country_names_are_grounded(country: str, text: str) -> None:
    assert grounded(country, text)


def test_inflection_does_not_ground_another_word() -> None:
    assert not grounded("Russia", "Переговоры делегаций Казахстана прошли в Астане.")
    assert not grounded("Chile", "Sie sprachen über Chilis und Tomaten.")
