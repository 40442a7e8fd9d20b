// Convolution on oneDNN primitives (CMake option MXLITE_WITH_DNNL): forward,
// data gradient and weight gradient for float32 channels-first data, 1-D and
// 2-D as 2-D primitives, 3-D as 3-D ones, with groups. Primitives are made
// once per (pass, shapes, geometry, sub-batch) and cached; each runs on the
// layout oneDNN prefers, with reorders from and to the caller's NC(D)HW.
//
// Threading: by default the batch is split over mxlite's pool and every task
// runs its sub-batch with oneDNN at one OpenMP thread, so oneDNN never starts
// a team of its own next to the pool (and BLAS stays at one thread as
// always). A batch smaller than the pool runs whole on the calling thread
// with an OpenMP team of the pool's size. MXLITE_DNNL_THREADING=omp always
// does the latter; MXLITE_DNNL_ALGO=direct|auto picks one algorithm (the
// default tries Winograd, then direct); MXLITE_DNNL_LAYOUT=plain runs the primitives on NC(D)HW
// without reorders; MXLITE_DNNL=0 turns oneDNN off (conv.cc's kernels run).
// Those exist to measure the choices (benchmarks/README.md).
#include "ops/conv_dnnl.h"

#if defined(MXLITE_HAVE_DNNL)
#include <omp.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <oneapi/dnnl/dnnl.hpp>
#include <unordered_map>
#include <vector>

#include "kernels/parallel.h"
#include "mxlite/threadpool.h"
#endif

namespace mxlite {
namespace ops {
namespace dnnl_conv {

#if !defined(MXLITE_HAVE_DNNL)

bool enabled() { return false; }
bool run(Pass, const Problem&, const float*, const float*, float*) { return false; }

#else

namespace {

using dnnl::memory;
using tag = dnnl::memory::format_tag;

bool env_is(const char* name, const char* value) {
  const char* v = std::getenv(name);
  return v != nullptr && std::strcmp(v, value) == 0;
}
bool omp_threading() {
  static const bool v = env_is("MXLITE_DNNL_THREADING", "omp");
  return v;
}
// The algorithms to try in order: Winograd first (oneDNN has it for 3x3
// unit-stride kernels; it ran the ResNet block's convolutions 2x faster than
// direct, with errors within 2e-6 of the largest value), then direct.
// MXLITE_DNNL_ALGO=direct or auto picks one instead (for measuring).
std::vector<dnnl::algorithm> conv_algorithms() {
  if (env_is("MXLITE_DNNL_ALGO", "direct")) return {dnnl::algorithm::convolution_direct};
  if (env_is("MXLITE_DNNL_ALGO", "auto")) return {dnnl::algorithm::convolution_auto};
  return {dnnl::algorithm::convolution_winograd, dnnl::algorithm::convolution_direct};
}
bool plain_layout() {
  static const bool v = env_is("MXLITE_DNNL_LAYOUT", "plain");
  return v;
}

dnnl::engine& cpu_engine() {
  static dnnl::engine e(dnnl::engine::kind::cpu, 0);
  return e;
}

// A cached primitive with its three operands in run()'s order (a, b, out):
// the caller's layout, the primitive's, and the reorders between them.
struct Entry {
  bool ok = false;
  dnnl::primitive prim;
  memory::desc user[3], inner[3];
  int arg[3] = {0, 0, 0};
  bool reorders[3] = {false, false, false};
  dnnl::primitive reorder[3];
  memory::desc scratch, reorder_scratch[3];
};

struct Geometry {
  memory::dims src, wei, dst, strides, dilates, pad_l, pad_r;
  tag data_tag, wei_tag;
};

Geometry geometry_of(const Problem& p, int64_t n) {
  Geometry g;
  const bool five = !(p.in[0] == 1 && p.k[0] == 1 && p.out[0] == 1 && p.pad[0] == 0);
  g.src = {n, p.c};
  g.dst = {n, p.f};
  if (p.groups > 1)
    g.wei = {p.groups, p.f / p.groups, p.c / p.groups};
  else
    g.wei = {p.f, p.c};
  for (int i = five ? 0 : 1; i < 3; ++i) {
    g.src.push_back(p.in[i]);
    g.dst.push_back(p.out[i]);
    g.wei.push_back(p.k[i]);
    g.strides.push_back(p.stride[i]);
    g.dilates.push_back(p.dilate[i] - 1);  // oneDNN counts the gaps
    g.pad_l.push_back(p.pad[i]);
    // oneDNN checks out == (in + pad_l + pad_r - span) / stride + 1 with the
    // same floor as MXNet, so MXNet's symmetric padding fits every case.
    g.pad_r.push_back(p.pad[i]);
  }
  g.data_tag = five ? tag::ncdhw : tag::nchw;
  g.wei_tag = p.groups > 1 ? (five ? tag::goidhw : tag::goihw) : (five ? tag::oidhw : tag::oihw);
  return g;
}

// oneDNN's reference kernels are slower than conv.cc's: those cases fall back.
bool is_reference(const dnnl::primitive_desc_base& pd) { return std::strncmp(pd.impl_info_str(), "ref", 3) == 0; }

std::shared_ptr<Entry> build_with(dnnl::algorithm algo, Pass pass, const Problem& p, int64_t n) {
  auto e = std::make_shared<Entry>();
  const Geometry g = geometry_of(p, n);
  dnnl::engine& eng = cpu_engine();
  const memory::data_type f32 = memory::data_type::f32;
  const memory::desc src_u(g.src, f32, g.data_tag), wei_u(g.wei, f32, g.wei_tag), dst_u(g.dst, f32, g.data_tag);
  const bool plain = plain_layout();
  const memory::desc src_a = plain ? src_u : memory::desc(g.src, f32, tag::any);
  const memory::desc wei_a = plain ? wei_u : memory::desc(g.wei, f32, tag::any);
  const memory::desc dst_a = plain ? dst_u : memory::desc(g.dst, f32, tag::any);
  dnnl::primitive_attr attr;
  attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
  try {
    dnnl::convolution_forward::desc fd(dnnl::prop_kind::forward_training, algo, src_a, wei_a, dst_a, g.strides,
                                       g.dilates, g.pad_l, g.pad_r);
    dnnl::convolution_forward::primitive_desc fpd(fd, attr, eng);
    if (pass == Pass::forward) {
      if (is_reference(fpd)) return e;
      e->user[0] = src_u, e->user[1] = wei_u, e->user[2] = dst_u;
      e->inner[0] = fpd.src_desc(), e->inner[1] = fpd.weights_desc(), e->inner[2] = fpd.dst_desc();
      e->arg[0] = DNNL_ARG_SRC, e->arg[1] = DNNL_ARG_WEIGHTS, e->arg[2] = DNNL_ARG_DST;
      e->scratch = fpd.scratchpad_desc();
      e->prim = dnnl::convolution_forward(fpd);
    } else if (pass == Pass::backward_data) {
      dnnl::convolution_backward_data::desc bd(algo, src_a, wei_a, dst_a, g.strides, g.dilates, g.pad_l, g.pad_r);
      dnnl::convolution_backward_data::primitive_desc bpd(bd, attr, eng, fpd);
      if (is_reference(bpd)) return e;
      e->user[0] = dst_u, e->user[1] = wei_u, e->user[2] = src_u;
      e->inner[0] = bpd.diff_dst_desc(), e->inner[1] = bpd.weights_desc(), e->inner[2] = bpd.diff_src_desc();
      e->arg[0] = DNNL_ARG_DIFF_DST, e->arg[1] = DNNL_ARG_WEIGHTS, e->arg[2] = DNNL_ARG_DIFF_SRC;
      e->scratch = bpd.scratchpad_desc();
      e->prim = dnnl::convolution_backward_data(bpd);
    } else {
      dnnl::convolution_backward_weights::desc wd(algo, src_a, wei_a, dst_a, g.strides, g.dilates, g.pad_l, g.pad_r);
      dnnl::convolution_backward_weights::primitive_desc wpd(wd, attr, eng, fpd);
      if (is_reference(wpd)) return e;
      e->user[0] = src_u, e->user[1] = dst_u, e->user[2] = wei_u;
      e->inner[0] = wpd.src_desc(), e->inner[1] = wpd.diff_dst_desc(), e->inner[2] = wpd.diff_weights_desc();
      e->arg[0] = DNNL_ARG_SRC, e->arg[1] = DNNL_ARG_DIFF_DST, e->arg[2] = DNNL_ARG_DIFF_WEIGHTS;
      e->scratch = wpd.scratchpad_desc();
      e->prim = dnnl::convolution_backward_weights(wpd);
    }
    for (int i = 0; i < 3; ++i) {
      e->reorders[i] = e->user[i] != e->inner[i];
      if (!e->reorders[i]) continue;
      const memory::desc& from = i < 2 ? e->user[i] : e->inner[i];
      const memory::desc& to = i < 2 ? e->inner[i] : e->user[i];
      dnnl::reorder::primitive_desc rpd(eng, from, eng, to, attr);
      e->reorder_scratch[i] = rpd.scratchpad_desc();
      e->reorder[i] = dnnl::reorder(rpd);
    }
    e->ok = true;
  } catch (const dnnl::error&) {
    e->ok = false;  // no primitive for this case: conv.cc's kernels run it
  }
  return e;
}

std::shared_ptr<Entry> build(Pass pass, const Problem& p, int64_t n) {
  static const std::vector<dnnl::algorithm> algos = conv_algorithms();
  std::shared_ptr<Entry> e;
  for (dnnl::algorithm a : algos) {
    e = build_with(a, pass, p, n);
    if (e->ok) break;
  }
  return e;
}

std::shared_ptr<Entry> entry(Pass pass, const Problem& p, int64_t n) {
  std::vector<int64_t> key{static_cast<int64_t>(pass), n, p.c, p.f, p.groups};
  for (const int64_t* v : {p.in, p.k, p.out, p.stride, p.dilate, p.pad}) key.insert(key.end(), v, v + 3);
  static std::mutex mu;
  static std::map<std::vector<int64_t>, std::shared_ptr<Entry> > cache;
  std::lock_guard<std::mutex> lock(mu);
  auto it = cache.find(key);
  if (it != cache.end()) return it->second;
  if (cache.size() >= 512) cache.clear();  // a bound for programs with ever-new shapes
  return cache[key] = build(pass, p, n);
}

// Per-thread buffers for the reordered operands and scratchpads, kept
// between calls: slots 0-2 the operands, 3 the primitive's scratchpad, 4 a
// reorder's.
class Buffers {
 public:
  void* get(int slot, size_t bytes) {
    Slot& s = slots_[slot];
    const size_t floats = bytes / sizeof(float) + 16;
    if (s.n < floats) {
      s.p.reset(new float[floats]);
      s.n = floats;
    }
    const uintptr_t a = reinterpret_cast<uintptr_t>(s.p.get());
    return reinterpret_cast<void*>((a + 63) & ~uintptr_t(63));
  }

 private:
  struct Slot {
    std::unique_ptr<float[]> p;
    size_t n = 0;
  };
  Slot slots_[5];
};

void reorder(const Entry& e, int i, dnnl::memory& from, dnnl::memory& to, dnnl::stream& s, Buffers& buf) {
  std::unordered_map<int, dnnl::memory> args{{DNNL_ARG_FROM, from}, {DNNL_ARG_TO, to}};
  const size_t sb = e.reorder_scratch[i].get_size();
  if (sb > 0) args.insert({DNNL_ARG_SCRATCHPAD, dnnl::memory(e.reorder_scratch[i], cpu_engine(), buf.get(4, sb))});
  e.reorder[i].execute(s, args);
}

void execute(const Entry& e, const float* a, const float* b, float* out) {
  dnnl::engine& eng = cpu_engine();
  thread_local dnnl::stream s(cpu_engine());
  thread_local Buffers buf;
  void* ptr[3] = {const_cast<float*>(a), const_cast<float*>(b), out};
  dnnl::memory user[3], inner[3];
  for (int i = 0; i < 3; ++i) {
    user[i] = dnnl::memory(e.user[i], eng, ptr[i]);
    if (!e.reorders[i]) {
      inner[i] = user[i];
      continue;
    }
    inner[i] = dnnl::memory(e.inner[i], eng, buf.get(i, e.inner[i].get_size()));
    if (i < 2) reorder(e, i, user[i], inner[i], s, buf);
  }
  std::unordered_map<int, dnnl::memory> args{{e.arg[0], inner[0]}, {e.arg[1], inner[1]}, {e.arg[2], inner[2]}};
  const size_t sb = e.scratch.get_size();
  if (sb > 0) args.insert({DNNL_ARG_SCRATCHPAD, dnnl::memory(e.scratch, eng, buf.get(3, sb))});
  e.prim.execute(s, args);
  if (e.reorders[2]) reorder(e, 2, inner[2], user[2], s, buf);
  s.wait();
}

}  // namespace

bool enabled() {
  static const bool v = !env_is("MXLITE_DNNL", "0");
  return v;
}

bool run(Pass pass, const Problem& p, const float* a, const float* b, float* out) {
  if (!enabled() || p.n <= 0) return false;
  // oneDNN's data gradient into 1-7 channels (LeNet's first layer) measured
  // 3x slower than conv.cc's col2im path.
  if (pass == Pass::backward_data && p.c < 8) return false;
  const int threads = num_threads();
  const int64_t parts = !omp_threading() && threads > 1 && p.n >= threads ? threads : 1;
  // Primitive creation may run parallel code too: it gets the same count.
  omp_set_num_threads(parts == 1 ? threads : 1);
  const std::shared_ptr<Entry> small = entry(pass, p, p.n / parts);
  const std::shared_ptr<Entry> large = p.n % parts ? entry(pass, p, p.n / parts + 1) : small;
  if (!small->ok || !large->ok) return false;
  if (parts == 1) {
    execute(*small, a, b, out);
    return true;
  }
  int64_t in_size = 1, out_size = 1;
  for (int i = 0; i < 3; ++i) in_size *= p.in[i], out_size *= p.out[i];
  const int64_t x_image = p.c * in_size, y_image = p.f * out_size,
                w_size = p.f * (p.c / p.groups) * p.k[0] * p.k[1] * p.k[2];
  // Per image strides of (a, b, out); 0 for the weights every task shares.
  int64_t step[3];
  if (pass == Pass::forward)
    step[0] = x_image, step[1] = 0, step[2] = y_image;
  else if (pass == Pass::backward_data)
    step[0] = y_image, step[1] = 0, step[2] = x_image;
  else
    step[0] = x_image, step[1] = y_image, step[2] = 0;
  // The weight gradient: task 0 writes out, the others partials added in order.
  std::vector<float> partial(pass == Pass::backward_weights ? static_cast<size_t>((parts - 1) * w_size) : 0);
  kernels::for_range(parts, 1, [&](int64_t q0, int64_t q1) {
    omp_set_num_threads(1);
    for (int64_t q = q0; q < q1; ++q) {
      const int64_t n0 = q * (p.n / parts) + std::min<int64_t>(q, p.n % parts);
      const Entry& e = q < p.n % parts ? *large : *small;
      float* o = step[2] ? out + n0 * step[2] : (q == 0 ? out : partial.data() + (q - 1) * w_size);
      execute(e, a + n0 * step[0], b + n0 * step[1], o);
    }
  });
  for (int64_t q = 1; q < parts && pass == Pass::backward_weights; ++q) {
    const float* src = partial.data() + (q - 1) * w_size;
    for (int64_t i = 0; i < w_size; ++i) out[i] += src[i];
  }
  return true;
}

#endif

}  // namespace dnnl_conv
}  // namespace ops
}  // namespace mxlite
