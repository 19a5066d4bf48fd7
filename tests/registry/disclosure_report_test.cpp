#include "services/disclosure_report.hpp"

#include "services/crypto.hpp"

#include <doctest/doctest.h>

#include <string>

namespace reg = qreg::registry;
using reg::DisclosureRow;

namespace {

DisclosureRow pulled_view() {
    DisclosureRow d;
    d.id = 7;
    d.person_id = 42;
    d.recipient = "jc-musterstadt";
    d.disclosed_at = "2026-06-15T10:00:00.000Z";
    d.categories = {"identity", "languages", "vocational_training"};
    d.consent_ids = {3};
    d.grounds =
        R"([{"consent_id":3,"legal_basis":"consent","statute":"","purpose":"Vermittlung"}])";
    d.channel = "pull";
    d.kind = "view";
    d.format = "json";
    d.reference = "req-1";
    return d;
}

reg::DisclosureReport report_of(std::vector<DisclosureRow> rows) {
    reg::DisclosureReport r;
    r.person_id = 42;
    r.pseudonym = "ab12";
    r.generated_at = "2026-06-16T08:30:00.000Z";
    r.disclosures = std::move(rows);
    r.recipient_names = {{"jc-musterstadt", "Jobcenter Musterstadt"}};
    return r;
}

bool has(const std::string& html, const std::string& part) {
    return html.find(part) != std::string::npos;
}

}  // namespace

TEST_SUITE("registry.disclosure_report") {

TEST_CASE("a disclosure is a row with German names for recipient, categories, basis and channel") {
    const auto html = reg::render_disclosure_report(report_of({pulled_view()}));

    CHECK(has(html, "<html lang=\"de\">"));
    CHECK(has(html, "<h1>Auskunft nach Art. 15 DSGVO – Offenlegungen</h1>"));
    CHECK(has(html, "<dd>42</dd>"));
    CHECK(has(html, "<dd>ab12</dd>"));
    CHECK(has(html, "<dd>16.06.2026 10:30:00</dd>"));  // CEST
    for (const auto* header :
         {"Empfänger", "Zeitpunkt", "Kategorien", "Zweck", "Rechtsgrundlage", "Kanal", "Art"}) {
        CHECK(has(html, std::string("<th scope=\"col\">") + header + "</th>"));
    }
    CHECK(has(html, "Jobcenter Musterstadt<br><span class=\"note\">jc-musterstadt</span>"));
    CHECK(has(html, "<td>15.06.2026 12:00:00</td>"));
    CHECK(has(html, "<li>Identität</li><li>Sprachkenntnisse</li><li>Berufsausbildung</li>"));
    CHECK(has(html, "<li>Vermittlung</li>"));
    CHECK(has(html, "<li>Einwilligung Nr. 3</li>"));
    CHECK(has(html, "<td>Abruf</td>"));
    CHECK(has(html, "Datenauszug (json)"));
    CHECK_FALSE(has(html, "Keine Offenlegungen erfasst."));
}

TEST_CASE("a lookup shows no categories; a push and a statute have German names too") {
    auto d = pulled_view();
    d.categories.clear();
    d.channel = "push";
    d.kind = "lookup";
    d.format.clear();
    d.grounds =
        R"([{"consent_id":9,"legal_basis":"statute","statute":"§ 50 SGB II","purpose":"Leistung"}])";
    const auto html = reg::render_disclosure_report(report_of({d}));

    CHECK(has(html, "<td>keine (nur Person-Nr.)</td>"));
    CHECK(has(html, "<li>Rechtsvorschrift: § 50 SGB II (Eintrag Nr. 9)</li>"));
    CHECK(has(html, "<td>Übermittlung</td>"));
    CHECK(has(html, "Suche nach Kennnummer (nur Person-Nr.)<br>"));
}

TEST_CASE("every value from the rows is escaped") {
    auto d = pulled_view();
    d.recipient = "<script>alert(1)</script>";
    d.reference = "a\"b'c&d";
    d.grounds = R"([{"consent_id":3,"legal_basis":"consent","purpose":"<b>x</b> & y"}])";
    d.categories = {"<img src=x>"};
    auto report = report_of({d});
    report.pseudonym = "<i>";
    const auto html = reg::render_disclosure_report(report);

    CHECK_FALSE(has(html, "<script>"));
    CHECK_FALSE(has(html, "<b>"));
    CHECK_FALSE(has(html, "<img"));
    CHECK_FALSE(has(html, "<i>"));
    CHECK(has(html, "&lt;script&gt;alert(1)&lt;/script&gt;"));
    CHECK(has(html, "&lt;b&gt;x&lt;/b&gt; &amp; y"));
    CHECK(has(html, "a&quot;b&#39;c&amp;d"));
    CHECK(has(html, "&lt;img src=x&gt;"));
}

TEST_CASE("unreadable grounds fall back to the consent ids") {
    auto d = pulled_view();
    d.grounds = "not json";
    d.consent_ids = {4, 5};
    const auto html = reg::render_disclosure_report(report_of({d}));

    CHECK(has(html, "<li>Einwilligung Nr. 4</li><li>Einwilligung Nr. 5</li>"));
}

TEST_CASE("no disclosures say so instead of an empty table") {
    const auto html = reg::render_disclosure_report(report_of({}));

    CHECK(has(html, "<p>Keine Offenlegungen erfasst.</p>"));
    CHECK_FALSE(has(html, "<table"));
    CHECK(has(html, "<dd>0</dd>"));
}

TEST_CASE("the style is inlined verbatim, with print rules, so a CSP hash can name it") {
    const auto html = reg::render_disclosure_report(report_of({}));
    const auto css = std::string(reg::disclosure_report_css());

    CHECK(has(html, "<style>" + css + "</style>"));
    CHECK(has(css, "@media print"));
    CHECK_FALSE(has(html, "<script"));
    CHECK(reg::sha256_base64("abc") == "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=");
}

TEST_CASE("categories have German names; an unknown key stays as it is") {
    CHECK(reg::category_label("identity") == "Identität");
    CHECK(reg::category_label("identifiers") == "Kennnummern");
    CHECK(reg::category_label("address") == "Anschrift");
    CHECK(reg::category_label("school") == "Schulbildung");
    CHECK(reg::category_label("vocational_training") == "Berufsausbildung");
    CHECK(reg::category_label("higher_education") == "Hochschulbildung");
    CHECK(reg::category_label("work_experience") == "Berufserfahrung");
    CHECK(reg::category_label("languages") == "Sprachkenntnisse");
    CHECK(reg::category_label("recognition") == "Anerkennung");
    CHECK(reg::category_label("integration_course") == "Integrationskurs");
    CHECK(reg::category_label("other") == "other");
}

}  // TEST_SUITE("registry.disclosure_report")
