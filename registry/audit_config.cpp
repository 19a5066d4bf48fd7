#include "audit_config.hpp"

#include <boost/json.hpp>
#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "qreg/error.hpp"

namespace qreg::registry {

namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

constexpr const char* default_signing_key = "audit_key.pem";
constexpr const char* default_pseudonym_key = "audit_pseudonym.key";

fs::path beside(const fs::path& database, const fs::path& file) {
    return file.is_absolute() ? file : database.parent_path() / file;
}

struct CloseFd {
    int fd;
    explicit CloseFd(int descriptor) : fd(descriptor) {}
    ~CloseFd() {
        if (fd >= 0) ::close(fd);
    }
    CloseFd(const CloseFd&) = delete;
    CloseFd& operator=(const CloseFd&) = delete;
    CloseFd(CloseFd&&) = delete;
    CloseFd& operator=(CloseFd&&) = delete;
};

}  // namespace

AuditSettings parse_audit_settings(std::string_view text, std::string_view file,
                                   const fs::path& database) {
    boost::system::error_code ec;
    const auto root = json::parse(text, ec);
    if (ec || !root.is_object()) {
        throw Error(ErrorCode::invalid_input, fmt::format("{}: not a JSON object", file));
    }
    const auto path_at = [&](const char* key, const char* fallback) {
        const auto* v = root.get_object().if_contains(key);
        if (!v) return beside(database, fallback);
        if (!v->is_string() || v->get_string().empty()) {
            throw Error(ErrorCode::invalid_input,
                        fmt::format("{}: {}: must be a file name", file, key));
        }
        return beside(database, std::string(v->get_string()));
    };
    return {path_at("signing_key", default_signing_key),
            path_at("pseudonym_key", default_pseudonym_key)};
}

AuditSettings load_audit_settings(const fs::path& config_dir, const fs::path& database) {
    const auto file = config_dir / "audit.json";
    const auto text = read_key_file(file);
    if (!text) return {beside(database, default_signing_key), beside(database, default_pseudonym_key)};
    return parse_audit_settings(*text, file.string(), database);
}

std::optional<std::string> read_key_file(const fs::path& file) {
    std::error_code ec;
    if (!fs::exists(file, ec)) return std::nullopt;
    std::ifstream in(file, std::ios::binary);
    if (!in) throw Error(ErrorCode::invalid_input, fmt::format("cannot read {}", file.string()));
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

void write_new_key_file(const fs::path& file, std::string_view bytes) {
    // O_EXCL: two processes starting at once cannot both write a key.
    const CloseFd out{::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)};
    if (out.fd < 0) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("cannot create key file {}: {}", file.string(), std::strerror(errno)));
    }
    std::size_t done = 0;
    while (done < bytes.size()) {
        const auto n = ::write(out.fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            throw Error(ErrorCode::internal,
                        fmt::format("cannot write key file {}: {}", file.string(), std::strerror(errno)));
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(out.fd) != 0) {
        throw Error(ErrorCode::internal,
                    fmt::format("cannot sync key file {}: {}", file.string(), std::strerror(errno)));
    }
}

}  // namespace qreg::registry
