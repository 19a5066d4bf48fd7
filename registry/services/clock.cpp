#include "clock.hpp"

#include "qreg/error.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cstdlib>

namespace qreg::registry {

namespace chrono = std::chrono;

namespace {

std::optional<int> number(std::string_view text) {
    int value = 0;
    const auto* end = text.data() + text.size();
    const auto [p, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc() || p != end || text.empty()) return std::nullopt;
    return value;
}

std::optional<chrono::sys_days> date_of(std::string_view t) {
    if (t.size() != 10 || t[4] != '-' || t[7] != '-') return std::nullopt;
    const auto y = number(t.substr(0, 4)), m = number(t.substr(5, 2)), d = number(t.substr(8, 2));
    if (!y || !m || !d) return std::nullopt;
    const chrono::year_month_day ymd{chrono::year{*y}, chrono::month{static_cast<unsigned>(*m)},
                                     chrono::day{static_cast<unsigned>(*d)}};
    if (!ymd.ok()) return std::nullopt;
    return chrono::sys_days{ymd};
}

}  // namespace

Clock Clock::starting_at(TimePoint start) {
    Clock c;
    c.offset_ = start - chrono::system_clock::now();
    return c;
}

Clock Clock::from_environment() {
    const char* fake = std::getenv("QREG_FAKE_NOW");
    if (!fake || !*fake) return Clock();
    const auto start = parse_time(fake);
    if (!start) {
        throw Error(ErrorCode::invalid_input,
                    "QREG_FAKE_NOW must be a UTC time YYYY-MM-DDTHH:MM:SSZ");
    }
    return starting_at(*start);
}

TimePoint Clock::now() const {
    return chrono::system_clock::now() + offset_;
}

std::string format_time(TimePoint t) {
    const auto ms = chrono::floor<chrono::milliseconds>(t);
    const auto day = chrono::floor<chrono::days>(ms);
    const chrono::year_month_day ymd{day};
    const chrono::hh_mm_ss clock{ms - day};
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", static_cast<int>(ymd.year()),
                       static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                       clock.hours().count(), clock.minutes().count(), clock.seconds().count(),
                       clock.subseconds().count());
}

std::optional<TimePoint> parse_time(std::string_view t) {
    if (t.size() < 20 || t[10] != 'T' || t[13] != ':' || t[16] != ':' || t.back() != 'Z') {
        return std::nullopt;
    }
    const auto day = date_of(t.substr(0, 10));
    const auto h = number(t.substr(11, 2)), m = number(t.substr(14, 2)),
               s = number(t.substr(17, 2));
    if (!day || !h || !m || !s || *h > 23 || *m > 59 || *s > 59) return std::nullopt;
    int millis = 0;
    if (t.size() != 20) {
        if (t.size() != 24 || t[19] != '.') return std::nullopt;
        const auto ms = number(t.substr(20, 3));
        if (!ms) return std::nullopt;
        millis = *ms;
    }
    return TimePoint{*day + chrono::hours(*h) + chrono::minutes(*m) + chrono::seconds(*s) +
                     chrono::milliseconds(millis)};
}

bool is_date(std::string_view text) {
    return date_of(text).has_value();
}

}  // namespace qreg::registry
