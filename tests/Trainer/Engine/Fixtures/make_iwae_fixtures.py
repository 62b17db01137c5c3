"""Writes the PyTorch golden fixtures of the importance-weighted bound (IWAE) and of the resconv architecture.

Run with Debian's Python, which has torch 1.13:  /usr/bin/python3 tests/Trainer/Engine/Fixtures/make_iwae_fixtures.py
Output, next to this script, in make_torch_fixtures.py's format (read by tests/Trainer/Engine/Golden/TorchFixtures.cs):
  iwae_fixtures.json  manifest: every tensor's name, shape and offset (in float32 elements) into the .bin, plus scalars
  iwae_fixtures.bin   all tensors, float32 little-endian, concatenated
Contents (names are "<group>/<tensor>"):
  conv_iwae_k3, conv_iwae_k3_beta: the conv VAE of ../shared/bench/torch_vae_ref.py with 8 channels in the first stage
      (VaeArchitecture.Conv(1, 28, 28, 10, convChannels: 8), to keep the file small) on 4 binarized MNIST images with
      K = 3 samples each, eps (12, 10) passed in (row n*3 + k is sample k of image n); KL weight 1 and 0.5 inside the
      weights. Initial parameters (engine names; the beta case uses conv_iwae_k3's), the bound per image at weight 1
      (bound), the normalised weights, and the gradient of sum_n -(logsumexp_k a_nk - log K),
      a = log p(x|z) + beta (log p(z) - log q(z|x)).
  resconv_elbo, resconv_iwae_k4: the resconv VAE with 8 channels in the first stage (8@14x14 -> 16@7x7) and one residual
      block on each side (ReLU, 3x3 conv, ReLU, 3x3 conv, plus the skip), latent 6: mu, logvar and logits for given
      z, and every gradient of the one-sample negative ELBO (eps (4, 6)) and of the K = 4 bound (eps (16, 6)).
"""
import gzip, json, math, os
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
MNIST = os.path.join(HERE, '..', '..', '..', '..', '..', 'shared', 'data', 'mnist', 'train-images-idx3-ubyte.gz')

torch.set_num_threads(1)
torch.manual_seed(2121)
tensors, scalars = {}, {}


def put(name, t):
    tensors[name] = t.detach().to(torch.float32).contiguous().numpy().copy()


def binarized_mnist(n):
    if os.path.exists(MNIST):
        raw = gzip.open(MNIST).read()
        grey = torch.from_numpy(np.frombuffer(raw[16:16 + n * 784], np.uint8).reshape(n, 1, 28, 28).astype(np.float32) / 255.0)
    else:
        print('MNIST not found; using random images')
        grey = torch.rand(n, 1, 28, 28)
    return (torch.rand_like(grey) < grey).float()


class Conv(nn.Module):  # ../shared/bench/torch_vae_ref.py's Conv with w channels in the first stage, decoding to logits
    names = {'c1': 'encoder.conv1', 'c2': 'encoder.conv2', 'mu': 'encoder.mu', 'lv': 'encoder.logvar',
             'fc': 'decoder.fc', 'd1': 'decoder.deconv1', 'd2': 'decoder.deconv2'}

    def __init__(s, w, latent):
        super().__init__()
        s.w = w
        s.c1 = nn.Conv2d(1, w, 4, 2, 1); s.c2 = nn.Conv2d(w, 2 * w, 4, 2, 1)
        s.mu = nn.Linear(2 * w * 49, latent); s.lv = nn.Linear(2 * w * 49, latent)
        s.fc = nn.Linear(latent, 2 * w * 49); s.d1 = nn.ConvTranspose2d(2 * w, w, 4, 2, 1); s.d2 = nn.ConvTranspose2d(w, 1, 4, 2, 1)

    def enc(s, x): h = F.relu(s.c2(F.relu(s.c1(x)))).flatten(1); return s.mu(h), s.lv(h)
    def dec(s, z): h = F.relu(s.fc(z)).view(-1, 2 * s.w, 7, 7); return s.d2(F.relu(s.d1(h)))


class Block(nn.Module):  # the engine's ResidualBlock: x + conv2(relu(conv1(relu(x))))
    def __init__(s, c):
        super().__init__()
        s.conv1 = nn.Conv2d(c, c, 3, 1, 1); s.conv2 = nn.Conv2d(c, c, 3, 1, 1)

    def forward(s, x): return x + s.conv2(F.relu(s.conv1(F.relu(x))))


class ResConv(nn.Module):  # VaeArchitecture.ResConv(1, 28, 28, latent, residualBlocks: 1, convChannels: w)
    def __init__(s, w, latent):
        super().__init__()
        s.w = w
        s.c1 = nn.Conv2d(1, w, 4, 2, 1); s.c2 = nn.Conv2d(w, 2 * w, 4, 2, 1); s.eres1 = Block(2 * w)
        s.mu = nn.Linear(2 * w * 49, latent); s.lv = nn.Linear(2 * w * 49, latent)
        s.fc = nn.Linear(latent, 2 * w * 49); s.dres1 = Block(2 * w)
        s.d1 = nn.ConvTranspose2d(2 * w, w, 4, 2, 1); s.d2 = nn.ConvTranspose2d(w, 1, 4, 2, 1)

    names = {'c1': 'encoder.conv1', 'c2': 'encoder.conv2', 'eres1': 'encoder.res1', 'mu': 'encoder.mu', 'lv': 'encoder.logvar',
             'fc': 'decoder.fc', 'dres1': 'decoder.res1', 'd1': 'decoder.deconv1', 'd2': 'decoder.deconv2'}

    def enc(s, x): h = s.eres1(F.relu(s.c2(F.relu(s.c1(x))))).flatten(1); return s.mu(h), s.lv(h)
    def dec(s, z): h = s.dres1(F.relu(s.fc(z)).view(-1, 2 * s.w, 7, 7)); return s.d2(F.relu(s.d1(h)))


def engine_name(model, torch_name):
    module, rest = torch_name.split('.', 1)
    return f'{model.names[module]}.{rest}'


def put_parameters(group, model, what):
    for name, prm in model.named_parameters():
        put(f'{group}/{what}/{engine_name(model, name)}', prm if what == 'initial' else prm.grad)


def iwae_objective(model, x, eps, k, beta):
    """Per-image bound at weight 1, the normalised weights at beta, and the beta-weighted objective to differentiate."""
    n = x.shape[0]
    mu, lv = model.enc(x)
    mu_r, lv_r = mu.repeat_interleave(k, 0), lv.repeat_interleave(k, 0)
    z = mu_r + eps * torch.exp(0.5 * lv_r)
    # The network runs in float32; the log weights and the log-sum-exp in float64, so that the reference's own rounding
    # (a bound of ~550 nats holds ~3e-5 of float32 rounding, which moves the weights by as much) stays out of the comparison.
    logits = model.dec(z).double()
    log_px = -F.binary_cross_entropy_with_logits(logits, x.double().repeat_interleave(k, 0), reduction='none').sum((1, 2, 3))
    half_log_2pi = 0.5 * math.log(2 * math.pi)
    eps, z, lv_r = eps.double(), z.double(), lv_r.double()
    log_q = (-0.5 * eps ** 2 - 0.5 * lv_r - half_log_2pi).sum(1)
    log_p = (-0.5 * z ** 2 - half_log_2pi).sum(1)
    a = (log_px + beta * (log_p - log_q)).view(n, k)
    bound = -(torch.logsumexp((log_px + log_p - log_q).view(n, k), 1) - math.log(k))
    objective = -(torch.logsumexp(a, 1) - math.log(k)).sum()
    return bound, torch.softmax(a, 1).flatten(), objective


def iwae_case(group, model, x, latent, k, beta, own_initial=True):
    model.zero_grad()
    put(f'{group}/x', x)
    if own_initial:
        put_parameters(group, model, 'initial')
    eps = torch.randn(x.shape[0] * k, latent)
    put(f'{group}/eps', eps)
    bound, weights, objective = iwae_objective(model, x, eps, k, beta)
    objective.backward()
    put(f'{group}/bound', bound); put(f'{group}/weights', weights)
    scalars[f'{group}/samples'] = k
    scalars[f'{group}/beta'] = beta
    scalars[f'{group}/objective'] = float(objective)
    scalars[f'{group}/bound_sum'] = float(bound.sum())
    put_parameters(group, model, 'grad')


x = binarized_mnist(4)
conv = Conv(8, 10)
iwae_case('conv_iwae_k3', conv, x, 10, 3, 1.0)
iwae_case('conv_iwae_k3_beta', conv, x, 10, 3, 0.5, own_initial=False)

res = ResConv(8, 6)
group = 'resconv_elbo'
put(f'{group}/x', x)
put_parameters(group, res, 'initial')
eps = torch.randn(4, 6)
put(f'{group}/eps', eps)
mu, lv = res.enc(x)
z = mu + eps * torch.exp(0.5 * lv)
logits = res.dec(z)
recon = F.binary_cross_entropy_with_logits(logits, x, reduction='sum')
kl = -0.5 * torch.sum(1 + lv - mu.pow(2) - lv.exp())
(recon + kl).backward()
for name, t in {'mu': mu, 'logvar': lv, 'z': z, 'logits': logits}.items():
    put(f'{group}/{name}', t)
scalars[f'{group}/recon'] = float(recon)
scalars[f'{group}/kl'] = float(kl)
put_parameters(group, res, 'grad')
iwae_case('resconv_iwae_k4', res, x, 6, 4, 1.0)

offset, manifest, blobs = 0, {}, []
for name, array in tensors.items():
    manifest[name] = {'shape': list(array.shape), 'offset': offset}
    blobs.append(array.astype('<f4').tobytes())
    offset += array.size
with open(os.path.join(HERE, 'iwae_fixtures.bin'), 'wb') as f:
    f.write(b''.join(blobs))
with open(os.path.join(HERE, 'iwae_fixtures.json'), 'w') as f:
    json.dump({'format': 'vaeonnx-torch-fixtures', 'version': 1, 'torch': torch.__version__, 'data': 'iwae_fixtures.bin',
               'tensors': manifest, 'scalars': scalars}, f, indent=1)
print(f'{len(tensors)} tensors, {offset * 4} bytes')
