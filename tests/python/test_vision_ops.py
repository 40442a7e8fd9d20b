"""MXNet's vision ops: ROIPooling, GridGenerator, BilinearSampler,
SpatialTransformer, multibox_prior/target/detection and Correlation.

Values against direct NumPy loops written here and against MXNet 1.9.1's
results (tests/python/fixtures/vision_fixtures.npz, recorded by
fixtures/make_vision_fixtures.py, gradients of sum(out * head) included),
gradients against float64 finite differences, and errors for bad calls."""

import pathlib

import numpy as onp
import pytest

from gradcheck import check_gradient
from mxnet import autograd, nd, np, npx
from mxnet.base import MXNetError, NotSupportedError

FIX = onp.load(pathlib.Path(__file__).parent / "fixtures" / "vision_fixtures.npz")
RNG = onp.random.default_rng(7)


def recorded_grads(f, key, n_inputs, diff=None):
    """f's output and the gradients of sum(out * head) for the recorded case `key`."""
    arrays = [nd.array(FIX[f"{key}.in{i}"], dtype=FIX[f"{key}.in{i}"].dtype) for i in range(n_inputs)]
    diff = range(n_inputs) if diff is None else diff
    for i in diff:
        arrays[i].attach_grad()
    with autograd.record():
        y = f(*arrays)
    y.backward(nd.array(FIX[f"{key}.head"]))
    return y.asnumpy(), {i: arrays[i].grad.asnumpy() for i in diff}


def check_recorded(f, key, n_inputs, diff=None, rtol=1e-5, atol=1e-6):
    out, grads = recorded_grads(f, key, n_inputs, diff)
    onp.testing.assert_allclose(out, FIX[f"{key}.out"], rtol=rtol, atol=atol)
    for i, g in grads.items():
        onp.testing.assert_allclose(g, FIX[f"{key}.grad{i}"], rtol=rtol, atol=atol, err_msg=f"gradient {i}")


# ---- ROIPooling -----------------------------------------------------------------------


def round_half_away(v):
    return onp.sign(v) * onp.floor(onp.abs(v) + 0.5)


def ref_roi_pooling(x, rois, pooled, scale):
    """MXNet's ROIPooling as a direct loop: rounded corners, bins floor/ceil,
    the first maximum from -FLT_MAX, 0 for empty bins and bad batch indices."""
    n, c, h, w = x.shape
    ph, pw = pooled
    out = onp.zeros((len(rois), c, ph, pw), dtype=x.dtype)
    where = -onp.ones((len(rois), c, ph, pw), dtype=onp.int64)
    for r, roi in enumerate(rois):
        b = int(onp.trunc(roi[0]))
        s = x.dtype.type(onp.float32(scale))  # MXNet keeps spatial_scale as a float32
        x1, y1, x2, y2 = (int(round_half_away(v * s)) for v in roi[1:])
        rh, rw = max(y2 - y1 + 1, 1), max(x2 - x1 + 1, 1)
        bh, bw = x.dtype.type(rh) / x.dtype.type(ph), x.dtype.type(rw) / x.dtype.type(pw)
        for i in range(ph):
            h0 = min(max(int(onp.floor(i * bh)) + y1, 0), h)
            h1 = min(max(int(onp.ceil((i + 1) * bh)) + y1, 0), h)
            for j in range(pw):
                w0 = min(max(int(onp.floor(j * bw)) + x1, 0), w)
                w1 = min(max(int(onp.ceil((j + 1) * bw)) + x1, 0), w)
                if not 0 <= b < n or h1 <= h0 or w1 <= w0:
                    continue
                for ch in range(c):
                    best, at = -onp.finfo(onp.float32).max, -1
                    for y in range(h0, h1):
                        for xx in range(w0, w1):
                            if x[b, ch, y, xx] > best:
                                best, at = x[b, ch, y, xx], ((b * c + ch) * h + y) * w + xx
                    out[r, ch, i, j], where[r, ch, i, j] = best, at
    return out, where


ROIS = onp.array([[0, 0, 0, 7, 6], [1, 1.4, 2.6, 5.5, 6.2], [1, 3, 1, 2, 0], [2, 0, 0, 3, 3], [0.7, -3, -2, 12, 14]])


def test_roi_pooling_mxnet_doc_example():
    x = nd.arange(48).reshape((1, 1, 8, 6))
    y = nd.array([[0, 0, 0, 4, 4]])
    assert nd.ROIPooling(x, y, (2, 2), 1.0).asnumpy().tolist() == [[[[14, 16], [26, 28]]]]
    assert nd.ROIPooling(x, y, (2, 2), 0.7).asnumpy().tolist() == [[[[7, 9], [19, 21]]]]
    got = npx.roi_pooling(x.as_np_ndarray(), y.as_np_ndarray(), pooled_size=(2, 2), spatial_scale=1.0)
    assert isinstance(got, np.ndarray) and got.tolist() == [[[[14, 16], [26, 28]]]]


@pytest.mark.parametrize("key", ["roi_a", "roi_b", "roi_c"])
def test_roi_pooling_matches_mxnet(key):
    size, scale = tuple(int(v) for v in FIX[f"{key}.pooled_size"]), float(FIX[f"{key}.spatial_scale"])
    check_recorded(lambda d, r: nd.ROIPooling(d, r, size, scale), key, 2, diff=[0], rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("pooled,scale", [((3, 2), 1.0), ((2, 4), 0.5), ((4, 3), 0.8)])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_roi_pooling_matches_loop(pooled, scale, dtype):
    x = RNG.standard_normal((3, 2, 7, 8)).astype(dtype)
    got = npx.roi_pooling(np.array(x), np.array(ROIS.astype(dtype)), pooled, scale)
    assert got.dtype == dtype
    onp.testing.assert_array_equal(got.asnumpy(), ref_roi_pooling(x, ROIS.astype(dtype), pooled, scale)[0])


def test_roi_pooling_gradient():
    x = RNG.permutation(3 * 2 * 7 * 8).reshape(3, 2, 7, 8) / 10.0  # distinct values: no ties
    rois = np.array(ROIS)
    check_gradient(lambda d: npx.roi_pooling(d, rois, (3, 2), 0.8), x)
    # The gradient lands on the first maximum of each bin; rois get zeros.
    xs, rs = np.array(x), np.array(ROIS)
    xs.attach_grad()
    rs.attach_grad()
    head = RNG.standard_normal((5, 2, 3, 2))
    with autograd.record():
        y = npx.roi_pooling(xs, rs, (3, 2), 0.8)
    y.backward(np.array(head))
    _, where = ref_roi_pooling(x, ROIS, (3, 2), 0.8)
    expected = onp.zeros(x.size)
    onp.add.at(expected, where[where >= 0], head[where >= 0])
    onp.testing.assert_allclose(xs.grad.asnumpy().ravel(), expected)
    assert not rs.grad.asnumpy().any()


def test_roi_pooling_second_order():
    # d/d(head) of <grad_x, v> is v read at every bin's maximum.
    x = np.array(RNG.permutation(2 * 7 * 8).reshape(1, 2, 7, 8) / 10.0)
    rois = np.array(ROIS[:1])
    head = np.array(RNG.standard_normal((1, 2, 2, 3)))
    v = RNG.standard_normal((1, 2, 7, 8))
    x.attach_grad()
    head.attach_grad()
    with autograd.record():
        y = npx.roi_pooling(x, rois, (2, 3), 1.0)
        (gx,) = autograd.grad(y, [x], head_grads=head, create_graph=True)
        s = (gx * np.array(v)).sum()
    s.backward()
    _, where = ref_roi_pooling(x.asnumpy(), ROIS[:1], (2, 3), 1.0)
    onp.testing.assert_allclose(head.grad.asnumpy(), onp.where(where >= 0, v.ravel()[where], 0))


@pytest.mark.parametrize(
    "call,message",
    [
        (lambda: nd.ROIPooling(nd.ones((1, 1, 4, 4)), nd.ones((2, 4)), (2, 2), 1.0), r"ROIPooling: rois must be 2-D"),
        (lambda: nd.ROIPooling(nd.ones((1, 4, 4)), nd.ones((2, 5)), (2, 2), 1.0), r"ROIPooling: data must be 4-D"),
        (lambda: nd.ROIPooling(nd.ones((1, 1, 4, 4)), nd.ones((2, 5)), (0, 2), 1.0), r"pooled_size must be positive"),
        (lambda: nd.ROIPooling(nd.ones((1, 1, 4, 4)), nd.ones((2, 5)), (2, 2, 2), 1.0), r"pooled_size must have 2"),
        (lambda: nd.ROIPooling(nd.ones((1, 1, 4, 4)), nd.ones((2, 5)), (2, 2), 1.5), r"spatial_scale must be in"),
        (
            lambda: nd.ROIPooling(nd.ones((1, 1, 4, 4)), nd.ones((2, 5), dtype="float64"), (2, 2), 1.0),
            r"rois must have data's dtype float32",
        ),
    ],
)
def test_roi_pooling_errors(call, message):
    with pytest.raises(MXNetError, match=message):
        call()


def test_roi_pooling_required_arguments():
    with pytest.raises(TypeError, match="ROIPooling: the required argument spatial_scale"):
        nd.ROIPooling(nd.ones((1, 1, 4, 4)), nd.ones((1, 5)), (2, 2))


# ---- GridGenerator, BilinearSampler, SpatialTransformer -------------------------------


def ref_sampler(data, grid):
    """Bilinear sampling with MXNet's conventions: x = (gx + 1) (W - 1) / 2,
    corners outside the data read as 0."""
    n, c, h, w = data.shape
    out = onp.zeros((n, c) + grid.shape[2:], dtype=data.dtype)
    for b in range(n):
        for i in range(grid.shape[2]):
            for j in range(grid.shape[3]):
                x = (grid[b, 0, i, j] + 1) * (w - 1) / 2
                y = (grid[b, 1, i, j] + 1) * (h - 1) / 2
                x0, y0 = int(onp.floor(x)), int(onp.floor(y))
                for yy, wy in ((y0, 1 - (y - y0)), (y0 + 1, y - y0)):
                    for xx, wx in ((x0, 1 - (x - x0)), (x0 + 1, x - x0)):
                        if 0 <= yy < h and 0 <= xx < w:
                            out[b, :, i, j] += data[b, :, yy, xx] * wy * wx
    return out


def ref_affine_grid(theta, h, w):
    xs = onp.linspace(-1, 1, w) if w > 1 else onp.array([-1.0])
    ys = onp.linspace(-1, 1, h) if h > 1 else onp.array([-1.0])
    gy, gx = onp.meshgrid(ys, xs, indexing="ij")
    dst = onp.stack([gx.ravel(), gy.ravel(), onp.ones(h * w)])
    return (theta.reshape(-1, 2, 3) @ dst).reshape(-1, 2, h, w)


def ref_warp_grid(flow):
    _, _, h, w = flow.shape
    gy, gx = onp.meshgrid(onp.arange(h), onp.arange(w), indexing="ij")
    return onp.stack([(flow[:, 0] + gx) / ((w - 1) / 2) - 1, (flow[:, 1] + gy) / ((h - 1) / 2) - 1], axis=1)


def test_grid_generator_matches_mxnet_and_loops():
    check_recorded(lambda t: nd.GridGenerator(t, transform_type="affine", target_shape=(4, 5)), "grid_affine", 1)
    check_recorded(lambda f: nd.GridGenerator(f, transform_type="warp"), "grid_warp", 1)
    theta = RNG.standard_normal((3, 6))
    got = nd.GridGenerator(nd.array(theta, dtype="float64"), transform_type="affine", target_shape=(3, 4))
    onp.testing.assert_allclose(got.asnumpy(), ref_affine_grid(theta, 3, 4), rtol=1e-12, atol=1e-14)
    flow = RNG.standard_normal((2, 2, 3, 5))
    got = nd.GridGenerator(nd.array(flow, dtype="float64"), transform_type="warp", target_shape=(3, 5))
    onp.testing.assert_allclose(got.asnumpy(), ref_warp_grid(flow), rtol=1e-12, atol=1e-14)
    # The identity transform reproduces the target grid, which BilinearSampler reads back exactly.
    x = nd.array(RNG.standard_normal((1, 2, 4, 5)))
    ident = nd.GridGenerator(nd.array([[1, 0, 0, 0, 1, 0]]), transform_type="affine", target_shape=(4, 5))
    onp.testing.assert_allclose(nd.BilinearSampler(x, ident).asnumpy(), x.asnumpy(), rtol=1e-6, atol=1e-6)


def test_bilinear_sampler_matches_mxnet_and_loop():
    check_recorded(lambda d, g: nd.BilinearSampler(d, g), "sampler", 2)
    data, grid = RNG.standard_normal((2, 3, 4, 6)), RNG.uniform(-1.4, 1.4, (2, 2, 5, 3))
    got = nd.BilinearSampler(nd.array(data, dtype="float64"), nd.array(grid, dtype="float64"), cudnn_off=True)
    onp.testing.assert_allclose(got.asnumpy(), ref_sampler(data, grid), rtol=1e-12, atol=1e-14)


def test_spatial_transformer_matches_mxnet_and_loop():
    check_recorded(lambda d, l: nd.SpatialTransformer(d, l, target_shape=(4, 3)), "stn", 2)
    data, loc = RNG.standard_normal((2, 3, 5, 4)), RNG.standard_normal((2, 6))
    got = nd.SpatialTransformer(
        nd.array(data, dtype="float64"), nd.array(loc, dtype="float64"), target_shape=(3, 6),
        transform_type="affine", sampler_type="bilinear",
    )  # fmt: skip
    onp.testing.assert_allclose(got.asnumpy(), ref_sampler(data, ref_affine_grid(loc, 3, 6)), rtol=1e-12, atol=1e-14)


def _nd(f):
    return lambda *xs: f(*[x.as_nd_ndarray() for x in xs]).as_np_ndarray()


def test_spatial_gradients():
    data = RNG.standard_normal((2, 3, 4, 5))
    grid = RNG.uniform(-1.3, 1.3, (2, 2, 3, 4))
    check_gradient(_nd(nd.BilinearSampler), data, grid, rtol=1e-5, atol=1e-7)
    check_gradient(_nd(lambda t: nd.GridGenerator(t, transform_type="affine", target_shape=(3, 4))), RNG.random((2, 6)))
    check_gradient(_nd(lambda f: nd.GridGenerator(f, transform_type="warp")), RNG.random((2, 2, 3, 4)))
    # (no sampling point on an integer pixel coordinate, where the sampler has a kink)
    loc = onp.array([[0.93, 0.11, 0.047, -0.21, 1.09, 0.113], [0.71, -0.29, 0.19, 0.26, 0.83, -0.087]])
    check_gradient(_nd(lambda d, l: nd.SpatialTransformer(d, l, target_shape=(3, 3))), data, loc, rtol=1e-5, atol=1e-7)


def test_bilinear_sampler_second_order():
    # s = <d out/d grid (head), w>, differentiated again in data and grid,
    # against central differences of s computed from first-order gradients.
    data, grid = RNG.standard_normal((1, 2, 4, 5)), RNG.uniform(-1.2, 1.2, (1, 2, 3, 3))
    head, w = RNG.standard_normal((1, 2, 3, 3)), RNG.standard_normal((1, 2, 3, 3))

    def s_of(d, g, create_graph=False):
        with autograd.record():
            y = nd.BilinearSampler(d, g)
            (gg,) = autograd.grad(y, [g], head_grads=nd.array(head, dtype="float64"), create_graph=create_graph)
            s = (gg * nd.array(w, dtype="float64")).sum()
        return s

    d, g = nd.array(data, dtype="float64"), nd.array(grid, dtype="float64")
    d.attach_grad()
    g.attach_grad()
    s_of(d, g, create_graph=True).backward()
    for arr, got, which in ((data, d.grad.asnumpy(), 0), (grid, g.grad.asnumpy(), 1)):
        numeric = onp.zeros(arr.size)
        for k in range(arr.size):
            vals = []
            for sign in (1, -1):
                moved = arr.copy().ravel()
                moved[k] += sign * 1e-6
                args = [data, grid]
                args[which] = moved.reshape(arr.shape)
                a, b = (nd.array(v, dtype="float64") for v in args)
                b.attach_grad()
                vals.append(float(s_of(a, b).asnumpy().ravel()[0]))
            numeric[k] = (vals[0] - vals[1]) / 2e-6
        onp.testing.assert_allclose(got.ravel(), numeric, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize(
    "call,message",
    [
        (
            lambda: nd.BilinearSampler(nd.ones((1, 1, 4, 4)), nd.ones((1, 3, 2, 2))),
            r"BilinearSampler: grid must be 4-D \(batch, 2",
        ),
        (lambda: nd.BilinearSampler(nd.ones((2, 1, 4, 4)), nd.ones((1, 2, 2, 2))), r"BilinearSampler: grid's batch 1"),
        (lambda: nd.BilinearSampler(nd.ones((1, 4, 4)), nd.ones((1, 2, 2, 2))), r"BilinearSampler: data must be 4-D"),
        (
            lambda: nd.GridGenerator(nd.ones((2, 5)), transform_type="affine", target_shape=(2, 2)),
            r"GridGenerator: with transform_type='affine' data must be",
        ),
        (
            lambda: nd.GridGenerator(nd.ones((2, 6)), transform_type="affine", target_shape=(0, 2)),
            r"GridGenerator: target_shape must be positive",
        ),
        (
            lambda: nd.GridGenerator(nd.ones((2, 6)), transform_type="affine"),
            r"GridGenerator: target_shape is required",
        ),
        (
            lambda: nd.GridGenerator(nd.ones((1, 3, 2, 2)), transform_type="warp"),
            r"GridGenerator: with transform_type='warp' data must be",
        ),
        (lambda: nd.GridGenerator(nd.ones((1, 2, 2, 2)), transform_type="warp", target_shape=(3, 3)), r"contradicts"),
        (
            lambda: nd.GridGenerator(nd.ones((2, 6)), transform_type="perspective", target_shape=(2, 2)),
            r"invalid transform_type 'perspective'",
        ),
        (
            lambda: nd.SpatialTransformer(nd.ones((1, 1, 4, 4)), nd.ones((1, 5)), target_shape=(2, 2)),
            r"SpatialTransformer: loc must be",
        ),
        (
            lambda: nd.SpatialTransformer(
                nd.ones((1, 1, 4, 4)), nd.ones((1, 6)), target_shape=(2, 2), sampler_type="nearest"
            ),
            r"SpatialTransformer: invalid sampler_type",
        ),
    ],
)
def test_spatial_errors(call, message):
    with pytest.raises(MXNetError, match=message):
        call()


# ---- multibox_prior, multibox_target, multibox_detection ------------------------------


def ref_prior(h, w, sizes, ratios, clip=False, steps=(-1, -1), offsets=(0.5, 0.5)):
    """MXNet's anchors, in float32 step by step as MXNet computes them."""
    f = onp.float32
    sy, sx = (f(1) / f(h), f(1) / f(w)) if steps[0] <= 0 or steps[1] <= 0 else (f(steps[0]), f(steps[1]))
    pairs = [(s, ratios[0]) for s in sizes] + [(sizes[0], r) for r in ratios[1:]]
    out = []
    for r in range(h):
        cy = (f(r) + f(offsets[0])) * sy
        for c in range(w):
            cx = (f(c) + f(offsets[1])) * sx
            for size, ratio in pairs:
                q = onp.sqrt(f(ratio))
                bw, bh = f(size) * f(h) / f(w) * q / f(2), f(size) / q / f(2)
                out.append([cx - bw, cy - bh, cx + bw, cy + bh])
    out = onp.array(out, dtype=f)[None]
    return onp.clip(out, 0, 1) if clip else out


PRIORS = {
    "prior_a": dict(sizes=[0.2, 0.37], ratios=[1, 2, 0.5]),
    "prior_b": dict(sizes=[0.9], ratios=[1, 3], clip=True),
    "prior_c": dict(sizes=[0.3, 0.6], ratios=[1.5], steps=[0.2, 0.15], offsets=[0.25, 0.7]),
    "prior_d": dict(sizes=[0.8, 0.4], ratios=[1, 2], clip=True, steps=[0.4, 0.3]),
}


@pytest.mark.parametrize("key", sorted(PRIORS))
def test_multibox_prior_matches_mxnet_and_loop(key):
    got = npx.multibox_prior(np.zeros((2, 4, 3, 5)), **PRIORS[key])
    assert isinstance(got, np.ndarray) and got.dtype == "float32"
    onp.testing.assert_array_equal(got.asnumpy(), FIX[f"{key}.out"])
    onp.testing.assert_array_equal(got.asnumpy(), ref_prior(3, 5, **PRIORS[key]))


def test_multibox_prior_d2l_anchors():
    # The d2l SSD chapter: anchors of a 561 x 728 image.
    y = npx.multibox_prior(np.zeros((1, 3, 561, 728)), sizes=[0.75, 0.5, 0.25], ratios=[1, 2, 0.5])
    assert y.shape == tuple(FIX["prior_d2l.shape"]) == (1, 2042040, 4)
    onp.testing.assert_array_equal(y.asnumpy()[0, FIX["prior_d2l.rows"]], FIX["prior_d2l.values"])
    boxes = y.reshape(561, 728, 5, 4)
    onp.testing.assert_array_equal(boxes[250, 250].asnumpy(), FIX["prior_d2l.box_250_250"])
    onp.testing.assert_allclose(boxes[250, 250, 0].asnumpy(), [0.06, 0.07, 0.63, 0.82], atol=5e-3)


def test_multibox_prior_float64_and_no_gradient():
    x = np.zeros((1, 2, 2, 3), dtype="float64")
    got = npx.multibox_prior(x, sizes=(0.5,), ratios=(1, 4))
    assert got.dtype == "float64"
    onp.testing.assert_array_equal(got.asnumpy(), ref_prior(2, 3, [0.5], [1, 4]).astype("float64"))
    x.attach_grad()
    with autograd.record():
        y = npx.multibox_prior(x, sizes=(0.5,))
    y.backward()
    assert x.grad.shape == x.shape and not x.grad.asnumpy().any()


GROUND_TRUTH = onp.array([[0, 0.1, 0.08, 0.52, 0.92], [1, 0.55, 0.2, 0.9, 0.88]])
D2L_ANCHORS = onp.array(
    [
        [0, 0.1, 0.2, 0.3],
        [0.15, 0.2, 0.4, 0.4],
        [0.63, 0.05, 0.88, 0.98],
        [0.66, 0.45, 0.8, 0.8],
        [0.57, 0.3, 0.92, 0.9],
    ]
)


def test_multibox_target_d2l():
    anchors, labels = np.array(D2L_ANCHORS[None], dtype="float32"), np.array(GROUND_TRUTH[None], dtype="float32")
    outs = npx.multibox_target(anchors, labels, np.zeros((1, 3, 5)))
    assert isinstance(outs, list) and len(outs) == 3
    for i, o in enumerate(outs):
        onp.testing.assert_allclose(o.asnumpy(), FIX[f"target_d2l.out{i}"], rtol=1e-6, atol=1e-7)
    assert outs[2].asnumpy().tolist() == [[0, 1, 2, 0, 2]]
    assert outs[1].asnumpy().tolist() == [[0] * 4 + [1] * 8 + [0] * 4 + [1] * 4]


TARGETS = {
    "target_r0": dict(),
    "target_r1": dict(overlap_threshold=0.3, negative_mining_ratio=3, negative_mining_thresh=0.4),
    "target_r2": dict(overlap_threshold=0.2, ignore_label=-2, negative_mining_ratio=2, variances=(0.2, 0.1, 0.3, 0.4)),
    "target_r3": dict(overlap_threshold=0.0),
}


@pytest.mark.parametrize("key", sorted(TARGETS))
def test_multibox_target_matches_mxnet(key):
    args = [np.array(FIX[f"target_r.{k}"]) for k in ("anchor", "label", "cls_pred")]
    outs = npx.multibox_target(*args, **TARGETS[key])
    for i, o in enumerate(outs):
        onp.testing.assert_allclose(o.asnumpy(), FIX[f"{key}.out{i}"], rtol=1e-6, atol=1e-6, err_msg=f"output {i}")


def ref_detection(cls_prob, loc_pred, anchor, clip=True, threshold=0.01, nms_threshold=0.5, force_suppress=False,
                  variances=(0.1, 0.1, 0.2, 0.2), nms_topk=-1):  # fmt: skip
    """MultiBoxDetection as a direct loop in float64 (MXNet keeps the
    variances and thresholds as float32)."""
    variances = [float(onp.float32(v)) for v in variances]
    threshold, nms_threshold = float(onp.float32(threshold)), float(onp.float32(nms_threshold))
    b_, k_, a_ = cls_prob.shape
    out = -onp.ones((b_, a_, 6))
    for b in range(b_):
        rows = []
        for i in range(a_):
            scores = cls_prob[b, 1:, i]
            cid = int(onp.argmax(scores)) + 1 if k_ > 1 else 0
            score = scores[cid - 1] if k_ > 1 else -1
            if score < threshold or cid == 0:
                continue
            al, at, ar, ab = anchor[0, i]
            aw, ah, ax, ay = ar - al, ab - at, (al + ar) / 2, (at + ab) / 2
            px, py, pw, ph = loc_pred[b, 4 * i : 4 * i + 4]
            ox, oy = px * variances[0] * aw + ax, py * variances[1] * ah + ay
            ow, oh = onp.exp(pw * variances[2]) * aw / 2, onp.exp(ph * variances[3]) * ah / 2
            box = onp.array([ox - ow, oy - oh, ox + ow, oy + oh])
            rows.append([cid - 1, score] + list(onp.clip(box, 0, 1) if clip else box))
        rows = onp.array(rows).reshape(-1, 6)
        out[b, : len(rows)] = rows
        if len(rows) == 0 or not 0 < nms_threshold <= 1:
            continue
        order = sorted(range(len(rows)), key=lambda i: -rows[i, 1])
        keep = len(rows) if nms_topk <= 0 else min(nms_topk, len(rows))
        out[b, keep : len(rows), 0] = -1
        out[b, :keep] = rows[order[:keep]]
        for i in range(keep):
            for j in range(i + 1, keep):
                if out[b, i, 0] < 0 or out[b, j, 0] < 0 or not (force_suppress or out[b, i, 0] == out[b, j, 0]):
                    continue
                p, q = out[b, i, 2:], out[b, j, 2:]
                inter = max(0, min(p[2], q[2]) - max(p[0], q[0])) * max(0, min(p[3], q[3]) - max(p[1], q[1]))
                union = (p[2] - p[0]) * (p[3] - p[1]) + (q[2] - q[0]) * (q[3] - q[1]) - inter
                if (inter / union if union > 0 else 0) >= nms_threshold:
                    out[b, j, 0] = -1
    return out


def test_multibox_detection_d2l():
    anchors = onp.array(
        [[0.1, 0.08, 0.52, 0.92], [0.08, 0.2, 0.56, 0.95], [0.15, 0.3, 0.62, 0.91], [0.55, 0.2, 0.9, 0.88]]
    )
    anchors = anchors.astype("float32")
    cls_probs = onp.array([[0] * 4, [0.9, 0.8, 0.7, 0.1], [0.1, 0.2, 0.3, 0.9]], dtype="float32")
    got = npx.multibox_detection(
        np.array(cls_probs[None]), np.zeros((1, 16)), np.array(anchors[None]), nms_threshold=0.5
    )
    onp.testing.assert_allclose(got.asnumpy(), FIX["detect_d2l.out"], rtol=1e-6)
    assert got[0, :, 0].asnumpy().tolist() == [0, 1, -1, -1]


DETECTIONS = {
    "detect_r0": dict(),
    "detect_r1": dict(nms_threshold=0.3, force_suppress=True, threshold=0.3),
    "detect_r2": dict(nms_topk=10, clip=False, variances=(0.2, 0.2, 0.1, 0.3)),
    "detect_r3": dict(nms_threshold=0.0, threshold=0.25),
    "detect_r4": dict(nms_threshold=0.45, nms_topk=5, force_suppress=True),
}


@pytest.mark.parametrize("key", sorted(DETECTIONS))
def test_multibox_detection_matches_mxnet_and_loop(key):
    args = [FIX[f"detect_r.{k}"] for k in ("cls_prob", "loc_pred", "anchor")]
    got = npx.multibox_detection(*[np.array(a) for a in args], **DETECTIONS[key]).asnumpy()
    onp.testing.assert_allclose(got, FIX[f"{key}.out"], rtol=1e-6, atol=1e-7)
    ref = ref_detection(*[a.astype("float64") for a in args], **DETECTIONS[key])
    onp.testing.assert_allclose(got, ref, rtol=1e-5, atol=1e-6)
    got64 = npx.multibox_detection(*[np.array(a, dtype="float64") for a in args], **DETECTIONS[key])
    assert got64.dtype == "float64"
    onp.testing.assert_allclose(got64.asnumpy(), ref, rtol=1e-12, atol=1e-14)


def test_multibox_ops_are_not_differentiable():
    probs, loc, anchor = (np.array(FIX[f"detect_r.{k}"]) for k in ("cls_prob", "loc_pred", "anchor"))
    label = np.array(FIX["target_r.label"])
    for a in (probs, loc, anchor):
        a.attach_grad()
    with autograd.record():
        y = npx.multibox_detection(probs, loc, anchor).sum() + npx.multibox_target(anchor, label, probs)[0].sum()
    y.backward()
    for a in (probs, loc, anchor):
        assert a.grad.shape == a.shape and not a.grad.asnumpy().any()


@pytest.mark.parametrize(
    "call,error,message",
    [
        (lambda: npx.multibox_prior(np.zeros((1, 3, 4))), MXNetError, r"multibox_prior: data must be 4-D"),
        (
            lambda: npx.multibox_prior(np.zeros((1, 3, 4, 4)), sizes=()),
            MXNetError,
            r"sizes and ratios must not be empty",
        ),
        (lambda: npx.multibox_prior(np.zeros((1, 3, 4, 4)), steps=(0.1,)), MXNetError, r"steps must have 2 entries"),
        (lambda: npx.multibox_prior(np.zeros((1, 3, 4, 4)), offsets=(0.5, 1.5)), MXNetError, r"offsets must be in"),
        (lambda: npx.multibox_prior(np.zeros((1, 3, 4, 4)), steps=(0.1, -1)), MXNetError, r"both step_y and step_x"),
        (
            lambda: npx.multibox_target(np.zeros((1, 4, 5)), np.zeros((1, 2, 5)), np.zeros((1, 2, 4))),
            MXNetError,
            r"multibox_target: anchor must be \(1, num_anchors, 4\)",
        ),
        (
            lambda: npx.multibox_target(np.zeros((1, 4, 4)), np.zeros((1, 2, 4)), np.zeros((1, 2, 4))),
            MXNetError,
            r"multibox_target: label must be",
        ),
        (
            lambda: npx.multibox_target(np.zeros((1, 4, 4)), np.zeros((1, 2, 5)), np.zeros((1, 2, 3))),
            MXNetError,
            r"multibox_target: cls_pred must be",
        ),
        (
            lambda: npx.multibox_target(np.zeros((1, 4, 4)), np.array([[[-1, 0, -1, -1, -1]]]), np.zeros((1, 2, 4))),
            MXNetError,
            r"starts with -1 \(padding\) but is not all -1",
        ),
        (
            lambda: npx.multibox_target(
                np.zeros((1, 4, 4)), np.zeros((1, 2, 5)), np.zeros((1, 2, 4)), minimum_negative_samples=3
            ),
            NotSupportedError,
            r"minimum_negative_samples",
        ),
        (
            lambda: npx.multibox_detection(np.zeros((1, 3, 4)), np.zeros((1, 12)), np.zeros((1, 4, 4))),
            MXNetError,
            r"multibox_detection: loc_pred must be \(1, 16\)",
        ),
        (
            lambda: npx.multibox_detection(np.zeros((1, 3, 4)), np.zeros((1, 16)), np.zeros((1, 5, 4))),
            MXNetError,
            r"multibox_detection: anchor must be \(1, 4, 4\)",
        ),
        (
            lambda: npx.multibox_detection(
                np.zeros((1, 3, 4)), np.zeros((1, 16)), np.zeros((1, 4, 4)), background_id=1
            ),
            NotSupportedError,
            r"background_id",
        ),
        (
            lambda: npx.multibox_detection(
                np.zeros((1, 3, 4)), np.zeros((1, 16)), np.zeros((1, 4, 4)), variances=(1, 2)
            ),
            MXNetError,
            r"variances must have 4 entries",
        ),
    ],
)
def test_multibox_errors(call, error, message):
    with pytest.raises(error, match=message):
        call()


# ---- Correlation -------------------------------------------------------------------


def ref_correlation(a, b, kernel_size=1, max_displacement=1, stride1=1, stride2=1, pad_size=0, is_multiply=True):
    """FlowNet's correlation as a direct loop over the zero-padded inputs."""
    n, c, h, w = a.shape
    pa = onp.pad(a, ((0, 0), (0, 0), (pad_size, pad_size), (pad_size, pad_size)))
    pb = onp.pad(b, ((0, 0), (0, 0), (pad_size, pad_size), (pad_size, pad_size)))
    border = max_displacement + (kernel_size - 1) // 2
    oh = -(-(h + 2 * pad_size - 2 * border) // stride1)
    ow = -(-(w + 2 * pad_size - 2 * border) // stride1)
    r = max_displacement // stride2
    out = onp.zeros((n, (2 * r + 1) ** 2, oh, ow))
    for t in range((2 * r + 1) ** 2):
        dx, dy = (t % (2 * r + 1) - r) * stride2, (t // (2 * r + 1) - r) * stride2
        for i in range(oh):
            for j in range(ow):
                y1, x1 = i * stride1 + max_displacement, j * stride1 + max_displacement
                p = pa[:, :, y1 : y1 + kernel_size, x1 : x1 + kernel_size]
                q = pb[:, :, y1 + dy : y1 + dy + kernel_size, x1 + dx : x1 + dx + kernel_size]
                v = p * q if is_multiply else onp.abs(p - q)
                out[:, t, i, j] = v.reshape(n, -1).sum(axis=1) / (kernel_size * kernel_size * c)
    return out


CORRELATIONS = {
    "corr_a": dict(kernel_size=1, max_displacement=2, stride1=1, stride2=1, pad_size=2, is_multiply=True),
    "corr_b": dict(kernel_size=3, max_displacement=2, stride1=2, stride2=2, pad_size=3, is_multiply=True),
    "corr_c": dict(kernel_size=3, max_displacement=1, stride1=1, stride2=1, pad_size=1, is_multiply=False),
    "corr_d": dict(kernel_size=1, max_displacement=3, stride1=3, stride2=2, pad_size=0, is_multiply=True),
}


@pytest.mark.parametrize("key", sorted(CORRELATIONS))
def test_correlation_matches_mxnet_and_loop(key):
    kw = CORRELATIONS[key]
    check_recorded(lambda a, b: nd.Correlation(a, b, **kw), key, 2, rtol=1e-5, atol=1e-6)
    a, b = FIX[f"{key}.in0"].astype("float64"), FIX[f"{key}.in1"].astype("float64")
    got = nd.Correlation(nd.array(a, dtype="float64"), nd.array(b, dtype="float64"), **kw)
    onp.testing.assert_allclose(got.asnumpy(), ref_correlation(a, b, **kw), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("key", ["corr_b", "corr_c", "corr_d"])
def test_correlation_gradient(key):
    a, b = RNG.standard_normal((1, 2, 7, 8)), RNG.standard_normal((1, 2, 7, 8))
    check_gradient(_nd(lambda x, y: nd.Correlation(x, y, **CORRELATIONS[key])), a, b, rtol=1e-5, atol=1e-7)


def test_correlation_is_differentiable_once():
    a, b = np.array(RNG.standard_normal((1, 2, 4, 4))), np.array(RNG.standard_normal((1, 2, 4, 4)))
    a.attach_grad()
    with autograd.record():
        (g,) = autograd.grad(nd.Correlation(a.as_nd_ndarray(), b.as_nd_ndarray()), [a], create_graph=True)
        s = g.sum()
    with pytest.raises(MXNetError, match="correlation_backward' is not differentiable"):
        s.backward()


@pytest.mark.parametrize(
    "kw,shape2,message",
    [
        (dict(kernel_size=2), (1, 2, 5, 5), r"Correlation: kernel_size must be a positive odd number"),
        (dict(), (1, 2, 5, 4), r"Correlation: data1 and data2 must be 4-D"),
        (dict(max_displacement=3), (1, 2, 5, 5), r"Correlation: the neighbourhood"),
        (dict(stride1=0), (1, 2, 5, 5), r"stride1 and stride2 must be positive"),
    ],
)
def test_correlation_errors(kw, shape2, message):
    with pytest.raises(MXNetError, match=message):
        nd.Correlation(nd.ones((1, 2, 5, 5)), nd.ones(shape2), **kw)
