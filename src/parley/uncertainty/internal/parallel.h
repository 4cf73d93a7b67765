// Deterministic parallel loops and random streams: work is cut into chunks whose boundaries do
// not depend on the thread count, and every sample draws from its own stream, so the same seed
// gives the same numbers on any number of threads.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <functional>
#include <thread>
#include <vector>

namespace parley::uncertainty::internal {

// SplitMix64 (Steele, Lea & Flood 2014): a small generator, good for seeding per-sample streams.
class Stream {
 public:
  explicit Stream(std::uint64_t seed) : state_(seed) {}
  Stream(std::uint64_t seed, std::uint64_t index, std::uint64_t purpose = 0)
      : state_(Mix(Mix(seed ^ (purpose * 0x9E3779B97F4A7C15ULL)) + index)) {}
  std::uint64_t Next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, 1).
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  // Standard normal (Box-Muller).
  double Normal();

 private:
  static std::uint64_t Mix(std::uint64_t z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  std::uint64_t state_;
};

inline int ThreadCount(int requested) {
  if (requested > 0) return requested;
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

// Calls body(begin, end) for chunks of [0, count) of `chunk` items, on up to `threads` threads.
// Chunk boundaries depend on `chunk` only.
inline void ParallelChunks(std::size_t count, std::size_t chunk, int threads,
                           const std::function<void(std::size_t, std::size_t)>& body) {
  const std::size_t num_chunks = (count + chunk - 1) / chunk;
  const int workers = static_cast<int>(std::min<std::size_t>(
      static_cast<std::size_t>(ThreadCount(threads)), std::max<std::size_t>(num_chunks, 1)));
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t chunk_idx = next++; chunk_idx < num_chunks; chunk_idx = next++) {
      std::size_t begin = chunk_idx * chunk;
      body(begin, std::min(count, begin + chunk));
    }
  };
  if (workers <= 1) {
    work();
    return;
  }
  std::vector<std::thread> pool;
  for (int worker = 1; worker < workers; ++worker) pool.emplace_back(work);
  work();
  for (std::thread& thread : pool) thread.join();
}

}  // namespace parley::uncertainty::internal
