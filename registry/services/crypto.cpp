#include "crypto.hpp"

#include "qreg/error.hpp"

#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <array>
#include <cstdint>
#include <vector>

namespace qreg::registry {

namespace {

std::string hex(const unsigned char* data, std::size_t size) {
    std::string out;
    out.reserve(size * 2);
    for (std::size_t i = 0; i < size; ++i) out += fmt::format("{:02x}", data[i]);
    return out;
}

std::vector<unsigned char> random_bytes(std::size_t size) {
    std::vector<unsigned char> out(size);
    if (RAND_bytes(out.data(), static_cast<int>(out.size())) != 1) {
        throw Error(ErrorCode::internal, "the random generator of OpenSSL failed");
    }
    return out;
}

std::vector<unsigned char> sha256(std::string_view data) {
    std::vector<unsigned char> digest(EVP_MAX_MD_SIZE);
    unsigned int size = 0;
    if (EVP_Digest(data.data(), data.size(), digest.data(), &size, EVP_sha256(), nullptr) != 1) {
        throw Error(ErrorCode::internal, "SHA-256 failed in OpenSSL");
    }
    digest.resize(size);
    return digest;
}

}  // namespace

std::string sha256_hex(std::string_view data) {
    const auto digest = sha256(data);
    return hex(digest.data(), digest.size());
}

std::string sha256_base64(std::string_view data) {
    const auto digest = sha256(data);
    std::string out(4 * ((digest.size() + 2) / 3) + 1, '\0');  // EVP_EncodeBlock adds a NUL
    const int size = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), digest.data(),
                                     static_cast<int>(digest.size()));
    out.resize(static_cast<std::size_t>(size));
    return out;
}

std::string hmac_sha256_hex(std::string_view key, std::string_view message) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
    unsigned int size = 0;
    if (!HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
              reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac.data(),
              &size)) {
        throw Error(ErrorCode::internal, "HMAC-SHA256 failed in OpenSSL");
    }
    return hex(mac.data(), size);
}

std::string random_base64url(std::size_t bytes) {
    static constexpr char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const auto data = random_bytes(bytes);
    std::string out;
    std::uint32_t buffer = 0;
    int bits = 0;
    for (const auto byte : data) {
        buffer = (buffer << 8) | byte;
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            out.push_back(alphabet[(buffer >> bits) & 0x3f]);
        }
    }
    if (bits > 0) out.push_back(alphabet[(buffer << (6 - bits)) & 0x3f]);
    return out;
}

std::string random_uuid() {
    auto b = random_bytes(16);
    b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);  // version 4
    b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);  // RFC 4122 variant
    const auto h = hex(b.data(), b.size());
    return fmt::format("{}-{}-{}-{}-{}", h.substr(0, 8), h.substr(8, 4), h.substr(12, 4),
                       h.substr(16, 4), h.substr(20));
}

}  // namespace qreg::registry
