#include "erase_service.hpp"

#include <fmt/format.h>

#include "qreg/error.hpp"

namespace qreg::registry {

ErasureReport erase_person(Store& store, AuditLog& audit, std::int64_t person_id,
                           const AuditContext& context, std::string_view legal_basis,
                           std::string_view now) {
    ErasureReport report;
    report.person_id = person_id;
    {
        Store::Transaction tx(store);
        report.records = store.erase_person(person_id);
        auto entry = audit_entry(context, audit_action::erase);
        entry.time = std::string(now);
        entry.categories = {"identity", "identifiers", "address", "qualifications"};
        entry.legal_basis = std::string(legal_basis);
        entry.details_json = fmt::format(R"({{"records":{}}})", report.records);
        const auto erasure = audit.record_erasure(person_id, std::move(entry));
        if (report.records == 0 && erasure.index_rows_cleared == 0) {
            throw Error(ErrorCode::not_found,
                        fmt::format("person {} has no records and no audit entries name them; "
                                    "nothing was erased",
                                    person_id));
        }
        report.audit_rows_cleared = erasure.index_rows_cleared;
        report.pseudonym = erasure.pseudonym;
        report.audit_entry = erasure.entry;
        tx.commit();
    }
    store.flush_wal();
    return report;
}

}  // namespace qreg::registry
