#include "import_service.hpp"

#include <boost/json.hpp>
#include <fmt/chrono.h>
#include <fmt/format.h>

#include <chrono>
#include <vector>

#include "qreg/error.hpp"

namespace qreg::registry {

namespace json = boost::json;

namespace {

constexpr std::size_t chunk_bytes = 1 << 20;

}  // namespace

std::string utc_now() {
    const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", now);
}

std::string to_json(const ImportSummary& s) {
    json::array rejects;
    for (const auto& p : s.rejects) {
        rejects.push_back(json::object{{"file", p.file},
                                       {"line", p.line},
                                       {"reason", p.reason},
                                       {"record_id", p.record_id}});
    }
    json::array warnings;
    for (const auto& w : s.warnings) {
        warnings.push_back(json::object{{"file", w.file}, {"line", w.line}, {"message", w.message}});
    }
    json::array files;
    for (const auto& f : s.files) files.emplace_back(f);
    const json::object o{{"import_id", s.import_id},
                         {"format", s.format},
                         {"files", std::move(files)},
                         {"received", s.received},
                         {"new", s.created},
                         {"updated", s.updated},
                         {"unchanged", s.unchanged},
                         {"stale", s.stale},
                         {"retracted", s.retracted},
                         {"rejected", s.rejected},
                         {"rejects", std::move(rejects)},
                         {"rejects_listed", s.rejects.size()},
                         {"warning_count", s.warning_count},
                         {"warnings", std::move(warnings)}};
    return json::serialize(o);
}

ImportSession::ImportSession(Store& store, const connectors::FormatCatalog& catalog,
                             std::string format, std::string actor, std::string now)
    : store_(store), catalog_(catalog), transaction_(store) {
    if (!catalog_.find(format)) {
        // make_parser names the known formats in its error
        (void)catalog_.make_parser(format, "");
    }
    import_ = store_.start_import(format, actor, now);
    summary_.import_id = import_.value;
    summary_.format = std::move(format);
}

void ImportSession::add_file(std::string_view file_name, const ByteReader& read,
                             const ProgressFn& progress) {
    const std::string name(file_name);
    summary_.files.push_back(name);
    auto parser = catalog_.make_parser(summary_.format, name);
    std::vector<char> buffer(chunk_bytes);
    ImportProgress state{name, 0, 0};

    const auto store_batch = [&](connectors::ParseBatch&& batch) {
        for (auto& w : batch.warnings) {
            ++summary_.warning_count;
            if (summary_.warnings.size() < ImportSummary::max_listed) {
                summary_.warnings.push_back({name, w.line, std::move(w.message)});
            }
        }
        for (const auto& r : batch.records) {
            ++summary_.received;
            ++state.records;
            if (r.record.is_retracted) ++summary_.retracted;
            switch (store_.upsert(import_, r, name)) {
                case UpsertOutcome::created: ++summary_.created; break;
                case UpsertOutcome::updated: ++summary_.updated; break;
                case UpsertOutcome::unchanged: ++summary_.unchanged; break;
                case UpsertOutcome::stale: ++summary_.stale; break;
            }
            for (const auto& w : r.warnings) {
                ++summary_.warning_count;
                if (summary_.warnings.size() < ImportSummary::max_listed) {
                    summary_.warnings.push_back({name, w.line ? w.line : r.line, w.message});
                }
            }
        }
        for (auto& p : batch.problems) {
            ++summary_.received;
            ++summary_.rejected;
            ++state.records;
            if (p.file.empty()) p.file = name;
            store_.reject(import_, summary_.format, p);
            if (summary_.rejects.size() < ImportSummary::max_listed) {
                p.raw.clear();  // kept in the database; the summary carries no personal data
                summary_.rejects.push_back(std::move(p));
            }
        }
    };

    for (;;) {
        const std::size_t n = read(std::span<char>(buffer));
        if (n == 0) break;
        state.bytes_read += n;
        store_batch(parser->feed(std::string_view(buffer.data(), n)));
        if (progress) progress(state);
    }
    store_batch(parser->finish());
    if (progress) progress(state);
}

ImportSummary ImportSession::commit(std::string_view now) {
    store_.finish_import(import_, now, to_json(summary_));
    transaction_.commit();
    return summary_;
}

}  // namespace qreg::registry
