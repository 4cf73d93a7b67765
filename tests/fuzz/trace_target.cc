// Fuzz target for trace JSON: the header (what `parley replay` and `parley report` read first),
// then the whole trace against the ceasefire example. A trace that reads must write back to text
// that reads back to the same text (write -> read -> write is the identity, docs/trace-format.md).
#include <string>
#include <vector>

#include "fuzz/fuzz_targets.h"
#include "parley/io/scenario_io.h"
#include "parley/protocols/protocol.h"
#include "parley/session/session.h"
#include "parley/session/trace_json.h"

namespace parley::fuzz {
namespace {

const model::Scenario& Ceasefire() {
  static const model::Scenario kScenario = [] {
    Result<model::Scenario> scenario = io::LoadScenario(SourceDir() + "/examples/ceasefire.yaml");
    if (!scenario.ok()) Fail("cannot load the fuzz scenario: " + scenario.status().ToString());
    return std::move(scenario).value();
  }();
  return kScenario;
}

}  // namespace

int FuzzTraceJson(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  CheckInputStatus(session::ReadTraceHeader(text, "fuzz.trace.json").status(),
                   "session::ReadTraceHeader");
  const model::Scenario& scenario = Ceasefire();
  Result<session::Trace> trace = session::ReadTraceJson(text, scenario, "fuzz.trace.json");
  CheckInputStatus(trace.status(), "session::ReadTraceJson");
  if (!trace.ok()) return 0;
  std::string written = session::WriteTraceJson(scenario, *trace);
  Result<session::Trace> again = session::ReadTraceJson(written, scenario, "written.trace.json");
  if (!again.ok()) {
    Fail("a trace read from the input writes text that does not read back: " +
         again.status().ToString());
  }
  if (session::WriteTraceJson(scenario, *again) != written) {
    Fail("a trace read from the input does not write back the same after a round trip");
  }
  return 0;
}

// A short session of every protocol on the ceasefire example (those that can run it).
std::vector<std::string> TraceJsonSeeds() {
  std::vector<std::string> seeds;
  for (const protocols::ProtocolDescriptor* protocol :
       protocols::ProtocolRegistry::Global().All()) {
    if (protocol->name.rfind("conformance_", 0) == 0) continue;
    session::SessionConfig config;
    config.protocol = protocol->name;
    config.rounds = 20;
    config.seed = 7;
    Result<session::Trace> trace = session::RunSession(Ceasefire(), config);
    if (!trace.ok()) continue;
    trace->scenario_files = {"ceasefire.yaml"};
    std::string text = session::WriteTraceJson(Ceasefire(), *trace);
    if (text.size() <= kMaxSeedBytes) seeds.push_back(std::move(text));
  }
  return seeds;
}

}  // namespace parley::fuzz
