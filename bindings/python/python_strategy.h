// Strategies written in Python inside parley's sessions and tournaments.
//
// PythonStrategy is a strategies::Strategy whose decisions come from a Python object with an
// `act(view, request)` method (a parley.Strategy). It hands the object a View and a Request that
// show exactly what a C++ strategy sees (protocols/protocol.h) and turns the Action it returns
// into parley's. The GIL is taken for each call and nowhere else, so C++ strategies in the same
// tournament run in parallel with it.
//
// StrategyTable is the registry a session or tournament looks specs up in when Python strategies
// take part: a copy of the global registry with entries whose factories build Python objects.
// The first exception a Python strategy raises stops the run (through the table's stop token) and
// is raised again to the caller (PythonFailure).
#pragma once

#include <pybind11/pybind11.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <stop_token>
#include <string>
#include <vector>

#include "parley/model/scenario.h"
#include "parley/protocols/protocol.h"
#include "parley/strategies/common/bid_space.h"
#include "parley/strategies/strategy.h"

namespace parley::python {

// The first Python exception raised by a strategy during one negotiate() / tournament() call.
class PythonFailure {
 public:
  // Takes the Python error currently set (the GIL must be held) unless one is already kept, and
  // requests a stop.
  void Capture();
  bool failed() const { return failed_.load(); }
  std::stop_token token() const { return stop_.get_token(); }
  std::stop_source& stop_source() { return stop_; }
  // Raises the kept exception (the GIL must be held); does nothing when none was kept.
  void RaiseIfFailed();

 private:
  std::atomic<bool> failed_ = false;
  std::mutex mutex_;
  pybind11::object type_;
  pybind11::object value_;
  pybind11::object traceback_;
  std::stop_source stop_;
};

// What a Python strategy sees of a session (`parley.View`): the party's PartyView, plus its own
// bid space (built on first use) for utility targets. Valid while the session runs; afterwards
// every method raises.
class ViewHandle {
 public:
  ViewHandle(const protocols::PartyView& view, std::uint64_t seed) : view_(&view), rng_(seed) {}
  const protocols::PartyView& view() const;
  void Invalidate() { view_ = nullptr; }
  // The party's bid space, under the constraints of `request` (when given).
  const strategies::BidSpace& Bids(const protocols::Request* request);
  std::mt19937_64& rng() { return rng_; }
  // Whom this party may see by id, built once.
  const std::string& PartyId(std::size_t party_idx) const;

 private:
  const protocols::PartyView* view_;
  std::optional<strategies::BidSpace> bids_;
  std::mt19937_64 rng_;
};

// The request being answered (`parley.Request`); valid only during act().
class RequestHandle {
 public:
  const protocols::Request& request() const;
  const ViewHandle& owner() const { return *owner_; }
  void Set(const protocols::Request* request, const ViewHandle* owner) {
    request_ = request;
    owner_ = owner;
  }

 private:
  const protocols::Request* request_ = nullptr;
  const ViewHandle* owner_ = nullptr;
};

// An action as a Python strategy returns it (`parley.Action`): the outcome and recipients stay
// Python values until the strategy's scenario turns them into option and party indices.
struct PythonAction {
  protocols::ActionType type = protocols::ActionType::kPass;
  pybind11::object outcome;  // None or an outcome in any accepted form
  std::optional<bool> accept;
  std::optional<double> value;
  pybind11::object recipients;  // None or a sequence of party ids / indices
  std::string text;
};

class PythonStrategy final : public strategies::Strategy {
 public:
  // `instance` has act(view, request) and optionally initialize(view); `label` names it in
  // error messages.
  PythonStrategy(pybind11::object instance, std::string label,
                 std::shared_ptr<PythonFailure> failure);
  ~PythonStrategy() override;
  void Initialize(const protocols::PartyView& view, std::mt19937_64& rng) override;
  protocols::Action Act(const protocols::PartyView& view,
                        const protocols::Request& request) override;

 private:
  protocols::Action Convert(const PythonAction& action, const protocols::PartyView& view) const;

  pybind11::object instance_;
  pybind11::object act_;  // the bound method, looked up once
  std::string label_;
  std::string field_;          // "strategy 'x' (party 'p')": what messages about its answers name
  std::string outcome_field_;  // the same, ": outcome"
  std::shared_ptr<PythonFailure> failure_;
  std::shared_ptr<ViewHandle> view_;
  pybind11::object view_object_;
  std::shared_ptr<RequestHandle> request_;
  pybind11::object request_object_;
};

// A copy of the global strategy registry with Python strategies added.
class StrategyTable {
 public:
  StrategyTable();
  // Adds `name`, built by `factory(**parameters)`; `parameters` are (name, type, default, help)
  // with type one of 'float', 'int', 'bool', 'str'. Errors: a name that is taken or is not a
  // valid spec name, a bad parameter.
  void Add(
      const std::string& name, const std::string& summary, const std::vector<std::string>& roles,
      const std::vector<std::tuple<std::string, std::string, std::string, std::string>>& parameters,
      pybind11::object factory);
  const strategies::StrategyRegistry& registry() const { return registry_; }
  const std::shared_ptr<PythonFailure>& failure() const { return failure_; }

 private:
  strategies::StrategyRegistry registry_;
  std::shared_ptr<PythonFailure> failure_ = std::make_shared<PythonFailure>();
};

// "offer", "end", ... -> ActionType; InvalidInputError naming `field` otherwise.
protocols::ActionType ActionTypeFromName(const std::string& name, const std::string& field);

}  // namespace parley::python
