#include "parley/tournament/tournament.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "parley/base/names.h"
#include "parley/protocols/protocol.h"
#include "parley/protocols/registry.h"

namespace parley::tournament {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kMaxSessions = 10'000'000;
constexpr int kMaxFolderDepth = 8;

std::uint64_t SplitMix64(std::uint64_t value) {
  value += 0x9E3779B97F4A7C15ULL;
  value = (value ^ (value >> 30)) * 0xBF58476D1CE4E5B9ULL;
  value = (value ^ (value >> 27)) * 0x94D049BB133111EBULL;
  return value ^ (value >> 31);
}

bool IsScenarioFile(const fs::path& path) {
  std::string extension = path.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return extension == ".yaml" || extension == ".yml" || extension == ".json";
}

Status EntryError(const ScenarioEntry& entry, const std::string& label, const Status& inner) {
  return Status(inner.code(), "scenario " + Quote(label) + ": " + inner.ToString(), entry.location);
}

// Loads what `source` names: one scenario, or every scenario in a folder that is not one. A
// folder with subfolders, or with several parley YAML/JSON files that do not load as one
// scenario, stands for its subfolders and parley YAML/JSON files (by name, recursively).
Status LoadEntry(const ScenarioEntry& entry, const io::ScenarioSource& source,
                 const std::string& label, int depth, std::vector<TournamentScenario>& out) {
  std::error_code ec;
  std::vector<fs::path> children;
  bool has_subfolders = false;
  if (!source.path.empty() && fs::is_directory(source.path, ec)) {
    for (const auto& child : fs::directory_iterator(source.path, ec)) {
      std::string name = child.path().filename().string();
      if (name.empty() || name[0] == '.') continue;
      std::error_code type_ec;
      if (child.is_directory(type_ec)) {
        has_subfolders = true;
        children.push_back(child.path());
      } else if (child.is_regular_file(type_ec) && IsScenarioFile(name)) {
        children.push_back(child.path());
      }
    }
    std::sort(children.begin(), children.end());
  }
  if (!has_subfolders) {
    Result<model::Scenario> scenario = io::LoadScenario(source);
    if (scenario.ok()) {
      out.push_back(TournamentScenario{label, source, std::move(scenario).value(), {}, {}});
      return Status::Ok();
    }
    if (children.size() < 2) return EntryError(entry, label, scenario.status());
  }
  if (depth >= kMaxFolderDepth) {
    return EntryError(entry, label, InvalidInput("folders nested too deeply"));
  }
  for (const fs::path& child : children) {
    io::ScenarioSource child_source;
    child_source.path = child.string();
    PARLEY_RETURN_IF_ERROR(LoadEntry(
        entry, child_source, label + "/" + child.filename().generic_string(), depth + 1, out));
  }
  return Status::Ok();
}

std::string KeyText(const TournamentConfig& config, const TournamentScenario& scenario,
                    std::int32_t mediator_idx, const std::vector<std::uint32_t>& assignment,
                    std::int32_t repetition) {
  std::string text = scenario.path;
  text += '\x1f';
  if (mediator_idx >= 0) text += config.mediators[static_cast<std::size_t>(mediator_idx)].label;
  for (std::uint32_t strategy_idx : assignment) {
    text += '\x1f';
    text += config.strategies[strategy_idx].label;
  }
  text += '\x1f';
  text += std::to_string(repetition);
  return text;
}

std::string FingerprintText(const TournamentConfig& config,
                            const std::vector<TournamentScenario>& scenarios) {
  std::string text = "parley tournament 1\n";
  for (const TournamentScenario& scenario : scenarios) text += "scenario " + scenario.path + "\n";
  for (const StrategyEntry& strategy : config.strategies) {
    text += "strategy " + strategy.label + " = " + strategy.canonical + "\n";
  }
  for (const StrategyEntry& mediator : config.mediators) {
    text += "mediator " + mediator.label + " = " + mediator.canonical + "\n";
  }
  text += "protocol " + config.protocol + " = " + config.protocol_canonical + "\n";
  text += fmt::format("rounds {}\nrepetitions {}\nseed {}\nrole_swapping {}\ndiscount {}\n",
                      config.rounds, config.repetitions, config.seed, config.role_swapping,
                      config.discount);
  return text;
}

}  // namespace

std::uint64_t StableHash(std::string_view text) {
  std::uint64_t hash = 0xCBF29CE484222325ULL;
  for (char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001B3ULL;
  }
  return SplitMix64(hash);
}

std::uint64_t SessionSeed(std::uint64_t config_seed, std::uint64_t key) {
  return SplitMix64(SplitMix64(config_seed) ^ key);
}

std::string Hex16(std::uint64_t value) { return fmt::format("{:016x}", value); }

Result<std::vector<std::vector<std::uint32_t>>> StrategyAssignments(std::size_t num_principals,
                                                                    std::size_t num_strategies,
                                                                    bool role_swapping,
                                                                    std::size_t limit) {
  std::vector<std::vector<std::uint32_t>> assignments;
  if (num_principals == 0 || num_strategies == 0) return assignments;
  std::vector<std::uint32_t> combination(num_principals, 0);
  const auto last = static_cast<std::uint32_t>(num_strategies - 1);
  while (true) {
    std::size_t first_of_combination = assignments.size();
    std::size_t rotations = role_swapping ? num_principals : 1;
    for (std::size_t rotation = 0; rotation < rotations; ++rotation) {
      std::vector<std::uint32_t> assignment(num_principals);
      for (std::size_t principal = 0; principal < num_principals; ++principal) {
        assignment[principal] = combination[(principal + rotation) % num_principals];
      }
      bool seen = std::find(assignments.begin() + static_cast<std::ptrdiff_t>(first_of_combination),
                            assignments.end(), assignment) != assignments.end();
      if (seen) continue;
      if (assignments.size() >= limit) {
        return InvalidInput("more than " + std::to_string(limit) + " strategy assignments for " +
                            std::to_string(num_principals) +
                            " principals; use fewer strategies or turn role_swapping off");
      }
      assignments.push_back(std::move(assignment));
    }
    // The next combination with repetition, in lexicographic order.
    std::size_t position = num_principals;
    while (position > 0 && combination[position - 1] == last) --position;
    if (position == 0) return assignments;
    std::uint32_t value = ++combination[position - 1];
    for (std::size_t later = position; later < num_principals; ++later) combination[later] = value;
  }
}

namespace {

// The scenario's enabled principals and mediators, checked against what the protocol and the
// config need.
Status SeatParties(TournamentScenario& scenario, const protocols::ProtocolDescriptor* protocol,
                   const TournamentConfig& cfg, const Location& protocol_location) {
  for (std::size_t party_idx = 0; party_idx < scenario.scenario.parties.size(); ++party_idx) {
    const model::Party& party = scenario.scenario.parties[party_idx];
    if (!party.enabled) continue;
    if (party.role == model::Role::kPrincipal) scenario.principals.push_back(party_idx);
    if (party.role == model::Role::kMediator) scenario.mediators.push_back(party_idx);
  }
  auto num_principals = static_cast<int>(scenario.principals.size());
  if (num_principals < protocol->min_principals || num_principals > protocol->max_principals) {
    return InvalidInput(
        "protocol " + Quote(protocol->name) + " needs " + std::to_string(protocol->min_principals) +
            " to " + std::to_string(protocol->max_principals) + " principals; scenario " +
            Quote(scenario.path) + " has " + std::to_string(num_principals) + " enabled",
        protocol_location);
  }
  if (protocol->needs_mediator() && scenario.mediators.empty()) {
    return InvalidInput("protocol " + Quote(protocol->name) + " needs a mediator; scenario " +
                            Quote(scenario.path) + " has no enabled mediator",
                        protocol_location);
  }
  if (!cfg.mediators.empty() && scenario.mediators.empty()) {
    return InvalidInput("mediators are given, but scenario " + Quote(scenario.path) +
                            " has no enabled mediator to play them",
                        cfg.mediators.front().location);
  }
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<Tournament>> Tournament::Prepare(TournamentConfig config) {
  std::unique_ptr<Tournament> tournament(new Tournament());
  tournament->config_ = std::move(config);
  PARLEY_RETURN_IF_ERROR(tournament->LoadScenarios());
  PARLEY_ASSIGN_OR_RETURN(std::size_t total, tournament->PlanSessions());
  PARLEY_RETURN_IF_ERROR(tournament->Schedule(total));
  tournament->fingerprint_ =
      Hex16(StableHash(FingerprintText(tournament->config_, tournament->scenarios_)));
  for (std::size_t scenario_idx = 0; scenario_idx < tournament->scenarios_.size(); ++scenario_idx) {
    tournament->references_.push_back(std::make_unique<ReferenceSlot>());
  }
  return tournament;
}

// Every scenario of the config (folders expanded), each once.
Status Tournament::LoadScenarios() {
  const TournamentConfig& cfg = config_;
  std::vector<TournamentScenario>& scenarios = scenarios_;
  for (const ScenarioEntry& entry : cfg.scenarios) {
    PARLEY_RETURN_IF_ERROR(LoadEntry(entry, entry.source, entry.label, 0, scenarios));
  }
  std::set<std::string> paths;
  for (const TournamentScenario& scenario : scenarios) {
    if (!paths.insert(scenario.path).second) {
      return InvalidInput("scenario " + Quote(scenario.path) + " is listed twice",
                          Location::InFile(cfg.file));
    }
  }
  return Status::Ok();
}

// Seats each scenario's parties, makes the strategy assignments for each number of principals
// and counts the sessions (at most kMaxSessions).
Result<std::size_t> Tournament::PlanSessions() {
  const TournamentConfig& cfg = config_;
  std::vector<TournamentScenario>& scenarios = scenarios_;
  Result<protocols::ResolvedSpec<protocols::ProtocolDescriptor>> protocol_spec =
      protocols::ProtocolRegistry::Global().Resolve(cfg.protocol_canonical);
  PARLEY_CHECK(protocol_spec.ok());  // the config was checked when read
  const protocols::ProtocolDescriptor* protocol = protocol_spec->descriptor;
  Location protocol_location = Location::InFile(cfg.file);
  protocol_location.field = "protocol";

  std::size_t total = 0;
  for (std::size_t scenario_idx = 0; scenario_idx < scenarios.size(); ++scenario_idx) {
    TournamentScenario& scenario = scenarios[scenario_idx];
    PARLEY_RETURN_IF_ERROR(SeatParties(scenario, protocol, cfg, protocol_location));
    max_principals_ = std::max(max_principals_, scenario.principals.size());
    auto& assignments = assignments_[scenario.principals.size()];
    if (assignments.empty()) {
      Result<std::vector<std::vector<std::uint32_t>>> made = StrategyAssignments(
          scenario.principals.size(), cfg.strategies.size(), cfg.role_swapping, kMaxSessions);
      if (!made.ok()) {
        return InvalidInput(made.status().message(), cfg.strategies.front().location);
      }
      assignments = std::move(made).value();
    }
    std::size_t mediator_choices = std::max<std::size_t>(1, cfg.mediators.size());
    std::size_t per_scenario = assignments.size() * mediator_choices;
    if (per_scenario > kMaxSessions / static_cast<std::size_t>(cfg.repetitions) ||
        total + per_scenario * static_cast<std::size_t>(cfg.repetitions) > kMaxSessions) {
      return InvalidInput("the tournament has more than " + std::to_string(kMaxSessions) +
                              " sessions; split it into several configs",
                          Location::InFile(cfg.file));
    }
    total += per_scenario * static_cast<std::size_t>(cfg.repetitions);
  }
  return total;
}

// Every session, in schedule order: scenario, mediator strategy, assignment, repetition.
Status Tournament::Schedule(std::size_t total) {
  const TournamentConfig& cfg = config_;
  const std::vector<TournamentScenario>& scenarios = scenarios_;
  sessions_.reserve(total);
  index_by_key_.reserve(total);
  for (std::size_t scenario_idx = 0; scenario_idx < scenarios.size(); ++scenario_idx) {
    const TournamentScenario& scenario = scenarios[scenario_idx];
    const auto& assignments = assignments_.at(scenario.principals.size());
    std::int32_t mediator_begin = cfg.mediators.empty() ? -1 : 0;
    auto mediator_end = static_cast<std::int32_t>(cfg.mediators.size());
    for (std::int32_t mediator_idx = mediator_begin;
         mediator_idx < std::max<std::int32_t>(mediator_end, 0); ++mediator_idx) {
      for (std::size_t assignment_idx = 0; assignment_idx < assignments.size(); ++assignment_idx) {
        for (std::int32_t repetition = 1; repetition <= cfg.repetitions; ++repetition) {
          ScheduledSession session;
          session.key = StableHash(
              KeyText(cfg, scenario, mediator_idx, assignments[assignment_idx], repetition));
          session.seed = SessionSeed(cfg.seed, session.key);
          session.scenario_idx = static_cast<std::uint32_t>(scenario_idx);
          session.mediator_idx = mediator_idx;
          session.assignment_idx = static_cast<std::uint32_t>(assignment_idx);
          session.repetition = repetition;
          if (!index_by_key_.emplace(session.key, sessions_.size()).second) {
            return Internal("two sessions have the same key " + Hex16(session.key));
          }
          sessions_.push_back(session);
        }
      }
      if (mediator_idx < 0) break;
    }
  }
  return Status::Ok();
}

const std::vector<std::uint32_t>& Tournament::Assignment(const ScheduledSession& session) const {
  const auto& assignments = assignments_.at(scenarios_[session.scenario_idx].principals.size());
  return assignments[session.assignment_idx];
}

std::optional<std::size_t> Tournament::FindSession(const std::string& key) const {
  if (key.size() != 16) return std::nullopt;
  std::uint64_t value = 0;
  for (char c : key) {
    int digit = 0;
    if (c >= '0' && c <= '9') {
      digit = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      digit = c - 'a' + 10;
    } else {
      return std::nullopt;
    }
    value = value * 16 + static_cast<std::uint64_t>(digit);
  }
  auto found = index_by_key_.find(value);
  if (found == index_by_key_.end()) return std::nullopt;
  return found->second;
}

std::shared_ptr<const session::ScenarioReference> Tournament::Reference(
    std::size_t scenario_idx) const {
  ReferenceSlot& slot = *references_[scenario_idx];
  // Not cancellable: a reference cut short by a stop would be kept for later sessions.
  std::call_once(slot.once, [&] {
    slot.reference = session::ComputeScenarioReference(scenarios_[scenario_idx].scenario);
  });
  return slot.reference;
}

Result<SessionRecord> Tournament::RunSession(std::size_t index, std::stop_token stop) const {
  PARLEY_CHECK(index < sessions_.size());
  const ScheduledSession& scheduled = sessions_[index];
  const TournamentScenario& scenario = scenarios_[scheduled.scenario_idx];
  if (stop.stop_requested()) return Status(ErrorCode::kCancelled, "session cancelled");
  const std::vector<std::uint32_t>& assignment = Assignment(scheduled);

  session::SessionConfig session_config;
  session_config.protocol = config_.protocol_canonical;
  session_config.rounds = config_.rounds;
  session_config.seed = scheduled.seed;
  session_config.use_discount = config_.discount;
  session_config.stop = stop;
  session_config.reference = Reference(scheduled.scenario_idx);
  session_config.strategy_registry = config_.strategy_registry;
  // A record needs neither the messages nor the gap curve: keep nothing that grows with rounds.
  session_config.keep_events = false;
  session_config.keep_inboxes = false;
  session_config.track_gaps = false;
  for (std::size_t position = 0; position < scenario.principals.size(); ++position) {
    session_config.strategies[scenario.principals[position]] =
        config_.strategies[assignment[position]].canonical;
  }
  if (scheduled.mediator_idx >= 0) {
    const StrategyEntry& mediator =
        config_.mediators[static_cast<std::size_t>(scheduled.mediator_idx)];
    for (std::size_t party_idx : scenario.mediators) {
      session_config.strategies[party_idx] = mediator.canonical;
    }
  }
  Result<session::Trace> trace = session::RunSession(scenario.scenario, session_config);
  if (!trace.ok()) {
    const Status& status = trace.status();
    if (status.code() == ErrorCode::kCancelled) return status;
    return Status(status.code(),
                  "session " + Hex16(scheduled.key) + " on " + Quote(scenario.path) + ": " +
                      status.ToString(),
                  Location::InFile(config_.file));
  }
  const session::SessionResult& result = trace->result;

  SessionRecord record;
  record.session = Hex16(scheduled.key);
  record.config = fingerprint_;
  record.scenario = scenario.scenario.name;
  record.scenario_path = scenario.path;
  record.repetition = scheduled.repetition;
  record.seed = scheduled.seed;
  record.protocol = config_.protocol;
  if (scheduled.mediator_idx >= 0) {
    record.mediator = config_.mediators[static_cast<std::size_t>(scheduled.mediator_idx)].label;
  }
  record.agreement = result.agreement;
  record.welfare = result.welfare;
  record.distance_to_pareto = result.distance_to_pareto;
  record.distance_to_nash = result.distance_to_nash;
  record.distance_to_kalai_smorodinsky = result.distance_to_kalai_smorodinsky;
  record.rounds = result.rounds;
  record.end_reason = result.end_reason;
  record.illegal_actions = static_cast<int>(result.illegal_actions.size());
  record.elapsed_ms = result.elapsed_ms;
  for (std::size_t position = 0; position < scenario.principals.size(); ++position) {
    std::size_t party_idx = scenario.principals[position];
    const model::Party& party = scenario.scenario.parties[party_idx];
    PartyRecord entry;
    entry.party = party.id;
    entry.strategy = config_.strategies[assignment[position]].label;
    auto scored = std::find(result.scored_parties.begin(), result.scored_parties.end(), party_idx);
    if (scored != result.scored_parties.end() && party.preferences) {
      double utility =
          result.utilities[static_cast<std::size_t>(scored - result.scored_parties.begin())];
      entry.utility = utility;
      entry.advantage = utility - party.preferences->ReservationOrZero();
    }
    record.parties.push_back(std::move(entry));
  }
  return record;
}

}  // namespace parley::tournament
