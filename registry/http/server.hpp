#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

// The HTTP(S) transport: Boost.Beast sessions on a pool of threads. It knows nothing of qreg's
// resources: it reads a request, hands it to a Handler (a plain function, as in Beast's
// handle_request) and writes the response. Beast and Asio stay in server.cpp.
namespace qreg::registry::http {

struct Request {
    std::string method;  // GET, POST, ...
    std::string target;  // as sent: /v1/persons?name=...
    std::string path;    // target without the query, percent-decoded
    std::map<std::string, std::string> query;  // decoded; the last value of a repeated key wins
    std::map<std::string, std::string> headers;  // names lower-case
    std::string body;    // small bodies
    // Large bodies (see ServerOptions::spooled_path_prefix) are streamed to this file instead.
    std::filesystem::path body_file;
    std::string remote;  // peer address
    std::string request_id;

    [[nodiscard]] std::string header(const std::string& lower_name) const;
};

struct Response {
    int status = 200;
    std::string content_type = "application/json";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;  // extra headers
};

using Handler = std::function<Response(const Request&)>;

struct ServerOptions {
    std::string host = "127.0.0.1";
    std::uint16_t port = 8443;
    std::filesystem::path tls_cert;  // PEM chain
    std::filesystem::path tls_key;   // PEM private key
    bool insecure_http = false;      // plain HTTP; only with --insecure-http
    unsigned threads = 2;
    std::size_t max_body_bytes = 1 << 20;            // ordinary requests
    std::size_t max_spooled_body_bytes = 16ull << 30;  // streamed uploads
    std::size_t max_header_bytes = 16 << 10;
    // Requests whose path starts with this prefix have their body streamed to a file in
    // spool_dir (deleted after the response) instead of memory.
    std::string spooled_path_prefix = "/v1/imports";
    std::filesystem::path spool_dir;
    std::chrono::seconds read_timeout{30};      // header and ordinary body; idle keep-alive
    std::chrono::seconds upload_timeout{3600};  // a streamed body
    std::chrono::seconds shutdown_grace{10};    // requests in flight finish within this
};

// Listens, serves until SIGTERM or SIGINT, then stops accepting, lets requests in flight finish
// (up to shutdown_grace) and returns. `on_ready` is called with the bound port once listening
// (port 0 picks a free one). Throws Error{invalid_input} for a bad certificate or key, and
// Error{internal} when it cannot listen.
void serve(const ServerOptions& options, const Handler& handler,
           const std::function<void(std::uint16_t port)>& on_ready = {});

}  // namespace qreg::registry::http
