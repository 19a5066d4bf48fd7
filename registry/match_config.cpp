#include "match_config.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include "qreg/error.hpp"

namespace qreg::registry {

namespace json = boost::json;

namespace {

[[noreturn]] void fail(std::string_view file, std::string_view key, std::string_view what) {
    throw Error(ErrorCode::invalid_input, fmt::format("{}: {}: {}", file, key, what));
}

double number(const json::value& v, std::string_view file, std::string_view key) {
    if (v.is_double()) return v.get_double();
    if (v.is_int64()) return static_cast<double>(v.get_int64());
    if (v.is_uint64()) return static_cast<double>(v.get_uint64());
    fail(file, key, "must be a number");
}

const json::object& object_at(const json::object& o, std::string_view key, std::string_view file) {
    const auto* v = o.if_contains(key);
    if (!v || !v->is_object()) fail(file, key, "must be an object");
    return v->get_object();
}

std::vector<double> probabilities(const json::value& v, std::size_t levels, std::string_view file,
                                  std::string_view key) {
    if (!v.is_array() || v.get_array().size() != levels) {
        fail(file, key, fmt::format("must be an array of {} probabilities, one per level", levels));
    }
    std::vector<double> out;
    for (const auto& x : v.get_array()) {
        const double p = number(x, file, key);
        if (p <= 0.0 || p >= 1.0) fail(file, key, "probabilities must lie strictly between 0 and 1");
        out.push_back(p);
    }
    return out;
}

}  // namespace

dedup::MatchSettings parse_match_settings(std::string_view text, std::string_view file) {
    boost::system::error_code ec;
    const auto root = json::parse(text, ec);
    if (ec || !root.is_object()) fail(file, "(file)", "not a JSON object: " + ec.message());
    const auto& o = root.get_object();
    dedup::MatchSettings s;
    s.score.parameters = dedup::default_parameters();
    s.score.enabled.fill(false);

    const auto* fields = o.if_contains("fields");
    if (!fields || !fields->is_array()) fail(file, "fields", "must be an array of field names");
    for (const auto& f : fields->get_array()) {
        const auto name = f.is_string() ? std::string_view(f.get_string()) : std::string_view();
        const auto id = dedup::field_from_name(name);
        if (!id) fail(file, "fields", fmt::format("unknown field '{}'", name));
        s.score.enabled[static_cast<std::size_t>(*id)] = true;
    }
    if (const auto* tf = o.if_contains("term_frequency"); tf && tf->is_object()) {
        if (const auto* n = tf->get_object().if_contains("name"); n && n->is_bool()) s.score.name_tf = n->get_bool();
        if (const auto* m = tf->get_object().if_contains("partial_scale")) {
            s.score.partial_tf_scale = number(*m, file, "term_frequency.partial_scale");
            if (s.score.partial_tf_scale < 0.0 || s.score.partial_tf_scale > 1.0) {
                fail(file, "term_frequency.partial_scale", "must be between 0 and 1");
            }
        }
        if (const auto* m = tf->get_object().if_contains("max_adjustment_bits")) {
            s.score.max_tf_adjustment = number(*m, file, "term_frequency.max_adjustment_bits");
        }
        if (const auto* m = tf->get_object().if_contains("scale")) {
            s.score.tf_scale = number(*m, file, "term_frequency.scale");
            if (s.score.tf_scale < 0.0 || s.score.tf_scale > 1.0) {
                fail(file, "term_frequency.scale", "must be between 0 and 1");
            }
        }
    }
    const auto& th = object_at(o, "thresholds", file);
    for (const char* key : {"link_weight", "review_weight"}) {
        if (!th.if_contains(key)) fail(file, fmt::format("thresholds.{}", key), "is required");
    }
    s.cluster.link_weight = number(th.at("link_weight"), file, "thresholds.link_weight");
    s.cluster.review_weight = number(th.at("review_weight"), file, "thresholds.review_weight");
    if (s.cluster.review_weight > s.cluster.link_weight) {
        fail(file, "thresholds.review_weight", "must not exceed link_weight");
    }
    if (const auto* m = th.if_contains("max_cluster_size")) {
        s.cluster.max_cluster_size = static_cast<std::uint32_t>(number(*m, file, "thresholds.max_cluster_size"));
    }
    if (const auto* w = th.if_contains("max_weak_share")) {
        s.cluster.max_weak_share = number(*w, file, "thresholds.max_weak_share");
        if (s.cluster.max_weak_share < 0.0 || s.cluster.max_weak_share >= 0.5) {
            fail(file, "thresholds.max_weak_share", "must be at least 0 and below 0.5");
        }
    }
    const auto& blocking = object_at(o, "blocking", file);
    const auto* rules = blocking.if_contains("rules");
    if (!rules || !rules->is_array() || rules->get_array().empty()) {
        fail(file, "blocking.rules", "must be a non-empty array of rule names");
    }
    for (const auto& r : rules->get_array()) {
        const auto name = r.is_string() ? std::string_view(r.get_string()) : std::string_view();
        const auto rule = dedup::block_rule_from_name(name);
        if (!rule) fail(file, "blocking.rules", fmt::format("unknown rule '{}'", name));
        s.blocking.push_back(*rule);
    }
    // A block cap: a whole number of records, checked before it is converted (a negative
    // number converted to an unsigned one would be a cap of billions: no cap at all).
    const auto block_cap = [&](const json::value& v, const std::string& where) {
        const double n = number(v, file, where);
        if (!(n >= 2.0 && n <= 1000000.0) || n != std::floor(n)) {
            fail(file, where, "must be a whole number of records, at least 2 and at most 1000000");
        }
        return static_cast<std::size_t>(n);
    };
    if (const auto* m = blocking.if_contains("max_block")) s.max_block = block_cap(*m, "blocking.max_block");
    if (const auto* caps = blocking.if_contains("max_block_by_rule")) {
        if (!caps->is_object()) fail(file, "blocking.max_block_by_rule", "must be an object: rule name -> cap");
        for (const auto& [name, value] : caps->get_object()) {
            const auto rule = dedup::block_rule_from_name(name);
            const auto where = fmt::format("blocking.max_block_by_rule.{}", std::string_view(name));
            if (!rule) fail(file, where, fmt::format("unknown rule '{}'", std::string_view(name)));
            s.rule_max_block.emplace_back(*rule, block_cap(value, where));
        }
    }
    if (const auto* inc = o.if_contains("incremental"); inc && inc->is_object()) {
        if (const auto* v = inc->get_object().if_contains("full_recompute_share")) {
            s.full_recompute_share = number(*v, file, "incremental.full_recompute_share");
            if (s.full_recompute_share <= 0) {
                fail(file, "incremental.full_recompute_share", "must be above 0");
            }
        }
    }
    if (const auto* em = o.if_contains("em"); em && em->is_object()) {
        if (const auto* v = em->get_object().if_contains("max_iterations")) {
            s.em.max_iterations = static_cast<int>(number(*v, file, "em.max_iterations"));
        }
        if (const auto* v = em->get_object().if_contains("tolerance")) {
            s.em.tolerance = number(*v, file, "em.tolerance");
        }
    }
    if (const auto* start = o.if_contains("start"); start && start->is_object()) {
        const auto& so = start->get_object();
        if (const auto* p = so.if_contains("prior")) s.score.parameters.prior = number(*p, file, "start.prior");
        for (const char* which : {"m", "u"}) {
            const auto* table = so.if_contains(which);
            if (!table) continue;
            if (!table->is_object()) fail(file, fmt::format("start.{}", which), "must be an object");
            for (const auto& [name, value] : table->get_object()) {
                const auto id = dedup::field_from_name(name);
                const auto key = fmt::format("start.{}.{}", which, std::string_view(name));
                if (!id) fail(file, key, "unknown field");
                auto& field = s.score.parameters.fields[static_cast<std::size_t>(*id)];
                (std::string_view(which) == "m" ? field.m : field.u) =
                    probabilities(value, field.levels.size(), file, key);
            }
        }
    }
    return s;
}

dedup::MatchSettings load_match_settings(const std::filesystem::path& config_dir) {
    const auto file = config_dir / "matching.json";
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("cannot read {}; give --config the folder that holds it", file.string()));
    }
    std::ostringstream text;
    text << in.rdbuf();
    return parse_match_settings(text.str(), file.string());
}

std::string parameters_to_json(const dedup::FsParameters& p) {
    json::array fields;
    for (const auto& f : p.fields) {
        json::array levels, m, u;
        for (const auto& l : f.levels) levels.emplace_back(l);
        for (const auto x : f.m) m.emplace_back(x);
        for (const auto x : f.u) u.emplace_back(x);
        fields.push_back(json::object{{"name", f.name}, {"levels", std::move(levels)},
                                      {"m", std::move(m)}, {"u", std::move(u)}});
    }
    return json::serialize(json::object{{"prior", p.prior}, {"fields", std::move(fields)}});
}

dedup::FsParameters parameters_from_json(std::string_view text) {
    boost::system::error_code ec;
    const auto root = json::parse(text, ec);
    const auto bad = [](std::string_view why) {
        return Error(ErrorCode::storage,
                     fmt::format("the stored matching model cannot be used ({}); run `qreg train`", why));
    };
    if (ec || !root.is_object()) throw bad("not JSON");
    auto p = dedup::default_parameters();
    const auto& o = root.get_object();
    if (!o.if_contains("prior") || !o.at("prior").is_number()) throw bad("no prior");
    p.prior = o.at("prior").to_number<double>();
    const auto* fields = o.if_contains("fields");
    if (!fields || !fields->is_array() || fields->get_array().size() != p.fields.size()) {
        throw bad("field layout differs");
    }
    for (std::size_t i = 0; i < p.fields.size(); ++i) {
        const auto& f = fields->get_array()[i].as_object();
        const auto& m = f.at("m").as_array();
        const auto& u = f.at("u").as_array();
        if (f.at("name").as_string() != p.fields[i].name || m.size() != p.fields[i].levels.size() ||
            u.size() != m.size()) {
            throw bad("field layout differs");
        }
        for (std::size_t l = 0; l < m.size(); ++l) {
            p.fields[i].m[l] = m[l].to_number<double>();
            p.fields[i].u[l] = u[l].to_number<double>();
        }
    }
    return p;
}

}  // namespace qreg::registry
