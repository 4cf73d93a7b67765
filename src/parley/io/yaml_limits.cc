#include "parley/io/yaml_limits.h"

#include <yaml-cpp/eventhandler.h>

#include <sstream>
#include <unordered_map>
#include <vector>

#include "parley/base/names.h"

namespace parley::io {
namespace {

// Thrown from inside yaml-cpp's parser to stop it at the first excess; caught in LoadYaml.
struct LimitExceeded {
  Status status;
};

// Measures the documents of a stream as yaml-cpp parses them, building nothing.
class Measure : public YAML::EventHandler {
 public:
  Measure(const YamlLimits& limits, const std::string& file_name)
      : limits_(limits), file_name_(file_name) {}

  std::vector<YAML::Mark> document_starts;

  void OnDocumentStart(const YAML::Mark& mark) override { document_starts.push_back(mark); }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override { Leaf(mark, anchor); }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                const std::string&) override {
    Leaf(mark, anchor);
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    for (const Frame& frame : open_) {
      if (frame.anchor == anchor) {
        Fail(mark, "an alias inside the value its anchor names (a cycle)");
      }
    }
    auto size = sizes_.find(anchor);
    Add(mark, size == sizes_.end() ? 1 : size->second);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    Open(mark, anchor);
  }
  void OnSequenceEnd() override { Close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    Open(mark, anchor);
  }
  void OnMapEnd() override { Close(); }

 private:
  struct Frame {
    YAML::anchor_t anchor;
    std::uint64_t values_before;
  };

  [[noreturn]] void Fail(const YAML::Mark& mark, std::string message) {
    throw LimitExceeded{
        InvalidInput(std::move(message), Location{file_name_, mark.line + 1, mark.column + 1, ""})};
  }
  void Add(const YAML::Mark& mark, std::uint64_t count) {
    values_ += count;
    if (values_ > limits_.max_values) {
      Fail(mark, "the YAML holds more than " + std::to_string(limits_.max_values) +
                     " values (aliases count as the values they repeat)");
    }
  }
  void Leaf(const YAML::Mark& mark, YAML::anchor_t anchor) {
    Add(mark, 1);
    if (anchor != YAML::NullAnchor) sizes_[anchor] = 1;
  }
  void Open(const YAML::Mark& mark, YAML::anchor_t anchor) {
    if (static_cast<int>(open_.size()) >= limits_.max_depth) {
      Fail(mark,
           "the YAML is nested more than " + std::to_string(limits_.max_depth) + " levels deep");
    }
    open_.push_back(Frame{anchor, values_});
    Add(mark, 1);
  }
  void Close() {
    if (open_.empty()) return;
    Frame frame = open_.back();
    open_.pop_back();
    if (frame.anchor != YAML::NullAnchor) sizes_[frame.anchor] = values_ - frame.values_before;
  }

  const YamlLimits& limits_;
  const std::string& file_name_;
  std::uint64_t values_ = 0;
  std::vector<Frame> open_;
  std::unordered_map<YAML::anchor_t, std::uint64_t> sizes_;
};

}  // namespace

Status YamlError(const YAML::Exception& error, const std::string& file_name) {
  Location location{file_name, 0, 0, ""};
  if (!error.mark.is_null()) {
    location.line = error.mark.line + 1;
    location.column = error.mark.column + 1;
  }
  return InvalidInput("not valid YAML: " + error.msg, location);
}

// YAML::LoadAll is not used: on a stray ',' or similar at document level yaml-cpp 0.7 starts an
// empty document again and again without consuming it, until memory runs out. Measuring at most
// two documents tells a second document from text the parser cannot get past.
Result<YAML::Node> LoadYaml(const std::string& text, const YamlLimits& limits,
                            const std::string& file_name) {
  if (text.size() > limits.max_bytes) {
    return InvalidInput("the file has " + std::to_string(text.size()) +
                            " bytes; parley reads at most " + std::to_string(limits.max_bytes) +
                            " here",
                        Location::InFile(file_name));
  }
  try {
    std::istringstream stream(text);
    YAML::Parser parser(stream);
    Measure measure(limits, file_name);
    int num_documents = 0;
    while (num_documents < 2 && parser.HandleNextDocument(measure)) ++num_documents;
    if (num_documents == 2 && measure.document_starts.size() >= 2) {
      const YAML::Mark& first = measure.document_starts[0];
      const YAML::Mark& second = measure.document_starts[1];
      Location location{file_name, second.line + 1, second.column + 1, ""};
      if (second.pos <= first.pos) {
        std::string shown = second.pos >= 0 && static_cast<std::size_t>(second.pos) < text.size()
                                ? Quote(std::string(1, text[static_cast<std::size_t>(second.pos)]))
                                : "text";
        return InvalidInput("not valid YAML: unexpected " + shown + " here", location);
      }
      return InvalidInput("the file holds more than one YAML document; one is expected", location);
    }
    if (num_documents == 0) return YAML::Node(YAML::NodeType::Null);
    return YAML::Load(text);
  } catch (const LimitExceeded& exceeded) {
    return exceeded.status;
  } catch (const YAML::Exception& error) {
    return YamlError(error, file_name);
  }
}

}  // namespace parley::io
