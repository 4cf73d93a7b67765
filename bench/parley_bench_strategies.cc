// Strategy speed: bid search queries (BidSpace::Find) on a 10^30-outcome additive space and on ANAC
// 2010 Travel (188,160 outcomes, the sorted index), the cost of building a party's bid space, and
// time_based Act() calls, which each include an acceptance check and a bid search.
// One thread. Figures in docs/strategies.md.
//
// Counters: queries/s or acts/s; `gap` is the mean utility above the target of the outcomes found
// (0 means every query hit an outcome exactly at its target or the closest above it).
#include <benchmark/benchmark.h>

#include <memory>
#include <random>
#include <string>

#include "parley/io/scenario_io.h"
#include "parley/strategies/common/bid_space.h"
#include "parley/strategies/strategy.h"

namespace parley {
namespace {

// 30 issues of 10 options with random weights (summing to 1) and values, 2 parties: 10^30
// outcomes.
model::Scenario Huge() {
  std::mt19937_64 rng(30);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  model::Scenario scenario;
  scenario.name = "huge";
  for (std::size_t issue_idx = 0; issue_idx < 30; ++issue_idx) {
    std::vector<std::string> labels;
    for (int option = 0; option < 10; ++option) labels.push_back("o" + std::to_string(option));
    scenario.issues.push_back(model::Issue::Discrete("i" + std::to_string(issue_idx), labels));
  }
  for (int party_idx = 0; party_idx < 2; ++party_idx) {
    std::vector<double> weights;
    std::vector<model::ValueFunction> values(30);
    double total = 0;
    for (auto& value : values) {
      weights.push_back(uniform(rng) + 0.05);
      total += weights.back();
      for (int option = 0; option < 10; ++option) value.table.push_back(uniform(rng));
    }
    for (double& weight : weights) weight /= total;
    model::Party party;
    party.id = "p" + std::to_string(party_idx);
    party.preferences = model::Preferences{};
    party.preferences->utility =
        std::make_shared<model::AdditiveUtility>(std::move(weights), std::move(values));
    scenario.parties.push_back(std::move(party));
  }
  return scenario;
}

const model::Scenario* Travel() {
  static const auto* travel = [] {
    Result<model::Scenario> scenario =
        io::LoadScenario(std::string(PARLEY_SHARED_DATA_DIR) + "/genius/anac/y2010/Travel");
    return scenario.ok() ? new model::Scenario(std::move(*scenario)) : nullptr;
  }();
  return travel;
}

strategies::BidSpace PartyBidSpace(const model::Scenario& scenario) {
  const model::Preferences& preferences = *scenario.parties[0].preferences;
  return strategies::BidSpace(preferences.utility, scenario.BuildOutcomeSpace(),
                              preferences.red_lines);
}

void RunQueries(benchmark::State& state, const strategies::BidSpace& bids) {
  std::mt19937_64 rng(1);
  const double low = bids.MinUtility();
  const double high = bids.MaxUtility();
  std::uniform_real_distribution<double> target(low + 0.1 * (high - low),
                                                high - 0.1 * (high - low));
  double total_gap = 0;
  for (auto _ : state) {
    const double wanted = target(rng);
    model::Outcome outcome = bids.Find(wanted, rng);
    total_gap += bids.Utility(outcome) - wanted;
    benchmark::DoNotOptimize(outcome);
  }
  state.counters["queries/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["gap"] = total_gap / static_cast<double>(state.iterations());
}

void BM_BidSearchHuge(benchmark::State& state) {
  const model::Scenario scenario = Huge();
  strategies::BidSpace bids = PartyBidSpace(scenario);
  if (bids.method() != strategies::BidSearchMethod::kAdditiveSearch) {
    state.SkipWithError("expected the additive search");
    return;
  }
  RunQueries(state, bids);
}
BENCHMARK(BM_BidSearchHuge);

void BM_BidSearchTravel(benchmark::State& state) {
  const model::Scenario* travel = Travel();
  if (travel == nullptr) {
    state.SkipWithError("ANAC Travel not found under PARLEY_SHARED_DATA_DIR");
    return;
  }
  strategies::BidSpace bids = PartyBidSpace(*travel);
  if (bids.method() != strategies::BidSearchMethod::kSorted) {
    state.SkipWithError("expected the sorted index");
    return;
  }
  RunQueries(state, bids);
}
BENCHMARK(BM_BidSearchTravel);

// Building a party's bid space: evaluating and sorting Travel's 188,160 outcomes. Each
// iteration uses a fresh copy of the utility function, so the process-wide cache of built
// subspaces cannot answer.
void BM_BidSpaceBuildTravel(benchmark::State& state) {
  const model::Scenario* travel = Travel();
  if (travel == nullptr) {
    state.SkipWithError("ANAC Travel not found under PARLEY_SHARED_DATA_DIR");
    return;
  }
  const model::Preferences& preferences = *travel->parties[0].preferences;
  const model::OutcomeSpace space = travel->BuildOutcomeSpace();
  for (auto _ : state) {
    std::shared_ptr<const model::UtilityFunction> copy = preferences.utility->Clone();
    strategies::BidSpace bids(copy, space, preferences.red_lines);
    benchmark::DoNotOptimize(bids.MaxUtility());
  }
}
BENCHMARK(BM_BidSpaceBuildTravel)->Unit(benchmark::kMillisecond);

// The same party's bid space again, as every later session on the scenario gets it: the built
// subspace comes from the process-wide cache.
void BM_BidSpaceCachedTravel(benchmark::State& state) {
  const model::Scenario* travel = Travel();
  if (travel == nullptr) {
    state.SkipWithError("ANAC Travel not found under PARLEY_SHARED_DATA_DIR");
    return;
  }
  for (auto _ : state) {
    strategies::BidSpace bids = PartyBidSpace(*travel);
    benchmark::DoNotOptimize(bids.MaxUtility());
  }
}
BENCHMARK(BM_BidSpaceCachedTravel)->Unit(benchmark::kMicrosecond);

// time_based Act(): an alternating-offers request with a standing offer the party rejects, so
// every call computes its target, searches a bid and checks AC_next.
void RunActs(benchmark::State& state, const model::Scenario& scenario, const std::string& name) {
  const model::OutcomeSpace space = scenario.BuildOutcomeSpace();
  std::vector<protocols::PublicParty> parties;
  for (const model::Party& party : scenario.parties) {
    parties.push_back({party.id, party.id, party.role});
  }
  protocols::PartyView view(0, scenario, space, parties, "alternating_offers");
  const strategies::StrategyDescriptor* descriptor =
      strategies::StrategyRegistry::Global().Find(name);
  Result<protocols::Parameters> parameters =
      protocols::Parameters::Parse({}, descriptor->parameters, name);
  std::unique_ptr<strategies::Strategy> strategy = descriptor->create(*parameters);
  std::mt19937_64 rng(1);
  strategy->Initialize(view, rng);
  // The opponent's standing offer: its own best outcome (argmax of party 1).
  const model::Outcome standing =
      model::ComputeUtilityRange(*scenario.parties[1].preferences->utility, space).argmax;
  protocols::Request request;
  request.allowed = {protocols::ActionType::kAccept, protocols::ActionType::kOffer,
                     protocols::ActionType::kEndNegotiation};
  request.standing_offer = standing;
  request.standing_offer_from = 1;
  int round = 0;
  for (auto _ : state) {
    protocols::Clock clock;
    clock.max_rounds = 1000;
    clock.round = round % 900;  // stays before the deadline, where it would accept
    clock.relative_time = clock.round / 1000.0;
    view.SetClock(clock);
    ++round;
    benchmark::DoNotOptimize(strategy->Act(view, request));
  }
  state.counters["acts/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

void BM_TimeBasedActHuge(benchmark::State& state) { RunActs(state, Huge(), "time_based"); }
BENCHMARK(BM_TimeBasedActHuge);

void BM_TimeBasedActTravel(benchmark::State& state) {
  const model::Scenario* travel = Travel();
  if (travel == nullptr) {
    state.SkipWithError("ANAC Travel not found under PARLEY_SHARED_DATA_DIR");
    return;
  }
  RunActs(state, *travel, "time_based");
}
BENCHMARK(BM_TimeBasedActTravel);

// With a frequency opponent model: 16 candidate bids ranked by the model per act.
void BM_FrequencyBoulwareActHuge(benchmark::State& state) {
  RunActs(state, Huge(), "frequency_boulware");
}
BENCHMARK(BM_FrequencyBoulwareActHuge);

}  // namespace
}  // namespace parley
