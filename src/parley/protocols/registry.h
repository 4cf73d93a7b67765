// Self-registration of protocols and strategies, and their "name(key=value, ...)" specs.
//
// Each protocol or strategy folder ends its .cc with a descriptor and a PARLEY_REGISTER_* line;
// the CLI, server and bindings list and construct everything through the registry, so adding one
// touches one folder. Parameters are declared with a type and a default and parse generically:
// `boulware(e=0.2)`, `time_based(e=0.5, min=0.6)`.
#pragma once

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "parley/base/names.h"
#include "parley/base/status.h"
#include "parley/model/party.h"

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

// A spec resolved against a registry: the entry, its parameters (every declared one, given or
// default) and the canonical spec "name(k=v, ...)" that traces record.
template <typename Descriptor>
struct ResolvedSpec {
  const Descriptor* descriptor = nullptr;
  Parameters parameters;
  std::string canonical;
};

// A registry of descriptors keyed by name; one global instance per kind. A descriptor names its
// kind (`kKind`, e.g. "strategy"); one that plays roles lists them in `roles`.
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

  // The one way a "name(key=value, ...)" spec becomes an entry, for sessions, tournament configs,
  // the CLI and the server alike: parses the spec, finds the entry, checks the parameters and,
  // given a `role`, that the entry plays it. Errors are kInvalidInput with `field` (default: the
  // kind) as the location's field and, for a syntax error, the column; they read "unknown
  // strategy 'x'; did you mean 'y'? (strategies are: ...)", "strategy 'x' cannot play a
  // mediator (it plays: principal); mediator strategies are: ...", or name the parameter. Callers
  // add their file and line.
  Result<ResolvedSpec<Descriptor>> Resolve(const std::string& text,
                                           std::optional<model::Role> role = std::nullopt,
                                           std::string field = Descriptor::kKind) const {
    PARLEY_ASSIGN_OR_RETURN(std::shared_ptr<const ResolvedSpec<Descriptor>> resolved,
                            ResolveShared(text, role, std::move(field)));
    return *resolved;
  }

  // Resolve, remembering successes: the same (text, role) gives the same shared resolution
  // without parsing again, for callers that resolve the same specs over and over (every session
  // of a tournament resolves its protocol and strategies). Errors are not remembered. Safe to
  // call from several threads.
  Result<std::shared_ptr<const ResolvedSpec<Descriptor>>> ResolveShared(
      const std::string& text, std::optional<model::Role> role = std::nullopt,
      std::string field = Descriptor::kKind) const {
    std::pair<std::string, std::optional<model::Role>> key(text, role);
    {
      std::lock_guard<std::mutex> lock(cache_.mutex);
      auto cached = cache_.resolved.find(key);
      if (cached != cache_.resolved.end()) return cached->second;
    }
    PARLEY_ASSIGN_OR_RETURN(ResolvedSpec<Descriptor> resolved,
                            ResolveUncached(text, role, std::move(field)));
    auto shared = std::make_shared<const ResolvedSpec<Descriptor>>(std::move(resolved));
    std::lock_guard<std::mutex> lock(cache_.mutex);
    // Specs may come from users (the server's rooms): remember a bounded number.
    if (cache_.resolved.size() < kMaxCachedSpecs) cache_.resolved.emplace(std::move(key), shared);
    return shared;
  }

 private:
  static constexpr std::size_t kMaxCachedSpecs = 256;

  // The remembered resolutions. A copy of a registry starts with none: its descriptors are its
  // own (and entries it adds may resolve differently).
  struct Cache {
    Cache() = default;
    Cache(const Cache&) {}
    Cache& operator=(const Cache&) {
      std::lock_guard<std::mutex> lock(mutex);
      resolved.clear();
      return *this;
    }
    std::mutex mutex;
    std::map<std::pair<std::string, std::optional<model::Role>>,
             std::shared_ptr<const ResolvedSpec<Descriptor>>>
        resolved;
  };

  Result<ResolvedSpec<Descriptor>> ResolveUncached(const std::string& text,
                                                   std::optional<model::Role> role,
                                                   std::string field) const {
    const std::string kind = Descriptor::kKind;
    Result<Spec> spec = ParseSpec(text);
    if (!spec.ok()) {
      return Status(spec.status().code(), kind + ": " + spec.status().message(),
                    Location{"", 0, spec.status().location().column, field});
    }
    ResolvedSpec<Descriptor> resolved;
    resolved.descriptor = Find(spec->name);
    if (resolved.descriptor == nullptr) {
      std::vector<std::string> names;
      for (const auto& [name, descriptor] : entries_) {
        if (!role || Plays(descriptor, *role)) names.push_back(name);
      }
      std::string plural = kind == "strategy" ? "strategies" : kind + "s";
      if (role) plural = std::string(model::RoleName(*role)) + " " + plural;
      return InvalidInput(UnknownName(kind, spec->name, plural, names), Location::InField(field));
    }
    if (role && !Plays(*resolved.descriptor, *role)) {
      std::string plays;
      std::vector<std::string> names;
      if constexpr (requires { resolved.descriptor->roles; }) {
        for (model::Role played : resolved.descriptor->roles) {
          plays += (plays.empty() ? "" : ", ") + std::string(model::RoleName(played));
        }
        for (const auto& [name, descriptor] : entries_) {
          if (Plays(descriptor, *role)) names.push_back(name);
        }
      }
      std::string role_name(model::RoleName(*role));
      return InvalidInput(kind + " '" + spec->name + "' cannot play a " + role_name +
                              " (it plays: " + plays + "); " + role_name + " " +
                              (kind == "strategy" ? "strategies" : kind + "s") +
                              " are: " + ListNames(names),
                          Location::InField(field));
    }
    Result<Parameters> parameters =
        Parameters::Parse(spec->arguments, resolved.descriptor->parameters, spec->name);
    if (!parameters.ok()) {
      return Status(parameters.status().code(), parameters.status().message(),
                    Location::InField(field + "." + parameters.status().location().field));
    }
    resolved.parameters = std::move(parameters).value();
    resolved.canonical = resolved.parameters.Canonical(spec->name);
    return resolved;
  }

  static bool Plays(const Descriptor& descriptor, model::Role role) {
    if constexpr (requires { descriptor.roles; }) {
      return std::find(descriptor.roles.begin(), descriptor.roles.end(), role) !=
             descriptor.roles.end();
    } else {
      (void)descriptor;
      (void)role;
      return true;
    }
  }

  std::map<std::string, Descriptor> entries_;
  mutable Cache cache_;
};

}  // namespace parley::protocols

#define PARLEY_REGISTRY_CONCAT_INNER_(a, b) a##b
#define PARLEY_REGISTRY_CONCAT_(a, b) PARLEY_REGISTRY_CONCAT_INNER_(a, b)
