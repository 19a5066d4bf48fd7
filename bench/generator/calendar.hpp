#pragma once

#include <cstdint>

namespace qreg::gen {

struct Date {
    int year = 0;
    int month = 0;  // 0 = unknown
    int day = 0;    // 0 = unknown
};

struct DateTime {
    int year, month, day, hour, minute, second;
};

// Days since 1970-01-01 (H. Hinnant's algorithms, valid for the proleptic Gregorian calendar).
constexpr std::int64_t days_from_civil(int y, int m, int d) {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * static_cast<unsigned>(m > 2 ? m - 3 : m + 9) + 2) / 5 +
                         static_cast<unsigned>(d) - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

constexpr Date civil_from_days(std::int64_t z) {
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    const auto y = static_cast<int>(static_cast<std::int64_t>(yoe) + era * 400);
    return {m <= 2 ? y + 1 : y, static_cast<int>(m), static_cast<int>(d)};
}

constexpr int days_in_month(int y, int m) {
    constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

constexpr DateTime from_unix(std::int64_t t) {
    const std::int64_t days = (t >= 0 ? t : t - 86399) / 86400;
    const auto secs = static_cast<int>(t - days * 86400);
    const Date d = civil_from_days(days);
    return {d.year, d.month, d.day, secs / 3600, secs / 60 % 60, secs % 60};
}

constexpr std::int64_t to_unix(int y, int m, int d, int hh = 0, int mm = 0, int ss = 0) {
    return days_from_civil(y, m, d) * 86400 + hh * 3600 + mm * 60 + ss;
}

// UTC instant at which German summer time starts (true) or ends (false) in year y:
// 01:00 UTC on the last Sunday of March / October.
constexpr std::int64_t eu_dst_switch(int y, bool start) {
    const int m = start ? 3 : 10;
    const std::int64_t last = days_from_civil(y, m, 31);
    const auto weekday = static_cast<int>(((last % 7) + 11) % 7);  // 0 = Sunday
    return (last - weekday) * 86400 + 3600;
}

// Offset of German local time from UTC at instant t, in seconds.
constexpr int berlin_offset(std::int64_t t) {
    const int y = from_unix(t).year;
    return t >= eu_dst_switch(y, true) && t < eu_dst_switch(y, false) ? 7200 : 3600;
}

}  // namespace qreg::gen
