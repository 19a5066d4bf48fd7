#include "disclosure_report.hpp"

#include "qreg/connectors/common.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <utility>

namespace qreg::registry {

namespace json = boost::json;

namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 10> category_labels = {{
    {"identity", "Identität"},
    {"identifiers", "Kennnummern"},
    {"address", "Anschrift"},
    {"school", "Schulbildung"},
    {"vocational_training", "Berufsausbildung"},
    {"higher_education", "Hochschulbildung"},
    {"work_experience", "Berufserfahrung"},
    {"languages", "Sprachkenntnisse"},
    {"recognition", "Anerkennung"},
    {"integration_course", "Integrationskurs"},
}};

// A4 on paper: no colours that need a colour printer, the table's header on every page, a row
// never split across pages.
constexpr std::string_view css =
    "body{font-family:system-ui,'Segoe UI',Arial,sans-serif;color:#1b1b1b;margin:2rem auto;"
    "max-width:60rem;padding:0 1rem;line-height:1.45}"
    "h1{font-size:1.5rem;margin:0 0 .5rem}h2{font-size:1.15rem;margin:1.5rem 0 .5rem}"
    "dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:0}"
    "dl.meta dt{font-weight:600}dl.meta dd{margin:0}"
    "table{border-collapse:collapse;width:100%;font-size:.92rem}"
    "th,td{border:1px solid #8a8a8a;padding:.35rem .5rem;text-align:left;vertical-align:top}"
    "thead th{background:#e8e8e8}"
    "td ul{margin:0;padding-left:1.1rem}"
    ".note{font-size:.85rem;color:#444}"
    "@media print{@page{size:A4 landscape;margin:15mm}body{margin:0;max-width:none;padding:0;"
    "font-size:10pt}thead{display:table-header-group}tr{break-inside:avoid}"
    "thead th{background:none;border-bottom:2px solid #000}}";

struct Ground {
    std::int64_t consent_id = 0;
    std::string legal_basis;  // consent | statute
    std::string statute;
    std::string purpose;
};

std::string text_member(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

// The grounds as written by grounds_json (sharing.hpp); unreadable text gives none, and the
// report then shows the consent ids alone.
std::vector<Ground> grounds_of(const DisclosureRow& d) {
    json::error_code ec;
    const auto parsed = json::parse(d.grounds, ec);
    std::vector<Ground> out;
    if (ec || !parsed.is_array()) return out;
    for (const auto& item : parsed.as_array()) {
        if (!item.is_object()) continue;
        const auto& o = item.as_object();
        const auto* id = o.if_contains("consent_id");
        out.push_back({id && id->is_int64() ? id->as_int64() : 0, text_member(o, "legal_basis"),
                       text_member(o, "statute"), text_member(o, "purpose")});
    }
    return out;
}

std::string basis_text(const Ground& g) {
    if (g.legal_basis == "statute") {
        return fmt::format("Rechtsvorschrift: {} (Eintrag Nr. {})", g.statute, g.consent_id);
    }
    return fmt::format("Einwilligung Nr. {}", g.consent_id);
}

std::string local_time(std::string_view utc) {
    const auto local = connectors::format_german_local_time(utc);
    return local ? *local : std::string(utc);
}

// A list cell: one <li> per item, or `none` when there are no items.
std::string list_cell(const std::vector<std::string>& items, std::string_view none) {
    if (items.empty()) return fmt::format("<td>{}</td>", html_escape(none));
    std::string out = "<td><ul>";
    for (const auto& i : items) out += fmt::format("<li>{}</li>", html_escape(i));
    return out + "</ul></td>";
}

std::string row_html(const DisclosureRow& d, const DisclosureReport& report) {
    const auto name = report.recipient_names.find(d.recipient);
    const auto recipient = name == report.recipient_names.end()
                               ? html_escape(d.recipient)
                               : fmt::format("{}<br><span class=\"note\">{}</span>",
                                             html_escape(name->second), html_escape(d.recipient));
    std::vector<std::string> categories;
    for (const auto& c : d.categories) categories.emplace_back(category_label(c));
    std::vector<std::string> purposes;
    std::vector<std::string> bases;
    const auto grounds = grounds_of(d);
    for (const auto& g : grounds) {
        if (std::find(purposes.begin(), purposes.end(), g.purpose) == purposes.end()) {
            purposes.push_back(g.purpose);
        }
        bases.push_back(basis_text(g));
    }
    if (grounds.empty()) {
        for (const auto id : d.consent_ids) bases.push_back(fmt::format("Einwilligung Nr. {}", id));
    }
    const auto channel = d.channel == "pull"   ? std::string("Abruf")
                         : d.channel == "push" ? std::string("Übermittlung")
                                               : d.channel;
    auto kind = d.kind == "lookup" ? std::string("Suche nach Kennnummer (nur Person-Nr.)")
                : d.kind == "view" ? std::string("Datenauszug")
                                   : d.kind;
    if (!d.format.empty()) kind += fmt::format(" ({})", d.format);
    return fmt::format(
        "<tr><td>{}</td><td>{}</td>{}{}{}<td>{}</td><td>{}<br><span class=\"note\">{}</span></td>"
        "</tr>\n",
        recipient, html_escape(local_time(d.disclosed_at)),
        list_cell(categories, "keine (nur Person-Nr.)"), list_cell(purposes, "–"),
        list_cell(bases, "–"), html_escape(channel), html_escape(kind),
        html_escape(fmt::format("Vorgang {}", d.reference)));
}

}  // namespace

std::string_view disclosure_report_css() {
    return css;
}

std::string_view category_label(std::string_view category) {
    for (const auto& [key, label] : category_labels) {
        if (key == category) return label;
    }
    return category;
}

std::string html_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += c;
        }
    }
    return out;
}

std::string render_disclosure_report(const DisclosureReport& report) {
    constexpr std::string_view title = "Auskunft nach Art. 15 DSGVO – Offenlegungen";
    std::string out = fmt::format(
        "<!doctype html>\n<html lang=\"de\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<title>{0} – Person {1}</title>\n<style>{2}</style>\n</head>\n<body>\n"
        "<h1>{0}</h1>\n<dl class=\"meta\">\n<dt>Person-Nr.</dt><dd>{1}</dd>\n",
        title, report.person_id, css);
    if (!report.pseudonym.empty()) {
        out += fmt::format("<dt>Pseudonym im Protokoll</dt><dd>{}</dd>\n",
                           html_escape(report.pseudonym));
    }
    out += fmt::format(
        "<dt>Stand der Auskunft</dt><dd>{}</dd>\n<dt>Anzahl der Offenlegungen</dt><dd>{}</dd>\n"
        "</dl>\n<h2>Empfänger personenbezogener Daten (Art. 15 Abs. 1 lit. c DSGVO)</h2>\n",
        html_escape(local_time(report.generated_at)), report.disclosures.size());
    if (report.disclosures.empty()) {
        out += "<p>Keine Offenlegungen erfasst.</p>\n";
    } else {
        out +=
            "<table>\n<thead><tr><th scope=\"col\">Empfänger</th><th scope=\"col\">Zeitpunkt</th>"
            "<th scope=\"col\">Kategorien</th><th scope=\"col\">Zweck</th>"
            "<th scope=\"col\">Rechtsgrundlage</th><th scope=\"col\">Kanal</th>"
            "<th scope=\"col\">Art</th></tr></thead>\n<tbody>\n";
        for (const auto& d : report.disclosures) out += row_html(d, report);
        out += "</tbody>\n</table>\n";
    }
    out +=
        "<p class=\"note\">Zeiten in deutscher Ortszeit. Abruf: die Stelle hat die Daten beim "
        "Register abgefragt; Übermittlung: das Register hat sie der Stelle nach einer Änderung "
        "zugesandt. Jede Offenlegung ist zudem im Prüfprotokoll des Registers verzeichnet."
        "</p>\n</body>\n</html>\n";
    return out;
}

}  // namespace qreg::registry
