// Task<T>: the coroutine type protocol rules are written in, so that one implementation of a
// protocol runs whether its parties answer at once (simulations, tournaments) or minutes later
// (live rooms).
//
// A protocol's Run and its helpers are coroutines returning Task<...>; they ask parties with
// `co_await context.Ask(party, request)` (protocol.h). When the party is an engine (a strategy in
// the process) the answer is there at once and the coroutine does not suspend at all; when it is a
// person, the whole chain of coroutines suspends and the driver (session/session.h) resumes it
// when the answer is submitted. A Task starts when it is awaited (lazily) and hands control back
// to its awaiter when it ends (symmetric transfer, so deep chains never grow the machine stack).
// parley code does not throw; an exception escaping a protocol coroutine terminates.
#pragma once

#include <coroutine>
#include <exception>
#include <optional>
#include <utility>

namespace parley::protocols {

template <typename T = void>
class Task;

namespace internal {

struct TaskPromiseBase {
  // Who to resume when this task ends: the awaiting coroutine, or nothing (the driver's resume()
  // returns).
  std::coroutine_handle<> continuation = std::noop_coroutine();

  struct FinalAwaiter {
    bool await_ready() const noexcept { return false; }
    template <typename Promise>
    std::coroutine_handle<> await_suspend(std::coroutine_handle<Promise> done) const noexcept {
      return done.promise().continuation;
    }
    void await_resume() const noexcept {}
  };

  std::suspend_always initial_suspend() const noexcept { return {}; }
  FinalAwaiter final_suspend() const noexcept { return {}; }
  void unhandled_exception() const noexcept { std::terminate(); }
};

}  // namespace internal

template <typename T>
class [[nodiscard]] Task {
 public:
  struct promise_type : internal::TaskPromiseBase {
    std::optional<T> value;
    Task get_return_object() { return Task(Handle::from_promise(*this)); }
    void return_value(T result) { value = std::move(result); }
  };
  using Handle = std::coroutine_handle<promise_type>;

  Task(Task&& other) noexcept : handle_(std::exchange(other.handle_, {})) {}
  Task& operator=(Task&& other) noexcept {
    if (this != &other) {
      if (handle_) handle_.destroy();
      handle_ = std::exchange(other.handle_, {});
    }
    return *this;
  }
  Task(const Task&) = delete;
  Task& operator=(const Task&) = delete;
  ~Task() {
    if (handle_) handle_.destroy();
  }

  bool await_ready() const noexcept { return false; }
  std::coroutine_handle<> await_suspend(std::coroutine_handle<> awaiting) noexcept {
    handle_.promise().continuation = awaiting;
    return handle_;
  }
  T await_resume() { return std::move(*handle_.promise().value); }

  // For drivers: start (or continue) the task from outside any coroutine, and see whether it ended.
  void Resume() { handle_.resume(); }
  bool Done() const { return !handle_ || handle_.done(); }

 private:
  explicit Task(Handle handle) : handle_(handle) {}
  Handle handle_;
};

template <>
class [[nodiscard]] Task<void> {
 public:
  struct promise_type : internal::TaskPromiseBase {
    Task get_return_object() { return Task(Handle::from_promise(*this)); }
    void return_void() const noexcept {}
  };
  using Handle = std::coroutine_handle<promise_type>;

  Task(Task&& other) noexcept : handle_(std::exchange(other.handle_, {})) {}
  Task& operator=(Task&& other) noexcept {
    if (this != &other) {
      if (handle_) handle_.destroy();
      handle_ = std::exchange(other.handle_, {});
    }
    return *this;
  }
  Task(const Task&) = delete;
  Task& operator=(const Task&) = delete;
  ~Task() {
    if (handle_) handle_.destroy();
  }

  bool await_ready() const noexcept { return false; }
  std::coroutine_handle<> await_suspend(std::coroutine_handle<> awaiting) noexcept {
    handle_.promise().continuation = awaiting;
    return handle_;
  }
  void await_resume() const noexcept {}

  void Resume() { handle_.resume(); }
  bool Done() const { return !handle_ || handle_.done(); }

 private:
  explicit Task(Handle handle) : handle_(handle) {}
  Handle handle_;
};

}  // namespace parley::protocols
