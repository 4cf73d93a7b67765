// Self-registration of protocols and strategies, and their "name(key=value, ...)" specs.
//
// Each protocol or strategy folder ends its .cc with a descriptor and a PARLEY_REGISTER_* line;
// the CLI, server and bindings list and construct everything through the registry, so adding one
// touches one folder. Parameters are declared with a type and a default and parse generically:
// `boulware(e=0.2)`, `time_based(e=0.5, min=0.6)`.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "parley/base/status.h"

namespace parley::protocols {

enum class ParameterType { kDouble, kInt, kBool, kString };
std::string_view ParameterTypeName(ParameterType type);

struct ParameterSpec {
  std::string name;
  ParameterType type = ParameterType::kDouble;
  std::string default_value;  // as text, parsed like a user's value
  std::string help;
  // The accepted values when the parameter is an enumeration (e.g. {"relative", "absolute"});
  // empty: any value of the type.
  std::vector<std::string> choices = {};
};

// Parameter values after parsing and checking against the specs (every declared parameter is
// present, user values or defaults).
class Parameters {
 public:
  double GetDouble(const std::string& name) const;
  std::int64_t GetInt(const std::string& name) const;
  bool GetBool(const std::string& name) const;
  const std::string& GetString(const std::string& name) const;
  const std::map<std::string, std::string>& values() const { return values_; }
  // "name(k=v, ...)" with every parameter, for traces.
  std::string Canonical(const std::string& name) const;

  static Result<Parameters> Parse(const std::map<std::string, std::string>& given,
                                  const std::vector<ParameterSpec>& specs,
                                  const std::string& owner);

 private:
  std::map<std::string, std::string> values_;
};

// "boulware(e=0.2, min=0.5)" -> name "boulware", {"e": "0.2", "min": "0.5"}. A bare "boulware"
// has no arguments. Errors name the column of the offending character.
struct Spec {
  std::string name;
  std::map<std::string, std::string> arguments;
};
Result<Spec> ParseSpec(const std::string& text);

// A registry of descriptors keyed by name; one global instance per kind.
template <typename Descriptor>
class Registry {
 public:
  static Registry& Global() {
    static Registry registry;
    return registry;
  }
  bool Register(Descriptor descriptor) {
    std::string name = descriptor.name;
    return entries_.emplace(name, std::move(descriptor)).second;
  }
  const Descriptor* Find(const std::string& name) const {
    auto it = entries_.find(name);
    return it == entries_.end() ? nullptr : &it->second;
  }
  // Sorted by name.
  std::vector<const Descriptor*> All() const {
    std::vector<const Descriptor*> all;
    for (const auto& [name, descriptor] : entries_) all.push_back(&descriptor);
    return all;
  }

 private:
  std::map<std::string, Descriptor> entries_;
};

}  // namespace parley::protocols

#define PARLEY_REGISTRY_CONCAT_INNER_(a, b) a##b
#define PARLEY_REGISTRY_CONCAT_(a, b) PARLEY_REGISTRY_CONCAT_INNER_(a, b)
