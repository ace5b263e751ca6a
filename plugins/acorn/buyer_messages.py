"""Buyer message templates: choose one by the buyer's locale, render it, and refuse forbidden wording.

The templates are data (`buyer_message_templates.yml` beside this module), one text per
marketplace language, each mapped to the Messaging API operation it is sent with. The
language comes from the buyer's locale where it is known (Messaging `getAttributes`
returns `buyer.locale`, e.g. "de-DE"; the Orders API's BuyerInfo has none), else from
the marketplace.

Amazon's buyer-seller communication policy forbids asking for reviews or feedback,
offering incentives, threatening to withhold a refund, links and URLs off Amazon,
email addresses and phone numbers. `policy_violations()` finds them in every template
language; `load_templates()` refuses a file that contains them and `render()` refuses
values that bring them in (an item name with a URL, say). The word lists are a guard
against mistakes in our own wording, not a content filter for arbitrary text.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

TEMPLATES_PATH = Path(__file__).with_name("buyer_message_templates.yml")
LANGUAGES: tuple[str, ...] = ("en", "de", "fr", "it", "es", "nl", "sv", "pl", "ja")
# Messaging API operations that take a `text` (messaging.json); the others send attachments only.
TEXT_MESSAGE_TYPES = frozenset(
    {
        "confirmCustomizationDetails",
        "createConfirmDeliveryDetails",
        "createConfirmOrderDetails",
        "createConfirmServiceDetails",
        "createUnexpectedProblem",
        "createDigitalAccessKey",
    }
)
MAX_TEXT_LENGTH = 2000  # messaging.json: text maxLength
# Order ids and dates are not phone numbers: masked before the phone-number check.
_NOT_PHONE_NUMBERS = re.compile(
    r"\d{3}-\d{7}-\d{7}"  # Amazon order id
    r"|(?<![\d./-])(?:\d{4}-\d{2}-\d{2}|\d{1,2}[./]\d{1,2}[./]\d{4})(?![\d./-])"  # a date
)

_I = re.IGNORECASE
# Wording forbidden in every language: links, email addresses, phone numbers, HTML.
_ANY_LANGUAGE: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "link",
        re.compile(
            r"https?://|www\.|\b[\w-]+\.(?:com|net|org|de|fr|it|es|nl|se|pl|jp|co\.uk|co\.jp|ly|io)\b", _I
        ),
    ),
    ("email address", re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")),
    ("phone number", re.compile(r"\+?\(?\d[\d\s().-]{6,}\d")),
    ("HTML", re.compile(r"<\s*/?\s*[a-z][^>]*>", _I)),
)
# Per language: (what is forbidden, pattern). Stems, so compounds are caught too
# ("Kundenbewertung", "kortingscode").
_BY_LANGUAGE: dict[str, tuple[tuple[str, str], ...]] = {
    "en": (
        ("review request", r"\breview|\bfeedback|\brating|\brate us|\bstars?\b|\btestimonial"),
        (
            "incentive",
            r"\bdiscount|\bcoupon|\bvoucher|\bfree\b|\bgift|\bcash ?back|% off|\bpromo code|\breward",
        ),
        (
            "threat to withhold",
            r"\bunless you|\bonly if you|\bin exchange|\bin return for|\bwe will not refund|\bno refund",
        ),
    ),
    "de": (
        ("review request", r"bewert|rezension|feedback|\bsterne|\brezensieren"),
        ("incentive", r"rabatt|gutschein|gratis|kostenlos|geschenk|prämie|\bbonus"),
        ("threat to withhold", r"nur wenn|es sei denn|im gegenzug|keine erstattung|erstatten wir nicht"),
    ),
    "fr": (
        ("review request", r"\bavis\b|évaluation|évaluer|commentaire|\bétoiles|\bnote\b|\bfeedback"),
        ("incentive", r"réduction|\bremise|\bcoupon|bon d'achat|gratuit|cadeau|code promo"),
        (
            "threat to withhold",
            r"à condition que|\bsauf si|en échange|aucun remboursement|ne rembourserons pas",
        ),
    ),
    "it": (
        ("review request", r"recension|valutazion|valuta[rc]|\bfeedback|\bstelle"),
        ("incentive", r"\bsconto|\bcoupon|\bbuono|\bgratis|gratuit|\bregalo|omaggio"),
        ("threat to withhold", r"\bsolo se|a meno che|in cambio|nessun rimborso|non rimborseremo"),
    ),
    "es": (
        ("review request", r"reseña|opinión|opinion|valoración|valorar|comentario|\bestrellas|\bfeedback"),
        ("incentive", r"descuento|cupón|cupon|\bgratis|gratuit|\bregalo|obsequio"),
        (
            "threat to withhold",
            r"\bsolo si|\bsólo si|a menos que|a cambio|ningún reembolso|no reembolsaremos",
        ),
    ),
    "nl": (
        ("review request", r"recensie|beoordel|\breview|\bfeedback|\bsterren"),
        ("incentive", r"korting|\bcoupon|\bgratis|cadeau|\bbon\b|tegoed"),
        ("threat to withhold", r"alleen als|\btenzij|in ruil|geen terugbetaling|betalen we niet terug"),
    ),
    "sv": (
        ("review request", r"recension|omdöme|\bbetyg|\bfeedback|\bstjärn"),
        ("incentive", r"rabatt|kupong|\bgratis|present|presentkort|värdecheck"),
        ("threat to withhold", r"\bbara om|endast om|om du inte|i utbyte|ingen återbetalning"),
    ),
    "pl": (
        ("review request", r"recenzj|opini[aięe]|\bocen|\bgwiazd|\bfeedback|komentarz"),
        ("incentive", r"\brabat|zniżk|\bkupon|\bgratis|darmow|prezent|\bbon\b"),
        (
            "threat to withhold",
            r"tylko jeśli|tylko jezeli|tylko jeżeli|chyba że|w zamian|nie zwrócimy|bez zwrotu pieniędzy",
        ),
    ),
    "ja": (
        ("review request", r"レビュー|評価|フィードバック|星|口コミ|感想"),
        ("incentive", r"割引|クーポン|無料|プレゼント|特典|ポイント|ギフト|値引"),
        ("threat to withhold", r"場合に限り|しない限り|引き換え|返金(?:いた)?しません|返金できません"),
    ),
}
_PATTERNS: dict[str, tuple[tuple[str, re.Pattern[str]], ...]] = {
    lang: tuple((what, re.compile(p, _I)) for what, p in rules) for lang, rules in _BY_LANGUAGE.items()
}


class TemplateError(ValueError):
    """A template file or a rendered message breaks a rule (policy wording, placeholders, languages)."""


@dataclass(frozen=True)
class MessageTemplate:
    """One purpose's texts in every language and the Messaging API operation that sends them."""

    name: str
    message_type: str
    placeholders: tuple[str, ...]
    text: Mapping[str, str]


@dataclass(frozen=True)
class RenderedMessage:
    """What to post to the Messaging operation `message_type` for an order: `{"text": text}`."""

    template: str
    message_type: str
    language: str
    text: str


@dataclass(frozen=True)
class Templates:
    """Every template, and the marketplace-language fallback."""

    templates: Mapping[str, MessageTemplate]
    marketplace_languages: Mapping[str, str]


def policy_violations(text: str, language: str) -> list[str]:
    """What in `text` Amazon's communication policy forbids, e.g. ["review request: 'Bewertung'"]; [] if nothing.

    Amazon order ids (123-1234567-1234567) and dates (2026-09-30, 30.09.2026) are not
    phone numbers.
    """
    masked = _NOT_PHONE_NUMBERS.sub("#", text)
    found = []
    for what, pattern in (*_ANY_LANGUAGE, *_PATTERNS.get(language, ())):
        match = pattern.search(masked)
        if match:
            found.append(f"{what}: {match.group(0)!r}")
    return found


def _fields(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


def _validate(name: str, t: MessageTemplate) -> list[str]:
    problems = []
    if t.message_type not in TEXT_MESSAGE_TYPES:
        problems.append(f"{name}: {t.message_type!r} is not a Messaging operation that sends text")
    missing = set(LANGUAGES) - set(t.text)
    if missing:
        problems.append(f"{name}: no text in {sorted(missing)}")
    for lang, text in t.text.items():
        if lang not in LANGUAGES:
            problems.append(f"{name}/{lang}: not a marketplace language")
            continue
        if _fields(text) != set(t.placeholders):
            problems.append(
                f"{name}/{lang}: placeholders {sorted(_fields(text))} != {sorted(t.placeholders)}"
            )
        problems += [f"{name}/{lang}: {v}" for v in policy_violations(text, lang)]
    return problems


def load_templates(path: str | Path = TEMPLATES_PATH) -> Templates:
    """Read and check a templates file; raise TemplateError listing every problem.

    Raises:
        TemplateError: a template uses forbidden wording, lacks a language, a placeholder
            differs between languages, or names an operation that sends no text.
    """
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    templates = {
        name: MessageTemplate(
            name=name,
            message_type=body["message_type"],
            placeholders=tuple(body.get("placeholders") or ()),
            text=dict(body["text"]),
        )
        for name, body in raw["templates"].items()
    }
    languages = dict(raw["marketplace_languages"])
    problems = [p for name, t in templates.items() for p in _validate(name, t)]
    problems += [f"marketplace {code}: {lang!r} has no templates" for code, lang in languages.items()
                 if lang not in LANGUAGES]  # fmt: skip
    if problems:
        raise TemplateError("buyer message templates rejected:\n  " + "\n  ".join(problems))
    return Templates(templates=templates, marketplace_languages=languages)


def choose_language(buyer_locale: str | None, marketplace_code: str, templates: Templates) -> str:
    """The buyer's language where `buyer.locale` names one we have (de-AT -> de), else the marketplace's.

    Raises:
        TemplateError: neither the locale nor the marketplace gives a language with templates.
    """
    if buyer_locale:
        language = re.split(r"[-_]", buyer_locale.strip(), maxsplit=1)[0].lower()
        if language in LANGUAGES:
            return language
    try:
        return templates.marketplace_languages[marketplace_code]
    except KeyError:
        raise TemplateError(f"no language for marketplace {marketplace_code!r}") from None


def render(
    template_name: str,
    values: Mapping[str, str],
    *,
    marketplace_code: str,
    buyer_locale: str | None = None,
    templates: Templates | None = None,
) -> RenderedMessage:
    """Fill a template in the buyer's language; refuse values that bring forbidden wording in.

    Args:
        template_name: a key of the file's `templates` (e.g. "refund_delayed").
        values: one string per placeholder (order_id, item_name, expected_date, ...).
        marketplace_code: the order's marketplace (US, DE, JP, ...): the fallback language.
        buyer_locale: Messaging getAttributes `buyer.locale`, when known.
        templates: loaded templates (default: the file beside this module).

    Raises:
        TemplateError: unknown template, missing or extra values, or a rendered text that
            breaks the communication policy or the API's length limit.
    """
    templates = templates or load_templates()
    try:
        template = templates.templates[template_name]
    except KeyError:
        raise TemplateError(f"no template {template_name!r}") from None
    if set(values) != set(template.placeholders):
        raise TemplateError(
            f"{template_name}: values {sorted(values)} != placeholders {sorted(template.placeholders)}"
        )
    language = choose_language(buyer_locale, marketplace_code, templates)
    text = template.text[language].format_map(dict(values))
    problems = policy_violations(text, language)
    if len(text) > MAX_TEXT_LENGTH:
        problems.append(f"{len(text)} characters (the API takes {MAX_TEXT_LENGTH})")
    if problems:
        raise TemplateError(f"{template_name}/{language} rendered: " + "; ".join(problems))
    return RenderedMessage(template_name, template.message_type, language, text)
