// mxlite (internal): the x86 instruction sets a kernel body may be compiled
// for. Each dispatched body is compiled for AVX-512, AVX2+FMA and the
// baseline; the widest one the CPU supports is picked once at run time (by
// feature, not CPU model), so the portable wheel runs everywhere.
#pragma once

#if (defined(__GNUC__) || defined(__clang__)) && defined(__x86_64__)
#define MXLITE_X86_DISPATCH 1
#define MXLITE_TARGET_AVX512 __attribute__((target("avx512f,avx512dq,avx512vl,avx2,fma,bmi2")))
#define MXLITE_TARGET_AVX2 __attribute__((target("avx2,fma,bmi2")))
#endif

namespace mxlite {
namespace kernels {

/// 2 with AVX-512 (F, DQ, VL), 1 with AVX2 and FMA, else 0.
inline int isa_level() {
#ifdef MXLITE_X86_DISPATCH
  static const int level = [] {
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl"))
      return 2;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return 1;
    return 0;
  }();
  return level;
#else
  return 0;
#endif
}

}  // namespace kernels
}  // namespace mxlite
