// The bridge from JSON to yaml-cpp trees for the reader of parley's format: JSON is read
// through yaml-cpp (which gives every node a position) when yaml-cpp's tree holds exactly the
// JSON, and otherwise from a yaml-cpp tree built from the JSON without positions.
#include <cstdint>
#include <optional>
#include <string>

#include "parley/base/numbers.h"
#include "parley/io/internal/parley_format.h"
#include "parley/model/issue.h"

namespace parley::io::internal {

bool SameTree(const YAML::Node& yaml, const Json& json) {
  switch (json.type()) {
    case Json::value_t::object: {
      if (!yaml.IsMap() || yaml.size() != json.size()) return false;
      auto json_it = json.begin();
      for (auto it = yaml.begin(); it != yaml.end(); ++it, ++json_it) {
        if (!it->first.IsScalar() || it->first.Scalar() != json_it.key()) return false;
        if (!SameTree(it->second, json_it.value())) return false;
      }
      return true;
    }
    case Json::value_t::array: {
      if (!yaml.IsSequence() || yaml.size() != json.size()) return false;
      std::size_t index = 0;
      for (auto it = yaml.begin(); it != yaml.end(); ++it, ++index) {
        if (!SameTree(*it, json[index])) return false;
      }
      return true;
    }
    case Json::value_t::string:
      return yaml.IsScalar() && yaml.Scalar() == json.get_ref<const std::string&>();
    case Json::value_t::boolean:
      return yaml.IsScalar() && yaml.Scalar() == (json.get<bool>() ? "true" : "false");
    case Json::value_t::null:
      return yaml.IsNull();
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float: {
      if (!yaml.IsScalar()) return false;
      std::optional<double> number = ParseFiniteDouble(yaml.Scalar());
      return number && *number == json.get<double>();
    }
    default:
      return false;
  }
}

YAML::Node JsonToYaml(const Json& json) {
  switch (json.type()) {
    case Json::value_t::object: {
      YAML::Node node(YAML::NodeType::Map);
      for (auto it = json.begin(); it != json.end(); ++it) {
        node.force_insert(it.key(), JsonToYaml(it.value()));
      }
      return node;
    }
    case Json::value_t::array: {
      YAML::Node node(YAML::NodeType::Sequence);
      for (const Json& item : json) {
        node.push_back(JsonToYaml(item));
      }
      return node;
    }
    case Json::value_t::string:
      return YAML::Node(json.get<std::string>());
    case Json::value_t::boolean:
      return YAML::Node(std::string(json.get<bool>() ? "true" : "false"));
    case Json::value_t::number_integer:
      return YAML::Node(std::to_string(json.get<std::int64_t>()));
    case Json::value_t::number_unsigned:
      return YAML::Node(std::to_string(json.get<std::uint64_t>()));
    case Json::value_t::number_float:
      return YAML::Node(model::FormatNumber(json.get<double>()));
    default:
      return YAML::Node(YAML::NodeType::Null);
  }
}

}  // namespace parley::io::internal
