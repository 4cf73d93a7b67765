// BigCount: an exact non-negative integer of any size, for outcome counts and mixed-radix
// indices beyond 2^64 (a 50-issue ANAC 2014 domain has 10^50 outcomes). Backed by GMP.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace parley {

class BigCount {
 public:
  BigCount();
  BigCount(std::uint64_t value);  // NOLINT(google-explicit-constructor)
  BigCount(const BigCount& other);
  BigCount(BigCount&& other) noexcept;
  BigCount& operator=(const BigCount& other);
  BigCount& operator=(BigCount&& other) noexcept;
  ~BigCount();

  // Parses a decimal string of digits; nullopt on anything else.
  static std::optional<BigCount> FromDecimal(const std::string& digits);

  BigCount& operator*=(const BigCount& other);
  BigCount& operator+=(const BigCount& other);
  friend BigCount operator*(BigCount a, const BigCount& b) { return a *= b; }
  friend BigCount operator+(BigCount a, const BigCount& b) { return a += b; }

  // Integer division with remainder by a small divisor (> 0); returns the remainder.
  std::uint64_t DivideInPlace(std::uint64_t divisor);

  int Compare(const BigCount& other) const;
  friend bool operator==(const BigCount& a, const BigCount& b) { return a.Compare(b) == 0; }
  friend bool operator<(const BigCount& a, const BigCount& b) { return a.Compare(b) < 0; }
  friend bool operator<=(const BigCount& a, const BigCount& b) { return a.Compare(b) <= 0; }
  friend bool operator>(const BigCount& a, const BigCount& b) { return a.Compare(b) > 0; }

  bool FitsUint64() const;
  // The value when it fits in 64 bits.
  std::optional<std::uint64_t> ToUint64() const;
  double ToDouble() const;
  // log10 of the value (for values >= 1), accurate for any size.
  double Log10() const;

  // Exact decimal digits.
  std::string ToString() const;
  // "1.9e+50"-style with `significant` digits; exact digits when they are no longer.
  std::string ToScientific(int significant = 3) const;
  // Exact when the value has at most `max_digits` digits, scientific otherwise.
  std::string ToDisplayString(int max_digits = 15) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace parley
