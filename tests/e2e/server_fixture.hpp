#pragma once

// A real `qreg serve` on loopback for end-to-end tests: its own database with the sample
// exports imported and matched, a self-signed certificate, one token per role.
#include <doctest/doctest.h>

#include <csignal>
#include <chrono>
#include <filesystem>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <thread>

#include "qreg/connectors/http_client.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

#include <sys/wait.h>

namespace qreg::test {

inline const std::string qreg_bin = QREG_BINARY;
inline const std::string shared_dir = QREG_SHARED_DIR;
inline const std::string source_dir = QREG_SOURCE_DIR;

inline std::string sample(const std::string& format) {
    if (format == "ba-csv-v1") return shared_dir + "/formats/ba_export_sample.csv";
    if (format == "jobcenter-xml-v1") return shared_dir + "/formats/jobcenter_export_sample.xml";
    return shared_dir + "/formats/bamf_export_sample.jsonl";
}

struct ServerSetup {
    bool with_samples = true;
    // When set: the server runs on a copy of config/ with this as sharing.json, where
    // {ca_file} stands for the test certificate (which the push receivers use too).
    std::string sharing_json;
};

class RunningServer {
public:
    explicit RunningServer(bool with_samples = true) : RunningServer(ServerSetup{with_samples, {}}) {}
    explicit RunningServer(const ServerSetup& setup) {
        const auto cert = run_process({source_dir + "/scripts/dev-cert.sh", (dir_ / "tls").string()});
        REQUIRE_MESSAGE(cert.exit_code == 0, cert.err);
        if (!setup.sharing_json.empty()) {
            config_dir_ = dir_ / "config";
            std::filesystem::copy(source_dir + "/config", config_dir_,
                                  std::filesystem::copy_options::recursive);
            const auto json = std::regex_replace(setup.sharing_json, std::regex("\\{ca_file\\}"),
                                                 cert_file());
            write_file((config_dir_ / "sharing.json").string(), json);
        }
        const bool with_samples = setup.with_samples;
        if (with_samples) {
            for (const char* f : {"ba-csv-v1", "jobcenter-xml-v1", "bamf-jsonl-v1"}) cli({"import", "--format", f, sample(f)});
            dedup();
        }
        for (const std::string role : {"caseworker", "data-officer", "admin", "agency"}) {
            std::vector<std::string> args = {"token", "create", "--role", role, "--name", "test " + role};
            if (role == "agency") {
                args.push_back("--agency");
                args.push_back("ba-muenchen");
            }
            const auto r = cli(args);
            tokens_[role] = r.out.substr(0, r.out.find('\n'));
            std::smatch m;
            REQUIRE(std::regex_search(r.err, m, std::regex("token ([0-9]+) for")));
            token_ids_[role] = m[1];
        }
        start();
    }
    ~RunningServer() {
        if (pid_ > 0) stop();
    }
    RunningServer(const RunningServer&) = delete;
    RunningServer& operator=(const RunningServer&) = delete;

    [[nodiscard]] std::uint16_t port() const { return port_; }
    [[nodiscard]] pid_t pid() const { return pid_; }
    [[nodiscard]] std::string db() const { return (dir_ / "registry.db").string(); }

    [[nodiscard]] connectors::HttpClient client() const {
        connectors::HttpClientOptions o;
        o.host = "127.0.0.1";
        o.port = port_;
        o.ca_file = dir_ / "tls" / "cert.pem";
        o.server_name = "localhost";
        return connectors::HttpClient(o);
    }

    [[nodiscard]] connectors::HeaderList auth(const std::string& role) const {
        return {{"Authorization", "Bearer " + tokens_.at(role)}};
    }
    // A further agency principal; auth(name) then sends its token.
    void add_agency_token(const std::string& name, const std::string& agency) {
        const auto r = cli({"token", "create", "--role", "agency", "--name", name, "--agency", agency});
        tokens_[name] = r.out.substr(0, r.out.find('\n'));
    }

    [[nodiscard]] std::filesystem::path dir() const { return dir_.path(); }
    [[nodiscard]] std::string cert_file() const { return (dir_ / "tls" / "cert.pem").string(); }
    [[nodiscard]] std::string key_file() const { return (dir_ / "tls" / "key.pem").string(); }

    ProcessResult cli(std::vector<std::string> args) const {
        args.insert(args.begin() + (args[0] == "token" || args[0] == "agency" || args[0] == "audit" ? 2 : 1), {"--db", db()});
        if (!config_dir_.empty()) args.insert(args.begin(), {"--config", config_dir_.string()});
        args.insert(args.begin(), qreg_bin);
        auto r = run_process(args);
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        return r;
    }

    void dedup() const { cli({"dedup"}); }
    void revoke(const std::string& role) const { cli({"token", "revoke", "--id", token_ids_.at(role)}); }
    [[nodiscard]] static std::string jobcenter_abbas_id() { return "36103BG0183794-01"; }

    // source:record_id -> person id.
    [[nodiscard]] std::map<std::string, std::string> links() const {
        const auto r = cli({"links"});
        std::map<std::string, std::string> out;
        std::istringstream in(r.out);
        std::string line;
        std::getline(in, line);
        while (std::getline(in, line)) {
            const auto a = line.find(','), b = line.rfind(',');
            out[line.substr(0, a) + ":" + line.substr(a + 1, b - a - 1)] = line.substr(b + 1);
        }
        return out;
    }

    // Whether `openssl s_client` completes a handshake when limited to `max_flag` (-tls1_1, ...).
    [[nodiscard]] bool handshake_with_max_version(const std::string& max_flag) const {
        const auto r = run_process({"/usr/bin/openssl", "s_client", "-connect",
                                    "127.0.0.1:" + std::to_string(port_), max_flag, "-cipher",
                                    "DEFAULT:@SECLEVEL=0", "-CAfile", (dir_ / "tls" / "cert.pem").string()});
        return r.exit_code == 0 && r.out.find("Cipher is (NONE)") == std::string::npos;
    }

    // SIGTERM; returns the exit status.
    int stop() { return stop_with(SIGTERM); }
    // SIGKILL: a crash, nothing finishes.
    void crash() { (void)stop_with(SIGKILL); }
    // Starts it again on the same database; `env` (`NAME=VALUE`) is added to its environment.
    void start(const std::vector<std::string>& env = {}) {
        REQUIRE(pid_ < 0);
        const auto port_file = dir_ / "port";
        std::filesystem::remove(port_file);
        std::vector<std::string> args = {qreg_bin, "serve", "--db", db(), "--listen", "127.0.0.1:0",
                                         "--tls-cert", cert_file(), "--tls-key", key_file(),
                                         "--threads", "2", "--port-file", port_file.string()};
        if (!config_dir_.empty()) args.insert(args.begin() + 1, {"--config", config_dir_.string()});
        pid_ = start_process(args, (dir_ / "serve.log").string(), env);
        for (int i = 0; i < 600 && !std::filesystem::exists(port_file); ++i) {
            int status = 0;
            if (waitpid(pid_, &status, WNOHANG) == pid_) {
                pid_ = -1;
                FAIL("qreg serve exited: " << log());
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        REQUIRE_MESSAGE(std::filesystem::exists(port_file), log());
        port_ = static_cast<std::uint16_t>(std::stoi(read_file(port_file.string())));
    }

    [[nodiscard]] std::string log() const { return read_file((dir_ / "serve.log").string()); }

private:
    int stop_with(int signal) {
        kill(pid_, signal);
        const int rc = wait_process(pid_);
        pid_ = -1;
        return rc;
    }

    TempDir dir_;
    std::filesystem::path config_dir_;  // empty: the repository's config/
    pid_t pid_ = -1;
    std::uint16_t port_ = 0;
    std::map<std::string, std::string> tokens_;
    std::map<std::string, std::string> token_ids_;
};

}  // namespace qreg::test
