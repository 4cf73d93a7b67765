// Session speed: stacked alternating offers between two time-based principals on ANAC scenarios
// (CameraC, Travel, and AMPOvsCity with 1.9 M outcomes). Skipped when ../shared/data is absent.
// Figures in docs/performance.md.
//
// Strategies: `time_based` from the registry (the strategies module's bid search), and
// `bench_linear`, defined here: linear concession from the best outcome to the reservation value
// over a table of every outcome sorted by the party's utility (built once per profile and shared
// by all sessions), so its bid search is one binary search. It isolates the session machinery:
// validation, delivery, trace, analyst utilities and the gap curve.
//
// Counters: `offers/s` (offers made, per second of the benchmark); `s_per_1000` (seconds per
// 1,000 complete sessions); `rounds/s` and `sessions/s` for the comparison with NegMAS
// (bench/negmas_sao.py, docs/performance.md). The frontier and solution points are computed once
// per scenario (SessionConfig::reference), as a tournament would.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>

#include "parley/io/scenario_io.h"
#include "parley/session/session.h"
#include "parley/strategies/strategy.h"

namespace parley {
namespace {

using protocols::Action;
using protocols::ActionType;
using protocols::PartyView;
using protocols::Request;

// Every outcome with its utility for one profile, best first.
struct RankedTable {
  std::vector<model::Outcome> outcomes;
  std::vector<double> utilities;  // descending
};

const RankedTable& TableFor(const PartyView& view) {
  static std::map<const model::UtilityFunction*, RankedTable> tables;
  const model::UtilityFunction* utility = view.preferences()->utility.get();
  auto it = tables.find(utility);
  if (it != tables.end()) return it->second;
  std::vector<std::pair<double, model::Outcome>> ranked;
  Status status = view.space().ForEach(5'000'000, [&](const model::Outcome& outcome) {
    ranked.emplace_back(utility->Evaluate(outcome), outcome);
  });
  PARLEY_CHECK(status.ok());
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  RankedTable table;
  for (auto& [value, outcome] : ranked) {
    table.utilities.push_back(value);
    table.outcomes.push_back(std::move(outcome));
  }
  return tables.emplace(utility, std::move(table)).first->second;
}

class BenchLinear : public strategies::Strategy {
 public:
  void Initialize(const PartyView& view, std::mt19937_64&) override {
    table_ = &TableFor(view);
    floor_ = std::min(table_->utilities.front(), view.preferences()->ReservationOrZero());
  }
  Action Act(const PartyView& view, const Request& request) override {
    double best = table_->utilities.front();
    double target = best - (best - floor_) * view.clock().relative_time;
    Action action;
    if (request.standing_offer &&
        view.preferences()->utility->Evaluate(*request.standing_offer) >= target) {
      action.type = ActionType::kAccept;
      return action;
    }
    // The last outcome still worth the target (utilities are descending).
    auto it = std::lower_bound(table_->utilities.begin(), table_->utilities.end(), target,
                               [](double value, double bound) { return value >= bound; });
    std::size_t index = it == table_->utilities.begin() ? 0 : (it - table_->utilities.begin()) - 1;
    action.type = ActionType::kOffer;
    action.outcome = table_->outcomes[index];
    return action;
  }

 private:
  const RankedTable* table_ = nullptr;
  double floor_ = 0;
};

PARLEY_REGISTER_STRATEGY((strategies::StrategyDescriptor{
    "bench_linear",
    "benchmark only: linear concession over a sorted outcome table",
    {},
    {model::Role::kPrincipal},
    [](const protocols::Parameters&) { return std::make_unique<BenchLinear>(); }}));

struct Loaded {
  model::Scenario scenario;
  std::shared_ptr<const session::ScenarioReference> reference;
};

const Loaded* LoadOnce(const std::string& relative) {
  static std::map<std::string, std::unique_ptr<Loaded>> cache;
  auto it = cache.find(relative);
  if (it != cache.end()) return it->second.get();
  std::string path = std::string(PARLEY_SHARED_DATA_DIR) + "/" + relative;
  std::unique_ptr<Loaded> loaded;
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    Result<model::Scenario> scenario = io::LoadScenario(path);
    if (scenario.ok()) {
      loaded = std::make_unique<Loaded>();
      loaded->scenario = std::move(scenario).value();
      loaded->reference = session::ComputeScenarioReference(loaded->scenario);
    }
  }
  return cache.emplace(relative, std::move(loaded)).first->second.get();
}

const char* kScenarios[] = {"genius/anac/y2012/CameraC", "genius/anac/y2010/Travel",
                            "genius/other/AMPOvsCity", "genius/anac/y2010/ItexvsCypress"};
const char* kStrategies[] = {"bench_linear", "time_based"};

// Prepares a two-principal session config, or skips the benchmark and returns nullptr.
const Loaded* Prepare(benchmark::State& state, session::SessionConfig& config, int rounds) {
  const Loaded* loaded = LoadOnce(kScenarios[state.range(0)]);
  std::string strategy = kStrategies[state.range(1)];
  if (loaded == nullptr) {
    state.SkipWithError("scenario corpus not found");
    return nullptr;
  }
  if (strategies::StrategyRegistry::Global().Find(strategy) == nullptr) {
    state.SkipWithError(("strategy not registered: " + strategy).c_str());
    return nullptr;
  }
  std::vector<std::size_t> principals = loaded->scenario.PrincipalIndices();
  config.protocol = "alternating_offers";
  config.rounds = rounds;
  config.reference = loaded->reference;
  for (std::size_t principal : principals) config.strategies[principal] = strategy;
  state.SetLabel(std::string(kScenarios[state.range(0)]) + " " + strategy);
  // Warm-up outside the timing: bench_linear's per-profile tables are built once per process.
  session::SessionConfig warm_up = config;
  warm_up.rounds = 1;
  PARLEY_CHECK(session::RunSession(loaded->scenario, warm_up).ok());
  return loaded;
}

std::size_t CountOffers(const session::Trace& trace) {
  std::size_t offers = 0;
  for (const session::TraceEvent& event : trace.events) {
    offers += event.message.type == ActionType::kOffer;
  }
  return offers;
}

// One long session: offers per second through the whole machinery.
void BM_AlternatingOffersThroughput(benchmark::State& state) {
  session::SessionConfig config;
  const Loaded* loaded = Prepare(state, config, 20'000);
  if (loaded == nullptr) return;
  std::size_t offers = 0;
  std::uint64_t seed = 1;
  for (auto _ : state) {
    config.seed = seed++;
    Result<session::Trace> trace = session::RunSession(loaded->scenario, config);
    PARLEY_CHECK(trace.ok());
    offers += CountOffers(*trace);
    benchmark::DoNotOptimize(trace->result.welfare);
  }
  state.counters["offers/s"] =
      benchmark::Counter(static_cast<double>(offers), benchmark::Counter::kIsRate);
}

// offers/s, seconds per 1,000 sessions and the agreement rate of a run of complete sessions.
void SetSessionCounters(benchmark::State& state, std::size_t offers, std::size_t agreements) {
  double iterations = static_cast<double>(state.iterations());
  state.counters["offers/s"] =
      benchmark::Counter(static_cast<double>(offers), benchmark::Counter::kIsRate);
  state.counters["s_per_1000"] = benchmark::Counter(
      iterations / 1000.0, benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.counters["agreed"] = static_cast<double>(agreements) / iterations;
}

// Complete 200-round sessions, one per iteration.
void BM_Sessions200Rounds(benchmark::State& state) {
  session::SessionConfig config;
  const Loaded* loaded = Prepare(state, config, 200);
  if (loaded == nullptr) return;
  std::size_t offers = 0;
  std::size_t agreements = 0;
  std::uint64_t seed = 1;
  for (auto _ : state) {
    config.seed = seed++;
    Result<session::Trace> trace = session::RunSession(loaded->scenario, config);
    PARLEY_CHECK(trace.ok());
    offers += CountOffers(*trace);
    agreements += trace->result.agreement;
  }
  SetSessionCounters(state, offers, agreements);
}

// Complete 200-round sessions with mixed strategies: iteration k pairs kMixed[k % n] with
// kMixed[(k / n) % n], so every ordered pair of these principal strategies takes its turn.
const char* kMixed[] = {"boulware",           "linear",    "conceder", "tit_for_tat", "micro",
                        "frequency_boulware", "hardliner", "random"};

void BM_MixedSessions200Rounds(benchmark::State& state) {
  session::SessionConfig config;
  const Loaded* loaded = Prepare(state, config, 200);
  if (loaded == nullptr) return;
  constexpr std::size_t kNumMixed = std::size(kMixed);
  std::vector<std::size_t> principals = loaded->scenario.PrincipalIndices();
  std::size_t offers = 0;
  std::size_t agreements = 0;
  std::size_t iteration = 0;
  for (auto _ : state) {
    config.seed = iteration + 1;
    config.strategies[principals[0]] = kMixed[iteration % kNumMixed];
    config.strategies[principals[1]] = kMixed[(iteration / kNumMixed) % kNumMixed];
    ++iteration;
    Result<session::Trace> trace = session::RunSession(loaded->scenario, config);
    PARLEY_CHECK(trace.ok());
    offers += CountOffers(*trace);
    agreements += trace->result.agreement;
  }
  SetSessionCounters(state, offers, agreements);
  state.SetLabel(std::string(kScenarios[state.range(0)]) + " mixed");
}

// The streaming set-up `parley negotiate` uses without --trace, and tournaments use: no events
// kept, inboxes since each party's last turn, a summarised gap curve.
void Streaming(session::SessionConfig& config) {
  config.keep_events = false;
  config.keep_inboxes = false;
  config.gap_points = 256;
}

// One session that cannot agree: two `hardliner`s (each offers only its best outcome and accepts
// only that) for 200,000 rounds, streaming. Counter `rounds/s` (a NegMAS SAO step is one round).
void BM_SessionThatCannotAgree(benchmark::State& state) {
  session::SessionConfig config;
  const Loaded* loaded = Prepare(state, config, 200'000);
  if (loaded == nullptr) return;
  for (std::size_t principal : loaded->scenario.PrincipalIndices()) {
    config.strategies[principal] = "hardliner";
  }
  Streaming(config);
  std::uint64_t rounds = 0;
  std::uint64_t seed = 1;
  for (auto _ : state) {
    config.seed = seed++;
    Result<session::Trace> trace = session::RunSession(loaded->scenario, config);
    PARLEY_CHECK(trace.ok() && !trace->result.agreement);
    rounds += static_cast<std::uint64_t>(trace->result.rounds);
  }
  state.counters["rounds/s"] =
      benchmark::Counter(static_cast<double>(rounds), benchmark::Counter::kIsRate);
  state.SetLabel(std::string(kScenarios[state.range(0)]) + " hardliner x2");
}

// A tournament on one core: complete 100-round sessions, one per iteration, streaming as
// Tournament::RunSession does (no events, no gap curve). `boulware` against `conceder` (NegMAS's
// Boulware and Conceder time-based negotiators in the comparison), each seed a new session.
void BM_TournamentSessions100Rounds(benchmark::State& state) {
  session::SessionConfig config;
  const Loaded* loaded = Prepare(state, config, 100);
  if (loaded == nullptr) return;
  std::vector<std::size_t> principals = loaded->scenario.PrincipalIndices();
  config.strategies[principals[0]] = "boulware";
  config.strategies[principals[1]] = "conceder";
  Streaming(config);
  config.track_gaps = false;
  std::size_t agreements = 0;
  std::uint64_t seed = 1;
  for (auto _ : state) {
    config.seed = seed++;
    Result<session::Trace> trace = session::RunSession(loaded->scenario, config);
    PARLEY_CHECK(trace.ok());
    agreements += trace->result.agreement;
  }
  state.counters["sessions/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["agreed"] =
      static_cast<double>(agreements) / static_cast<double>(state.iterations());
  state.SetLabel(std::string(kScenarios[state.range(0)]) + " boulware v conceder");
}

void ScenarioAndStrategyArgs(benchmark::internal::Benchmark* benchmark) {
  for (int scenario = 0; scenario < 3; ++scenario) {
    for (int strategy = 0; strategy < 2; ++strategy) benchmark->Args({scenario, strategy});
  }
}

BENCHMARK(BM_AlternatingOffersThroughput)
    ->Apply(ScenarioAndStrategyArgs)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Sessions200Rounds)->Apply(ScenarioAndStrategyArgs)->Unit(benchmark::kMicrosecond);
// range(1) = 1: Prepare checks and warms up time_based; the strategies are set inside each.
void FirstScenarios(benchmark::internal::Benchmark* benchmark, int count) {
  for (int scenario = 0; scenario < count; ++scenario) benchmark->Args({scenario, 1});
}
BENCHMARK(BM_SessionThatCannotAgree)
    ->Apply([](auto* benchmark) { FirstScenarios(benchmark, 3); }) -> Unit(benchmark::kMillisecond);
BENCHMARK(BM_TournamentSessions100Rounds)
    ->Apply([](auto* benchmark) { FirstScenarios(benchmark, 4); }) -> Unit(benchmark::kMicrosecond);
BENCHMARK(BM_MixedSessions200Rounds)
    ->Apply([](auto* benchmark) { FirstScenarios(benchmark, 3); }) -> Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace parley
