// Convolution family: convolution, its transpose (deconvolution, which is
// also the gradient of convolution with respect to its input) and the weight
// gradient, for 1-, 2- and 3-D data in channels-first layout with groups.
// The kernels lower each image to columns (im2col / col2im) and multiply on
// the BLAS GEMM; 1-D and 2-D data are 3-D data with leading extents of 1.
// The three ops are each other's adjoints, so every gradient is one of them
// and gradients of gradients work to any order.
#include <algorithm>
#include <cstdlib>
#include <memory>
#include <type_traits>
#include <vector>

#include "kernels/gemm.h"
#include "kernels/parallel.h"
#include "mxlite/autograd.h"
#include "mxlite/threadpool.h"
#include "ops/common.h"
#include "ops/conv_dnnl.h"
#include "ops/conv_winograd.h"

namespace mxlite {
namespace ops {
namespace {

// Geometry of one call, spatial extents always 3-D (missing leading ones are 1).
struct ConvParams {
  np::ConvGeometry g;  // kernel, stride, dilate, pad (np:: front end's arguments, 3-D)
  Shape data_shape;    // (N, C, D, H, W) of the convolution's input
  Shape weight_shape;  // (F, C / groups, KD, KH, KW)
  Shape output_shape;  // (N, F, OD, OH, OW)
};

struct Dims {
  int64_t n, c, f, groups, cg, fg;
  int64_t in[3], k[3], out[3];
  int64_t in_size, k_size, out_size;  // products of the spatial extents
};

Dims dims_of(const ConvParams& p) {
  Dims d;
  d.n = p.data_shape[0];
  d.c = p.data_shape[1];
  d.f = p.weight_shape[0];
  d.groups = p.g.groups;
  d.cg = d.c / d.groups;
  d.fg = d.f / d.groups;
  d.in_size = d.k_size = d.out_size = 1;
  for (int i = 0; i < 3; ++i) {
    d.in[i] = p.data_shape[2 + i];
    d.k[i] = p.weight_shape[2 + i];
    d.out[i] = p.output_shape[2 + i];
    d.in_size *= d.in[i];
    d.k_size *= d.k[i];
    d.out_size *= d.out[i];
  }
  return d;
}

// float32 calls go to oneDNN first when the build has it (conv_dnnl.h);
// false when it is off or has no primitive for the case.
template <class T>
bool run_dnnl(dnnl_conv::Pass pass, const ConvParams& p, const Dims& d, const T* a, const T* b, T* out) {
  if constexpr (std::is_same<T, float>::value) {
    if (!dnnl_conv::enabled()) return false;
    dnnl_conv::Problem q;
    q.n = d.n, q.c = d.c, q.f = d.f, q.groups = d.groups;
    for (int i = 0; i < 3; ++i) {
      q.in[i] = d.in[i], q.k[i] = d.k[i], q.out[i] = d.out[i];
      q.stride[i] = p.g.stride[i], q.dilate[i] = p.g.dilate[i], q.pad[i] = p.g.pad[i];
    }
    return dnnl_conv::run(pass, q, a, b, out);
  } else {
    return false;
  }
}

// Rows of channels [c0, c1) of col (cg * k_size, out_size) from one group of
// one image x (cg, in...). With a range of output rows [oh0, oh1) given
// (2-D and 1-D data only, out[0] == 1), col is the tile of those columns,
// (cg * k_size, (oh1 - oh0) * out[2]).
// `ld` (if non-zero) is col's row stride, for the columns of several images
// side by side.
template <class T>
void im2col_rows(const T* x, T* col, const Dims& d, const np::ConvGeometry& g, int64_t c0, int64_t c1, int64_t oh0 = 0,
                 int64_t oh1 = -1, int64_t ld = 0) {
  if (oh1 < 0) oh1 = d.out[1];
  const int64_t row_len = ld ? ld : d.out[0] * (oh1 - oh0) * d.out[2];
  for (int64_t c = c0; c < c1; ++c)
    for (int64_t kd = 0; kd < d.k[0]; ++kd)
      for (int64_t kh = 0; kh < d.k[1]; ++kh)
        for (int64_t kw = 0; kw < d.k[2]; ++kw) {
          T* row = col + (((c * d.k[0] + kd) * d.k[1] + kh) * d.k[2] + kw) * row_len;
          const int64_t w0 = kw * g.dilate[2] - g.pad[2];
          // Output columns whose input column lies inside the image: [lo, hi).
          int64_t lo = 0, hi = d.out[2];
          while (lo < hi && lo * g.stride[2] + w0 < 0) ++lo;
          while (hi > lo && (hi - 1) * g.stride[2] + w0 >= d.in[2]) --hi;
          for (int64_t od = 0; od < d.out[0]; ++od) {
            const int64_t id = od * g.stride[0] - g.pad[0] + kd * g.dilate[0];
            for (int64_t oh = oh0; oh < oh1; ++oh) {
              const int64_t ih = oh * g.stride[1] - g.pad[1] + kh * g.dilate[1];
              T* dst = row + (od * (oh1 - oh0) + oh - oh0) * d.out[2];
              if (id < 0 || id >= d.in[0] || ih < 0 || ih >= d.in[1]) {
                std::fill(dst, dst + d.out[2], T(0));
                continue;
              }
              const T* src = x + ((c * d.in[0] + id) * d.in[1] + ih) * d.in[2] + w0;
              std::fill(dst, dst + lo, T(0));
              if (g.stride[2] == 1)
                std::copy(src + lo, src + hi, dst + lo);
              else
                for (int64_t ow = lo; ow < hi; ++ow) dst[ow] = src[ow * g.stride[2]];
              std::fill(dst + hi, dst + d.out[2], T(0));
            }
          }
        }
}

// Channels per pool task so that each writes at least kParallelGrain values.
int64_t channel_grain(const Dims& d) {
  return std::max<int64_t>(1, kernels::kParallelGrain / std::max<int64_t>(1, d.k_size * d.out_size));
}

// col (cg * k_size, out_size) from one group of one image x (cg, in...),
// channels split over the pool (each task writes its own rows).
template <class T> void im2col(const T* x, T* col, const Dims& d, const np::ConvGeometry& g) {
  kernels::for_range(d.cg, channel_grain(d), [&](int64_t c0, int64_t c1) { im2col_rows(x, col, d, g, c0, c1); });
}

// The adjoint of im2col for channels [c0, c1): x (cg, in...) += the columns
// summed back into place. Column (row r, position o) is read at
// col[r * rs + o * os]: rs = out_size, os = 1 for the (K, out) layout and
// rs = 1, os = cg * k_size for the transposed (out, K) layout.
template <class T>
void col2im_rows(const T* col, int64_t rs, int64_t os, T* x, const Dims& d, const np::ConvGeometry& g, int64_t c0,
                 int64_t c1) {
  for (int64_t c = c0; c < c1; ++c)
    for (int64_t kd = 0; kd < d.k[0]; ++kd)
      for (int64_t kh = 0; kh < d.k[1]; ++kh)
        for (int64_t kw = 0; kw < d.k[2]; ++kw) {
          const T* row = col + (((c * d.k[0] + kd) * d.k[1] + kh) * d.k[2] + kw) * rs;
          for (int64_t od = 0; od < d.out[0]; ++od) {
            const int64_t id = od * g.stride[0] - g.pad[0] + kd * g.dilate[0];
            if (id < 0 || id >= d.in[0]) continue;
            for (int64_t oh = 0; oh < d.out[1]; ++oh) {
              const int64_t ih = oh * g.stride[1] - g.pad[1] + kh * g.dilate[1];
              if (ih < 0 || ih >= d.in[1]) continue;
              const T* src = row + (od * d.out[1] + oh) * d.out[2] * os;
              T* dst = x + ((c * d.in[0] + id) * d.in[1] + ih) * d.in[2];
              const int64_t w0 = kw * g.dilate[2] - g.pad[2];
              for (int64_t ow = 0; ow < d.out[2]; ++ow) {
                const int64_t iw = ow * g.stride[2] + w0;
                if (iw >= 0 && iw < d.in[2]) dst[iw] += src[ow * os];
              }
            }
          }
        }
}

template <class T> void col2im(const T* col, T* x, const Dims& d, const np::ConvGeometry& g) {
  kernels::for_range(d.cg, channel_grain(d),
                     [&](int64_t c0, int64_t c1) { col2im_rows(col, d.out_size, int64_t(1), x, d, g, c0, c1); });
}

// The same from columns stored transposed, (out_size, cg * k_size).
template <class T> void col2im_transposed(const T* col_t, T* x, const Dims& d, const np::ConvGeometry& g) {
  kernels::for_range(d.cg, channel_grain(d),
                     [&](int64_t c0, int64_t c1) { col2im_rows(col_t, int64_t(1), d.cg * d.k_size, x, d, g, c0, c1); });
}

// Column buffers: one per thread, kept between calls (up to kScratchCap
// bytes) and never zero-filled, since im2col or the GEMM overwrite every
// value. A fresh 7 MB std::vector per call cost a memset and page faults.
constexpr size_t kScratchCap = size_t(64) << 20;
template <class T> class Columns {
 public:
  explicit Columns(int64_t n) {
    const size_t bytes = static_cast<size_t>(std::max<int64_t>(0, n)) * sizeof(T);
    if (bytes > kScratchCap) {
      own_.reset(new T[static_cast<size_t>(n)]);
      p_ = own_.get();
      return;
    }
    thread_local std::unique_ptr<double[]> buf;  // double: aligned for T of float or double
    thread_local size_t have = 0;
    if (have < bytes) {
      buf.reset(new double[(bytes + sizeof(double) - 1) / sizeof(double)]);
      have = bytes;
    }
    p_ = reinterpret_cast<T*>(buf.get());
  }
  T* data() { return p_; }

 private:
  std::unique_ptr<T[]> own_;
  T* p_ = nullptr;
};

// A 1x1x1 kernel with unit stride and no padding reads the image as it is.
bool is_pointwise(const Dims& d, const np::ConvGeometry& g) {
  for (int i = 0; i < 3; ++i)
    if (d.k[i] != 1 || g.stride[i] != 1 || g.pad[i] != 0) return false;
  return true;
}

// Output rows per column tile: forward and weight gradient lower and
// multiply a tile of output rows at a time, so the columns (K x tile) stay in
// the core's L2 between im2col writing and the GEMM reading them, instead of
// streaming a whole image's columns (7 MB for 64 channels at 56x56) through
// memory: 25% faster on the ResNet 3x3 64->64 shapes (benchmarks/README.md).
// MXLITE_CONV_TILE_KB (default 1024, the L2 of one core; 0: whole images)
// sets the tile's size, for measuring. 3-D data takes whole images.
int64_t tile_rows(const Dims& d) {
  static const int64_t kb = [] {
    const char* v = std::getenv("MXLITE_CONV_TILE_KB");
    return v ? std::max<int64_t>(0, std::atoll(v)) : int64_t(1024);
  }();
  if (kb == 0 || d.out[0] != 1) return d.out[1];
  const int64_t per_row = d.cg * d.k_size * d.out[2] * int64_t(sizeof(float));
  return std::min<int64_t>(d.out[1], std::max<int64_t>(1, kb * 1024 / std::max<int64_t>(1, per_row)));
}

// Work splits over images when there are at least as many as threads: each
// pool task lowers and multiplies whole images on its own (im2col, col2im and
// the GEMM then run serially inside it). With fewer images the per-image
// steps split instead (channels of im2col/col2im, blocks of the GEMM).
int64_t image_grain(const Dims& d) {
  const int64_t t = num_threads();
  return t > 1 && d.n >= t ? 1 : std::max<int64_t>(1, d.n);
}

// The Winograd kernel's problem when this is a 2-D 3x3 convolution with unit
// stride and dilation that it takes (conv_winograd.h).
bool winograd_problem(const Dims& d, const np::ConvGeometry& g, winograd::Pass pass, winograd::Problem& q) {
  if (d.in[0] != 1 || d.k[0] != 1 || d.out[0] != 1 || d.k[1] != 3 || d.k[2] != 3) return false;
  for (int i = 1; i < 3; ++i)
    if (g.stride[i] != 1 || g.dilate[i] != 1) return false;
  q.n = d.n, q.c = d.c, q.f = d.f, q.groups = d.groups;
  q.ih = d.in[1], q.iw = d.in[2], q.oh = d.out[1], q.ow = d.out[2];
  q.ph = g.pad[1], q.pw = g.pad[2];
  return winograd::applies(q, pass);
}

// Images whose outputs have few positions (the deep stages of a ResNet: 7x7
// and 14x14) are lowered several at a time, their columns side by side, so
// that each GEMM has some hundreds of columns instead of 49 or 196: the
// 3x3 512->512 convolution on 8x7x7 about 13 % faster forward, and its
// weight gradient (formed untransposed) 29 -> 16 ms. With short columns (K = channels x kernel below 256, as LeNet's
// 150) the copies cost more than the longer GEMMs save (15-25 % slower), so
// those stay one image per GEMM. 1 when batching does not apply.
constexpr int64_t kBatchColumns = 512;
int64_t images_per_batch(const Dims& d, bool direct) {
  if (direct || d.out[0] != 1 || d.out_size >= kBatchColumns / 2 || d.out_size == 0 || d.cg * d.k_size < 256) return 1;
  return std::max<int64_t>(1, std::min(d.n, kBatchColumns / d.out_size));
}

// Columns (kk, m * out_size) of group g of images [n0, n0 + m), the images
// lowered in parallel when the caller is not itself a pool task.
template <class T>
void im2col_batch(const T* x, T* col, const Dims& d, const np::ConvGeometry& geo, int64_t g, int64_t n0, int64_t m) {
  kernels::for_range(m, 1, [&](int64_t i0, int64_t i1) {
    for (int64_t i = i0; i < i1; ++i)
      im2col_rows(x + ((n0 + i) * d.c + g * d.cg) * d.in_size, col + i * d.out_size, d, geo, 0, d.cg, 0, -1,
                  m * d.out_size);
  });
}

// The forward pass on batches of `nb` images (images_per_batch).
template <class T>
void conv_forward_batched(const T* x, const T* w, T* y, const Dims& d, const np::ConvGeometry& geo, int64_t nb) {
  const int64_t kk = d.cg * d.k_size, batches = (d.n + nb - 1) / nb;
  kernels::for_range(batches, 1, [&](int64_t b0, int64_t b1) {
    Columns<T> buf((kk + d.fg) * nb * d.out_size);
    T* col = buf.data();
    T* prod = col + kk * nb * d.out_size;  // (fg, m * out_size)
    for (int64_t b = b0; b < b1; ++b) {
      const int64_t n0 = b * nb, m = std::min(nb, d.n - n0), cols = m * d.out_size;
      for (int64_t g = 0; g < d.groups; ++g) {
        im2col_batch(x, col, d, geo, g, n0, m);
        kernels::gemm<T>(false, false, d.fg, cols, kk, T(1), w + g * d.fg * kk, kk, col, cols, T(0), prod, cols);
        for (int64_t i = 0; i < m; ++i)
          for (int64_t f = 0; f < d.fg; ++f)
            std::copy(prod + f * cols + i * d.out_size, prod + f * cols + (i + 1) * d.out_size,
                      y + ((n0 + i) * d.f + g * d.fg + f) * d.out_size);
      }
    }
  });
}

// dw (F, kk) from `parts` partial sums of dW_g^T (groups, kk, fg), added in
// order.
template <class T> void dw_from_transposed_partials(std::vector<T>& partial, int64_t parts, const Dims& d, T* dw) {
  const int64_t kk = d.cg * d.k_size, wsize = d.groups * kk * d.fg;
  kernels::sum_partials(partial.data(), parts, wsize);
  for (int64_t g = 0; g < d.groups; ++g)
    for (int64_t f = 0; f < d.fg; ++f)
      for (int64_t r = 0; r < kk; ++r)
        dw[(g * d.fg + f) * kk + r] = partial[static_cast<size_t>((g * kk + r) * d.fg + f)];
}

// The weight gradient on batches of `nb` images: dW_g (fg, kk) summed over
// the batches as dy_g . im2col(x_g)^T, dy_g of a batch gathered into
// (fg, m * out_size). Each pool task sums its contiguous range of batches;
// the partials are added in a fixed order.
template <class T>
void weight_grad_batched(const T* x, const T* dy, T* dw, const Dims& d, const np::ConvGeometry& geo, int64_t nb) {
  const int64_t kk = d.cg * d.k_size, wsize = d.groups * kk * d.fg, batches = (d.n + nb - 1) / nb;
  const int64_t parts = std::max<int64_t>(1, std::min<int64_t>(num_threads(), batches));
  std::vector<T> partial(static_cast<size_t>(parts * wsize));
  kernels::for_range(parts, 1, [&](int64_t q0, int64_t q1) {
    Columns<T> buf((kk + d.fg) * nb * d.out_size);
    T* col = buf.data();
    T* dyc = col + kk * nb * d.out_size;
    for (int64_t q = q0; q < q1; ++q) {
      T* dw_t = partial.data() + q * wsize;
      const int64_t first = q * batches / parts, last = (q + 1) * batches / parts;
      for (int64_t b = first; b < last; ++b) {
        const int64_t n0 = b * nb, m = std::min(nb, d.n - n0), cols = m * d.out_size;
        for (int64_t g = 0; g < d.groups; ++g) {
          im2col_batch(x, col, d, geo, g, n0, m);
          for (int64_t i = 0; i < m; ++i)
            for (int64_t f = 0; f < d.fg; ++f) {
              const T* src = dy + ((n0 + i) * d.f + g * d.fg + f) * d.out_size;
              std::copy(src, src + d.out_size, dyc + f * cols + i * d.out_size);
            }
          kernels::gemm<T>(false, true, d.fg, kk, cols, T(1), dyc, cols, col, cols, b == first ? T(0) : T(1),
                           dw_t + g * d.fg * kk, kk);
        }
      }
    }
  });
  kernels::sum_partials(partial.data(), parts, wsize);  // dW itself (F, kk): no strided copy at the end
  std::copy(partial.begin(), partial.begin() + wsize, dw);
}

// y (N, F, out) = W_g . im2col(x_g) per image and group.
template <class T> void conv_forward(const T* x, const T* w, T* y, const Dims& d, const np::ConvGeometry& geo) {
  winograd::Problem wq;
  if (winograd_problem(d, geo, winograd::Pass::forward, wq)) {
    winograd::conv3x3(wq, x, w, y);
    return;
  }
  const bool direct = is_pointwise(d, geo);
  if (const int64_t nb = images_per_batch(d, direct); nb > 1) {
    conv_forward_batched(x, w, y, d, geo, nb);
    return;
  }
  const int64_t kk = d.cg * d.k_size;
  const int64_t grain = image_grain(d);
  // Tiles when each task has whole images; otherwise im2col and the GEMM of
  // one image split over the pool as before.
  const int64_t rows = (grain == 1 || num_threads() == 1) && !direct ? tile_rows(d) : d.out[1];
  kernels::for_range(d.n, grain, [&](int64_t n0, int64_t n1) {
    Columns<T> col(direct ? 0 : kk * (rows < d.out[1] ? rows * d.out[2] : d.out_size));
    for (int64_t n = n0; n < n1; ++n)
      for (int64_t g = 0; g < d.groups; ++g) {
        const T* xg = x + (n * d.c + g * d.cg) * d.in_size;
        T* yg = y + (n * d.f + g * d.fg) * d.out_size;
        if (rows < d.out[1]) {
          for (int64_t oh0 = 0; oh0 < d.out[1]; oh0 += rows) {
            const int64_t oh1 = std::min(d.out[1], oh0 + rows), len = (oh1 - oh0) * d.out[2];
            im2col_rows(xg, col.data(), d, geo, 0, d.cg, oh0, oh1);
            kernels::gemm_serial<T>(false, false, d.fg, len, kk, T(1), w + g * d.fg * kk, kk, col.data(), len, T(0),
                                    yg + oh0 * d.out[2], d.out_size);
          }
          continue;
        }
        if (!direct) im2col(xg, col.data(), d, geo);
        kernels::gemm<T>(false, false, d.fg, d.out_size, kk, T(1), w + g * d.fg * kk, kk, direct ? xg : col.data(),
                         d.out_size, T(0), yg, d.out_size);
      }
  });
}

void convolution_kernel(const Attrs& attrs, Span<NDArray> in, ArrayList& out) {
  const ConvParams& p = attrs.params<ConvParams>();
  const Dims d = dims_of(p);
  MXLITE_FLOAT_SWITCH(in[0].dtype(), T, "convolution", {
    if (run_dnnl(dnnl_conv::Pass::forward, p, d, in[0].data<T>(), in[1].data<T>(), out[0].data<T>())) return;
    conv_forward(in[0].data<T>(), in[1].data<T>(), out[0].data<T>(), d, p.g);
  });
}

// With unit stride and dilation and pad < kernel extent, the transposed
// convolution is a convolution of dy with the kernel flipped in space and
// transposed in channels, padded by k - 1 - pad: the Winograd kernel for
// 3x3, else (one group and 16 or more channels in dx) im2col of dy and one
// product per image, no col2im scatter (about 25% faster on the ResNet
// shapes). Returns false otherwise.
template <class T> bool deconv_as_conv(const T* dy, const T* w, T* dx, const ConvParams& p, const Dims& d) {
  if (is_pointwise(d, p.g)) return false;
  for (int i = 0; i < 3; ++i)
    if (p.g.stride[i] != 1 || p.g.dilate[i] != 1 || p.g.pad[i] > d.k[i] - 1) return false;
  ConvParams q;
  q.g = p.g;
  for (int i = 0; i < 3; ++i) q.g.pad[i] = d.k[i] - 1 - p.g.pad[i];
  q.data_shape = p.output_shape;
  q.output_shape = p.data_shape;
  q.weight_shape = Shape{d.c, d.fg, d.k[0], d.k[1], d.k[2]};
  const Dims e = dims_of(q);
  winograd::Problem wq;
  const bool wino = winograd_problem(e, q.g, winograd::Pass::forward, wq);
  // im2col's GEMM has dx's channels as rows: too few (LeNet's 1 and 6) starve it.
  if (!wino && (d.groups != 1 || d.c < 16)) return false;
  // w (F, C / groups, k) -> w2 (C, F / groups, k), group by group, with each kernel reversed.
  std::vector<T> w2(static_cast<size_t>(d.c * d.fg * d.k_size));
  for (int64_t f = 0; f < d.f; ++f)
    for (int64_t c = 0; c < d.cg; ++c) {
      const int64_t grp = f / d.fg;
      const T* src = w + (f * d.cg + c) * d.k_size;
      T* dst = w2.data() + ((grp * d.cg + c) * d.fg + f % d.fg) * d.k_size;
      for (int64_t k = 0; k < d.k_size; ++k) dst[k] = src[d.k_size - 1 - k];
    }
  conv_forward(dy, w2.data(), dx, e, q.g);  // takes the Winograd kernel when `wino`
  return true;
}

// dx (N, C, in) = col2im(W_g^T . dy_g): the transpose of convolution. The
// columns are made transposed, (out_size, K) = dy_g^T . W_g, which OpenBLAS
// runs several times faster than W_g^T . dy_g for these shapes.
void deconvolution_kernel(const Attrs& attrs, Span<NDArray> in, ArrayList& out) {
  const ConvParams& p = attrs.params<ConvParams>();
  const Dims d = dims_of(p);
  MXLITE_FLOAT_SWITCH(in[0].dtype(), T, "deconvolution", {
    const T* dy = in[0].data<T>();
    const T* w = in[1].data<T>();
    T* dx = out[0].data<T>();
    if (run_dnnl(dnnl_conv::Pass::backward_data, p, d, dy, w, dx)) return;
    if (deconv_as_conv(dy, w, dx, p, d)) return;
    const bool direct = is_pointwise(d, p.g);
    const int64_t kk = d.cg * d.k_size;
    kernels::for_range(d.n, image_grain(d), [&](int64_t n0, int64_t n1) {
      Columns<T> col_t(direct ? 0 : kk * d.out_size);
      std::fill(dx + n0 * d.c * d.in_size, dx + n1 * d.c * d.in_size, T(0));
      for (int64_t n = n0; n < n1; ++n)
        for (int64_t g = 0; g < d.groups; ++g) {
          T* dxg = dx + (n * d.c + g * d.cg) * d.in_size;
          const T* dyg = dy + (n * d.f + g * d.fg) * d.out_size;
          const T* wg = w + g * d.fg * kk;
          if (direct) {
            kernels::gemm<T>(true, false, kk, d.out_size, d.fg, T(1), wg, kk, dyg, d.out_size, T(0), dxg, d.out_size);
          } else {
            kernels::gemm<T>(true, false, d.out_size, kk, d.fg, T(1), dyg, d.out_size, wg, kk, T(0), col_t.data(), kk);
            col2im_transposed(col_t.data(), dxg, d, p.g);
          }
        }
    });
  });
}

// dw (F, C/groups, k) = sum over images of dy_g . im2col(x_g)^T, accumulated
// transposed, dw_g^T (K, F/groups) += im2col(x_g) . dy_g^T (the faster
// orientation on OpenBLAS), then transposed into place. Split over images,
// each pool task sums its own contiguous range of images into its own
// partial; the partials are added in a fixed order.
void conv_weight_grad_kernel(const Attrs& attrs, Span<NDArray> in, ArrayList& out) {
  const ConvParams& p = attrs.params<ConvParams>();
  const Dims d = dims_of(p);
  MXLITE_FLOAT_SWITCH(in[0].dtype(), T, "convolution", {
    const T* x = in[0].data<T>();
    const T* dy = in[1].data<T>();
    T* dw = out[0].data<T>();
    if (run_dnnl(dnnl_conv::Pass::backward_weights, p, d, x, dy, dw)) return;
    winograd::Problem wq;
    if (winograd_problem(d, p.g, winograd::Pass::weight_grad, wq)) {
      winograd::weight_grad3x3(wq, x, dy, dw);
      return;
    }
    const bool direct = is_pointwise(d, p.g);
    const int64_t kk = d.cg * d.k_size, wsize = d.groups * kk * d.fg;
    if (const int64_t nb = images_per_batch(d, direct); nb > 1) {
      weight_grad_batched(x, dy, dw, d, p.g, nb);
      return;
    }
    const int64_t parts = image_grain(d) == 1 ? std::max<int64_t>(1, std::min<int64_t>(num_threads(), d.n)) : 1;
    std::vector<T> partial(static_cast<size_t>(parts * wsize), T(0));
    const int64_t rows = (image_grain(d) == 1 || num_threads() == 1) && !direct ? tile_rows(d) : d.out[1];
    kernels::for_range(parts, 1, [&](int64_t q0, int64_t q1) {
      Columns<T> col(direct ? 0 : kk * (rows < d.out[1] ? rows * d.out[2] : d.out_size));
      for (int64_t q = q0; q < q1; ++q) {
        T* dw_t = partial.data() + q * wsize;
        const int64_t n0 = q * d.n / parts, n1 = (q + 1) * d.n / parts;
        for (int64_t n = n0; n < n1; ++n)
          for (int64_t g = 0; g < d.groups; ++g) {
            const T* xg = x + (n * d.c + g * d.cg) * d.in_size;
            if (rows < d.out[1]) {
              const T* dyg = dy + (n * d.f + g * d.fg) * d.out_size;
              for (int64_t oh0 = 0; oh0 < d.out[1]; oh0 += rows) {
                const int64_t oh1 = std::min(d.out[1], oh0 + rows), len = (oh1 - oh0) * d.out[2];
                im2col_rows(xg, col.data(), d, p.g, 0, d.cg, oh0, oh1);
                kernels::gemm_serial<T>(false, true, kk, d.fg, len, T(1), col.data(), len, dyg + oh0 * d.out[2],
                                        d.out_size, n == n0 && oh0 == 0 ? T(0) : T(1), dw_t + g * kk * d.fg, d.fg);
              }
              continue;
            }
            if (!direct) im2col(xg, col.data(), d, p.g);
            kernels::gemm<T>(false, true, kk, d.fg, d.out_size, T(1), direct ? xg : col.data(), d.out_size,
                             dy + (n * d.f + g * d.fg) * d.out_size, d.out_size, n == n0 ? T(0) : T(1),
                             dw_t + g * kk * d.fg, d.fg);
          }
      }
    });
    dw_from_transposed_partials(partial, parts, d, dw);
  });
}

// im2col (N, C, in...) -> (N, C * k_size, out_size) and its adjoint col2im;
// params.weight_shape is (1, C, k...) so that one "group" holds every channel.
void im2col_kernel(const Attrs& attrs, Span<NDArray> in, ArrayList& out) {
  const ConvParams& p = attrs.params<ConvParams>();
  const Dims d = dims_of(p);
  MXLITE_FLOAT_SWITCH(in[0].dtype(), T, "im2col", {
    const T* x = in[0].data<T>();
    T* col = out[0].data<T>();
    kernels::for_range(d.n, 1, [&](int64_t b, int64_t e) {
      for (int64_t n = b; n < e; ++n)
        im2col_rows(x + n * d.c * d.in_size, col + n * d.c * d.k_size * d.out_size, d, p.g, 0, d.c);
    });
  });
}

void col2im_kernel(const Attrs& attrs, Span<NDArray> in, ArrayList& out) {
  const ConvParams& p = attrs.params<ConvParams>();
  const Dims d = dims_of(p);
  MXLITE_FLOAT_SWITCH(in[0].dtype(), T, "col2im", {
    const T* col = in[0].data<T>();
    T* x = out[0].data<T>();
    std::fill(x, x + out[0].size(), T(0));
    kernels::for_range(d.n, 1, [&](int64_t b, int64_t e) {
      for (int64_t n = b; n < e; ++n)
        col2im_rows(col + n * d.c * d.k_size * d.out_size, d.out_size, int64_t(1), x + n * d.c * d.in_size, d, p.g, 0,
                    d.c);
    });
  });
}

Shape columns_shape(const ConvParams& p) {
  const Dims d = dims_of(p);
  return Shape{d.n, d.c * d.k_size, d.out_size};
}

// The text form of ConvParams, so graphs with convolutions can be exported.
void shape_into(const std::string& text, Shape& s, const char* op) {
  s.clear();
  for (int64_t v : parse_ints(text, op)) s.push_back(v);
}
void encode_conv(const Attrs& attrs, AttrList& out) {
  const ConvParams& p = attrs.params<ConvParams>();
  out.emplace_back("kernel", ints_text(p.g.kernel, 3));
  out.emplace_back("stride", ints_text(p.g.stride, 3));
  out.emplace_back("dilate", ints_text(p.g.dilate, 3));
  out.emplace_back("pad", ints_text(p.g.pad, 3));
  out.emplace_back("num_group", std::to_string(p.g.groups));
  out.emplace_back("data_shape", ints_text(p.data_shape.data(), p.data_shape.size()));
  out.emplace_back("weight_shape", ints_text(p.weight_shape.data(), p.weight_shape.size()));
  out.emplace_back("output_shape", ints_text(p.output_shape.data(), p.output_shape.size()));
}
void decode_conv(const AttrList& in, Attrs& attrs) {
  const char* op = "Convolution";
  ConvParams p;
  auto three = [&](const char* key, int64_t* dst) {
    const std::vector<int64_t> v = parse_ints(attr_value(in, key, op), op);
    MXLITE_CHECK(v.size() == 3, op, "saved attribute '", key, "' must have 3 values");
    std::copy(v.begin(), v.end(), dst);
  };
  three("kernel", p.g.kernel);
  three("stride", p.g.stride);
  three("dilate", p.g.dilate);
  three("pad", p.g.pad);
  p.g.groups = parse_ints("(" + attr_value(in, "num_group", op) + ")", op).at(0);
  shape_into(attr_value(in, "data_shape", op), p.data_shape, op);
  shape_into(attr_value(in, "weight_shape", op), p.weight_shape, op);
  shape_into(attr_value(in, "output_shape", op), p.output_shape, op);
  attrs.set_params(p);
}

const OpDef* im2col_op = nullptr;
const OpDef* col2im_op = nullptr;

const OpDef* conv_op = nullptr;
const OpDef* deconv_op = nullptr;
const OpDef* weight_grad_op = nullptr;

NDArray call(const OpDef* const& def, const NDArray& a, const NDArray& b, const ConvParams& p) {
  Attrs attrs;
  attrs.set_params(p);
  return invoke1(registered(def), {a, b}, attrs);
}

NDArray call1(const OpDef* const& def, const NDArray& a, const ConvParams& p) {
  Attrs attrs;
  attrs.set_params(p);
  return invoke1(registered(def), {a}, attrs);
}

}  // namespace

void register_conv_ops() {
  im2col_op = &register_op("im2col")
                   .set_infer([](const Attrs& attrs, Span<NDArray> in, MetaList& out) {
                     out.push_back(TensorMeta{columns_shape(attrs.params<ConvParams>()), in[0].dtype()});
                   })
                   .set_kernel(im2col_kernel)
                   .set_grad([](const GradCtx& g) -> ArrayList {
                     return {call1(col2im_op, g.ograd(0), g.attrs().params<ConvParams>())};
                   });
  col2im_op = &register_op("col2im")
                   .set_infer([](const Attrs& attrs, Span<NDArray> in, MetaList& out) {
                     out.push_back(TensorMeta{attrs.params<ConvParams>().data_shape, in[0].dtype()});
                   })
                   .set_kernel(col2im_kernel)
                   .set_grad([](const GradCtx& g) -> ArrayList {
                     return {call1(im2col_op, g.ograd(0), g.attrs().params<ConvParams>())};
                   });
  // inputs x (N, C, in...), w (F, C/groups, k...); params.output_shape.
  conv_op = &register_op("convolution")
                 .inputs(2)
                 .save_inputs({0, 1})
                 .set_infer([](const Attrs& attrs, Span<NDArray> in, MetaList& out) {
                   out.push_back(TensorMeta{attrs.params<ConvParams>().output_shape, in[0].dtype()});
                 })
                 .set_kernel(convolution_kernel)
                 .set_params_codec(encode_conv, decode_conv)
                 .set_grad([](const GradCtx& g) -> ArrayList {
                   const ConvParams& p = g.attrs().params<ConvParams>();
                   NDArray dx, dw;
                   if (g.needs_grad(0)) dx = call(deconv_op, g.ograd(0), g.input(1), p);
                   if (g.needs_grad(1)) dw = call(weight_grad_op, g.input(0), g.ograd(0), p);
                   return {dx, dw};
                 });
  // inputs dy (N, F, out...), w; output of params.data_shape.
  deconv_op = &register_op("deconvolution")
                   .inputs(2)
                   .save_inputs({0, 1})
                   .set_infer([](const Attrs& attrs, Span<NDArray> in, MetaList& out) {
                     out.push_back(TensorMeta{attrs.params<ConvParams>().data_shape, in[0].dtype()});
                   })
                   .set_kernel(deconvolution_kernel)
                   .set_params_codec(encode_conv, decode_conv)
                   .set_grad([](const GradCtx& g) -> ArrayList {
                     const ConvParams& p = g.attrs().params<ConvParams>();
                     NDArray ddy, dw;
                     if (g.needs_grad(0)) ddy = call(conv_op, g.ograd(0), g.input(1), p);
                     if (g.needs_grad(1)) dw = call(weight_grad_op, g.ograd(0), g.input(0), p);
                     return {ddy, dw};
                   });
  // inputs x, dy; output of params.weight_shape.
  weight_grad_op = &register_op("conv_weight_grad")
                        .inputs(2)
                        .save_inputs({0, 1})
                        .set_infer([](const Attrs& attrs, Span<NDArray> in, MetaList& out) {
                          out.push_back(TensorMeta{attrs.params<ConvParams>().weight_shape, in[0].dtype()});
                        })
                        .set_kernel(conv_weight_grad_kernel)
                        .set_grad([](const GradCtx& g) -> ArrayList {
                          const ConvParams& p = g.attrs().params<ConvParams>();
                          NDArray dx, ddy;
                          if (g.needs_grad(0)) dx = call(deconv_op, g.input(1), g.ograd(0), p);
                          if (g.needs_grad(1)) ddy = call(conv_op, g.input(0), g.ograd(0), p);
                          return {dx, ddy};
                        });
}

}  // namespace ops

namespace np {
namespace {

// The geometry's entries for the spatial rank, checked.
void check_geometry(const ConvGeometry& g, size_t rank, const char* name) {
  MXLITE_CHECK(rank >= 1 && rank <= 3, name, "only 1-D, 2-D and 3-D data are supported, got ", rank,
               " spatial dimensions");
  for (size_t i = 3 - rank; i < 3; ++i) {
    MXLITE_CHECK(g.kernel[i] >= 1, name, "kernel extents must be positive, got ", g.kernel[i]);
    MXLITE_CHECK(g.stride[i] >= 1, name, "stride must be positive, got ", g.stride[i]);
    MXLITE_CHECK(g.dilate[i] >= 1, name, "dilate must be positive, got ", g.dilate[i]);
    MXLITE_CHECK(g.pad[i] >= 0, name, "pad must be non-negative, got ", g.pad[i]);
  }
  MXLITE_CHECK(g.groups >= 1, name, "num_group must be positive, got ", g.groups);
}

// `s` (N, C, spatial...) as (N, C, D, H, W) with leading extents 1.
Shape as_3d(const Shape& s) {
  Shape r{s[0], s[1]};
  for (size_t i = s.size(); i < 5; ++i) r.push_back(1);
  for (size_t i = 2; i < s.size(); ++i) r.push_back(s[i]);
  return r;
}

Shape spatial_back(const Shape& s3, size_t rank) {
  Shape r{s3[0], s3[1]};
  for (size_t i = 5 - rank; i < 5; ++i) r.push_back(s3[i]);
  return r;
}

int64_t conv_out(int64_t in, int64_t k, int64_t s, int64_t d, int64_t p) {
  const int64_t span = d * (k - 1) + 1;
  return in + 2 * p < span ? -1 : (in + 2 * p - span) / s + 1;
}

}  // namespace

NDArray convolution(const NDArray& x, const NDArray& weight, const NDArray& bias, const ConvGeometry& g) {
  const char* name = "Convolution";
  ops::check_float(x, name, "data");
  MXLITE_CHECK(x.ndim() >= 3 && x.ndim() <= 5, name, "data must be 3-D, 4-D or 5-D (batch, channel, spatial...), got ",
               x.shape());
  const size_t rank = x.ndim() - 2;
  check_geometry(g, rank, name);
  const int64_t c = x.shape()[1];
  MXLITE_CHECK(weight.ndim() == x.ndim(), name, "weight of shape ", weight.shape(), " does not match data of shape ",
               x.shape(), " (expected (num_filter, channels / num_group, kernel...))");
  const int64_t f = weight.shape()[0];
  MXLITE_CHECK(c % g.groups == 0 && f % g.groups == 0, name, "num_group=", g.groups, " must divide the ", c,
               " input channels and the ", f, " filters");
  ops::ConvParams p;
  p.g = g;
  p.data_shape = as_3d(x.shape());
  p.weight_shape = as_3d(weight.shape());
  Shape expected_w{f, c / g.groups};
  for (size_t i = 3 - rank; i < 3; ++i) expected_w.push_back(g.kernel[i]);
  MXLITE_CHECK(weight.shape() == expected_w, name, "weight has shape ", weight.shape(), " but data of shape ",
               x.shape(), " with kernel and num_group=", g.groups, " needs ", expected_w);
  p.output_shape = Shape{x.shape()[0], f, 1, 1, 1};
  for (size_t i = 0; i < 3; ++i) {
    const int64_t o = conv_out(p.data_shape[2 + i], p.weight_shape[2 + i], g.stride[i], g.dilate[i], g.pad[i]);
    MXLITE_CHECK(o > 0, name, "the dilated kernel does not fit the padded data of shape ", x.shape(),
                 " (kernel extent ", p.weight_shape[2 + i], ", dilate ", g.dilate[i], ", pad ", g.pad[i], ")");
    p.output_shape[2 + i] = o;
  }
  NDArray w = ops::cast_if(weight, x.dtype());
  NDArray y = ops::call(ops::conv_op, reshape(x, p.data_shape), reshape(w, p.weight_shape), p);
  y = reshape(y, spatial_back(p.output_shape, rank));
  if (!bias.defined()) return y;
  MXLITE_CHECK(bias.ndim() == 1 && bias.size() == f, name, "bias of shape ", bias.shape(), " must have shape (", f,
               ",)");
  Shape b(y.ndim(), 1);
  b[1] = f;
  return y + reshape(ops::cast_if(bias, x.dtype()), b);
}

namespace {
// The shared geometry of im2col/col2im for images of shape `image` (N, C, spatial...).
ops::ConvParams columns_params(const Shape& image, const ConvGeometry& g, const char* name) {
  MXLITE_CHECK(image.size() >= 3 && image.size() <= 5, name,
               "data must be 3-D, 4-D or 5-D (batch, channel, spatial...), got ", image);
  const size_t rank = image.size() - 2;
  check_geometry(g, rank, name);
  MXLITE_CHECK(g.groups == 1, name, "takes no groups");
  ops::ConvParams p;
  p.g = g;
  p.data_shape = as_3d(image);
  p.weight_shape = Shape{1, image[1], g.kernel[0], g.kernel[1], g.kernel[2]};
  p.output_shape = Shape{image[0], 1, 1, 1, 1};
  for (size_t i = 0; i < 3; ++i) {
    const int64_t o = conv_out(p.data_shape[2 + i], g.kernel[i], g.stride[i], g.dilate[i], g.pad[i]);
    MXLITE_CHECK(o > 0, name, "the dilated kernel does not fit the padded data of shape ", image);
    p.output_shape[2 + i] = o;
  }
  return p;
}
}  // namespace

NDArray im2col(const NDArray& x, const ConvGeometry& g) {
  ops::check_float(x, "im2col", "data");
  const ops::ConvParams p = columns_params(x.shape(), g, "im2col");
  return ops::call1(ops::im2col_op, reshape(x, p.data_shape), p);
}

NDArray col2im(const NDArray& columns, const Shape& image, const ConvGeometry& g) {
  ops::check_float(columns, "col2im", "data");
  const ops::ConvParams p = columns_params(image, g, "col2im");
  MXLITE_CHECK(columns.shape() == ops::columns_shape(p), "col2im", "data of shape ", columns.shape(),
               " does not match images of shape ", image, " (expected ", ops::columns_shape(p), ")");
  return reshape(ops::call1(ops::col2im_op, columns, p), image);
}

bool conv_uses_dnnl() { return ops::dnnl_conv::enabled(); }

NDArray deconvolution(const NDArray& x, const NDArray& weight, const NDArray& bias, const ConvGeometry& g,
                      const Shape& adj, const Shape& target_shape) {
  const char* name = "Deconvolution";
  ops::check_float(x, name, "data");
  MXLITE_CHECK(x.ndim() >= 3 && x.ndim() <= 5, name, "data must be 3-D, 4-D or 5-D (batch, channel, spatial...), got ",
               x.shape());
  const size_t rank = x.ndim() - 2;
  check_geometry(g, rank, name);
  const int64_t c_in = x.shape()[1];
  MXLITE_CHECK(weight.ndim() == x.ndim() && weight.shape()[0] == c_in && c_in % g.groups == 0, name, "weight of shape ",
               weight.shape(), " does not match data of shape ", x.shape(),
               " (expected (channels, num_filter / num_group, kernel...))");
  const int64_t f = weight.shape()[1] * g.groups;
  Shape expected_w{c_in, f / g.groups};
  for (size_t i = 3 - rank; i < 3; ++i) expected_w.push_back(g.kernel[i]);
  MXLITE_CHECK(weight.shape() == expected_w, name, "weight has shape ", weight.shape(), " but the kernel needs ",
               expected_w);
  MXLITE_CHECK(adj.empty() || adj.size() == rank, name, "adj must have ", rank, " entries, got ", adj);
  MXLITE_CHECK(target_shape.empty() || target_shape.size() == rank, name, "target_shape must have ", rank,
               " entries, got ", target_shape);
  // The transposed convolution: its output is the input of a convolution
  // (weight (C_in, F / groups, k...)) whose output has x's shape.
  ops::ConvParams p;
  p.g = g;
  p.output_shape = as_3d(x.shape());
  p.weight_shape = as_3d(weight.shape());
  Shape out3{x.shape()[0], f, 1, 1, 1};
  for (size_t i = 3 - rank, j = 0; i < 3; ++i, ++j) {
    const int64_t in = p.output_shape[2 + i], k = p.weight_shape[2 + i];
    const int64_t natural = g.stride[i] * (in - 1) + g.dilate[i] * (k - 1) + 1 - 2 * g.pad[i];
    int64_t o = natural + (adj.empty() ? 0 : adj[j]);
    if (!target_shape.empty() && target_shape[j] > 0) o = target_shape[j];
    MXLITE_CHECK(o > 0 && conv_out(o, k, g.stride[i], g.dilate[i], g.pad[i]) == in, name, "output extent ", o,
                 " along spatial axis ", j, " is not reachable from data of shape ", x.shape(),
                 " with this kernel, stride, pad and adj");
    out3[2 + i] = o;
  }
  p.data_shape = out3;
  NDArray y = ops::call(ops::deconv_op, reshape(x, p.output_shape),
                        reshape(ops::cast_if(weight, x.dtype()), p.weight_shape), p);
  y = reshape(y, spatial_back(out3, rank));
  if (!bias.defined()) return y;
  MXLITE_CHECK(bias.ndim() == 1 && bias.size() == f, name, "bias of shape ", bias.shape(), " must have shape (", f,
               ",)");
  Shape b(y.ndim(), 1);
  b[1] = f;
  return y + reshape(ops::cast_if(bias, x.dtype()), b);
}

}  // namespace np
}  // namespace mxlite
