"""The catalogue the knowledge base must hold (from the project's content brief): every listed article,
call guide and onboarding path exists, and each source book is cited by at least ten articles."""
from __future__ import annotations

from kb.content.bundle import load_bundle

from conftest import REAL_CONTENT, REAL_GUIDES

ARTICLES = """
phone/answering-the-call phone/opening-greeting phone/voice-and-tone phone/what-to-say-and-avoid
phone/hold-and-transfer phone/taking-messages phone/closing-the-call phone/efficient-phone-use
phone/outbound-follow-up phone/call-center-today phone/voicemail-and-callback phone/speaking-clearly
communication/listening-vs-hearing communication/what-affects-listening communication/four-bad-listening-habits communication/three-steps-better-listening
communication/conversation-skills communication/body-language communication/humor communication/praise
communication/first-impression communication/smile communication/remember-names communication/read-the-customer
communication/emotion-seven-points communication/emotion-five-cautions communication/build-rapport service/fifteen-personal-behaviors
service/six-organizational-behaviors service/ten-good-habits service/nine-dos-nine-donts service/customer-centered
service/exceed-expectations service/value-added service/personalized service/standardized
service/one-stop service/instant service/consultative service/experiential
service/e-service-ten-tips service/small-details service/proactive service/enthusiasm
service/empathy service/hard-and-soft service/what-is-service service/word-of-mouth
service/virtual-waiting service/simplify-process service/value-perception service/value-added-information
service/goodwill-gestures complaints/anger-list complaints/ten-sins complaints/thank-the-complainer
complaints/first-response complaints/effective-resolution complaints/handling-techniques complaints/apologize
complaints/service-recovery complaints/dont-argue complaints/five-retention-techniques complaints/is-customer-always-right
complaints/difficult-customers complaints/written-complaints complaints/wording-without-attack complaints/complaint-channels
complaints/first-contact-responsibility complaints/complaint-analysis complaints/conflict-and-crisis complaints/follow-up
complaints/seek-feedback complaints/stay-calm customer-types/female customer-types/male
customer-types/silent customer-types/talkative customer-types/timid customer-types/proud
customer-types/opinion-sensitive customer-types/honest customer-types/wont-listen customer-types/inquisitive
customer-types/eccentric customer-types/sarcastic customer-types/buy-later customer-types/iceberg
objections/price-too-high objections/think-it-over objections/competitor-cheaper objections/want-a-manager
objections/broken-promise objections/refund-demand objections/threat-to-complain loyalty/expectation-analysis
loyalty/needs-analysis loyalty/satisfaction-analysis loyalty/expectation-management loyalty/three-loyalty-traits
loyalty/satisfaction-vs-loyalty loyalty/churn-and-win-back loyalty/social-capital loyalty/four-trends
loyalty/customer-records loyalty/service-quality professionalism/code-of-conduct professionalism/career-path
professionalism/respect-and-privacy professionalism/integrity professionalism/fair-treatment professionalism/service-awareness
professionalism/professional-skills professionalism/internal-customers key-accounts/value-segmentation key-accounts/visits-and-maintenance
key-accounts/relationship-and-alliance
""".split()

GUIDES = """inbound-standard angry-complaint price-objection think-it-over escalation-request refund-request
broken-promise silent-caller talkative-caller abusive-caller transfer-and-message outbound-follow-up win-back
service-recovery""".split()
PATHS = "week-one-basics phone-etiquette complaints-and-objections customer-types advanced-loyalty".split()

BUNDLE = load_bundle(REAL_CONTENT, REAL_GUIDES)


def test_every_catalogue_article_exists():
    assert len(ARTICLES) == 117
    assert sorted(set(ARTICLES) - set(BUNDLE.content.articles)) == []


def test_every_catalogue_guide_and_path_exists():
    assert len(GUIDES) == 14 and len(PATHS) == 5
    assert sorted(set(GUIDES) - set(BUNDLE.guides.guides)) == []
    assert sorted(set(PATHS) - set(BUNDLE.paths.paths)) == []


def test_kb_check_passes_on_the_real_content():
    assert [str(p) for p in BUNDLE.problems] == []


def test_each_book_is_cited_by_at_least_ten_articles():
    counts = {s.id: 0 for s in BUNDLE.content.sources}
    for doc in BUNDLE.content.articles.values():
        for book in {c.book for c in doc.sources}:
            counts[book] += 1
    assert len(counts) == 5 and min(counts.values()) >= 10, counts


def test_talking_categories_have_scripts():
    talking = {"phone", "communication", "complaints", "customer-types", "objections"}
    for doc in BUNDLE.content.articles.values():
        if doc.category in talking:
            assert "## 话术示例" in doc.body and "推荐说法" in doc.body and "避免说法" in doc.body, doc.slug
