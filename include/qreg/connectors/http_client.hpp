#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

// An HTTP/1.1 client over TLS (or plain TCP) with keep-alive: the outbound side of qreg's
// connectors (push deliveries to agencies) and the client of the end-to-end tests.
namespace qreg::connectors {

struct HttpClientOptions {
    std::string host = "127.0.0.1";
    std::uint16_t port = 443;
    bool tls = true;
    // Trust anchors for the server certificate: a PEM file; empty: the system's store.
    std::filesystem::path ca_file;
    bool verify_peer = true;
    std::string server_name;  // SNI and the name checked in the certificate; default host
    std::chrono::milliseconds timeout{30000};  // per request
};

struct HttpResult {
    int status = 0;
    std::map<std::string, std::string> headers;  // names lower-case
    std::string body;

    [[nodiscard]] std::string header(const std::string& lower_name) const;
};

using HeaderList = std::vector<std::pair<std::string, std::string>>;

class HttpClient {
public:
    explicit HttpClient(HttpClientOptions options);
    ~HttpClient();
    HttpClient(HttpClient&&) noexcept;
    HttpClient& operator=(HttpClient&&) noexcept;

    // Sends one request on the kept-alive connection (connecting, or reconnecting once when the
    // server closed it). Throws Error{internal} on connection, TLS or timeout failures.
    [[nodiscard]] HttpResult request(std::string_view method, std::string_view target,
                                     const HeaderList& headers = {}, std::string_view body = {});
    // The same with the body streamed from a file.
    [[nodiscard]] HttpResult upload(std::string_view method, std::string_view target,
                                    const HeaderList& headers, const std::filesystem::path& body);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace qreg::connectors
