#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "calendar.hpp"
#include "catalog.hpp"
#include "knobs.hpp"
#include "population.hpp"
#include "rng.hpp"

namespace qreg::gen {

enum class Agency : std::uint8_t { ba, jobcenter, bamf };
inline constexpr std::array<std::string_view, 3> agency_names = {"ba", "jobcenter", "bamf"};

inline constexpr std::size_t index_of(Agency a) {
    return static_cast<std::size_t>(a);
}

struct Alias {
    std::string family;
    std::string given;  // space-separated
};

// One agency's record of a person, noise applied, before it is written in the agency's
// format. Strings are reused between records to keep allocation off the hot path.
struct Record {
    Agency agency = Agency::ba;
    std::string id;
    std::int64_t stand = 0;  // UTC seconds
    bool retracted = false;

    std::string family;
    std::string given;  // space-separated
    std::string birth_name;
    Date birth;                     // as the agency stores it; 0 = unknown part
    bool zero_padded_date = false;  // Jobcenter: 1990-00-00 rather than 1990
    std::string birth_place;        // empty: none
    std::string_view birth_country;  // empty: none
    char sex = 'X';
    std::array<std::string_view, 2> nationality{};
    int nationality_count = 1;
    std::string azr;
    std::string kdnr;     // Jobcenter: the person's BA customer number
    std::string bamf_az;  // BA: the person's BAMF file number
    std::string bg;       // Jobcenter: Bedarfsgemeinschaft number
    std::string_view postcode;
    std::string_view town;

    Qualifications qual;
    std::string_view education_country;
    std::string_view ba_school;  // BA's own school code
    std::string training_text;
    std::string study_field;
    bool has_soko = false;  // BAMF: education data given at the asylum interview

    std::array<Alias, 2> aliases;
    int alias_count = 0;
    std::string original;  // BAMF: name in original script, or empty
};

// Identifiers a person holds, decided before any record is made so that records can cite
// each other (Jobcenter names the BA number, BA the BAMF file number).
struct PersonIds {
    std::array<std::array<std::string, 2>, 3> ids;  // per agency, per record
    std::array<std::string, 2> bg;                  // Jobcenter BG number per record
    std::array<int, 3> count{};                     // records per agency
    std::string phantom_kdnr;                       // a BA number no exported record has
    std::uint64_t other_azr = 0;                    // a household member's AZR (mix-ups)
};

// Turns a person into agency records with each agency's habits and independent noise.
class RecordMaker {
public:
    RecordMaker(const Catalog& catalog, const Knobs& knobs, Date stand_date);

    // Record number `which` (0 or 1) of `agency` for person p.
    void make(Rng& rng, const Person& p, const PersonIds& ids, Agency agency, int which,
              Record& out) const;
    // An older version of `current`: same key, earlier stand, a few fields different.
    void older_version(Rng& rng, const Person& p, const Record& current, Record& out) const;

private:
    void make_names(Rng& rng, const Person& p, Agency agency, Record& r) const;
    void make_birth(Rng& rng, const Person& p, Agency agency, Record& r) const;
    void make_qualifications(Rng& rng, const Person& p, Agency agency, Record& r) const;
    void make_aliases(Rng& rng, const Person& p, Record& r) const;
    std::int64_t pick_stand(Rng& rng, const Person& p, Agency agency, int which) const;
    void copy_id(Rng& rng, std::string& out, std::string_view id) const;

    const Catalog& catalog_;
    const Knobs& knobs_;
    Date stand_date_;
    std::int64_t export_time_;  // UTC seconds of the export run
};

// Changes one digit of an identifier (a typo), or swaps two neighbouring digits.
void digit_typo(Rng& rng, std::string& id);

}  // namespace qreg::gen
