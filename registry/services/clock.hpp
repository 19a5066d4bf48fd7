#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

// The time that sharing decisions (consents in force, retries) are made at. Passed in, so that
// tests control it; read from the environment only at the edge (`qreg serve`, `qreg deliver`).
namespace qreg::registry {

using TimePoint = std::chrono::system_clock::time_point;

class Clock {
public:
    Clock() = default;  // the system clock

    // A clock that shows `start` now and runs on from there.
    [[nodiscard]] static Clock starting_at(TimePoint start);
    // The system clock; for tests only, QREG_FAKE_NOW=YYYY-MM-DDTHH:MM:SSZ gives a clock that
    // starts there when this is called. Throws Error{invalid_input} for an unreadable value.
    [[nodiscard]] static Clock from_environment();

    [[nodiscard]] TimePoint now() const;

private:
    std::chrono::system_clock::duration offset_{};
};

// `YYYY-MM-DDTHH:MM:SS.mmmZ`: sorts as text in time order.
[[nodiscard]] std::string format_time(TimePoint t);
// Reads `YYYY-MM-DDTHH:MM:SS[.mmm]Z`.
[[nodiscard]] std::optional<TimePoint> parse_time(std::string_view text);
// Whether `text` is a calendar date `YYYY-MM-DD`.
[[nodiscard]] bool is_date(std::string_view text);

}  // namespace qreg::registry
