#pragma once

#include <cstddef>
#include <string>
#include <string_view>

// The few OpenSSL primitives the services use. Each throws Error{internal} when OpenSSL fails.
namespace qreg::registry {

[[nodiscard]] std::string sha256_hex(std::string_view data);
// SHA-256 in standard base64 with padding, as a Content-Security-Policy hash source wants it.
[[nodiscard]] std::string sha256_base64(std::string_view data);
// HMAC-SHA256 of `message` under `key`, lower-case hex.
[[nodiscard]] std::string hmac_sha256_hex(std::string_view key, std::string_view message);
// `bytes` random bytes from OpenSSL's generator, base64url without padding.
[[nodiscard]] std::string random_base64url(std::size_t bytes);
// A random (version 4) UUID, lower-case.
[[nodiscard]] std::string random_uuid();

}  // namespace qreg::registry
