#pragma once

#include "../storage/sharing_rows.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

// The Art. 15 GDPR report of one person's disclosures as a printable German HTML page. Pure:
// the caller passes the rows, the recipients' names and the time of the report.
namespace qreg::registry {

struct DisclosureReport {
    std::int64_t person_id = 0;
    std::string pseudonym;     // the audit log's name for the person; may be empty
    std::string generated_at;  // format_time (clock.hpp)
    std::vector<DisclosureRow> disclosures;
    std::map<std::string, std::string, std::less<>> recipient_names;  // agency id -> name
};

// A self-contained page (its only style is disclosure_report_css(), inline; no script, no
// other file). Every value from the rows is HTML-escaped. Times are shown in German local time.
[[nodiscard]] std::string render_disclosure_report(const DisclosureReport& report);

// The page's style sheet, exactly as inlined: a Content-Security-Policy can name its hash.
[[nodiscard]] std::string_view disclosure_report_css();

// The German name of a profile category (profile_categories); the key itself for another.
[[nodiscard]] std::string_view category_label(std::string_view category);

// `text` with & < > " ' as character references.
[[nodiscard]] std::string html_escape(std::string_view text);

}  // namespace qreg::registry
