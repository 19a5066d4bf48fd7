#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "../embedded_file.hpp"

// Canonical record JSON as stored (issue 3). A 1,000,000-row import wrote about 1 GB of
// canonical JSON, twice (the WAL, then the checkpoint into the database), and the disk was the
// bottleneck. Small JSON documents barely compress on their own, but with a zstd dictionary
// trained on canonical records of every source (storage/canonical-v1.dict, made by
// scripts/train-canonical-dictionary.sh) a ~600-byte record becomes ~150 bytes.
//
// Stored value: a BLOB holding one standard zstd frame, which names its dictionary id; a
// database written before this (schema 12 and older) holds TEXT, the JSON itself, and reads
// as it is. The dictionaries are also kept in the database (`canonical_dictionary`), so that a
// value can be read without qreg (`zstd -d -D dictionary`). A dictionary never changes once
// released: a new one gets a new id and the old ones stay.
namespace qreg::registry::canonical {

// The dictionaries compiled into qreg: {id, bytes}. Defined in the generated
// embedded_dictionaries.cpp (cmake/embed.cmake) as embedded_assets().
using Asset = EmbeddedFile;
[[nodiscard]] const std::vector<Asset>& embedded_assets();

struct Dictionary {
    std::uint32_t id;
    std::string_view bytes;
};
// Every dictionary qreg can read; the last one is the one pack() uses.
[[nodiscard]] std::vector<Dictionary> dictionaries();

// The stored form of `json`: deterministic (equal JSON gives equal bytes). Thread-safe.
[[nodiscard]] std::string pack(std::string_view json);
// The JSON of a stored BLOB. Throws Error{storage} when it is not a frame of a known
// dictionary or does not decompress. Thread-safe.
[[nodiscard]] std::string unpack(std::string_view blob);
// The JSON of a stored canonical column: TEXT as it is, a BLOB unpacked. `record` names the
// record in the error (Error{storage}) when the value is damaged.
[[nodiscard]] std::string stored_json(sqlite3_stmt* stmt, int column,
                                      const std::function<std::string()>& record);

}  // namespace qreg::registry::canonical
