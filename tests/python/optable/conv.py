"""Convolution family (npx.convolution / nd.Convolution and the transposed
npx.deconvolution / nd.Deconvolution) against direct NumPy loops over the
kernel offsets: 1-D, 2-D and 3-D, stride, dilation, padding, groups, bias."""

import itertools

import numpy as onp

from mxnet import nd, np, npx
from mxnet.base import MXNetError
from optable import OpCase


def _per_axis(v, rank, default):
    return (default,) * rank if v is None else tuple(v)


def ref_conv(x, w, b=None, stride=None, dilate=None, pad=None, groups=1):
    rank = x.ndim - 2
    s, d, p = _per_axis(stride, rank, 1), _per_axis(dilate, rank, 1), _per_axis(pad, rank, 0)
    xp = onp.pad(x, [(0, 0), (0, 0)] + [(q, q) for q in p])
    k = w.shape[2:]
    out = [(xp.shape[2 + i] - d[i] * (k[i] - 1) - 1) // s[i] + 1 for i in range(rank)]
    n, c, f = x.shape[0], x.shape[1], w.shape[0]
    cg, fg = c // groups, f // groups
    y = onp.zeros((n, f, *out), dtype=onp.result_type(x, w))
    for g in range(groups):
        for off in itertools.product(*[range(e) for e in k]):
            window = tuple(slice(off[i] * d[i], off[i] * d[i] + s[i] * (out[i] - 1) + 1, s[i]) for i in range(rank))
            patch = xp[(slice(None), slice(g * cg, (g + 1) * cg)) + window]
            y[:, g * fg : (g + 1) * fg] += onp.einsum(
                "nc...,fc->nf...", patch, w[(slice(g * fg, (g + 1) * fg), slice(None)) + off]
            )
    if b is not None:
        y += b.reshape((1, f) + (1,) * rank)
    return y


def ref_deconv(x, w, b=None, stride=None, dilate=None, pad=None, groups=1, adj=None, target=None):
    rank = x.ndim - 2
    s, d, p = _per_axis(stride, rank, 1), _per_axis(dilate, rank, 1), _per_axis(pad, rank, 0)
    a = _per_axis(adj, rank, 0)
    k = w.shape[2:]
    n, c = x.shape[0], x.shape[1]
    fg = w.shape[1]
    f = fg * groups
    cg = c // groups
    size = [s[i] * (x.shape[2 + i] - 1) + d[i] * (k[i] - 1) + 1 - 2 * p[i] + a[i] for i in range(rank)]
    if target is not None:
        size = list(target)
    full = onp.zeros(
        (n, f, *[size[i] + 2 * p[i] + s[i] + d[i] * k[i] for i in range(rank)]), dtype=onp.result_type(x, w)
    )
    for g in range(groups):
        for off in itertools.product(*[range(e) for e in k]):
            window = tuple(
                slice(off[i] * d[i], off[i] * d[i] + s[i] * (x.shape[2 + i] - 1) + 1, s[i]) for i in range(rank)
            )
            full[(slice(None), slice(g * fg, (g + 1) * fg)) + window] += onp.einsum(
                "nc...,cf->nf...", x[:, g * cg : (g + 1) * cg], w[(slice(g * cg, (g + 1) * cg), slice(None)) + off]
            )
    y = full[(slice(None), slice(None)) + tuple(slice(p[i], p[i] + size[i]) for i in range(rank))]
    if b is not None:
        y = y + b.reshape((1, f) + (1,) * rank)
    return y


def ref_weight_grad(x, dy, k, stride, dilate, pad, groups):
    """The gradient of a 2-D ref_conv result with respect to its weight (kernel
    extents k), for the output gradient dy."""
    xp = onp.pad(x, [(0, 0), (0, 0)] + [(p, p) for p in pad])
    c, f = x.shape[1], dy.shape[1]
    cg, fg = c // groups, f // groups
    out = dy.shape[2:]
    dw = onp.zeros((f, cg) + tuple(k), dtype=onp.float64)
    for g in range(groups):
        for off in itertools.product(*[range(e) for e in k]):
            window = tuple(
                slice(off[i] * dilate[i], off[i] * dilate[i] + stride[i] * (out[i] - 1) + 1, stride[i])
                for i in range(len(k))
            )
            patch = xp[(slice(None), slice(g * cg, (g + 1) * cg)) + window]
            dw[(slice(g * fg, (g + 1) * fg), slice(None)) + off] = onp.einsum(
                "nchw,nfhw->fc", patch, dy[:, g * fg : (g + 1) * fg]
            )
    return dw


CONVS = [
    # name, data shape, weight shape, geometry (kernel from the weight)
    ("1d", (2, 3, 7), (4, 3, 3), {}),
    ("1d-stride-pad-dilate", (1, 2, 9), (3, 2, 2), dict(stride=(2,), pad=(2,), dilate=(3,))),
    ("2d", (2, 3, 5, 6), (4, 3, 3, 3), {}),
    ("2d-stride-pad", (1, 2, 6, 5), (3, 2, 3, 2), dict(stride=(2, 3), pad=(1, 2))),
    ("2d-dilate", (1, 2, 7, 7), (2, 2, 3, 3), dict(dilate=(2, 3))),
    ("2d-groups", (2, 4, 5, 5), (6, 2, 3, 3), dict(groups=2, pad=(1, 1))),
    ("2d-depthwise", (1, 3, 5, 4), (3, 1, 3, 3), dict(groups=3, stride=(2, 1))),
    ("2d-pointwise", (2, 3, 4, 4), (5, 3, 1, 1), {}),
    ("2d-stride-over-kernel", (1, 2, 8, 8), (2, 2, 2, 2), dict(stride=(3, 3))),
    ("2d-pad-over-kernel", (1, 1, 3, 3), (2, 1, 2, 2), dict(pad=(3, 2))),
    ("3d", (1, 2, 4, 5, 4), (3, 2, 2, 3, 2), dict(stride=(1, 2, 1), pad=(1, 0, 1))),
]


def conv_case(name, xs, ws, geo, bias=True):
    groups = geo.get("groups", 1)
    kw = {k: v for k, v in geo.items() if k != "groups"}
    kernel = ws[2:]

    def mx(x, w, b=None):
        return npx.convolution(x, w, b, kernel=kernel, num_filter=ws[0], num_group=groups, no_bias=b is None, **kw)

    def ref(x, w, b=None):
        return ref_conv(x, w, b, groups=groups, **kw)

    shapes = [(xs, ws, (ws[0],))] if bias else [(xs, ws)]
    return OpCase(
        name=f"convolution-{name}" + ("" if bias else "-nobias"),
        mx=mx,
        ref=ref,
        shapes=shapes,
        rtol=1e-6,
        atol=1e-9,
        grad_rtol=1e-4,
        grad_atol=1e-6,
    )


def deconv_case(name, xs, ws, geo, adj=None, target=None):
    groups = geo.get("groups", 1)
    kw = {k: v for k, v in geo.items() if k != "groups"}
    # deconvolution weight (C, F/groups, k...): the convolution weight read the other way round
    dws = (xs[1], ws[0] // groups) + ws[2:]

    def mx(x, w, b):
        return npx.deconvolution(x, w, b, kernel=ws[2:], num_filter=dws[1] * groups, num_group=groups, no_bias=False,
                                 adj=adj, target_shape=target, **kw)  # fmt: skip

    def ref(x, w, b):
        return ref_deconv(x, w, b, groups=groups, adj=adj, target=target, **kw)

    return OpCase(
        name=f"deconvolution-{name}",
        mx=mx,
        ref=ref,
        shapes=[(xs, dws, (dws[1] * groups,))],
        rtol=1e-6,
        atol=1e-9,
        grad_rtol=1e-4,
        grad_atol=1e-6,
    )


CONV_ERRORS = [
    (
        lambda: npx.convolution(
            np.ones((1, 3, 5, 5)), np.ones((4, 2, 3, 3)), None, kernel=(3, 3), num_filter=4, no_bias=True
        ),
        MXNetError,
        r"Convolution: weight has shape \(4, 2, 3, 3\).*needs \(4, 3, 3, 3\)",
    ),
    (
        lambda: npx.convolution(
            np.ones((1, 3, 2, 2)), np.ones((4, 3, 3, 3)), None, kernel=(3, 3), num_filter=4, no_bias=True
        ),
        MXNetError,
        r"Convolution: the dilated kernel does not fit",
    ),
    (
        lambda: npx.convolution(
            np.ones((1, 3, 5, 5)), np.ones((4, 3, 3, 3)), None, kernel=(3, 3), num_filter=5, no_bias=True
        ),
        MXNetError,
        r"convolution: num_filter=5 does not match the weight",
    ),
    (
        lambda: npx.convolution(
            np.ones((1, 3, 5, 5)), np.ones((4, 3, 3, 3)), None, kernel=(3,), num_filter=4, no_bias=True
        ),
        MXNetError,
        r"Convolution: kernel must have 2 entries",
    ),
    (
        lambda: npx.convolution(
            np.ones((1, 3, 5, 5), dtype="int32"), np.ones((4, 3, 3, 3)), None, kernel=(3, 3), num_filter=4
        ),
        MXNetError,
        r"Convolution.*int32",
    ),
    (
        lambda: nd.Convolution(
            nd.ones((1, 3, 5, 5)), nd.ones((4, 3, 3, 3)), kernel=(3, 3), num_filter=4, no_bias=True, layout="NHWC"
        ),
        MXNetError,
        r"Convolution: layout='NHWC' is not supported",
    ),
]

CASES = [conv_case(*c) for c in CONVS] + [conv_case("2d", (1, 2, 4, 4), (3, 2, 2, 2), {}, bias=False)]
CASES[0].errors = CONV_ERRORS
CASES[0].dtypes = [(("float32",) * 3, "float32"), (("float64",) * 3, "float64")]
CASES += [
    deconv_case("1d", (2, 3, 5), (4, 3, 3), {}),
    deconv_case("2d-stride-pad", (1, 2, 4, 3), (3, 2, 3, 2), dict(stride=(2, 3), pad=(1, 0))),
    deconv_case("2d-adj", (1, 2, 3, 3), (2, 2, 3, 3), dict(stride=(2, 2), pad=(1, 1)), adj=(1, 0)),
    deconv_case("2d-target", (1, 2, 3, 3), (2, 2, 3, 3), dict(stride=(2, 2), pad=(1, 1)), target=(6, 5)),
    deconv_case("2d-groups-dilate", (1, 4, 4, 3), (6, 2, 2, 2), dict(groups=2, dilate=(2, 1))),
    deconv_case("3d", (1, 2, 2, 3, 2), (2, 2, 2, 2, 2), dict(stride=(2, 1, 2))),
]
CASES[-1].errors = [
    (
        lambda: npx.deconvolution(
            np.ones((1, 2, 3, 3)),
            np.ones((2, 2, 3, 3)),
            kernel=(3, 3),
            num_filter=2,
            stride=(2, 2),
            target_shape=(9, 9),
        ),  # fmt: skip
        MXNetError,
        r"Deconvolution: output extent 9 along spatial axis 0 is not reachable",
    )
]


def ref_im2col(x, kernel, stride=None, dilate=None, pad=None):
    rank = x.ndim - 2
    s, d, p = _per_axis(stride, rank, 1), _per_axis(dilate, rank, 1), _per_axis(pad, rank, 0)
    xp = onp.pad(x, [(0, 0), (0, 0)] + [(q, q) for q in p])
    out = [(xp.shape[2 + i] - d[i] * (kernel[i] - 1) - 1) // s[i] + 1 for i in range(rank)]
    rows = []
    for c in range(x.shape[1]):
        for off in itertools.product(*[range(e) for e in kernel]):
            window = tuple(slice(off[i] * d[i], off[i] * d[i] + s[i] * (out[i] - 1) + 1, s[i]) for i in range(rank))
            rows.append(xp[(slice(None), c) + window].reshape(x.shape[0], -1))
    return onp.stack(rows, axis=1)


COLUMNS = [
    ("2d", (2, 2, 3, 3), dict(kernel=(2, 2))),
    ("2d-stride-pad", (1, 2, 4, 5), dict(kernel=(2, 3), stride=(1, 2), pad=(1, 1))),
    ("1d-dilate", (2, 3, 7), dict(kernel=(2,), dilate=(3,))),
    ("3d", (1, 1, 3, 3, 4), dict(kernel=(2, 2, 2), stride=(1, 1, 2))),
]
CASES += [
    OpCase(
        name=f"im2col-{name}",
        mx=lambda x, kw=kw: nd.im2col(x.as_nd_ndarray(), **kw).as_np_ndarray(),
        ref=lambda x, kw=kw: ref_im2col(x, **kw),
        shapes=[(shape,)],
    )
    for name, shape, kw in COLUMNS
] + [
    OpCase(
        # col2im is im2col's adjoint: <col2im(c), x> == <c, im2col(x)> for a fixed x, checked as values.
        name=f"col2im-{name}",
        mx=lambda c, x, kw=kw, shape=shape: (
            nd.col2im(c.as_nd_ndarray(), output_size=shape[2:], **kw).as_np_ndarray() * x
        ).sum(),
        ref=lambda c, x, kw=kw: (c * ref_im2col(x, **kw)).sum(),
        shapes=[(ref_im2col(onp.zeros(shape), **kw).shape, shape)],
    )
    for name, shape, kw in COLUMNS
]
CASES[-1].errors = [
    (
        lambda: nd.col2im(nd.ones((1, 8, 4)), output_size=(3, 3), kernel=(2, 2), stride=(2, 2)),
        MXNetError,
        r"col2im: data of shape \(1, 8, 4\) does not match images of shape \(1, 2, 3, 3\)",
    ),
    (lambda: nd.im2col(nd.ones((1, 1, 2, 2)), kernel=(3, 3)), MXNetError, r"im2col: the dilated kernel does not fit"),
]
