"""A short tour: MXNet code, unchanged, on mxlite."""

from mxnet import autograd, np, npx

npx.set_np()

x = np.array([[1, 2], [3, 4]])
x.attach_grad()
with autograd.record():
    y = 2 * x * x
y.backward()
print("x =", repr(x))
print("d(2x^2)/dx =", repr(x.grad))  # [[4, 8], [12, 16]]

# Gradient through Python control flow.
a = np.random.uniform(size=2)
a.attach_grad()
with autograd.record():
    b = a * 2
    while np.abs(b).sum() < 1000:
        b = b * 2
    c = b[0]
c.backward()
k = (c / a[0]).item()  # c = k * a[0] for the power of two k the loop reached, so dc/da = [k, 0]
print(f"c = {k:g} * a[0]; dc/da =", repr(a.grad))

# A tiny linear regression by gradient descent.
np.random.seed(0)
features = np.random.normal(0, 1, (256, 3))
true_w = np.array([[2.0], [-3.4], [1.5]])
labels = np.dot(features, true_w) + 4.2
w, bias = np.zeros((3, 1)), np.zeros((1,))
w.attach_grad()
bias.attach_grad()
for _ in range(200):
    with autograd.record():
        loss = ((np.dot(features, w) + bias - labels) ** 2).mean()
    loss.backward()
    w[:] = w - 0.1 * w.grad
    bias[:] = bias - 0.1 * bias.grad
print(
    "learned w:",
    w.asnumpy().ravel().round(3),
    "b:",
    bias.asnumpy().round(3),
    f"loss: {float(loss):.1e}",
    "(true w: [2, -3.4, 1.5], b: 4.2)",
)
