"""mx.kv in one process ('local', 'device', and the dist kinds with one rank), checked against
MXNet 1.9.1's results (from /work/scratch/mxr)."""

import numpy as onp
import pytest

import mxnet as mx
from mxnet import gluon, nd


def test_local_push_pull_semantics():
    kv = mx.kv.create("local")
    assert (kv.type, kv.rank, kv.num_workers) == ("local", 0, 1) and mx.kvstore.create("device").type == "device"
    kv.init(3, nd.ones((2, 3)))
    a = nd.zeros((2, 3))
    kv.push(3, nd.ones((2, 3)) * 8)
    kv.pull(3, out=a)
    assert (a.asnumpy() == 8).all()
    kv.push(3, [nd.ones((2, 3)), nd.ones((2, 3)) * 2])  # a list is summed, the sum replaces
    f, g = nd.zeros((2, 3)), nd.zeros((2, 3))
    kv.pull(3, out=[f, g])
    assert (f.asnumpy() == 3).all() and (g.asnumpy() == 3).all()
    with pytest.raises(mx.MXNetError, match="duplicate init"):
        kv.init(3, nd.ones((2, 3)))
    with pytest.raises(mx.MXNetError, match="Did you init"):
        kv.pull(99, out=a)
    with pytest.raises(mx.MXNetError, match="mixed key types"):
        kv.init("x", nd.ones((2,)))
    with pytest.raises(mx.MXNetError, match=r"holds shape \(2, 3\), got an array of shape \(3, 3\)"):
        kv.push(3, nd.ones((3, 3)))
    with pytest.raises(ValueError, match="out must be given"):
        kv.pull(3)
    with pytest.raises(TypeError, match="name must be a string"):
        mx.kv.create(3)
    with pytest.raises(ValueError, match="unknown KVStore type 'foo'"):
        mx.kv.create("foo")
    with pytest.raises(mx.base.NotSupportedError, match="gradient compression"):
        kv.set_gradient_compression({"type": "2bit"})


def test_local_optimizer_in_store_and_states(tmp_path):
    kv = mx.kv.create("local")
    kv.init(["k1", "k2"], [nd.ones((2,)), nd.ones((3,))])
    b = [nd.zeros((2,)), nd.zeros((3,))]
    kv.pull(["k1", "k2"], out=b)
    assert [x.asnumpy().tolist() for x in b] == [[1, 1], [1, 1, 1]]
    kv.set_optimizer(mx.optimizer.SGD(learning_rate=0.1))
    kv.push("k1", nd.ones((2,)))
    kv.pull("k1", out=b[0])
    onp.testing.assert_allclose(b[0].asnumpy(), [0.9, 0.9], rtol=1e-6)  # MXNet: 0.9
    c = nd.zeros((2,))
    kv.pushpull("k1", nd.ones((2,)), out=c)
    onp.testing.assert_allclose(c.asnumpy(), [0.8, 0.8], rtol=1e-6)
    f, g = nd.zeros((3,)), nd.zeros((3,))
    kv.pushpull("k2", [nd.ones((3,)), nd.ones((3,))], out=[f, g])
    onp.testing.assert_allclose(g.asnumpy(), [0.8] * 3, rtol=1e-6)
    d = mx.np.zeros((4,))
    kv.broadcast("bb", mx.np.ones((4,)) * 5, out=d)
    assert (d.asnumpy() == 5).all()
    with pytest.raises(mx.MXNetError, match="duplicate init"):
        kv.broadcast("bb", mx.np.ones((4,)), out=d)
    kv.save_optimizer_states(str(tmp_path / "s"))
    kv.load_optimizer_states(str(tmp_path / "s"))
    kv.barrier()
    kv2 = mx.kv.create("local")
    kv2.init(0, nd.ones((2,)))
    e = nd.zeros((2,))
    kv2.pushpull(0, nd.ones((2,)) * 3, out=e)
    kv2.pushpull(0, e)  # without out: written back into the value
    assert e.asnumpy().tolist() == [3, 3]
    with pytest.raises(mx.MXNetError, match="no optimizer is set"):
        kv2.save_optimizer_states(str(tmp_path / "t"))


def test_split_sampler_shards():
    parts = [list(gluon.data.SplitSampler(10, 3, i)) for i in range(3)]
    assert parts == [[0, 1, 2], [3, 4, 5], [6, 7, 8]] and len(gluon.data.SplitSampler(10, 3, 1)) == 3
    shuffled = list(gluon.data.SplitSampler(10, 2, 1, shuffle=True))
    assert sorted(shuffled) == [5, 6, 7, 8, 9]
    with pytest.raises(ValueError, match="part_index"):
        gluon.data.SplitSampler(10, 2, 2)


def test_trainer_kvstore_arguments():
    net = gluon.nn.Dense(2, in_units=3)
    net.initialize()
    with pytest.raises(mx.base.NotSupportedError, match="update_on_kvstore=True needs a kvstore"):
        gluon.Trainer(net.collect_params(), "sgd", kvstore="device", update_on_kvstore=True)
    with pytest.raises(mx.base.NotSupportedError, match="kvstore='dist_async'"):
        gluon.Trainer(net.collect_params(), "sgd", kvstore="dist_async")


def test_store_keeps_no_copy_without_optimizer():
    # MXNet 1.9.1 (mxr): without an optimizer the stored value of a pushed array is that array
    kv = mx.kv.create("local")
    kv.init(3, nd.zeros((2,)))
    v = nd.ones((2,))
    kv.push(3, v)
    v[:] = 5
    a = nd.zeros((2,))
    kv.pull(3, out=a)
    assert a.asnumpy().tolist() == [5, 5]
    g, o = nd.ones((2,)) * 3, nd.zeros((2,))
    kv.pushpull(3, g, out=o)
    g[:] = 7
    o[:] = 9
    kv.pull(3, out=a)
    assert a.asnumpy().tolist() == [7, 7]  # the pushed array, not out
    kv.push(3, [nd.ones((2,)), nd.ones((2,))])  # a list is summed into the store's own buffer
    g[:] = 0
    kv.pull(3, out=[a, g])
    assert a.asnumpy().tolist() == [2, 2] and g.asnumpy().tolist() == [2, 2]
    kv.pushpull(3, g, out=g)  # pulling into the stored array itself
    assert g.asnumpy().tolist() == [2, 2]
    # set_optimizer after such pushes: the optimizer updates the store's copy of the pushed value
    kv.push(3, v)
    kv.set_optimizer(mx.optimizer.SGD(learning_rate=0.1))
    kv.push(3, nd.ones((2,)))
    kv.pull(3, out=a)
    onp.testing.assert_allclose(a.asnumpy(), [4.9, 4.9], rtol=1e-6)  # MXNet: 4.9
    assert v.asnumpy().tolist() == [5, 5]  # MXNet updates v itself (it is the stored array) to 4.9


def test_single_rank_dist_store_reduces_into_out():
    kv = mx.kv.create("dist_sync")  # one process: the sum over ranks is the local sum
    kv.init([0, 1], [mx.np.zeros((300,)), mx.np.zeros((3,))])
    kv.bucket_size = 512  # key 0 (1200 bytes) goes alone, in chunks of 128 floats
    x = [mx.np.arange(300, dtype="float32"), mx.np.ones((3,))]
    outs = [mx.np.zeros((300,)), mx.np.zeros((3,))]
    kv.pushpull([0, 1], x, out=outs)
    assert (outs[0].asnumpy() == onp.arange(300)).all() and (outs[1].asnumpy() == 1).all()
    back = [mx.np.zeros((300,)), mx.np.zeros((3,))]
    kv.pull([0, 1], out=back)
    assert (back[0].asnumpy() == onp.arange(300)).all()
    kv.push(0, [x[0], x[0]])
    kv.pull(0, out=back[0])
    assert (back[0].asnumpy() == 2 * onp.arange(300)).all() and (outs[0].asnumpy() == onp.arange(300)).all()
    kv.pushpull(0, x[0])  # in place
    assert (x[0].asnumpy() == onp.arange(300)).all()
    with pytest.raises(ValueError, match="2 keys need a list of 2 values, got 1"):
        kv.pushpull([0, 1], x, out=[[outs[0], outs[0]]])
    with pytest.raises(mx.MXNetError, match=r"holds shape \(3,\), got an out array of shape \(4,\)"):
        kv.pushpull(1, x[1], out=mx.np.zeros((4,)))
