"""Buyer message templates: every language passes Amazon's communication policy, bad wording fails."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from acorn import buyer_messages as bm
from tests.spapi_models import require_spapi_models

TEMPLATES = bm.load_templates()
TEMPLATE_LANGUAGES = [(name, lang) for name in TEMPLATES.templates for lang in bm.LANGUAGES]

# Negative controls: wording the policy forbids, one sentence per language and kind.
BAD_WORDING: dict[str, dict[str, str]] = {
    "en": {
        "review request": "If you are happy, please leave us a 5-star review.",
        "incentive": "Here is a 10% discount code for your next purchase.",
        "threat to withhold": "We will issue the refund only if you remove your comment.",
        "link": "Track your refund at https://example.com/refund.",
        "email address": "Write to returns@example.com.",
        "phone number": "Call us on +1 206 555 0100.",
    },
    "de": {
        "review request": "Bitte hinterlassen Sie uns eine positive Bewertung.",
        "incentive": "Als Dankeschön erhalten Sie einen Gutschein über 5 Euro.",
        "threat to withhold": "Die Erstattung erfolgt nur wenn Sie Ihre Rezension löschen.",
        "link": "Mehr unter www.beispiel.de.",
        "email address": "Schreiben Sie an service@beispiel.de.",
        "phone number": "Rufen Sie uns an: 030 1234 5678.",
    },
    "fr": {
        "review request": "Merci de laisser un avis positif sur le produit.",
        "incentive": "Profitez d'une réduction de 10 % sur votre prochaine commande.",
        "threat to withhold": "Nous vous rembourserons sauf si vous ouvrez une réclamation.",
        "link": "Consultez http://exemple.fr pour le suivi.",
        "email address": "Écrivez-nous à sav@exemple.fr.",
        "phone number": "Appelez le 06 12 34 56 78.",
    },
    "it": {
        "review request": "Le chiediamo di lasciare una recensione a cinque stelle.",
        "incentive": "Per lei un buono sconto sul prossimo ordine.",
        "threat to withhold": "Effettueremo il rimborso solo se rimuove il suo commento.",
        "link": "Visiti www.esempio.it per i dettagli.",
        "email address": "Ci scriva a resi@esempio.it.",
        "phone number": "Ci chiami al +39 02 1234 5678.",
    },
    "es": {
        "review request": "Le agradeceríamos una reseña de cinco estrellas.",
        "incentive": "Le ofrecemos un cupón de descuento para su próxima compra.",
        "threat to withhold": "Solo emitiremos el reembolso a cambio de retirar su opinión.",
        "link": "Más información en https://ejemplo.es.",
        "email address": "Escríbanos a devoluciones@ejemplo.es.",
        "phone number": "Llámenos al 912 345 678.",
    },
    "nl": {
        "review request": "Wilt u een positieve recensie voor ons achterlaten?",
        "incentive": "U ontvangt een kortingscode voor uw volgende bestelling.",
        "threat to withhold": "We betalen terug alleen als u uw beoordeling verwijdert.",
        "link": "Kijk op www.voorbeeld.nl voor de status.",
        "email address": "Mail naar retour@voorbeeld.nl.",
        "phone number": "Bel ons op 020 123 4567.",
    },
    "sv": {
        "review request": "Lämna gärna ett positivt omdöme om oss.",
        "incentive": "Du får en rabattkod på ditt nästa köp.",
        "threat to withhold": "Vi återbetalar bara om du tar bort din recension.",
        "link": "Se https://exempel.se för status.",
        "email address": "Skriv till retur@exempel.se.",
        "phone number": "Ring oss på 08-123 456 78.",
    },
    "pl": {
        "review request": "Prosimy o wystawienie pozytywnej opinii.",
        "incentive": "Otrzymasz kod rabatowy na kolejne zamówienie.",
        "threat to withhold": "Zwrócimy pieniądze tylko jeśli usuniesz komentarz.",
        "link": "Szczegóły na www.przyklad.pl.",
        "email address": "Napisz na zwroty@przyklad.pl.",
        "phone number": "Zadzwoń pod numer +48 22 123 45 67.",
    },
    "ja": {
        "review request": "よろしければ商品レビューをお願いいたします。",
        "incentive": "次回のご注文で使える割引クーポンを差し上げます。",
        "threat to withhold": "評価を削除しない限り返金いたしません。",
        "link": "詳細は https://example.jp をご覧ください。",
        "email address": "support@example.jp までご連絡ください。",
        "phone number": "お電話は 03-1234-5678 までお願いします。",
    },
}
BAD_CASES = [(lang, kind, text) for lang, kinds in BAD_WORDING.items() for kind, text in kinds.items()]


def test_every_template_has_every_marketplace_language():
    assert set(bm.LANGUAGES) == {"en", "de", "fr", "it", "es", "nl", "sv", "pl", "ja"}
    for template in TEMPLATES.templates.values():
        assert set(template.text) == set(bm.LANGUAGES), template.name
    assert set(TEMPLATES.marketplace_languages.values()) <= set(bm.LANGUAGES)


@pytest.mark.parametrize(("name", "language"), TEMPLATE_LANGUAGES)
def test_shipped_template_passes_the_communication_policy(name, language):
    assert bm.policy_violations(TEMPLATES.templates[name].text[language], language) == []


def test_bad_wording_covers_every_language_and_kind():
    kinds = {"review request", "incentive", "threat to withhold", "link", "email address", "phone number"}
    assert set(BAD_WORDING) == set(bm.LANGUAGES)
    assert all(set(by_kind) == kinds for by_kind in BAD_WORDING.values())


@pytest.mark.parametrize(("language", "kind", "text"), BAD_CASES)
def test_forbidden_wording_is_found(language, kind, text):
    assert any(v.startswith(kind + ":") for v in bm.policy_violations(text, language)), (language, kind)


@pytest.mark.parametrize("language", bm.LANGUAGES)
def test_a_file_with_a_bad_template_is_rejected(tmp_path: Path, language: str):
    """Negative control on the loader itself: one bad sentence in one language fails the whole file."""
    raw = yaml.safe_load(bm.TEMPLATES_PATH.read_text(encoding="utf-8"))
    raw["templates"]["refund_delayed"]["text"][language] += "\n" + BAD_WORDING[language]["review request"]
    bad = tmp_path / "templates.yml"
    bad.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(bm.TemplateError, match=f"refund_delayed/{language}: review request"):
        bm.load_templates(bad)


def test_a_file_with_an_unknown_message_type_or_placeholder_is_rejected(tmp_path: Path):
    raw = yaml.safe_load(bm.TEMPLATES_PATH.read_text(encoding="utf-8"))
    raw["templates"]["refund_delayed"]["message_type"] = "createRefund"
    raw["templates"]["return_under_review"]["text"]["de"] += " {refund_amount}"
    bad = tmp_path / "templates.yml"
    bad.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(bm.TemplateError) as err:
        bm.load_templates(bad)
    assert "'createRefund' is not a Messaging operation" in str(err.value)
    assert "return_under_review/de: placeholders" in str(err.value)


@pytest.mark.parametrize(
    ("locale", "marketplace", "language"),
    [
        ("de-AT", "UK", "de"),  # the buyer's locale wins over the marketplace
        ("en_GB", "DE", "en"),
        ("ja-JP", "US", "ja"),
        ("zh-CN", "JP", "ja"),  # no Chinese templates: the marketplace's language
        (None, "SE", "sv"),
        ("", "PL", "pl"),
        (None, "MX", "es"),
    ],
)
def test_language_from_buyer_locale_else_marketplace(locale, marketplace, language):
    assert bm.choose_language(locale, marketplace, TEMPLATES) == language


def test_unknown_marketplace_without_locale_is_an_error():
    with pytest.raises(bm.TemplateError, match="no language for marketplace 'XX'"):
        bm.choose_language(None, "XX", TEMPLATES)


def test_render_fills_the_buyers_language():
    msg = bm.render(
        "refund_delayed",
        {"order_id": "028-1234567-7654321", "item_name": "Teekanne, 1 l", "expected_date": "2026-09-30"},
        marketplace_code="UK",
        buyer_locale="de-DE",
        templates=TEMPLATES,
    )
    assert (msg.message_type, msg.language) == ("createUnexpectedProblem", "de")
    assert "028-1234567-7654321" in msg.text and "„Teekanne, 1 l“" in msg.text and "2026-09-30" in msg.text
    assert "{" not in msg.text


def test_render_refuses_values_that_bring_forbidden_wording_in():
    values = {"order_id": "111-1234567-7654321", "item_name": "Mug (see www.shop.example.com)"}
    with pytest.raises(bm.TemplateError, match="link"):
        bm.render("return_under_review", values, marketplace_code="US", templates=TEMPLATES)
    with pytest.raises(bm.TemplateError, match="placeholders"):
        bm.render("return_under_review", {"order_id": "111-1234567-7654321"}, marketplace_code="US",
                  templates=TEMPLATES)  # fmt: skip


def test_message_types_are_messaging_operations_that_send_text():
    """TEXT_MESSAGE_TYPES is the official model's set of operations whose body has `text`."""
    require_spapi_models("messaging.json")
    from acorn_sim.sandbox.models import models_dir

    model = json.loads((models_dir() / "messaging.json").read_text(encoding="utf-8"))
    with_text = set()
    for path in model["paths"].values():
        for op in path.values():
            for p in op.get("parameters", []):
                ref = (p.get("schema") or {}).get("$ref", "")
                if (
                    p.get("in") == "body"
                    and "text" in model["definitions"][ref.rsplit("/", 1)[-1]]["properties"]
                ):
                    with_text.add(op["operationId"])
    assert with_text == bm.TEXT_MESSAGE_TYPES
    assert {t.message_type for t in TEMPLATES.templates.values()} <= with_text
