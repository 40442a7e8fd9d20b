"""mxnet's NumPy-semantics switches as MXNet 1.9.1 has them: set_np_shape,
np_shape / np_array scopes, use_np_shape / use_np_array decorators, mx.rnd."""

import pytest

import mxnet as mx


@pytest.fixture(autouse=True)
def restore_switches():
    shape, array = mx.is_np_shape(), mx.is_np_array()
    yield
    mx.util._state.update(shape=shape, array=array)


def test_set_np_shape_returns_the_previous_state():
    mx.reset_np()
    assert mx.set_np_shape(True) is False and mx.is_np_shape() is True
    assert mx.set_np_shape(False) is True and mx.is_np_shape() is False


def test_scopes_restore_and_decorate():
    mx.reset_np()
    with mx.np_shape():
        assert mx.is_np_shape()
        with mx.np_shape(False):
            assert not mx.is_np_shape()
        assert mx.is_np_shape()
    assert not mx.is_np_shape()
    with mx.np_array():
        assert mx.is_np_array()
    assert not mx.is_np_array()

    @mx.use_np_shape
    def shape_on():
        return mx.is_np_shape()

    @mx.use_np_array
    def array_on():
        return mx.is_np_array()

    assert shape_on() and array_on() and not mx.is_np_shape() and not mx.is_np_array()
    assert mx.util.np_shape is mx.np_shape and mx.util.use_np_array is mx.use_np_array


def test_rnd_is_random():
    assert mx.rnd is mx.random and mx.rnd.uniform(shape=(2,)).shape == (2,)
