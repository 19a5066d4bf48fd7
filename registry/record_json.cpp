#include "record_json.hpp"

#include <boost/json.hpp>

#include "qreg/error.hpp"

namespace qreg::registry {

namespace json = boost::json;

namespace {

template <class T>
json::value opt(const std::optional<T>& v) {
    return v ? json::value(*v) : json::value(nullptr);
}

json::array strings(const std::vector<std::string>& items) {
    json::array out;
    for (const auto& s : items) out.emplace_back(s);
    return out;
}

json::object qualifications_json(const Qualifications& q) {
    json::object o;
    if (q.school) {
        o["school"] = {{"isced_level", opt(q.school->isced_level)},
                       {"original_code", q.school->original_code},
                       {"years", opt(q.school->years)},
                       {"country", q.school->country}};
    }
    json::array trainings;
    for (const auto& t : q.trainings) {
        trainings.push_back(json::object{{"kldb", t.kldb},
                                         {"title", t.title},
                                         {"status", t.status},
                                         {"original_status", t.original_status},
                                         {"country", t.country}});
    }
    o["vocational_training"] = std::move(trainings);
    if (q.higher_education) {
        const auto& h = *q.higher_education;
        o["higher_education"] = {{"isced_level", opt(h.isced_level)},
                                 {"original_code", h.original_code},
                                 {"field", h.field},
                                 {"completed", opt(h.completed)},
                                 {"country", h.country}};
    }
    json::array experience;
    for (const auto& e : q.experience) {
        experience.push_back(
            json::object{{"kldb", e.kldb}, {"title", e.title}, {"years", opt(e.years)}});
    }
    o["work_experience"] = std::move(experience);
    json::array languages;
    for (const auto& l : q.languages) {
        languages.push_back(json::object{{"code", l.code},
                                         {"level", l.level},
                                         {"original_level", l.original_level},
                                         {"certificate", l.certificate}});
    }
    o["languages"] = std::move(languages);
    if (q.recognition) {
        const auto& r = *q.recognition;
        o["recognition"] = {{"status", r.status},
                            {"original_status", r.original_status},
                            {"reference_occupation", r.reference_occupation},
                            {"date", r.date}};
    }
    if (q.integration_course) {
        o["integration_course"] = {{"status", q.integration_course->status},
                                   {"result", q.integration_course->result}};
    }
    if (!q.target_occupation.empty()) o["target_occupation"] = q.target_occupation;
    return o;
}

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

std::string to_json(const Record& r) {
    json::array aliases;
    for (const auto& a : r.aliases) {
        aliases.push_back(json::object{{"family_name", a.family_name}, {"given_names", a.given_names}});
    }
    const auto& b = r.birth_date;
    const json::object o{
        {"source", r.source},
        {"record_id", r.record_id},
        {"stand", r.stand},
        {"retracted", r.is_retracted},
        {"identity",
         {{"family_name", r.family_name},
          {"given_names", r.given_names},
          {"birth_name", r.birth_name},
          {"aliases", std::move(aliases)},
          {"original_script", r.original_script},
          {"birth_date",
           {{"year", b.year},
            {"month", b.month},
            {"day", b.day},
            {"precision", precision_code(b.precision)},
            {"placeholder", b.is_placeholder},
            {"original", b.original}}},
          {"birthplace", r.birthplace},
          {"birth_country", r.birth_country},
          {"sex", sex_code(r.sex)},
          {"nationalities", strings(r.nationalities)}}},
        {"identifiers",
         {{"ba_customer_number", r.ids.ba_customer_number},
          {"bg_number", r.ids.bg_number},
          {"bamf_file_number", r.ids.bamf_file_number},
          {"azr_number", r.ids.azr_number},
          {"other_id", r.ids.other_id}}},
        {"address",
         {{"street", r.street},
          {"house_number", r.house_number},
          {"address_extra", r.address_extra},
          {"postcode", r.postcode},
          {"town", r.town},
          {"region", r.region}}},
        {"qualifications", qualifications_json(r.qualifications)}};
    return json::serialize(o);
}

Record record_from_json(std::string_view text) {
    boost::system::error_code ec;
    const json::value v = json::parse(text, ec);
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
