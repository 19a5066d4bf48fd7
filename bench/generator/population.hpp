#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "calendar.hpp"
#include "catalog.hpp"
#include "knobs.hpp"
#include "rng.hpp"

namespace qreg::gen {

// A name as the person carries it: which name, and which spelling their documents use.
struct NameSlot {
    const NameEntry* entry = nullptr;
    std::uint8_t usual = 0;  // index into entry->spellings

    [[nodiscard]] bool empty() const { return entry == nullptr; }
};

enum class DateKnown : std::uint8_t { full, month_year, year_only };

struct Language {
    std::string_view code;
    int level = 0;  // 0 native, 1..6 = A1..C2
};

// The true education and language profile; each agency records a noisy part of it.
struct Qualifications {
    int school_years = -1;  // -1: none recorded (young children)
    int isced = -1;         // 0..3
    const Occupation* training = nullptr;
    std::string_view training_status;
    char study = 0;  // 'B', 'M', 'P', 'S' (studied without degree) or 0
    std::string_view study_field;
    const Occupation* experience = nullptr;
    double experience_years = 0;
    const Occupation* target = nullptr;
    int german = 0;  // 0 none, 1..6 = A1..C2
    bool german_certificate = false;
    std::array<Language, 4> languages{};  // other than German; natives first
    int language_count = 0;
    std::string_view recognition;  // Anerkennung status, or empty
    std::int64_t recognition_day = 0;
    std::string_view course_status;  // integration course, or empty
    int course_result = 0;
};

struct Person {
    std::uint64_t number = 0;  // truth id P%07d
    const OriginInfo* origin = nullptr;
    char sex = 'M';  // 'M' or 'W'
    // Own given names; for patronymic origins [0] own, [1] father's, [2] grandfather's name.
    std::array<NameSlot, 3> given{};
    int given_count = 0;
    NameSlot family;  // empty for patronymic origins and single-name people
    NameSlot maiden;  // birth name when the family name came by marriage
    bool female_form = false;  // use the feminine family name list (Magomedova)
    bool single_name = false;
    Date birth;
    DateKnown known = DateKnown::full;
    const Place* birth_place = nullptr;  // null: born in Germany (see birth_town)
    std::string_view birth_town;
    std::uint8_t place_usual = 0;
    std::string_view birth_country;
    std::array<std::string_view, 2> nationality{};
    int nationality_count = 1;
    const Town* town = nullptr;
    std::string_view postcode;
    const Town* previous_town = nullptr;
    std::string_view previous_postcode;
    std::uint64_t azr = 0;
    int arrival_year = 0;
    int age = 0;
    Qualifications qual;
};

struct Household {
    std::uint64_t index = 0;
    std::vector<Person> members;
};

// Draws households (single adults, couples, families, adult siblings) person by person.
// Deterministic for a given seed; holds no state besides counters.
class Population {
public:
    Population(const Catalog& catalog, const Knobs& knobs, std::uint64_t seed, Date stand_date);

    // Replaces `household` with the next household of at most `max_people` members.
    void next(Rng& rng, Household& household, std::size_t max_people);

private:
    void fill_names(Rng& rng, Person& p, const OriginInfo& o) const;
    void fill_birth(Rng& rng, Person& p, int age) const;
    void fill_qualifications(Rng& rng, Person& p) const;
    Person& add_member(Household& h, const OriginInfo& o, char sex, int age, Rng& rng);

    const Catalog& catalog_;
    const Knobs& knobs_;
    Date stand_date_;
    std::uint64_t next_person_ = 0;
    std::uint64_t next_household_ = 0;
    Permutation azr_ids_;
    // The household being built.
    const Town* town_ = nullptr;
    std::string_view postcode_;
    int arrival_ = 0;
    std::string_view nationality_;
    const Place* home_place_ = nullptr;
};

// Picks a spelling index: the usual spelling most of the time.
std::uint8_t pick_usual(Rng& rng, std::size_t spelling_count);

}  // namespace qreg::gen
