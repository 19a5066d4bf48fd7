#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

// Where the audit log's keys live (config/audit.json), and reading and writing key files.
namespace qreg::registry {

struct AuditSettings {
    std::filesystem::path signing_key_file;    // Ed25519 private key, PKCS #8 PEM
    std::filesystem::path pseudonym_key_file;  // HMAC key: 64 hex digits
};

// Relative paths are resolved against the database's folder. Throws Error{invalid_input}
// naming the file and key.
[[nodiscard]] AuditSettings parse_audit_settings(std::string_view json_text,
                                                 std::string_view file_name,
                                                 const std::filesystem::path& database);
// <config>/audit.json, or the defaults (audit_key.pem, audit_pseudonym.key) when absent.
[[nodiscard]] AuditSettings load_audit_settings(const std::filesystem::path& config_dir,
                                                const std::filesystem::path& database);

// The file's bytes; nullopt when it does not exist. Throws Error{invalid_input} when it exists
// but cannot be read.
[[nodiscard]] std::optional<std::string> read_key_file(const std::filesystem::path& file);
// Creates the file with mode 0600 and writes `bytes`; never replaces an existing file.
void write_new_key_file(const std::filesystem::path& file, std::string_view bytes);

}  // namespace qreg::registry
