#pragma once

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "records.hpp"
#include "rng.hpp"

namespace qreg::gen {

// An output file that receives rows through a bounded shuffle window: a new row replaces a
// random one in the window, which is written out. Records of one person or household so
// do not sit next to each other, while memory stays at `window` rows. window <= 1 writes
// rows in order.
class OutputFile {
public:
    OutputFile(std::filesystem::path path, std::size_t window, std::uint64_t seed);
    OutputFile(const OutputFile&) = delete;
    OutputFile& operator=(const OutputFile&) = delete;

    void write_direct(std::string_view bytes);
    // Takes the row's content; `row` comes back empty, possibly with another row's capacity.
    void push(std::string& row);
    // Writes what is left in the window, then `trailer`, and closes; throws
    // std::runtime_error on I/O errors.
    void finish(std::string_view trailer = {});

private:
    struct Close {
        void operator()(std::FILE* f) const noexcept { std::fclose(f); }
    };

    std::filesystem::path path_;
    std::unique_ptr<std::FILE, Close> file_;
    std::vector<std::string> window_;
    std::size_t capacity_;
    Rng rng_;
};

// ba-csv-v1: header row, one row per record, CRLF. Windows-1252 unless cp1252 is false
// (then UTF-8 with BOM).
void append_ba_header(std::string& out, bool cp1252);
void append_ba_row(std::string& out, const Record& r, bool cp1252);

// jobcenter-xml-v1
void append_jobcenter_header(std::string& out, std::string_view office, std::int64_t created);
void append_jobcenter_person(std::string& out, const Record& r);
void append_jobcenter_footer(std::string& out);

// bamf-jsonl-v1: one object per line.
void append_bamf_line(std::string& out, const Record& r);

}  // namespace qreg::gen
