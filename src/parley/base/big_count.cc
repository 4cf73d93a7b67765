#include "parley/base/big_count.h"

#include <gmpxx.h>

#include <cmath>
#include <cstdio>

namespace parley {

struct BigCount::Impl {
  mpz_class value;
};

BigCount::BigCount() : impl_(std::make_unique<Impl>()) {}
BigCount::BigCount(std::uint64_t value) : impl_(std::make_unique<Impl>()) {
  // mpz_class has no portable uint64 constructor; build from two 32-bit halves.
  impl_->value = static_cast<unsigned long>(value >> 32);  // NOLINT(google-runtime-int)
  impl_->value <<= 32;
  impl_->value += static_cast<unsigned long>(value & 0xffffffffULL);  // NOLINT(google-runtime-int)
}
BigCount::BigCount(const BigCount& other) : impl_(std::make_unique<Impl>(*other.impl_)) {}
BigCount::BigCount(BigCount&& other) noexcept : impl_(std::move(other.impl_)) {}
BigCount& BigCount::operator=(const BigCount& other) {
  if (this != &other) impl_ = std::make_unique<Impl>(*other.impl_);
  return *this;
}
BigCount& BigCount::operator=(BigCount&& other) noexcept {
  impl_ = std::move(other.impl_);
  return *this;
}
BigCount::~BigCount() = default;

std::optional<BigCount> BigCount::FromDecimal(const std::string& digits) {
  if (digits.empty()) return std::nullopt;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  BigCount out;
  out.impl_->value.set_str(digits, 10);
  return out;
}

BigCount& BigCount::operator*=(const BigCount& other) {
  impl_->value *= other.impl_->value;
  return *this;
}
BigCount& BigCount::operator+=(const BigCount& other) {
  impl_->value += other.impl_->value;
  return *this;
}

std::uint64_t BigCount::DivideInPlace(std::uint64_t divisor) {
  BigCount d(divisor);
  mpz_class remainder;
  mpz_fdiv_qr(impl_->value.get_mpz_t(), remainder.get_mpz_t(), impl_->value.get_mpz_t(),
              d.impl_->value.get_mpz_t());
  return *BigCount::FromDecimal(remainder.get_str(10))->ToUint64();
}

int BigCount::Compare(const BigCount& other) const {
  int c = cmp(impl_->value, other.impl_->value);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

bool BigCount::FitsUint64() const { return mpz_sizeinbase(impl_->value.get_mpz_t(), 2) <= 64; }

std::optional<std::uint64_t> BigCount::ToUint64() const {
  if (!FitsUint64()) return std::nullopt;
  mpz_class high = impl_->value >> 32;
  mpz_class low = impl_->value - (high << 32);
  return (static_cast<std::uint64_t>(high.get_ui()) << 32) | low.get_ui();
}

double BigCount::ToDouble() const { return impl_->value.get_d(); }

double BigCount::Log10() const {
  if (impl_->value <= 0) return -HUGE_VAL;
  long exponent = 0;  // NOLINT(google-runtime-int): GMP's API
  double mantissa = mpz_get_d_2exp(&exponent, impl_->value.get_mpz_t());
  return std::log10(mantissa) + static_cast<double>(exponent) * std::log10(2.0);
}

std::string BigCount::ToString() const { return impl_->value.get_str(10); }

std::string BigCount::ToScientific(int significant) const {
  std::string digits = ToString();
  if (significant < 1) significant = 1;
  if (static_cast<int>(digits.size()) <= significant) return digits;
  // Round to `significant` digits using exact integer arithmetic.
  mpz_class scale;
  mpz_ui_pow_ui(scale.get_mpz_t(), 10, digits.size() - significant);
  mpz_class rounded = (impl_->value + scale / 2) / scale;
  std::string head = rounded.get_str(10);
  int exponent = static_cast<int>(digits.size()) - 1;
  if (static_cast<int>(head.size()) > significant) {  // rounding carried into a new digit
    head.pop_back();
    ++exponent;
  }
  std::string mantissa = head.substr(0, 1);
  std::string rest = head.substr(1);
  while (!rest.empty() && rest.back() == '0') rest.pop_back();
  if (!rest.empty()) mantissa += "." + rest;
  return mantissa + "e+" + std::to_string(exponent);
}

std::string BigCount::ToDisplayString(int max_digits) const {
  std::string digits = ToString();
  if (static_cast<int>(digits.size()) <= max_digits) return digits;
  return ToScientific(3);
}

}  // namespace parley
