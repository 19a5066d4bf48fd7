#pragma once

#include <string_view>
#include <vector>

namespace qreg::gen {

// Every probability the generator uses, in one place. Defaults give ~2 records per person
// with the mess described in shared/formats/README.md. All can be changed with
// `--set name=value`; `--help` lists them with their defaults.
struct Knobs {
    // How many agencies know a person (the rest: all three).
    double agencies_1 = 0.30;
    double agencies_2 = 0.42;
    // Relative chance of each agency being one of them.
    double weight_ba = 1.0;
    double weight_jobcenter = 0.85;
    double weight_bamf = 1.0;
    double ukr_bamf_factor = 0.35;  // Ukrainians get temporary protection, rarely an asylum file

    // Households: single adults, couples, families, adult siblings.
    double household_single = 0.45;
    double household_couple = 0.10;
    double household_siblings = 0.07;  // the rest: parents (or one parent) with children
    double single_parent = 0.20;       // of families
    double twins = 0.03;               // per child after the first

    // Records.
    double duplicate = 0.025;         // a second record with a new id in the same agency
    double retracted = 0.012;         // record retracted at source
    double retracted_duplicate = 0.30;  // retraction rate of those second records
    double old_version = 0.03;        // an older version of the record is in the export too

    // Names.
    double name_variant = 0.30;     // another transliteration than the person's usual one
    double drop_second_given = 0.30;
    double swap_names = 0.03;       // given and family name in each other's field
    double merge_names = 0.02;      // second given name put into the family name field
    double name_typo = 0.02;        // one-character slip in a name
    double upper_case = 0.12;       // per name field (BA, Jobcenter)
    double lower_case = 0.02;
    double stray_space = 0.02;      // leading, trailing or doubled space
    double drop_article = 0.06;     // Al-Hassan recorded as Hassan
    double grandfather_name = 0.35; // ERI/SOM: grandfather's name as family name (BA, Jobcenter)
    double bamf_alias = 0.45;       // BAMF record lists alias spellings
    double bamf_noise = 0.5;        // factor on name noise for BAMF (it works from documents)
    double year_only_scale = 1.0;   // scales each origin's share of people with only a birth year
    double single_name_scale = 1.0; // scales each origin's share of people with one name

    // Birth dates.
    double placeholder_0101 = 0.5;  // year-only people written as 01.01.YYYY (else 00.00.YYYY)
    double swap_day_month = 0.015;
    double date_typo = 0.01;

    // Identifiers.
    double azr_in_bamf = 0.96;
    double azr_in_ba = 0.25;
    double azr_in_jobcenter = 0.55;
    double kdnr_in_jobcenter = 0.45;  // if the person has a BA record
    double kdnr_phantom = 0.03;       // Jobcenter names a BA number of a record not exported
    double bamf_az_in_ba = 0.30;      // if the person has a BAMF record
    double id_typo = 0.01;            // per copied identifier: one digit wrong
    double id_mixup = 0.002;          // a household member's AZR number instead of one's own

    // Other fields.
    double moved = 0.10;              // record shows an older address
    double field_missing = 0.15;      // per optional qualification field
    double qual_noise = 0.20;         // per qualification value: differs between agencies
    double special_chars = 0.003;     // free text with ; " & < or a line break
};

struct KnobRef {
    std::string_view name;
    double Knobs::*member;
    std::string_view help;
};

// Name, member and one-line description of every knob, in declaration order.
const std::vector<KnobRef>& knob_table();

}  // namespace qreg::gen
