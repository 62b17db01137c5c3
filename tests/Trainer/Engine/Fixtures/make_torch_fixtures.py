"""Writes the PyTorch golden fixtures for the engine's tests (tests/Trainer/Engine/Golden/*).

Run with Debian's Python, which has torch 1.13:  /usr/bin/python3 tests/Trainer/Engine/Fixtures/make_torch_fixtures.py
Output, next to this script:
  torch_fixtures.json  manifest: every tensor's name, shape and offset (in float32 elements) into the .bin, plus scalars
  torch_fixtures.bin   all tensors, float32 little-endian, concatenated
Contents (names are "<group>/<tensor>"):
  linear, relu, leaky_relu, sigmoid, conv2d, conv_transpose2d: inputs, weights, outputs, the probe gradient gy and
      every gradient (gx, gweight, gbias) of sum(y * gy);
  bce_logits, gaussian_nll, mse, kl, reparam: inputs, per-image losses, totals, gradients of the totals;
  adam_wd: 4 Adam steps with weight decay and non-default betas on given gradients; clip: clip_grad_norm_;
  conv_vae: the reference conv VAE of ../shared/bench/torch_vae_ref.py (latent 16) on 4 MNIST images with eps passed
      in: initial parameters (under the engine's names), mu, logvar, z, logits, losses, every parameter gradient;
      then 5 Adam steps (lr 1e-3) with eps_step{i}: the losses and the parameters after the 5 steps;
  mlp_vae: the same for the MLP VAE (784-32-2, hidden 32 to keep the file small).
The VAE loss is BCE with logits summed + KL (klWeight 1), the engine's Bernoulli negative ELBO. The reference script's
sigmoid + binary_cross_entropy value is recorded too (scalar recon_sigmoid_bce) to show the two agree.
"""
import gzip, json, os
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
MNIST = os.path.join(HERE, '..', '..', '..', '..', '..', 'shared', 'data', 'mnist', 'train-images-idx3-ubyte.gz')

torch.set_num_threads(1)
torch.manual_seed(1234)
tensors, scalars = {}, {}


def put(name, t):
    tensors[name] = t.detach().to(torch.float32).contiguous().numpy().copy()


def layer_case(group, module, x, params):
    x = x.clone().requires_grad_(True)
    y = module(x)
    gy = torch.rand_like(y) * 2 - 1
    y.backward(gy)
    put(f'{group}/x', x); put(f'{group}/y', y); put(f'{group}/gy', gy); put(f'{group}/gx', x.grad)
    for key, p in params.items():
        put(f'{group}/{key}', p); put(f'{group}/g{key}', p.grad)


def uniform(*shape, low=-1.0, high=1.0):
    return torch.rand(*shape) * (high - low) + low


# Layers
lin = nn.Linear(13, 7)
layer_case('linear', lin, uniform(5, 13), {'weight': lin.weight, 'bias': lin.bias})
layer_case('relu', nn.ReLU(), uniform(3, 37, low=-3, high=3), {})
layer_case('leaky_relu', nn.LeakyReLU(0.2), uniform(3, 37, low=-3, high=3), {})
layer_case('sigmoid', nn.Sigmoid(), uniform(3, 37, low=-6, high=6), {})
conv = nn.Conv2d(3, 5, 4, 2, 1)
layer_case('conv2d', conv, uniform(2, 3, 9, 11), {'weight': conv.weight, 'bias': conv.bias})
deconv = nn.ConvTranspose2d(4, 3, 4, 2, 1, output_padding=(1, 0))
layer_case('conv_transpose2d', deconv, uniform(2, 4, 5, 6), {'weight': deconv.weight, 'bias': deconv.bias})


# Losses: (N, D) with per-image sums over D
def loss_case(group, fn, prediction, target):
    prediction = prediction.clone().requires_grad_(True)
    per_image = fn(prediction, target).sum(dim=1)
    total = per_image.sum()
    total.backward()
    put(f'{group}/prediction', prediction); put(f'{group}/target', target)
    put(f'{group}/per_image', per_image); put(f'{group}/gprediction', prediction.grad)
    scalars[f'{group}/total'] = float(total)


logits = uniform(3, 50, low=-8, high=8)
logits[0, :6] = torch.tensor([-100.0, 100.0, -30.0, 30.0, 0.0, 1e-3])
targets = torch.rand(3, 50)
targets[1, :10] = torch.tensor([0.0, 1.0] * 5)
loss_case('bce_logits', lambda l, x: F.binary_cross_entropy_with_logits(l, x, reduction='none'), logits, targets)
sigma = 0.1
scalars['gaussian_nll/sigma'] = sigma
nll = nn.GaussianNLLLoss(full=True, reduction='none')
loss_case('gaussian_nll', lambda m, x: nll(m, x, torch.full_like(m, sigma * sigma)), uniform(3, 50, low=-0.2, high=1.2), torch.rand(3, 50))
loss_case('mse', lambda m, x: F.mse_loss(m, x, reduction='none'), uniform(3, 50, low=-0.2, high=1.2), torch.rand(3, 50))

mu = uniform(4, 16, low=-2, high=2).requires_grad_(True)
logvar = uniform(4, 16, low=-3, high=2).requires_grad_(True)
kl_per_image = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp(), dim=1)
kl_per_image.sum().backward()
put('kl/mu', mu); put('kl/logvar', logvar); put('kl/per_image', kl_per_image); put('kl/gmu', mu.grad); put('kl/glogvar', logvar.grad)
scalars['kl/total'] = float(kl_per_image.sum())

mu = uniform(4, 16, low=-2, high=2).requires_grad_(True)
logvar = uniform(4, 16, low=-3, high=2).requires_grad_(True)
eps = torch.randn(4, 16)
z = mu + eps * torch.exp(0.5 * logvar)
gz = uniform(4, 16)
z.backward(gz)
for k, v in {'mu': mu, 'logvar': logvar, 'eps': eps, 'z': z, 'gz': gz, 'gmu': mu.grad, 'glogvar': logvar.grad}.items():
    put(f'reparam/{k}', v)

# Adam with weight decay and non-default hyper-parameters, on given gradients
p = nn.Parameter(uniform(37))
q = nn.Parameter(uniform(3, 5))
put('adam_wd/p_initial', p); put('adam_wd/q_initial', q)
opt = torch.optim.Adam([p, q], lr=0.01, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1)
for step in range(4):
    gp, gq = uniform(37, low=-2, high=2), uniform(3, 5, low=-2, high=2)
    put(f'adam_wd/p_grad{step}', gp); put(f'adam_wd/q_grad{step}', gq)
    p.grad, q.grad = gp.clone(), gq.clone()
    opt.step()
put('adam_wd/p_final', p); put('adam_wd/q_final', q)

# Gradient clipping
a = nn.Parameter(torch.zeros(7)); b = nn.Parameter(torch.zeros(2, 9))
a.grad, b.grad = uniform(7, low=-2, high=2), uniform(2, 9, low=-2, high=2)
put('clip/a_grad', a.grad); put('clip/b_grad', b.grad)
scalars['clip/max_norm'] = 1.5
scalars['clip/total_norm'] = float(torch.nn.utils.clip_grad_norm_([a, b], 1.5))
put('clip/a_clipped', a.grad); put('clip/b_clipped', b.grad)


# Whole VAEs
def mnist_images(n):
    if os.path.exists(MNIST):
        raw = gzip.open(MNIST).read()
        return torch.from_numpy(np.frombuffer(raw[16:16 + n * 784], np.uint8).reshape(n, 1, 28, 28).astype(np.float32) / 255.0)
    print('MNIST not found; using random images')
    return torch.rand(n, 1, 28, 28)


L = 16


class Conv(nn.Module):  # ../shared/bench/torch_vae_ref.py's Conv, decoding to logits (no final sigmoid)
    names = {'c1': 'encoder.conv1', 'c2': 'encoder.conv2', 'mu': 'encoder.mu', 'lv': 'encoder.logvar',
             'fc': 'decoder.fc', 'd1': 'decoder.deconv1', 'd2': 'decoder.deconv2'}

    def __init__(s):
        super().__init__()
        s.c1 = nn.Conv2d(1, 32, 4, 2, 1); s.c2 = nn.Conv2d(32, 64, 4, 2, 1)
        s.mu = nn.Linear(3136, L); s.lv = nn.Linear(3136, L)
        s.fc = nn.Linear(L, 3136); s.d1 = nn.ConvTranspose2d(64, 32, 4, 2, 1); s.d2 = nn.ConvTranspose2d(32, 1, 4, 2, 1)

    def enc(s, x): h = F.relu(s.c2(F.relu(s.c1(x)))).flatten(1); return s.mu(h), s.lv(h)
    def dec(s, z): h = F.relu(s.fc(z)).view(-1, 64, 7, 7); return s.d2(F.relu(s.d1(h)))


class Mlp(nn.Module):  # the reference Mlp with a smaller hidden layer, decoding to logits
    names = {'fc1': 'encoder.fc1', 'mu': 'encoder.mu', 'lv': 'encoder.logvar', 'fc3': 'decoder.fc3', 'fc4': 'decoder.fc4'}

    def __init__(s, hidden, latent):
        super().__init__()
        s.fc1 = nn.Linear(784, hidden); s.mu = nn.Linear(hidden, latent); s.lv = nn.Linear(hidden, latent)
        s.fc3 = nn.Linear(latent, hidden); s.fc4 = nn.Linear(hidden, 784)

    def enc(s, x): h = F.relu(s.fc1(x.flatten(1))); return s.mu(h), s.lv(h)
    def dec(s, z): return s.fc4(F.relu(s.fc3(z))).view(-1, 1, 28, 28)


def engine_name(model, torch_name):
    module, kind = torch_name.split('.')
    return f'{model.names[module]}.{kind}'


def vae_case(group, model, latent, n=4, steps=5):
    x = mnist_images(n)
    put(f'{group}/x', x)
    for name, prm in model.named_parameters():
        put(f'{group}/initial/{engine_name(model, name)}', prm)
    eps = torch.randn(n, latent)
    put(f'{group}/eps', eps)
    mu, lv = model.enc(x)
    z = mu + eps * torch.exp(0.5 * lv)
    logits = model.dec(z)
    recon = F.binary_cross_entropy_with_logits(logits, x, reduction='sum')
    kl = -0.5 * torch.sum(1 + lv - mu.pow(2) - lv.exp())
    (recon + kl).backward()
    for k, v in {'mu': mu, 'logvar': lv, 'z': z, 'logits': logits}.items():
        put(f'{group}/{k}', v)
    scalars[f'{group}/recon'] = float(recon)
    scalars[f'{group}/kl'] = float(kl)
    with torch.no_grad():
        scalars[f'{group}/recon_sigmoid_bce'] = float(F.binary_cross_entropy(torch.sigmoid(logits), x, reduction='sum'))
    for name, prm in model.named_parameters():
        put(f'{group}/grad/{engine_name(model, name)}', prm.grad)

    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    losses = []
    for step in range(steps):
        e = torch.randn(n, latent)
        put(f'{group}/eps_step{step}', e)
        opt.zero_grad()
        mu, lv = model.enc(x)
        logits = model.dec(mu + e * torch.exp(0.5 * lv))
        loss = F.binary_cross_entropy_with_logits(logits, x, reduction='sum') - 0.5 * torch.sum(1 + lv - mu.pow(2) - lv.exp())
        loss.backward()
        opt.step()
        losses.append(float(loss))
    scalars[f'{group}/adam_losses'] = losses
    for name, prm in model.named_parameters():
        put(f'{group}/after_adam/{engine_name(model, name)}', prm)


vae_case('conv_vae', Conv(), L)
vae_case('mlp_vae', Mlp(32, 2), 2)

# Write
offset, manifest, blobs = 0, {}, []
for name, array in tensors.items():
    manifest[name] = {'shape': list(array.shape), 'offset': offset}
    blobs.append(array.astype('<f4').tobytes())
    offset += array.size
with open(os.path.join(HERE, 'torch_fixtures.bin'), 'wb') as f:
    f.write(b''.join(blobs))
with open(os.path.join(HERE, 'torch_fixtures.json'), 'w') as f:
    json.dump({'format': 'vaeonnx-torch-fixtures', 'version': 1, 'torch': torch.__version__, 'data': 'torch_fixtures.bin',
               'tensors': manifest, 'scalars': scalars}, f, indent=1)
print(f'{len(tensors)} tensors, {offset * 4} bytes')
