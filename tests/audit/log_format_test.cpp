#include "audit/log_format.hpp"

#include <doctest/doctest.h>

#include "audit/crypto.hpp"
#include "audit/merkle.hpp"
#include "qreg/error.hpp"

namespace audit = qreg::audit;

namespace {

qreg::StoredAuditEntry sample_entry() {
    qreg::StoredAuditEntry e;
    e.seq = 12;
    e.time = "2026-11-25T10:00:00Z";
    e.actor = "anna";
    e.role = "caseworker";
    e.agency = "ba";
    e.action = "profile.read";
    e.persons_json = R"(["ab"])";
    e.categories_json = R"(["identity"])";
    e.legal_basis = "consent:7";
    e.request_id = "r-1";
    e.outcome = "ok";
    e.details_json = "{}";
    return e;
}

// RFC 8032 §7.1, test 1: the secret key as PKCS #8 PEM, its public key and the signature of
// the empty message.
const std::string rfc8032_pem =
    "-----BEGIN PRIVATE KEY-----\n"
    "MC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g\n"
    "-----END PRIVATE KEY-----\n";
const std::string rfc8032_public = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
const std::string rfc8032_signature =
    "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b"
    "46bd25bf5f0595bbe24655141438e7a100b";

std::string hex(std::string_view bytes) {
    return audit::to_hex(std::span<const std::uint8_t>(
        reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
}

}  // namespace

TEST_SUITE("audit.log_format") {

TEST_CASE("the leaf is the netstrings of the tag and every stored field") {
    CHECK(audit::entry_leaf(sample_entry()) ==
          "19:qreg audit entry v1,2:12,20:2026-11-25T10:00:00Z,4:anna,10:caseworker,2:ba,"
          "12:profile.read,6:[\"ab\"],12:[\"identity\"],9:consent:7,3:r-1,2:ok,2:{},");
}

TEST_CASE("changing any field, or moving bytes between fields, changes the leaf") {
    const auto base = audit::entry_leaf(sample_entry());
    using Field = std::string qreg::StoredAuditEntry::*;
    for (const Field f : {&qreg::StoredAuditEntry::time, &qreg::StoredAuditEntry::actor,
                          &qreg::StoredAuditEntry::role, &qreg::StoredAuditEntry::agency,
                          &qreg::StoredAuditEntry::action, &qreg::StoredAuditEntry::persons_json,
                          &qreg::StoredAuditEntry::categories_json,
                          &qreg::StoredAuditEntry::legal_basis, &qreg::StoredAuditEntry::request_id,
                          &qreg::StoredAuditEntry::outcome, &qreg::StoredAuditEntry::details_json}) {
        auto e = sample_entry();
        e.*f += "x";
        CHECK(audit::entry_leaf(e) != base);
    }
    auto e = sample_entry();
    e.seq = 13;
    CHECK(audit::entry_leaf(e) != base);
    e = sample_entry();
    e.actor = "ann";
    e.role = "acaseworker";
    CHECK(audit::entry_leaf(e) != base);
}

TEST_CASE("checkpoint and head messages are the documented lines") {
    qreg::AuditCheckpoint c;
    c.number = 3;
    c.tree_size = 1000;
    c.root_hash = audit::empty_tree_hash();
    c.time = "2026-11-25T10:00:00Z";
    c.key_id = "21fe31dfa154a261";
    CHECK(audit::checkpoint_message(c) ==
          "qreg audit checkpoint v1\nnumber 3\nsize 1000\n"
          "root e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
          "time 2026-11-25T10:00:00Z\nkey 21fe31dfa154a261\n");
    qreg::AuditHead h;
    h.tree_size = 1000;
    h.root_hash = c.root_hash;
    h.checkpoints = 3;
    h.time = c.time;
    h.key_id = c.key_id;
    CHECK(audit::head_message(h) ==
          "qreg audit head v1\nsize 1000\n"
          "root e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
          "checkpoints 3\ntime 2026-11-25T10:00:00Z\nkey 21fe31dfa154a261\n");
}

TEST_CASE("pseudonyms are listed as a compact JSON array") {
    CHECK(audit::pseudonyms_json({}) == "[]");
    const std::vector<std::string> two = {"ab", "cd"};
    CHECK(audit::pseudonyms_json(two) == R"(["ab","cd"])");
}

}  // TEST_SUITE("audit.log_format")

TEST_SUITE("audit.crypto") {

TEST_CASE("Ed25519 signs as RFC 8032 test 1 says") {
    const auto key = audit::SigningKey::from_pem(rfc8032_pem, "test key");
    CHECK(hex(key.public_key()) == rfc8032_public);
    CHECK(hex(key.sign("")) == rfc8032_signature);
    CHECK(audit::key_id(key.public_key()) == "21fe31dfa154a261");
}

TEST_CASE("a signature verifies under its key only, and only for its message") {
    const auto key = audit::SigningKey::generate();
    const auto other = audit::SigningKey::generate();
    const auto signature = key.sign("size 5");
    CHECK(audit::verify_signature(key.public_key(), "size 5", signature));
    CHECK_FALSE(audit::verify_signature(key.public_key(), "size 6", signature));
    CHECK_FALSE(audit::verify_signature(other.public_key(), "size 5", signature));
    auto bad = signature;
    bad[10] = static_cast<char>(bad[10] ^ 1);
    CHECK_FALSE(audit::verify_signature(key.public_key(), "size 5", bad));
    CHECK_FALSE(audit::verify_signature(key.public_key(), "size 5", signature.substr(1)));
    CHECK_FALSE(audit::verify_signature("short", "size 5", signature));
}

TEST_CASE("keys go to PEM and back") {
    const auto key = audit::SigningKey::generate();
    const auto again = audit::SigningKey::from_pem(key.to_pem(), "key file");
    CHECK(again.public_key() == key.public_key());
    const auto pem = audit::public_key_to_pem(key.public_key());
    CHECK(pem.find("BEGIN PUBLIC KEY") != std::string::npos);
    CHECK(audit::public_key_from_pem(pem, "public key file") == key.public_key());
    CHECK_THROWS_WITH_AS((void)audit::SigningKey::from_pem("nonsense", "config/x.pem"),
                         doctest::Contains("config/x.pem is not a PEM private key"), qreg::Error);
    CHECK_THROWS_WITH_AS((void)audit::public_key_from_pem(key.to_pem(), "k.pem"),
                         doctest::Contains("k.pem is not a PEM public key"), qreg::Error);
}

TEST_CASE("HMAC-SHA256 gives RFC 4231 test case 2, keyed once for many messages") {
    audit::Hmac mac("Jefe");
    for (int i = 0; i < 3; ++i) {
        CHECK(hex(mac("what do ya want for nothing?")) ==
              "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }
    CHECK(mac("a") != mac("b"));
    CHECK(audit::random_bytes(32).size() == 32);
    CHECK(audit::random_bytes(32) != audit::random_bytes(32));
}

}  // TEST_SUITE("audit.crypto")
