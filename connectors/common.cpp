#include "qreg/connectors/common.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <cstring>

#include "qreg/connectors/parser.hpp"

namespace qreg::connectors {

namespace {

// Windows-1252 0x80..0x9F; 0 marks the five undefined bytes.
constexpr std::array<char32_t, 32> cp1252_high = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

void append_utf8(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f'; }

std::string_view trim(std::string_view text) {
    while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
    while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
    return text;
}

std::optional<int> to_int(std::string_view text) {
    if (text.empty()) return std::nullopt;
    int value = 0;
    const auto* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc{} || ptr != end) return std::nullopt;
    return value;
}

bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int y, int m) {
    static constexpr std::array<int, 12> days = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[static_cast<std::size_t>(m - 1)];
}

// Days since 1970-01-01 (Howard Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? static_cast<unsigned>(-3) : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct Civil {
    std::int64_t year;
    unsigned month;
    unsigned day;
};

Civil civil_from_days(std::int64_t z) {
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    return {y + (m <= 2), m, d};
}

// Weekday of a day count: 0 = Sunday.
unsigned weekday(std::int64_t days) {
    return static_cast<unsigned>(days >= -4 ? (days + 4) % 7 : (days + 5) % 7 + 6);
}

std::int64_t last_sunday(int year, unsigned month) {
    const std::int64_t last = days_from_civil(year, month, static_cast<unsigned>(days_in_month(year, static_cast<int>(month))));
    return last - weekday(last);
}

std::string format_utc(std::int64_t seconds) {
    const std::int64_t days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400;
    const std::int64_t rest = seconds - days * 86400;
    const Civil c = civil_from_days(days);
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", c.year, c.month, c.day, rest / 3600,
                       rest / 60 % 60, rest % 60);
}

bool valid_clock(int h, int mi, int s) { return h >= 0 && h < 24 && mi >= 0 && mi < 60 && s >= 0 && s < 61; }

}  // namespace

std::optional<std::string> cp1252_to_utf8(std::string_view bytes) {
    std::string out;
    out.reserve(bytes.size() + bytes.size() / 8);
    for (const char ch : bytes) {
        const auto b = static_cast<unsigned char>(ch);
        if (b < 0x80) {
            out += ch;
        } else if (b < 0xA0) {
            const char32_t cp = cp1252_high[b - 0x80];
            if (cp == 0) return std::nullopt;
            append_utf8(out, cp);
        } else {
            append_utf8(out, b);
        }
    }
    return out;
}

bool is_valid_utf8(std::string_view bytes) {
    std::size_t i = 0;
    const std::size_t n = bytes.size();
    while (i < n) {
        // Most text is ASCII: eight bytes at a time until a byte has its high bit set.
        while (i + 8 <= n) {
            std::uint64_t word = 0;
            std::memcpy(&word, bytes.data() + i, 8);
            if ((word & 0x8080808080808080ULL) != 0) break;
            i += 8;
        }
        if (i >= n) break;
        const auto b = static_cast<unsigned char>(bytes[i]);
        if (b < 0x80) {
            ++i;
            continue;
        }
        std::size_t len = 0;
        char32_t cp = 0;
        if ((b & 0xE0) == 0xC0) {
            len = 2;
            cp = b & 0x1F;
        } else if ((b & 0xF0) == 0xE0) {
            len = 3;
            cp = b & 0x0F;
        } else if ((b & 0xF8) == 0xF0) {
            len = 4;
            cp = b & 0x07;
        } else {
            return false;
        }
        if (i + len > n) return false;
        for (std::size_t k = 1; k < len; ++k) {
            const auto c = static_cast<unsigned char>(bytes[i + k]);
            if ((c & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (c & 0x3F);
        }
        const bool overlong = (len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
        if (overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
        i += len;
    }
    return true;
}

std::string clean_text(std::string_view text) {
    text = trim(text);
    std::string out;
    out.reserve(text.size());
    bool in_space = false;
    for (const char c : text) {
        if (is_space(c)) {
            in_space = true;
            continue;
        }
        if (in_space) out += ' ';
        in_space = false;
        out += c;
    }
    return out;
}

std::optional<BirthDate> make_birth_date(int year, int month, int day, std::string original) {
    BirthDate date;
    date.original = std::move(original);
    if (year == 0 && month == 0 && day == 0) return date;  // unknown
    if (year < 1850 || year > 2200) return std::nullopt;
    if (month < 0 || month > 12 || day < 0) return std::nullopt;
    if (month == 0 && day != 0) return std::nullopt;
    if (day != 0 && day > days_in_month(year, month)) return std::nullopt;
    date.year = year;
    date.month = month;
    date.day = day;
    date.precision = day != 0 ? DatePrecision::day : month != 0 ? DatePrecision::month : DatePrecision::year;
    date.is_placeholder = month == 1 && day == 1;
    return date;
}

std::optional<BirthDate> parse_german_date(std::string_view text) {
    const auto t = trim(text);
    if (t.empty()) return make_birth_date(0, 0, 0, "");
    if (t.size() == 4) {  // a year alone
        const auto y = to_int(t);
        if (!y) return std::nullopt;
        return make_birth_date(*y, 0, 0, std::string(t));
    }
    if (t.size() != 10 || t[2] != '.' || t[5] != '.') return std::nullopt;
    const auto d = to_int(t.substr(0, 2));
    const auto m = to_int(t.substr(3, 2));
    const auto y = to_int(t.substr(6, 4));
    if (!d || !m || !y) return std::nullopt;
    return make_birth_date(*y, *m, *d, std::string(t));
}

std::optional<BirthDate> parse_iso_date(std::string_view text) {
    const auto t = trim(text);
    if (t.empty()) return make_birth_date(0, 0, 0, "");
    std::optional<int> y, m = 0, d = 0;
    if (t.size() == 4) {
        y = to_int(t);
    } else if (t.size() == 7 && t[4] == '-') {
        y = to_int(t.substr(0, 4));
        m = to_int(t.substr(5, 2));
    } else if (t.size() == 10 && t[4] == '-' && t[7] == '-') {
        y = to_int(t.substr(0, 4));
        m = to_int(t.substr(5, 2));
        d = to_int(t.substr(8, 2));
    } else {
        return std::nullopt;
    }
    if (!y || !m || !d) return std::nullopt;
    return make_birth_date(*y, *m, *d, std::string(t));
}

std::optional<std::string> parse_german_local_time(std::string_view text) {
    const auto t = trim(text);
    // TT.MM.JJJJ HH:MM:SS, or TT.MM.JJJJ HH:MM, or a date alone
    if (t.size() < 10 || t[2] != '.' || t[5] != '.') return std::nullopt;
    const auto d = to_int(t.substr(0, 2));
    const auto mo = to_int(t.substr(3, 2));
    const auto y = to_int(t.substr(6, 4));
    int h = 0, mi = 0, s = 0;
    if (t.size() > 10) {
        const auto clock = t.substr(10);
        if (clock.size() < 6 || clock[0] != ' ' || clock[3] != ':') return std::nullopt;
        const auto hh = to_int(clock.substr(1, 2));
        const auto mm = to_int(clock.substr(4, 2));
        if (!hh || !mm) return std::nullopt;
        h = *hh;
        mi = *mm;
        if (clock.size() > 6) {
            if (clock.size() != 9 || clock[6] != ':') return std::nullopt;
            const auto ss = to_int(clock.substr(7, 2));
            if (!ss) return std::nullopt;
            s = *ss;
        }
    }
    if (!d || !mo || !y || *y < 1900 || *y > 2200 || *mo < 1 || *mo > 12 || *d < 1 ||
        *d > days_in_month(*y, *mo) || !valid_clock(h, mi, s))
        return std::nullopt;
    const std::int64_t local =
        days_from_civil(*y, static_cast<unsigned>(*mo), static_cast<unsigned>(*d)) * 86400 + h * 3600 + mi * 60 + s;
    // CEST from the last Sunday of March 01:00 UTC to the last Sunday of October 01:00 UTC.
    const std::int64_t dst_start = last_sunday(*y, 3) * 86400 + 3600;
    const std::int64_t dst_end = last_sunday(*y, 10) * 86400 + 3600;
    const std::int64_t as_cet = local - 3600;
    const bool summer = as_cet - 3600 >= dst_start && as_cet - 3600 < dst_end;
    return format_utc(summer ? local - 7200 : as_cet);
}

std::optional<std::string> format_german_local_time(std::string_view utc) {
    const auto t = parse_iso_time(utc);  // normalised: YYYY-MM-DDTHH:MM:SSZ
    if (!t) return std::nullopt;
    const std::string_view n = *t;
    const auto part = [&](std::size_t at, std::size_t size) { return *to_int(n.substr(at, size)); };
    const int y = part(0, 4);
    const std::int64_t seconds =
        days_from_civil(y, static_cast<unsigned>(part(5, 2)), static_cast<unsigned>(part(8, 2))) *
            86400 +
        part(11, 2) * 3600 + part(14, 2) * 60 + part(17, 2);
    // CEST from the last Sunday of March 01:00 UTC to the last Sunday of October 01:00 UTC.
    const bool summer = seconds >= last_sunday(y, 3) * 86400 + 3600 &&
                        seconds < last_sunday(y, 10) * 86400 + 3600;
    const std::int64_t local = seconds + (summer ? 7200 : 3600);
    const std::int64_t days = local >= 0 ? local / 86400 : (local - 86399) / 86400;
    const std::int64_t rest = local - days * 86400;
    const Civil c = civil_from_days(days);
    return fmt::format("{:02}.{:02}.{:04} {:02}:{:02}:{:02}", c.day, c.month, c.year, rest / 3600,
                       rest / 60 % 60, rest % 60);
}

std::optional<std::string> parse_iso_time(std::string_view text) {
    const auto t = trim(text);
    if (t.size() < 19 || t[4] != '-' || t[7] != '-' || (t[10] != 'T' && t[10] != ' ') || t[13] != ':' ||
        t[16] != ':')
        return std::nullopt;
    const auto y = to_int(t.substr(0, 4));
    const auto mo = to_int(t.substr(5, 2));
    const auto d = to_int(t.substr(8, 2));
    const auto h = to_int(t.substr(11, 2));
    const auto mi = to_int(t.substr(14, 2));
    const auto s = to_int(t.substr(17, 2));
    if (!y || !mo || !d || !h || !mi || !s || *mo < 1 || *mo > 12 || *d < 1 ||
        *d > days_in_month(*y, *mo) || !valid_clock(*h, *mi, *s))
        return std::nullopt;
    auto rest = t.substr(19);
    if (!rest.empty() && rest[0] == '.') {  // fractional seconds: dropped
        rest.remove_prefix(1);
        while (!rest.empty() && rest[0] >= '0' && rest[0] <= '9') rest.remove_prefix(1);
    }
    int offset = 0;
    if (rest == "Z" || rest == "z") {
        offset = 0;
    } else if (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':') {
        const auto oh = to_int(rest.substr(1, 2));
        const auto om = to_int(rest.substr(4, 2));
        if (!oh || !om || *oh > 14 || *om > 59) return std::nullopt;
        offset = (rest[0] == '+' ? 1 : -1) * (*oh * 3600 + *om * 60);
    } else {
        return std::nullopt;  // a time without zone is ambiguous
    }
    const std::int64_t local =
        days_from_civil(*y, static_cast<unsigned>(*mo), static_cast<unsigned>(*d)) * 86400 + *h * 3600 + *mi * 60 + *s;
    return format_utc(local - offset);
}

std::optional<Sex> map_sex(std::string_view code) {
    const auto c = trim(code);
    if (c.size() != 1) return std::nullopt;
    switch (c[0]) {
        case 'M': case 'm': return Sex::male;
        case 'W': case 'w': case 'F': case 'f': return Sex::female;
        case 'D': case 'd': return Sex::diverse;
        case 'X': case 'x': return Sex::unknown;
        default: return std::nullopt;
    }
}

std::optional<std::optional<int>> map_ba_school(std::string_view code) {
    const auto c = trim(code);
    // KA: no school-leaving certificate, so primary at most (ISCED 1).
    if (c == "KA") return std::optional<int>(1);
    if (c == "HS" || c == "MR") return std::optional<int>(2);
    if (c == "FH" || c == "AH") return std::optional<int>(3);
    if (c == "AU") return std::optional<int>();  // foreign, not yet assessed
    return std::nullopt;
}

std::optional<int> map_isced_school(std::string_view code) {
    const auto c = trim(code);
    if (c.size() != 7 || c.substr(0, 6) != "ISCED-") return std::nullopt;
    const auto level = to_int(c.substr(6));
    if (!level || *level > 8) return std::nullopt;
    return level;
}

std::optional<StudyLevel> map_ba_study(std::string_view code) {
    const auto c = trim(code);
    if (c == "B") return StudyLevel{6, true};
    if (c == "M") return StudyLevel{7, true};
    if (c == "P") return StudyLevel{8, true};
    if (c == "S") return StudyLevel{std::nullopt, false};
    return std::nullopt;
}

std::optional<std::string> map_training_status(std::string_view code) {
    const auto c = trim(code);
    if (c == "abgeschlossen") return "completed";
    if (c == "abgebrochen") return "aborted";
    if (c == "ohne_nachweis") return "no_certificate";
    if (c == "laufend") return "in_progress";
    return std::nullopt;
}

std::optional<std::string> map_language_level(std::string_view code) {
    const auto c = trim(code);
    if (c.size() == 2 && (c[0] == 'A' || c[0] == 'B' || c[0] == 'C') && (c[1] == '1' || c[1] == '2'))
        return std::string(c);
    if (c == "M" || c == "muttersprache") return "native";
    return std::nullopt;
}

std::optional<std::string> map_recognition_status(std::string_view code) {
    const auto c = trim(code);
    if (c == "beantragt") return "applied";
    if (c == "gleichwertig") return "equivalent";
    if (c == "teilweise_gleichwertig") return "partially_equivalent";
    if (c == "nicht_gleichwertig") return "not_equivalent";
    return std::nullopt;
}

bool is_alpha3(std::string_view code) {
    return code.size() == 3 && std::all_of(code.begin(), code.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

bool is_language_code(std::string_view code) {
    return code.size() == 2 && std::all_of(code.begin(), code.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

bool is_kldb(std::string_view code) {
    return code.size() == 5 && std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::optional<std::string> reject_reason(const Record& record) {
    if (trim(record.record_id).empty()) return "record id is missing";
    if (trim(record.family_name).empty() && trim(record.given_names).empty() &&
        trim(record.birth_name).empty())
        return "no name at all: family name and given names are empty";
    return std::nullopt;
}

ParseBatch parse_all(RecordParser& parser, std::string_view bytes) {
    ParseBatch batch = parser.feed(bytes);
    append(batch, parser.finish());
    return batch;
}

void append(ParseBatch& into, ParseBatch&& more) {
    for (auto& r : more.records) into.records.push_back(std::move(r));
    for (auto& p : more.problems) into.problems.push_back(std::move(p));
    for (auto& w : more.warnings) into.warnings.push_back(std::move(w));
}

}  // namespace qreg::connectors
