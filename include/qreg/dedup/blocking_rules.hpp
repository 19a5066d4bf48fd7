#pragma once

#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "qreg/dedup/block.hpp"
#include "qreg/dedup/features.hpp"

// The blocking rules a matching configuration can name, and the keys they give a record.
namespace qreg::dedup {

enum class BlockRule {
    azr_number,           // the same AZR number
    ba_customer_number,   // the same BA customer number
    bamf_file_number,     // the same BAMF file number
    other_id,             // the same further identifier
    name_key_birth_year,  // a phonetic name key and the birth year
    name_key_pair,        // two phonetic name keys
    name_key_postcode,    // a phonetic name key and the postcode
    birth_date,           // the full birth date (not a 01.01. placeholder)
    birth_date_postcode,  // the full birth date and the postcode
    family_key_birth_year,  // a phonetic key of a family name (any variant) and the birth year
    street_house_number,  // the street and the house number (data that has them: FEBRL)
    // An identifier's characters in sorted order, with the postcode: an identifier with two
    // digits swapped still meets its person where the address agrees.
    identifier_digits_postcode,
    // A phonetic name key and the full birth date (not a 01.01. placeholder): a common name's
    // year block too large to keep whole is split by postcode and day, and a record without a
    // postcode (BAMF's) or one that moved would no longer meet its person there.
    name_key_birth_date,
};

[[nodiscard]] std::optional<BlockRule> block_rule_from_name(std::string_view name);
// False for a rule that only brings pairs to compare and that training leaves out:
// identifier_digits_postcode's pairs are mostly the identifier rules' again, and all agree on
// the postcode, which raised its u among candidate pairs (FEBRL4: 8.4 -> 7.9 bits).
[[nodiscard]] bool trains_model(BlockRule rule);
[[nodiscard]] std::string_view block_rule_name(BlockRule rule);

// What the keys of `rules` are, as one positive number (never 0 or 1): it changes when the
// rules or the way their keys are made change, so that a stored match index made under other
// rules is known to be stale.
[[nodiscard]] std::int64_t block_keys_print(std::span<const BlockRule> rules);

// The record's keys under each rule; the rule is part of every key. `max_block`, when given,
// holds each rule's block cap (0: the default), which its keys carry.
[[nodiscard]] std::vector<BlockKey> block_keys(const RecordFeatures& record,
                                               std::span<const BlockRule> rules,
                                               std::span<const std::uint32_t> max_block = {});

}  // namespace qreg::dedup
