// mxlite: the storage type of float16 arrays (IEEE 754 binary16).
#pragma once

#include <cstdint>
#include <cstring>
#include <type_traits>

namespace mxlite {

/// Bits of the binary16 nearest to `f` (round to nearest, ties to even;
/// overflow gives inf, NaN stays a quiet NaN with its sign and top payload).
inline uint16_t float_to_half_bits(float f) {
  uint32_t x;
  std::memcpy(&x, &f, 4);
  const uint32_t sign = (x >> 16) & 0x8000u;
  uint32_t ax = x & 0x7fffffffu;
  if (ax >= 0x7f800000u)
    return static_cast<uint16_t>(sign | 0x7c00u | (ax > 0x7f800000u ? 0x200u | ((ax >> 13) & 0x3ffu) : 0u));
  if (ax >= 0x477ff000u) return static_cast<uint16_t>(sign | 0x7c00u);  // >= 65520 rounds to inf
  if (ax < 0x38800000u) {
    // Below 2^-14: a subnormal half. Adding 0.5 puts the value on the grid of
    // 2^-24 (half's subnormal step) and the FPU rounds it to nearest even.
    float af;
    std::memcpy(&af, &ax, 4);
    af += 0.5f;
    uint32_t r;
    std::memcpy(&r, &af, 4);
    return static_cast<uint16_t>(sign | (r - 0x3f000000u));
  }
  ax += 0xc8000fffu + ((ax >> 13) & 1u);  // exponent 127 -> 15, round half to even
  return static_cast<uint16_t>(sign | (ax >> 13));
}

/// The binary16 nearest to `d`, rounded once (not through float).
inline uint16_t double_to_half_bits(double d) {
  uint64_t x;
  std::memcpy(&x, &d, 8);
  const uint32_t sign = static_cast<uint32_t>(x >> 48) & 0x8000u;
  uint64_t ax = x & 0x7fffffffffffffffull;
  if (ax >= 0x7ff0000000000000ull)
    return static_cast<uint16_t>(
        sign | 0x7c00u | (ax > 0x7ff0000000000000ull ? 0x200u | static_cast<uint32_t>((ax >> 42) & 0x3ffu) : 0u));
  if (ax >= 0x40effe0000000000ull) return static_cast<uint16_t>(sign | 0x7c00u);  // >= 65520
  if (ax < 0x3f10000000000000ull) {
    // Subnormal: the value in units of 2^-24, rounded half to even.
    double ad;
    std::memcpy(&ad, &ax, 8);
    const double units = ad * 16777216.0;
    double k = static_cast<double>(static_cast<uint64_t>(units));
    const double rest = units - k;
    if (rest > 0.5 || (rest == 0.5 && static_cast<uint64_t>(k) % 2 == 1)) k += 1;
    return static_cast<uint16_t>(sign | static_cast<uint32_t>(k));
  }
  ax += 0x1ffffffffffull + ((ax >> 42) & 1u);  // round half to even at bit 42
  return static_cast<uint16_t>(sign | static_cast<uint32_t>((ax >> 42) - (1008u << 10)));  // exponent 1023 -> 15
}

/// The float equal to binary16 `h` (every half is exact in float; a
/// signalling NaN comes back quiet, as the F16C instructions make it).
inline float half_bits_to_float(uint16_t h) {
  const uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
  const uint32_t e = (h >> 10) & 0x1fu, m = h & 0x3ffu;
  uint32_t bits;
  if (e == 0x1f) {
    bits = sign | 0x7f800000u | (m << 13) | (m ? 0x400000u : 0u);
  } else if (e == 0) {
    float f = static_cast<float>(m) * 5.9604644775390625e-8f;  // m * 2^-24, exact
    std::memcpy(&bits, &f, 4);
    bits |= sign;
  } else {
    bits = sign | ((e + 112u) << 23) | (m << 13);
  }
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

/// One float16 element: two bytes holding binary16 bits. Arithmetic goes
/// through float (it converts implicitly); construction rounds once.
struct half {
  uint16_t bits;
  half() = default;
  explicit half(float f) : bits(float_to_half_bits(f)) {}
  explicit half(double d) : bits(double_to_half_bits(d)) {}
  template <class I, std::enable_if_t<std::is_integral<I>::value, int> = 0>
  explicit half(I v) : bits(float_to_half_bits(static_cast<float>(v))) {}
  operator float() const { return half_bits_to_float(bits); }
  static half from_bits(uint16_t b) {
    half h;
    h.bits = b;
    return h;
  }
};
static_assert(sizeof(half) == 2 && std::is_trivially_copyable<half>::value, "half must be two plain bytes");

/// Bulk conversions (F16C when the CPU has it, the bit code above otherwise).
void half_to_float(const half* x, float* y, int64_t n);
void float_to_half(const float* x, half* y, int64_t n);

}  // namespace mxlite
