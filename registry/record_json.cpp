#include "record_json.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

#include "json_text.hpp"
#include "qreg/error.hpp"

namespace qreg::registry {

namespace json = boost::json;

namespace {

const json::value* find(const json::object& o, std::string_view key) {
    const auto it = o.find(key);
    return it == o.end() || it->value().is_null() ? nullptr : &it->value();
}

std::string str(const json::object& o, std::string_view key) {
    const auto* v = find(o, key);
    return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

std::optional<int> opt_int(const json::object& o, std::string_view key) {
    const auto* v = find(o, key);
    if (!v || !v->is_int64()) return std::nullopt;
    return static_cast<int>(v->get_int64());
}

std::optional<double> opt_double(const json::object& o, std::string_view key) {
    const auto* v = find(o, key);
    if (!v) return std::nullopt;
    if (v->is_double()) return v->get_double();
    if (v->is_int64()) return static_cast<double>(v->get_int64());
    return std::nullopt;
}

std::optional<bool> opt_bool(const json::object& o, std::string_view key) {
    const auto* v = find(o, key);
    return v && v->is_bool() ? std::optional<bool>(v->get_bool()) : std::nullopt;
}

const json::object& object_at(const json::object& o, std::string_view key) {
    static const json::object empty;
    const auto* v = find(o, key);
    return v && v->is_object() ? v->get_object() : empty;
}

const json::array& array_at(const json::object& o, std::string_view key) {
    static const json::array empty;
    const auto* v = find(o, key);
    return v && v->is_array() ? v->get_array() : empty;
}

Sex sex_from(std::string_view code) {
    if (code == "male") return Sex::male;
    if (code == "female") return Sex::female;
    if (code == "diverse") return Sex::diverse;
    return Sex::unknown;
}

DatePrecision precision_from(std::string_view code) {
    if (code == "year") return DatePrecision::year;
    if (code == "month") return DatePrecision::month;
    if (code == "day") return DatePrecision::day;
    return DatePrecision::none;
}

}  // namespace

std::string_view sex_code(Sex sex) {
    switch (sex) {
        case Sex::male: return "male";
        case Sex::female: return "female";
        case Sex::diverse: return "diverse";
        case Sex::unknown: break;
    }
    return "unknown";
}

std::string_view precision_code(DatePrecision p) {
    switch (p) {
        case DatePrecision::year: return "year";
        case DatePrecision::month: return "month";
        case DatePrecision::day: return "day";
        case DatePrecision::none: break;
    }
    return "none";
}

namespace {

// A small append-only JSON writer: canonical records are written once per imported record, so
// this avoids building a value tree. Empty strings, empty lists, false and absent values are
// left out; record_from_json reads a missing key as its empty value.
class Writer {
public:
    std::string out;

    void open(char c) {
        out += c;
        first_ = true;
    }
    void close(char c) {
        out += c;
        first_ = false;
    }
    void key(std::string_view k) {
        if (!first_) out += ',';
        first_ = false;
        string(k);
        out += ':';
    }
    void string(std::string_view v) { append_json_string(out, v); }
    void field(std::string_view k, std::string_view v) {
        if (v.empty()) return;
        key(k);
        string(v);
    }
    void field(std::string_view k, bool v) {
        if (!v) return;
        key(k);
        out += "true";
    }
    void field(std::string_view k, int v) {
        if (v == 0) return;
        key(k);
        out += std::to_string(v);
    }
    void field(std::string_view k, const std::optional<int>& v) {
        if (!v) return;
        key(k);
        out += std::to_string(*v);
    }
    void field(std::string_view k, const std::optional<double>& v) {
        if (!v) return;
        key(k);
        out += fmt::format("{}", *v);
    }
    void field(std::string_view k, const std::optional<bool>& v) {
        if (!v) return;
        key(k);
        out += *v ? "true" : "false";
    }
    void field(std::string_view k, const std::vector<std::string>& items) {
        if (items.empty()) return;
        key(k);
        open('[');
        for (const auto& i : items) {
            if (!first_) out += ',';
            first_ = false;
            string(i);
        }
        close(']');
    }
    // Starts an element of an array of objects.
    void element() {
        if (!first_) out += ',';
        first_ = false;
    }

private:
    bool first_ = true;
};

}  // namespace

std::string to_json(const Record& r) {
    Writer w;
    w.out.reserve(512);
    w.open('{');
    w.field("source", r.source);
    w.field("record_id", r.record_id);
    w.field("stand", r.stand);
    w.field("retracted", r.is_retracted);
    w.key("identity");
    w.open('{');
    w.field("family_name", r.family_name);
    w.field("given_names", r.given_names);
    w.field("birth_name", r.birth_name);
    if (!r.aliases.empty()) {
        w.key("aliases");
        w.open('[');
        for (const auto& a : r.aliases) {
            w.element();
            w.open('{');
            w.field("family_name", a.family_name);
            w.field("given_names", a.given_names);
            w.close('}');
        }
        w.close(']');
    }
    w.field("original_script", r.original_script);
    const auto& b = r.birth_date;
    w.key("birth_date");
    w.open('{');
    w.field("year", b.year);
    w.field("month", b.month);
    w.field("day", b.day);
    w.field("precision", precision_code(b.precision));
    w.field("placeholder", b.is_placeholder);
    w.field("original", b.original);
    w.close('}');
    w.field("birthplace", r.birthplace);
    w.field("birth_country", r.birth_country);
    w.field("sex", sex_code(r.sex));
    w.field("nationalities", r.nationalities);
    w.close('}');
    w.key("identifiers");
    w.open('{');
    w.field("ba_customer_number", r.ids.ba_customer_number);
    w.field("bg_number", r.ids.bg_number);
    w.field("bamf_file_number", r.ids.bamf_file_number);
    w.field("azr_number", r.ids.azr_number);
    w.field("other_id", r.ids.other_id);
    w.close('}');
    w.key("address");
    w.open('{');
    w.field("street", r.street);
    w.field("house_number", r.house_number);
    w.field("address_extra", r.address_extra);
    w.field("postcode", r.postcode);
    w.field("town", r.town);
    w.field("region", r.region);
    w.close('}');

    const auto& q = r.qualifications;
    w.key("qualifications");
    w.open('{');
    if (q.school) {
        w.key("school");
        w.open('{');
        w.field("isced_level", q.school->isced_level);
        w.field("original_code", q.school->original_code);
        w.field("years", q.school->years);
        w.field("country", q.school->country);
        w.close('}');
    }
    if (!q.trainings.empty()) {
        w.key("vocational_training");
        w.open('[');
        for (const auto& t : q.trainings) {
            w.element();
            w.open('{');
            w.field("kldb", t.kldb);
            w.field("title", t.title);
            w.field("status", t.status);
            w.field("original_status", t.original_status);
            w.field("country", t.country);
            w.close('}');
        }
        w.close(']');
    }
    if (q.higher_education) {
        const auto& h = *q.higher_education;
        w.key("higher_education");
        w.open('{');
        w.field("isced_level", h.isced_level);
        w.field("original_code", h.original_code);
        w.field("field", h.field);
        w.field("completed", h.completed);
        w.field("country", h.country);
        w.close('}');
    }
    if (!q.experience.empty()) {
        w.key("work_experience");
        w.open('[');
        for (const auto& e : q.experience) {
            w.element();
            w.open('{');
            w.field("kldb", e.kldb);
            w.field("title", e.title);
            w.field("years", e.years);
            w.close('}');
        }
        w.close(']');
    }
    if (!q.languages.empty()) {
        w.key("languages");
        w.open('[');
        for (const auto& l : q.languages) {
            w.element();
            w.open('{');
            w.field("code", l.code);
            w.field("level", l.level);
            w.field("original_level", l.original_level);
            w.field("certificate", l.certificate);
            w.close('}');
        }
        w.close(']');
    }
    if (q.recognition) {
        const auto& rc = *q.recognition;
        w.key("recognition");
        w.open('{');
        w.field("status", rc.status);
        w.field("original_status", rc.original_status);
        w.field("reference_occupation", rc.reference_occupation);
        w.field("date", rc.date);
        w.close('}');
    }
    if (q.integration_course) {
        w.key("integration_course");
        w.open('{');
        w.field("status", q.integration_course->status);
        w.field("result", q.integration_course->result);
        w.close('}');
    }
    w.field("target_occupation", q.target_occupation);
    w.close('}');
    w.close('}');
    return std::move(w.out);
}

Record record_from_json(std::string_view text) {
    // The document lives only while its fields are copied out: its nodes come from a buffer on
    // the stack (and blocks after it for a large record) instead of one malloc each.
    unsigned char buffer[8192];
    json::monotonic_resource arena(buffer, sizeof buffer);
    boost::system::error_code ec;
    const json::value v = json::parse(text, ec, &arena);
    if (ec || !v.is_object()) {
        throw Error(ErrorCode::storage, "stored canonical record is not a JSON object: " + ec.message());
    }
    const auto& o = v.get_object();
    Record r;
    r.source = str(o, "source");
    r.record_id = str(o, "record_id");
    r.stand = str(o, "stand");
    r.is_retracted = opt_bool(o, "retracted").value_or(false);
    const auto& id = object_at(o, "identity");
    r.family_name = str(id, "family_name");
    r.given_names = str(id, "given_names");
    r.birth_name = str(id, "birth_name");
    for (const auto& a : array_at(id, "aliases")) {
        if (a.is_object()) {
            r.aliases.push_back({str(a.get_object(), "family_name"), str(a.get_object(), "given_names")});
        }
    }
    r.original_script = str(id, "original_script");
    const auto& bd = object_at(id, "birth_date");
    r.birth_date.year = opt_int(bd, "year").value_or(0);
    r.birth_date.month = opt_int(bd, "month").value_or(0);
    r.birth_date.day = opt_int(bd, "day").value_or(0);
    r.birth_date.precision = precision_from(str(bd, "precision"));
    r.birth_date.is_placeholder = opt_bool(bd, "placeholder").value_or(false);
    r.birth_date.original = str(bd, "original");
    r.birthplace = str(id, "birthplace");
    r.birth_country = str(id, "birth_country");
    r.sex = sex_from(str(id, "sex"));
    for (const auto& n : array_at(id, "nationalities")) {
        if (n.is_string()) r.nationalities.emplace_back(n.get_string());
    }
    const auto& ids = object_at(o, "identifiers");
    r.ids.ba_customer_number = str(ids, "ba_customer_number");
    r.ids.bg_number = str(ids, "bg_number");
    r.ids.bamf_file_number = str(ids, "bamf_file_number");
    r.ids.azr_number = str(ids, "azr_number");
    r.ids.other_id = str(ids, "other_id");
    const auto& addr = object_at(o, "address");
    r.street = str(addr, "street");
    r.house_number = str(addr, "house_number");
    r.address_extra = str(addr, "address_extra");
    r.postcode = str(addr, "postcode");
    r.town = str(addr, "town");
    r.region = str(addr, "region");

    const auto& q = object_at(o, "qualifications");
    auto& out = r.qualifications;
    if (const auto* s = find(q, "school"); s && s->is_object()) {
        const auto& so = s->get_object();
        out.school = School{opt_int(so, "isced_level"), str(so, "original_code"),
                            opt_double(so, "years"), str(so, "country")};
    }
    for (const auto& t : array_at(q, "vocational_training")) {
        if (!t.is_object()) continue;
        const auto& to = t.get_object();
        out.trainings.push_back({str(to, "kldb"), str(to, "title"), str(to, "status"),
                                 str(to, "original_status"), str(to, "country")});
    }
    if (const auto* h = find(q, "higher_education"); h && h->is_object()) {
        const auto& ho = h->get_object();
        out.higher_education = HigherEducation{opt_int(ho, "isced_level"), str(ho, "original_code"),
                                               str(ho, "field"), opt_bool(ho, "completed"),
                                               str(ho, "country")};
    }
    for (const auto& e : array_at(q, "work_experience")) {
        if (!e.is_object()) continue;
        const auto& eo = e.get_object();
        out.experience.push_back({str(eo, "kldb"), str(eo, "title"), opt_double(eo, "years")});
    }
    for (const auto& l : array_at(q, "languages")) {
        if (!l.is_object()) continue;
        const auto& lo = l.get_object();
        out.languages.push_back({str(lo, "code"), str(lo, "level"), str(lo, "original_level"),
                                 str(lo, "certificate")});
    }
    if (const auto* rec = find(q, "recognition"); rec && rec->is_object()) {
        const auto& ro = rec->get_object();
        out.recognition = Recognition{str(ro, "status"), str(ro, "original_status"),
                                      str(ro, "reference_occupation"), str(ro, "date")};
    }
    if (const auto* ic = find(q, "integration_course"); ic && ic->is_object()) {
        out.integration_course =
            IntegrationCourse{str(ic->get_object(), "status"), str(ic->get_object(), "result")};
    }
    out.target_occupation = str(q, "target_occupation");
    return r;
}

}  // namespace qreg::registry
